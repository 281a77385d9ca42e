/**
 * Fault models of the multi-level domain-wall synapse (seed 001) as data: stuck wall,
 * level shift ±k and a wall pinned at an end. They enumerate only on a multi-level
 * bench, both READ graders agree, and where each is first detected is derived by hand.
 *
 * Program per row r of seed001-dw-4x2 (mission levels, row-major: 15 0 / 3 9 / 6 12 / 0 15):
 *   W r [15, 15]; R r expects [15, 15]; W r [5, 5]; R r expects [5, 5]
 * so the first READ of a row is step 1 + 4r and the second 3 + 4r.
 */
import { describe, expect, it } from "vitest";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { gradeArraySteps, type ArrayStep } from "../../src/faultsim/array-grader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createSimulatedChip } from "../../src/targets/simulated-chip.ts";
import { arrayEngineDisagreements } from "../helpers/array-engines.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { createRng } from "../../src/sim/rng.ts";
import { randomBench, randomVectors } from "../faultsim/random-bench.ts";

const dw = loadTestbench("testbenches/seed001-dw-4x2.json").bench;
const net = compileNetwork(dw);
const ids = ["dw-stuck-wall", "dw-level-shift-up", "dw-level-shift-down", "dw-pinned-ap-end", "dw-pinned-p-end"];
const models = loadFaultModels(undefined, ids);

const steps: ArrayStep[] = [0, 1, 2, 3].flatMap((r) => [
  { kind: "write", id: `w15.${r}`, layer: 0, row: r, levels: [15, 15] },
  { kind: "read", id: `r15.${r}`, layer: 0, row: r, expectedLevels: [15, 15] },
  { kind: "write", id: `w5.${r}`, layer: 0, row: r, levels: [5, 5] },
  { kind: "read", id: `r5.${r}`, layer: 0, row: r, expectedLevels: [5, 5] },
]);

