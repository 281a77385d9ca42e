/**
 * The phased program's merge on outcome tables (src/faultsim/program-outcomes.ts):
 * by hand on a five-step program, one fault per branch of the rule; then against the
 * merge as it was written over outcome objects (kept here as the oracle) on 2,000 random
 * faults, with spike results as tables and as objects; then the merge in steps on 200,000
 * faults (the Ctrl-C checkpoints a bnn-size merge needs): the oracle's outcomes, a pause
 * at every hand-counted step, and a pause that throws stops it.
 */
import { describe, expect, it } from "vitest";
import type { Fault } from "../../src/faults/fault.ts";
import type { Program } from "../../src/formats/program-format.ts";
import type { FaultClass, FaultOutcome, FaultSimResult, FaultSimVector } from "../../src/faultsim/fault-engine.ts";
import { ClassCode, createOutcomeTable, outcomeTableOf, reasonSetter, withOutcomes } from "../../src/faultsim/outcome-table.ts";
import { detectionsByPhase, mergeOutcomes, mergeOutcomesAsync, readCanSee, splitProgram, type SplitProgram } from "../../src/faultsim/program-campaign.ts";
import { InterruptedError } from "../../src/formats/errors.ts";

// s0 (spike, mission weights) · w1 (WRITE) · r2 (READ) · s3 (spike on test weights) · r4 (READ)
const bits = "01";
const program = {
  schemaVersion: 1,
  testbench: { id: "t", sha256: "0".repeat(64) },
  timingTolerancePs: 500,
  decision: { rule: "single" },
  metadata: {},
  vectors: [
    { id: "s0", inputs: [], expected: [] },
    { id: "w1", kind: "write", layer: 0, row: 0, bits },
    { id: "r2", kind: "read", layer: 0, row: 0, expected: bits },
    { id: "s3", inputs: [], expected: [] },
    { id: "r4", kind: "read", layer: 0, row: 0, expected: bits },
  ],
} as unknown as Program;
const split = splitProgram(program, "p.json");

const cell = (k: number) => ({ id: `dead-synapse@l0.r0.c${k}`, modelId: "dead-synapse", layer: 0, classSize: 1 + (k % 3), site: { kind: "cell", layer: 0, row: 0, col: k } }) as unknown as Fault;
const neuron = (k: number) => ({ id: `dead-neuron@l0.n${k}`, modelId: "dead-neuron", layer: 0, classSize: 1, site: { kind: "neuron", layer: 0, col: k } }) as unknown as Fault;
const vec = (id: string) => ({ id }) as FaultSimVector;
const result = (outcomes: FaultOutcome[]): FaultSimResult => ({ engine: "test", outcomes, evaluations: 0, fastPathEvaluations: 0, elapsedMs: 0 });
const o = (f: Fault, cls: FaultClass, first: string | null = null, reason?: string): FaultOutcome => ({ faultId: f.id, cls, firstVector: first, firstPossibleVector: first, ...(reason ? { reason } : {}) });

/** The same outcomes as an engine's table over `vectors`. */
function asTable(outcomes: FaultOutcome[], faults: Fault[], vectors: FaultSimVector[]): FaultSimResult {
  const t = createOutcomeTable(outcomes.length);
  const at = (id: string | null | undefined) => (id ? vectors.findIndex((v) => v.id === id) : -1);
  const setReason = reasonSetter(t);
  outcomes.forEach((x, i) => {
    t.cls[i] = ClassCode[x.cls];
    t.firstVector[i] = at(x.firstVector);
    t.firstPossibleVector[i] = at(x.firstPossibleVector);
    if (x.cls === "UD" && x.reason) setReason(i, x.reason);
  });
  return withOutcomes({ engine: "test", evaluations: 0, fastPathEvaluations: 0, elapsedMs: 0 }, t, faults, vectors);
}

