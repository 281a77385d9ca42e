/**
 * The array phase: march notation, expansion over WRITE/READ, the electrical READ
 * (closed form against the ladder solve), and fault grading of march programs by the
 * fast and reference engines — with detection expected from memory-test theory
 * (van de Goor): March C− finds stuck-at and transition faults, a retention fault
 * needs the pause, READ never sees a neuron.
 */
import { describe, expect, it } from "vitest";
import { loadMarchTest, parseMarchElements } from "../../src/atpg/march/march-grammar.ts";
import { marchSteps, missionRowBits, restoreSteps } from "../../src/atpg/march/march-expansion.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { gradeArraySteps } from "../../src/faultsim/array-grader.ts";
import { arrayEngineDisagreements } from "../helpers/array-engines.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, highOhms } from "../../src/sim/compile.ts";
import { referenceSenseUa, senseCurrentUa, senseRowUa, senseSeriesUa } from "../../src/sim/read-sense.ts";
import { storageInitial, storagePause, storageWrite, switchingProbability } from "../../src/sim/cell-storage.ts";

const mlp = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(mlp.bench);

describe("march notation", () => {
  it("parses March C− into 6 elements and 10 operations per address", () => {
    const t = loadMarchTest("march-c-minus");
    expect(t.elements).toHaveLength(6);
    expect(t.operationsPerAddress).toBe(10);
    expect(t.elements[3]).toEqual({ kind: "sweep", order: "down", ops: ["r0", "w1"] });
    expect(parseMarchElements("up(w1); pause(5e8); down(r1)")).toEqual([
      { kind: "sweep", order: "up", ops: ["w1"] },
      { kind: "pause", dwellNs: 5e8 },
      { kind: "sweep", order: "down", ops: ["r1"] },
    ]);
  });
  it("locates a bad operation at its character", () => {
    expect(() => parseMarchElements("⇕(w0); ⇑(r0,x1)", { file: "m.json", field: "elements" })).toThrow(/m\.json.*elements \(character 13\).*r0, r1, w0 or w1/s);
    expect(() => parseMarchElements("⇕(w0);; ⇑(r0)")).toThrow(/character 7/);
    expect(() => parseMarchElements("pause(-1)")).toThrow(/positive dwell/);
  });
  it("expands to rows × operations steps per layer, ⇓ descending", () => {
    const t = loadMarchTest("march-c-minus");
    const steps = marchSteps(t, net);
    // layers of 16 and 8 rows: 10 operations per address
    expect(steps).toHaveLength(10 * (16 + 8));
    const downRows = steps.filter((s) => s.id.includes(".l0.e3.") && s.kind === "read").map((s) => (s.kind === "read" ? s.row : -1));
    expect(downRows).toEqual(Array.from({ length: 16 }, (_, i) => 15 - i));
    expect(restoreSteps(net)).toHaveLength(2 * (16 + 8));
  });
});

describe("electrical READ", () => {
  it("the closed form equals the ladder solve with one active row", () => {
    const l = net.layers[0];
    for (const [r, c] of [[0, 0], [7, 3], [15, 7]]) {
      const v = 0.1;
      expect(senseSeriesUa(l, r, c, v)).toBeCloseTo(senseCurrentUa(l, r, c, v), 9);
      // hand: V / (R_cell + 1 Ω per segment below + 20 Ω sense input)
      const rCell = l.cellOhms[c * l.rows + r];
      expect(senseSeriesUa(l, r, c, v)).toBeCloseTo((v / (rCell + (16 - r) * 1 + 20)) * 1e6, 9);
    }
  });
  it("reference midway: P reads 1, AP reads 0, so a good chip reads its mission bits", () => {
    const d = mlp.bench.device;
    const refS = (1 / (d.rLowOhms + d.accessOhms) + 1 / (highOhms(d) + d.accessOhms)) / 2;
    expect(referenceSenseUa(net, 0, 0)).toBeCloseTo((0.1 / (1 / refS + 16 + 20)) * 1e6, 9);
    for (let r = 0; r < 16; r++) expect(Array.from(senseRowUa(net, 0, r), (ua) => (ua > referenceSenseUa(net, 0, r) ? "1" : "0")).join("")).toBe(missionRowBits(net, 0, r));
  });
});

