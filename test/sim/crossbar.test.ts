/**
 * Crossbar ladder solve against an independent dense nodal analysis (Gaussian
 * elimination on the full conductance matrix), and the rank-one cell update against
 * a re-solve; the segment / neuron-input updates against the dense solve of the opened
 * column and against a hand-derived two-row column; the O(1) updates against the ladder
 * re-solve of the changed column within a derived rounding bound, at bnn column size.
 */
import { describe, expect, it } from "vitest";
import { columnOutputUa, columnSensitivity, createRng, outputWithCellChange, outputWithInputChange, outputWithSegmentChange, segmentSensitivity, solveColumn, type ColumnElectrics } from "../../src/sim/index.ts";
import { columnSensitivities, createColumnSensitivity, createSegmentSensitivity } from "../../src/sim/crossbar.ts";

/** Dense nodal analysis: nodes 0..n (n = neuron input), sources to V through active cells. */
function denseSolve(col: ColumnElectrics, active: number[]): { out: number; v: number[] } {
  const n = col.cellOhms.length;
  const N = n + 1;
  const Y = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  const b = new Array<number>(N).fill(0);
  for (let k = 0; k < n; k++) {
    if (active[k]) {
      Y[k][k] += 1 / col.cellOhms[k];
      b[k] += col.writeVoltageV / col.cellOhms[k];
    }
    const g = 1 / col.segmentOhms[k];
    Y[k][k] += g;
    Y[k + 1][k + 1] += g;
    Y[k][k + 1] -= g;
    Y[k + 1][k] -= g;
  }
  Y[n][n] += 1 / col.neuronInputOhms;
  // Gaussian elimination with partial pivoting.
  for (let i = 0; i < N; i++) {
    let p = i;
    for (let r = i + 1; r < N; r++) if (Math.abs(Y[r][i]) > Math.abs(Y[p][i])) p = r;
    [Y[i], Y[p]] = [Y[p], Y[i]];
    [b[i], b[p]] = [b[p], b[i]];
    for (let r = i + 1; r < N; r++) {
      const f = Y[r][i] / Y[i][i];
      for (let c = i; c < N; c++) Y[r][c] -= f * Y[i][c];
      b[r] -= f * b[i];
    }
  }
  const v = new Array<number>(N).fill(0);
  for (let i = N - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < N; c++) s -= Y[i][c] * v[c];
    v[i] = s / Y[i][i];
  }
  return { out: (v[n] / col.neuronInputOhms) * 1e6, v };
}

function randomColumn(seed: number) {
  const rng = createRng(seed);
  const n = 1 + Math.floor(rng.next() * 30);
  const col: ColumnElectrics = {
    cellOhms: Array.from({ length: n }, () => 2000 + rng.next() * 60000),
    segmentOhms: Array.from({ length: n }, () => 0.5 + rng.next() * 5000),
    neuronInputOhms: 5 + rng.next() * 1000,
    writeVoltageV: 0.1 + rng.next(),
  };
  const active = Array.from({ length: n }, () => (rng.next() < 0.6 ? 1 : 0));
  return { col, active, rng };
}