describe("domain-wall fault models", () => {
  it("enumerate one fault per cell and model on a multi-level bench, none on a binary one", () => {
    const { faults } = enumerateFaults(net, dw, models, { collapse: false });
    expect(faults.length).toBe(8 * 5);
    const mlp = loadTestbench("testbenches/mlp-16x8x4.json").bench;
    expect(enumerateFaults(compileNetwork(mlp), mlp, models, { collapse: false }).faults.length).toBe(0);
  });

  it("are first detected where the hand derivation says, by both READ graders", () => {
    const { faults } = enumerateFaults(net, dw, models, { collapse: false });
    expect(arrayEngineDisagreements(net, faults, steps)).toEqual([]);
    const got = gradeArraySteps(net, faults, steps, "reference");
    const at = (id: string) => got[faults.findIndex((f) => f.id === id)].firstStep;
    // stuck wall: the cell keeps its mission level. Mission 15 ((0,0), (3,1)) passes R15 and reads 15 ≠ 5 at R5;
    // every other mission level fails R15 already.
    expect(at("dw-stuck-wall@l0.r0.c0")).toBe("r5.0");
    expect(at("dw-stuck-wall@l0.r3.c1")).toBe("r5.3");
    expect(at("dw-stuck-wall@l0.r1.c0")).toBe("r15.1"); // mission 3
    // +1: W15 lands at min(16, 15) = 15 (R15 passes), W5 at 6 ≠ 5
    expect(at("dw-level-shift-up@l0.r2.c1:1")).toBe("r5.2");
    // −1: W15 lands at 14 ≠ 15
    expect(at("dw-level-shift-down@l0.r2.c1:-1")).toBe("r15.2");
    // pinned at the P end reads 15 (passes R15, fails R5); at the AP end reads 0 (fails R15)
    expect(at("dw-pinned-p-end@l0.r1.c1")).toBe("r5.1");
    expect(at("dw-pinned-ap-end@l0.r1.c1")).toBe("r15.1");
    expect(got.every((o) => o.detected)).toBe(true);
  });

  it("a shift of k = 10 is parametric (--param): W5 lands at 15, W15 stays at 15", () => {
    const { faults } = enumerateFaults(net, dw, loadFaultModels(undefined, ["dw-level-shift-up"]), { collapse: false, params: { "dw-level-shift-up": { shiftLevels: 10 } } });
    const f = faults.find((x) => x.id === "dw-level-shift-up@l0.r0.c0:10")!;
    expect(gradeArraySteps(net, [f], steps, "fast")[0].firstStep).toBe("r5.0");
    const chip = createSimulatedChip({ bench: dw, storage: { layer: 0, row: 0, col: 0, behaviour: f.storage! } });
    chip.writeLevels!(0, 0, [5, 5]);
    expect(chip.readLevels!(0, 0)).toEqual([15, 5]);
  });

  it("on the mission weights a level shift moves the cell's conductance by k levels (spike faults see it)", () => {
    const { faults } = enumerateFaults(net, dw, loadFaultModels(undefined, ["dw-level-shift-up"]), { collapse: false });
    const f = faults.find((x) => x.id === "dw-level-shift-up@l0.r1.c0:1")!;
    // mission level 3 → 4: G = 4.95·4/15 + 0.2·11/15 + 0.05 = 1.5167 µS
    expect(f.perturbations).toEqual([{ site: { kind: "cell", layer: 0, row: 1, col: 0 }, quantity: "level", op: "add", value: 1 }]);
    const chip = createSimulatedChip({ bench: dw, perturbations: f.perturbations });
    expect(chip.readLevels!(0, 1)).toEqual([4, 9]);
  });

  it("spike fault simulation: the fast and reference engines classify multi-level faults alike on 40 random 16-level benches, the fast path running", () => {
    const all = loadFaultModels(undefined, [...ids, "dead-synapse", "resistive-open", "stuck-at-p", "slow-to-integrate"]);
    let compared = 0;
    let fastPath = 0;
    const detected = new Set<string>();
    for (let k = 0; k < 40; k++) {
      const rng = createRng(7000 + k);
      const { bench, net: n } = randomBench(rng, { domainWall: true });
      expect(n.device.domainWall?.levels).toBe(16);
      const vectors = randomVectors(rng, n, 1 + Math.floor(rng.next() * 3));
      const { faults } = enumerateFaults(n, bench, all, { collapse: rng.next() < 0.5 });
      const ref = faultEngines.reference.run(n, faults, vectors, { drop: false });
      const fast = faultEngines.fast.run(n, faults, vectors, { drop: false });
      for (let i = 0; i < faults.length; i++) {
        const what = `case ${k}, ${faults[i].id}`;
        expect(fast.outcomes[i].cls, what).toBe(ref.outcomes[i].cls);
        expect(fast.outcomes[i].detectingVectors, what).toEqual(ref.outcomes[i].detectingVectors);
        if (ref.outcomes[i].cls === "DT") detected.add(faults[i].modelId);
      }
      compared += faults.length;
      fastPath += fast.fastPathEvaluations;
    }
    expect(compared).toBeGreaterThan(1000);
    expect(fastPath).toBeGreaterThan(0);
    // a level shift and a pinned end change the mission conductance: some are seen by spikes; a stuck wall never is
    for (const id of ["dw-level-shift-up", "dw-level-shift-down", "dw-pinned-ap-end", "dw-pinned-p-end"]) expect(detected.has(id), id).toBe(true);
    expect(detected.has("dw-stuck-wall")).toBe(false);
  });

  it("both READ graders agree on random level / bit programs, electrical faults (opens of several sizes) included", () => {
    const all = loadFaultModels(undefined, [...ids, "dead-synapse", "resistive-open", "stuck-at-ap", "transition-up", "retention-flip"]);
    let checked = 0;
    let detected = 0;
    for (let k = 0; k < 12; k++) {
      const rng = createRng(500 + k);
      const chip = createSimulatedChip({ bench: dw });
      const prog: ArrayStep[] = [];
      for (let i = 0; i < 30; i++) {
        const row = Math.floor(rng.next() * 4);
        const u = rng.next();
        if (u < 0.3) prog.push({ kind: "write", id: `w${i}`, layer: 0, row, levels: [0, 1].map(() => Math.floor(rng.next() * 16)) });
        else if (u < 0.45) prog.push({ kind: "write", id: `w${i}`, layer: 0, row, bits: [0, 1].map(() => (rng.next() < 0.5 ? "1" : "0")).join("") });
        else if (u < 0.75) prog.push({ kind: "read", id: `r${i}`, layer: 0, row, expectedLevels: [] });
        else prog.push({ kind: "read", id: `r${i}`, layer: 0, row, expected: "" });
      }
      // expectations: what the good chip reads (checked against the written levels in "the simulated chip reads back every level")
      for (const s of prog) {
        if (s.kind === "write") s.levels ? chip.writeLevels!(0, s.row, s.levels) : chip.writeRow(0, s.row, s.bits!);
        else if (s.kind === "read" && s.expectedLevels) s.expectedLevels = chip.readLevels!(0, s.row);
        else if (s.kind === "read") s.expected = chip.readRow(0, s.row);
      }
      const r = 2000 + 1e6 * rng.next();
      const { faults } = enumerateFaults(net, dw, all, { collapse: false, params: { "resistive-open": { resistanceOhms: r } } });
      expect(arrayEngineDisagreements(net, faults, prog), `program ${k}, open ${r} Ω`).toEqual([]);
      checked += faults.length;
      detected += gradeArraySteps(net, faults, prog, "fast").filter((o) => o.detected).length;
    }
    expect(checked).toBeGreaterThan(500);
    expect(detected).toBeGreaterThan(checked / 4);
  });
});