describe("cell storage", () => {
  it("follows memory-test fault behaviour", () => {
    expect(storageWrite({ stuckAt: 1 }, 1, 0)).toBe(1);
    expect(storageWrite({ failedTransition: "up" }, 0, 1)).toBe(0);
    expect(storageWrite({ failedTransition: "up" }, 1, 0)).toBe(0);
    expect(storageWrite({ failedTransition: "down" }, 1, 0)).toBe(1);
    const weak = { decay: { from: 0 as const, to: 1 as const, deltaKt: 18 } };
    expect(storageInitial(weak, 0)).toBe(1);
    // seed 004 eq. 2 with Δ = 40: P ≈ 0.125 after one year (DOMAIN.md)
    expect(switchingProbability(365.25 * 24 * 3600 * 1e9, 40)).toBeCloseTo(0.125, 2);
    expect(storagePause(weak, 0, 1e9)).toBe(1); // 1 s ≫ e^18 ns ≈ 66 ms
    expect(storagePause(weak, 0, 1e3)).toBe(0); // 1 µs: P ≈ 1.5e-5
  });

  it("a decaying cell flips when the median cell has (P_sw = ½): at t½ = τ0·e^Δ·ln 2", () => {
    // Hand derivation: 1 − exp(−(t/τ0)·e^(−Δ)) = ½  ⇔  t = τ0·e^Δ·ln 2; Δ = 10, τ0 = 1 ns:
    // e^10 = 22026.47 ns, × ln 2 = 0.693147 → t½ = 15267.6 ns.
    const weak = { decay: { from: 1 as const, to: 0 as const, deltaKt: 10 } };
    expect(storagePause(weak, 1, 15_260)).toBe(1);
    expect(storagePause(weak, 1, 15_275)).toBe(0);
    expect(storagePause(weak, 0, 1e12)).toBe(0); // only `from` decays
  });
});

describe("grading march programs (mlp-16x8x4, every model incl. the array ones)", () => {
  const models = loadFaultModels(undefined, undefined, { arrayTests: true });
  const { faults } = enumerateFaults(net, mlp.bench, models, { collapse: false });
  const plain = [...marchSteps(loadMarchTest("march-c-minus"), net), ...restoreSteps(net)];
  const withPause = [...marchSteps(loadMarchTest("march-c-minus-retention"), net), ...restoreSteps(net)];

  it("fast and reference engines agree on every fault", () => {
    for (const steps of [plain, withPause]) expect(arrayEngineDisagreements(net, faults, steps)).toEqual([]);
  }, 120_000);

  it("detects what memory-test theory says, and no neuron fault", () => {
    const g = gradeArraySteps(net, faults, withPause, "fast");
    const gPlain = gradeArraySteps(net, faults, plain, "fast");
    const byModel = (m: string, gg = g) => faults.map((f, i) => [f, gg[i]] as const).filter(([f]) => f.modelId === m);
    for (const m of ["stuck-at-p", "stuck-at-ap", "transition-up", "transition-down", "dead-synapse", "resistive-open"]) {
      const rows = byModel(m);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter(([, o]) => !o.detected).map(([f]) => f.id)).toEqual([]);
    }
    for (const m of ["slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"]) {
      expect(byModel(m).every(([, o]) => !o.detected)).toBe(true);
    }
    // a weak cell flips only across the pause: found by the retention variant, missed without it
    expect(byModel("retention-flip").every(([, o]) => o.detected)).toBe(true);
    expect(byModel("retention-flip").some(([, o]) => o.firstStep?.includes(".e2."))).toBe(true);
    expect(byModel("retention-flip", gPlain).every(([, o]) => !o.detected)).toBe(true);
    // stuck-at-P fails the first r0 (element 1, ⇑(r0,w1)); transition-up the first r1 (element 2)
    expect(byModel("stuck-at-p", gPlain).every(([, o]) => /\.e1\.r\d+\.0r0$/.test(o.firstStep!))).toBe(true);
    expect(byModel("transition-up", gPlain).every(([, o]) => /\.e2\.r\d+\.0r1$/.test(o.firstStep!))).toBe(true);
  });
});