describe("crossbar column solve", () => {
  it("matches dense nodal analysis on 100 random columns (output and node voltages)", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const { col, active } = randomColumn(seed);
      const ladder = solveColumn(col, active);
      const dense = denseSolve(col, active);
      expect(ladder.outputUa).toBeCloseTo(dense.out, 6);
      dense.v.forEach((v, k) => expect(ladder.nodeV[k]).toBeCloseTo(v, 9));
      // KCL: cell currents sum to the neuron current.
      const sum = ladder.cellUa.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(ladder.outputUa, 6);
    }
  });

  it("columnOutputUa, the ladder the simulator and READ call, equals the dense solve to 1e-9 relative", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const { col, active } = randomColumn(seed);
      const dense = denseSolve(col, active).out;
      const fast = columnOutputUa(col, active);
      if (dense === 0) expect(fast).toBe(0);
      else expect(Math.abs(fast / dense - 1), `seed ${seed}`).toBeLessThan(1e-9);
    }
    // Hand derivation, one active row of two: I = V / (R_cell + R_seg0 + R_seg1 + R_in)
    // = 0.5 V / (10 kΩ + 100 Ω + 200 Ω + 700 Ω) = 45.4545… µA (the row-1 cell is off).
    const two: ColumnElectrics = { cellOhms: [10_000, 3_000], segmentOhms: [100, 200], neuronInputOhms: 700, writeVoltageV: 0.5 };
    expect(columnOutputUa(two, [1, 0])).toBeCloseTo(0.5 / 11_000 * 1e6, 9);
  });

  it("rank-one cell update equals a re-solve for any new cell resistance (incl. dead = ∞)", () => {
    for (let seed = 200; seed < 260; seed++) {
      const { col, active, rng } = randomColumn(seed);
      const s = columnSensitivity(col, active);
      expect(s.outputUa).toBeCloseTo(solveColumn(col, active).outputUa, 9);
      const k = Math.floor(rng.next() * col.cellOhms.length);
      for (const newOhms of [col.cellOhms[k] * 0.3, col.cellOhms[k] * 4, Number.POSITIVE_INFINITY]) {
        const cells = Array.from(col.cellOhms);
        cells[k] = newOhms;
        const direct = solveColumn({ ...col, cellOhms: cells }, active).outputUa;
        const fast = active[k] ? outputWithCellChange(s, k, col.cellOhms[k], newOhms, col.writeVoltageV) : s.outputUa;
        expect(fast).toBeCloseTo(direct, 6);
      }
    }
  });

  it("segment and neuron-input updates equal the dense solve of the opened column (any R', incl. ∞ and 0)", () => {
    for (let seed = 300; seed < 380; seed++) {
      const { col, active, rng } = randomColumn(seed);
      const s = segmentSensitivity(col, active);
      expect(s.outputUa).toBeCloseTo(denseSolve(col, active).out, 6);
      const k = Math.floor(rng.next() * col.cellOhms.length);
      for (const newOhms of [0, col.segmentOhms[k] * 3, 50e3, 1e9]) {
        const segs = Array.from(col.segmentOhms);
        segs[k] = newOhms;
        // The dense solve needs a finite conductance: a shorted segment is checked against the ladder solve.
        const direct = newOhms === 0 ? solveColumn({ ...col, segmentOhms: segs }, active).outputUa : denseSolve({ ...col, segmentOhms: segs }, active).out;
        expect(outputWithSegmentChange(s, k, col.segmentOhms[k], newOhms)).toBeCloseTo(direct, 6);
      }
      // A broken line (∞): only the cells below k still reach the neuron.
      const below = active.map((a, r) => (r > k ? a : 0));
      expect(outputWithSegmentChange(s, k, col.segmentOhms[k], Number.POSITIVE_INFINITY)).toBeCloseTo(denseSolve(col, below).out, 6);
      for (const rin of [1, col.neuronInputOhms * 7, 1e5]) {
        expect(outputWithInputChange(s, col.neuronInputOhms, rin)).toBeCloseTo(denseSolve({ ...col, neuronInputOhms: rin }, active).out, 6);
      }
      expect(outputWithInputChange(s, col.neuronInputOhms, Number.POSITIVE_INFINITY)).toBe(0);
    }
  });

  it("segment update on a hand-solved two-row column", () => {
    // Rows 0 and 1 driven at 1 V through 10 kΩ each; seg 0 = 0 Ω, seg 1 = 0 Ω, R_in = 0 Ω:
    // both cells see 1 V → I_out = 200 µA. Open seg 0 to 10 kΩ: row 0 sees 20 kΩ → 50 µA, row 1 100 µA: 150 µA.
    // Open seg 1 (behind both) to 5 kΩ instead: (10k ∥ 10k) + 5k = 10 kΩ → 100 µA.
    const col: ColumnElectrics = { cellOhms: [10e3, 10e3], segmentOhms: [0, 0], neuronInputOhms: 0, writeVoltageV: 1 };
    const s = segmentSensitivity(col, [1, 1]);
    expect(s.outputUa).toBeCloseTo(200, 9);
    expect(outputWithSegmentChange(s, 0, 0, 10e3)).toBeCloseTo(150, 9);
    expect(outputWithSegmentChange(s, 1, 0, 5e3)).toBeCloseTo(100, 9);
    expect(outputWithSegmentChange(s, 0, 0, Number.POSITIVE_INFINITY)).toBeCloseTo(100, 9);
    // Neuron input 0 → 5 kΩ: the same 10 kΩ total → 100 µA.
    expect(outputWithInputChange(s, 0, 5e3)).toBeCloseTo(100, 9);
  });

  it("a broken line (∞) with no driven row above it carries nothing: the cells below still reach the neuron", () => {
    // Row 0 idle, row 1 driven at 1 V through 10 kΩ, seg 0 = ∞, seg 1 = 1 Ω, R_in = 100 Ω:
    // I = 1 V / (10 kΩ + 1 Ω + 100 Ω) = 99.000099… µA — segment 0 carries no current either way.
    const col: ColumnElectrics = { cellOhms: [10e3, 10e3], segmentOhms: [Number.POSITIVE_INFINITY, 1], neuronInputOhms: 100, writeVoltageV: 1 };
    const want = (1 / 10_101) * 1e6;
    expect(columnOutputUa(col, [0, 1])).toBeCloseTo(want, 9);
    expect(solveColumn(col, [0, 1]).outputUa).toBeCloseTo(want, 9);
    expect(columnSensitivity(col, [0, 1]).outputUa).toBeCloseTo(want, 9);
    expect(segmentSensitivity(col, [0, 1]).outputUa).toBeCloseTo(want, 9);
    // The O(1) update of the good column gives the same.
    expect(outputWithSegmentChange(segmentSensitivity({ ...col, segmentOhms: [1, 1] }, [0, 1]), 0, 1, Number.POSITIVE_INFINITY)).toBeCloseTo(want, 9);
  });

  it("O(1) updates equal the re-solved column to rounding: |Δ| ≤ 8·(n+2)·ε·(|I| + |I'|), also into reused buffers", () => {
    // Both sides run the same Norton recursion over n positive conductances and currents
    // (no cancellation inside it): each step adds at most ~4 roundings, so each side's
    // good-column quantities carry a relative error ≤ 4·(n+1)·ε. The update adds a fixed
    // handful of operations, but its final sum I + β·(i' − i) may cancel: its absolute
    // error is then bounded by the size of its terms, |I| and |I'| (β·i ≤ I). Together
    // |fast − resolve| ≤ 8·(n+2)·ε·(|I| + |I'|), ε = 2^−53; at n = 784 that is 7e−13 relative.
    const eps = 2 ** -53;
    const rng = createRng(404);
    const cellInto = createColumnSensitivity(784);
    const segInto = createSegmentSensitivity(784);
    let worst = 0;
    for (let trial = 0; trial < 12; trial++) {
      const n = 784;
      const col: ColumnElectrics = {
        cellOhms: Array.from({ length: n }, () => (rng.next() < 0.5 ? 11.4e3 : 22.2e3) * (0.9 + 0.2 * rng.next())),
        segmentOhms: Array.from({ length: n }, () => 0.5 + 3 * rng.next()),
        neuronInputOhms: 200 + 800 * rng.next(),
        writeVoltageV: 0.2,
      };
      const active = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
      // Reused buffers still hold the previous column's values: the result must not depend on them.
      const cs = columnSensitivity(col, active, cellInto);
      const ss = segmentSensitivity(col, active, segInto);
      expect(cs).toBe(cellInto);
      expect(ss).toBe(segInto);
      const fresh = columnSensitivity(col, active);
      expect(Array.from(cs.theveninV)).toEqual(Array.from(fresh.theveninV));
      expect(Array.from(cs.transferS)).toEqual(Array.from(fresh.transferS));
      expect(cs.outputUa).toBe(fresh.outputUa);
      const bound = (a: number, b: number) => 8 * (n + 2) * eps * (Math.abs(a) + Math.abs(b));
      for (let j = 0; j < 20; j++) {
        const k = Math.floor(rng.next() * n);
        const r = [0, 1e3, 16e3, 1e6, Number.POSITIVE_INFINITY][j % 5];
        const segs = Array.from(col.segmentOhms);
        segs[k] = r;
        const resolved = columnOutputUa({ ...col, segmentOhms: segs }, active);
        const fast = outputWithSegmentChange(ss, k, col.segmentOhms[k], r);
        expect(Math.abs(fast - resolved), `segment ${k} → ${r} Ω`).toBeLessThanOrEqual(bound(ss.outputUa, resolved));
        worst = Math.max(worst, Math.abs(fast - resolved) / bound(ss.outputUa, resolved));
        if (!active[k]) continue;
        const cells = Array.from(col.cellOhms);
        cells[k] = r === 0 ? 100 : r;
        const cellResolved = columnOutputUa({ ...col, cellOhms: cells }, active);
        const cellFast = outputWithCellChange(cs, k, col.cellOhms[k], cells[k], col.writeVoltageV);
        expect(Math.abs(cellFast - cellResolved), `cell ${k} → ${cells[k]} Ω`).toBeLessThanOrEqual(bound(cs.outputUa, cellResolved));
      }
    }
    expect(worst).toBeGreaterThan(0); // the bound is exercised, not vacuous
  });

  it("both sensitivities in one pass equal the two separate passes bit for bit (random columns, zero-ohm segments, nothing driven)", () => {
    for (let seed = 500; seed < 560; seed++) {
      const { col, active } = randomColumn(seed);
      if (seed % 5 === 0) col.segmentOhms = Array.from(col.segmentOhms, (r, k) => (k % 2 === 0 ? 0 : r));
      if (seed % 7 === 0) active.fill(0);
      const n = col.cellOhms.length;
      const cell = createColumnSensitivity(n);
      const seg = createSegmentSensitivity(n);
      columnSensitivities(col, active, cell, seg);
      // toEqual on numbers is Object.is: a single differing bit (or −0 for 0) fails.
      expect(cell).toEqual(columnSensitivity(col, active));
      expect(seg).toEqual(segmentSensitivity(col, active));
    }
  });
});