/** The merge as it was written over outcome objects (before 2026-12-04): the oracle. */
function objectMerge(spike: FaultSimResult, first: Int32Array, faults: readonly Fault[], s: SplitProgram, segments: readonly FaultSimResult[]): FaultOutcome[] {
  const at = (id: string | null | undefined) => (id ? (s.indexOf.get(id) ?? Infinity) : Infinity);
  return spike.outcomes.map((o, i) => {
    let best: { id: string; index: number } | null = o.cls === "DT" && o.firstVector ? { id: o.firstVector, index: at(o.firstVector) } : null;
    const a = first[i] >= 0 ? s.arraySteps[first[i]].id : null;
    if (a && (!best || at(a) < best.index)) best = { id: a, index: at(a) };
    for (const seg of segments) {
      const so = seg.outcomes[i];
      if (so.cls === "DT" && so.firstVector && (!best || at(so.firstVector) < best.index)) best = { id: so.firstVector, index: at(so.firstVector) };
    }
    if (best) return { faultId: o.faultId, cls: "DT", firstVector: best.id, firstPossibleVector: o.firstPossibleVector ?? best.id };
    const pd = [o, ...segments.map((g) => g.outcomes[i])].find((x) => x.cls === "PD");
    if (pd) return { faultId: o.faultId, cls: "PD", firstVector: pd.firstVector, firstPossibleVector: pd.firstPossibleVector ?? pd.firstVector };
    const everyUd = o.cls === "UD" && segments.every((g) => g.outcomes[i].cls === "UD");
    if (o.cls === "UD" && !everyUd) return { faultId: o.faultId, cls: "ND", firstVector: null, reason: `not detected by the vectors on test weights (on the mission weights: ${o.reason ?? "proved undetectable"})` };
    if (everyUd && s.hasReads && readCanSee(faults[i])) return { faultId: o.faultId, cls: "ND", firstVector: null, reason: `not found by this program's reads (spike tests cannot see it: ${o.reason ?? "proved"})` };
    return o;
  });
}

const plain = (x: FaultOutcome) => ({ faultId: x.faultId, cls: x.cls, firstVector: x.firstVector ?? null, firstPossibleVector: x.firstPossibleVector ?? null, reason: x.reason });

describe("program outcomes merged on tables", () => {
  it("one fault per branch of the rule, by hand", () => {
    const f = [cell(0), cell(1), cell(2), cell(3), cell(4), neuron(5)];
    const spike = asTable([o(f[0], "DT", "s0"), o(f[1], "ND"), o(f[2], "PD", "s0"), o(f[3], "UD", null, "x"), o(f[4], "UD", null, "x"), o(f[5], "UD", null, "x")], f, [vec("s0")]);
    const seg = result([o(f[0], "ND"), o(f[1], "DT", "s3"), o(f[2], "ND"), o(f[3], "ND"), o(f[4], "UD"), o(f[5], "UD")]); // objects: the other reading path
    const first = Int32Array.from([-1, 2, -1, -1, -1, -1]); // f1's first failing array step: r4 (arraySteps w1, r2, r4)
    const m = mergeOutcomes(spike, first, f, split, [seg]);
    expect(m.outcomes.map(plain)).toEqual([
      { faultId: f[0].id, cls: "DT", firstVector: "s0", firstPossibleVector: "s0", reason: undefined },
      { faultId: f[1].id, cls: "DT", firstVector: "s3", firstPossibleVector: "s3", reason: undefined }, // s3 (step 3) before r4 (step 4)
      { faultId: f[2].id, cls: "PD", firstVector: "s0", firstPossibleVector: "s0", reason: undefined },
      { faultId: f[3].id, cls: "ND", firstVector: null, firstPossibleVector: null, reason: "not detected by the vectors on test weights (on the mission weights: x)" },
      { faultId: f[4].id, cls: "ND", firstVector: null, firstPossibleVector: null, reason: "not found by this program's reads (spike tests cannot see it: x)" },
      { faultId: f[5].id, cls: "UD", firstVector: null, firstPossibleVector: null, reason: "x" }, // READ cannot see a neuron
    ]);
    expect(outcomeTableOf(m)?.firstVector[1]).toBe(3); // a program step index, no object needed
    // s0 is on the mission weights (functional), s3 after a WRITE (neuron); class sizes 1 and 2
    expect(detectionsByPhase(m, f, split)).toEqual({ functional: 1, neuron: 2, array: 0 });
  });

  it("agrees with the object merge on 2,000 random faults, spike results as tables and as objects", () => {
    let seed = 7; // mulberry32
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
    };
    const faults = Array.from({ length: 2000 }, (_, k) => (k % 5 === 0 ? neuron(k) : cell(k)));
    const classes: FaultClass[] = ["ND", "DT", "PD", "UD", "AU"];
    const spikeOutcomes = faults.map((f) => {
      const c = classes[rnd(5)];
      return c === "DT" || c === "PD" ? o(f, c, "s0") : o(f, c, null, c === "UD" && rnd(2) ? "proved by the cone" : undefined);
    });
    const segOutcomes = faults.map((f) => {
      const c = classes[rnd(4)];
      return c === "DT" || c === "PD" ? o(f, c, "s3") : o(f, c);
    });
    const first = Int32Array.from(faults, () => (rnd(3) === 0 ? [1, 2][rnd(2)] : -1));
    const expected = objectMerge(result(spikeOutcomes), first, faults, split, [result(segOutcomes)]).map(plain);
    // AU keeps its reason in both: the table's outcome gives the engines' interrupted reason
    const want = expected.map((x) => (x.cls === "AU" ? { ...x, reason: "interrupted before every vector was simulated" } : x));
    expect(want.filter((x) => x.cls === "DT").length).toBeGreaterThan(500); // every branch taken
    expect(want.filter((x) => x.reason?.startsWith("not found by this program's reads")).length).toBeGreaterThan(20);
    for (const spike of [result(spikeOutcomes), asTable(spikeOutcomes, faults, [vec("s0")])]) {
      for (const seg of [result(segOutcomes), asTable(segOutcomes, faults, [vec("s3")])]) {
        expect(mergeOutcomes(spike, first, faults, split, [seg]).outcomes.map(plain)).toEqual(want);
      }
    }
  });

  it("in steps on 200,000 faults: the oracle's outcomes, a pause every 65,536 faults of each pass, and Ctrl-C at a pause stops it", async () => {
    const n = 200_000;
    const faults = Array.from({ length: n }, (_, k) => (k % 7 === 0 ? neuron(k) : cell(k)));
    const spikeOutcomes = faults.map((f, k) => (k % 11 === 0 ? o(f, "DT", "s0") : k % 13 === 0 ? o(f, "UD", null, "proved") : o(f, "ND")));
    const segOutcomes = faults.map((f, k) => (k % 17 === 0 ? o(f, "DT", "s3") : o(f, k % 7 === 0 ? "UD" : "ND")));
    const first = Int32Array.from(faults, (_, k) => (k % 5 === 0 ? 1 : -1)); // r2 for every fifth fault
    const spike = asTable(spikeOutcomes, faults, [vec("s0")]);
    const seg = asTable(segOutcomes, faults, [vec("s3")]);
    let pauses = 0;
    const merged = await mergeOutcomesAsync(spike, first, faults, split, [seg], async () => void pauses++);
    expect(merged.outcomes.map(plain)).toEqual(objectMerge(result(spikeOutcomes), first, faults, split, [result(segOutcomes)]).map(plain));
    // passes over 200,000 faults yield at 65,536, 131,072 and 196,608: the spike table's and the segment's step
    // indices, the merge itself (3 each); the empty table's −1 fill yields every 262,144 entries (none here)
    expect(pauses).toBe(9);
    // the empty table's fill crosses its step boundaries: every entry of a 600,000-fault table starts at −1
    const t = createOutcomeTable(600_000);
    expect(t.firstVector.every((k) => k === -1) && t.firstPossibleVector.every((k) => k === -1)).toBe(true);
    let seen = 0;
    const stop = async () => {
      if (++seen === 2) throw new InterruptedError();
    };
    await expect(mergeOutcomesAsync(spike, first, faults, split, [seg], stop)).rejects.toBeInstanceOf(InterruptedError);
    expect(seen).toBe(2); // nothing ran on after the pause that threw
  }, 60_000);
});
