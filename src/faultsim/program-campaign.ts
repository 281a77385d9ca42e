/**
 * Grading a program with phases: spike vectors on the mission weights, then array steps
 * (march tests over WRITE/READ and the restore of the mission weights), one fault
 * outcome per fault.
 *
 *   const split = splitProgram(program, file);            // spike vectors first, then array steps
 *   const merged = mergeOutcomes(spikeResult, await gradeArrayStepsChunked(net, faults, split.arraySteps), faults, split);  // program-outcomes.ts
 *
 * Merge rule, in program order: a fault detected by a spike vector is DT there; else DT
 * at the first READ that differs; else the spike class — except that a spike-only proof
 * of undetectability (UD) does not hold for a fault READ can see when the program
 * reads: such a fault is ND ("not found by this program's reads"), because another
 * program's reads would find it.
 *
 * Spike vectors after a WRITE run on test weights (the neuron phase): each run of them
 * between two array steps is a *segment*, graded on the network as written at that point
 * (`gradeTestWeightSegments`) — a storage fault then holds what its cell's state machine
 * says after the steps before it, every other fault acts on the written cells. A fault
 * is UD only when every segment proves it and READ cannot see it.
 */
import type { Fault } from "../faults/fault.ts";
import { isSpikeVector, type Program, type ProgramVector, type TestPhase, type WriteStep } from "../formats/program-format.ts";
import { electricalPerturbations, storedBitAfter, type ArrayStep } from "./array-grader.ts";
import type { FaultEngine, FaultSimResult } from "./fault-engine.ts";
import { faultSimVectors } from "./program-vectors.ts";
import { joinResults } from "./parallel-campaign.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { goodResponse, isStochastic } from "./good-response.ts";
import { compareSpikes, type ResponseDiff } from "./response-rule.ts";
import { levelCount, type CompiledNetwork } from "../sim/compile.ts";
import { writtenLevels } from "../sim/row-levels.ts";
import { applyPerturbations, type Perturbation } from "../sim/perturbation.ts";

/** Spike vectors run on test weights: program indices, and how many array steps came before. */
export interface TestWeightSegment {
  vectorIndices: number[];
  arrayStepsBefore: number;
}

export interface SplitProgram {
  /** Index in program.vectors of each spike vector on the mission weights (before any WRITE). */
  spikeIndices: number[];
  /** Spike vectors after a WRITE, in runs between array steps. */
  segments: TestWeightSegment[];
  /** Program index of every step id (spike vectors, array steps, implied writes). */
  indexOf: Map<string, number>;
  /** Id of every program step, by program index. */
  ids: string[];
  arraySteps: ArrayStep[];
  /** Phase of each step id (steps without a phase: "spike vectors" → functional, others → array). */
  phaseOf: Map<string, TestPhase>;
  hasReads: boolean;
}

/** Split a program into its spike vectors (on the mission weights, and in test-weight segments) and its array steps. */
export function splitProgram(program: Program, _file: string): SplitProgram {
  const spikeIndices: number[] = [];
  const segments: TestWeightSegment[] = [];
  const arraySteps: ArrayStep[] = [];
  const phaseOf = new Map<string, TestPhase>();
  const indexOf = new Map<string, number>();
  let written = false;
  let open: TestWeightSegment | null = null;
  program.vectors.forEach((s, i) => {
    indexOf.set(s.id, i);
    if (isSpikeVector(s)) {
      // A vector's own `writes` are write steps just before it.
      (s.writes ?? []).forEach((w, k) => {
        arraySteps.push({ kind: "write", id: `${s.id}#w${k}`, layer: w.layer, row: w.row, bits: w.bits, ...(s.phase ? { phase: s.phase } : {}) });
        indexOf.set(`${s.id}#w${k}`, i);
        written = true;
        open = null;
      });
      phaseOf.set(s.id, s.phase ?? (written ? "neuron" : "functional"));
      if (!written) spikeIndices.push(i);
      else {
        if (!open) segments.push((open = { vectorIndices: [], arrayStepsBefore: arraySteps.length }));
        open.vectorIndices.push(i);
      }
    } else {
      if (s.kind === "write") written = true;
      open = null;
      arraySteps.push(s);
      phaseOf.set(s.id, s.phase ?? "array");
    }
  });
  return { spikeIndices, segments, indexOf, ids: program.vectors.map((s) => s.id), arraySteps, phaseOf, hasReads: arraySteps.some((s) => s.kind === "read") };
}

/** The network as written after the first `count` array steps (mission weights where nothing was written). */
export function writtenNetwork(net: CompiledNetwork, arraySteps: readonly ArrayStep[], count: number): CompiledNetwork {
  const rows = new Map<string, WriteStep>();
  for (let i = 0; i < count; i++) {
    const s = arraySteps[i];
    if (s.kind === "write") rows.set(`${s.layer}.${s.row}`, s);
  }
  const top = levelCount(net.device) - 1;
  const ps: Perturbation[] = [];
  for (const w of rows.values()) {
    writtenLevels(w, top).forEach((lv, c) => ps.push({ site: { kind: "cell", layer: w.layer, row: w.row, col: c }, quantity: "weight", op: "set", value: lv / top }));
  }
  return applyPerturbations(net, ps);
}

/** A fault as it acts on a written network: a storage fault holds its state machine's bit. */
export function faultOnWritten(net: CompiledNetwork, f: Fault, arraySteps: readonly ArrayStep[], count: number): Fault {
  const level = storedBitAfter(net, f, arraySteps, count);
  if (level === null) return f;
  const value = level / (levelCount(net.device) - 1);
  const s = f.site as Extract<Fault["site"], { row: number }>;
  return {
    id: f.id,
    modelId: f.modelId,
    siteId: f.siteId,
    site: f.site,
    layer: f.layer,
    params: f.params,
    classSize: f.classSize,
    ...(f.equivalents ? { equivalents: f.equivalents } : {}),
    storage: f.storage,
    perturbations: [...electricalPerturbations(f), { site: { kind: "cell", layer: s.layer, row: s.row, col: s.col }, quantity: "weight", op: "set", value }],
  };
}

/** Faults graded between two looks at Ctrl-C in gradeTestWeightSegments (a fraction of a second on bnn). */
const SEGMENT_CHUNK_FAULTS = 100_000;

/**
 * Grade each test-weight segment's spike vectors with `engine` on the network as written
 * there. The faults go through the engine a chunk at a time (every fault is classified on
 * its own, as the parallel campaign's slices are), with a Ctrl-C checkpoint between chunks:
 * on bnn each segment is a pass over 6.9 M faults. Throws InterruptedError on `signal`.
 */
export async function gradeTestWeightSegments(
  net: CompiledNetwork,
  faults: readonly Fault[],
  program: Program,
  file: string,
  split: SplitProgram,
  engine: FaultEngine,
  opts: { timingResolutionPs?: number; signal?: AbortSignal; onExpectedDiffers?: (index: number, d: ResponseDiff) => void; onProgress?: (done: number, total: number) => void } = {},
): Promise<FaultSimResult[]> {
  const out: FaultSimResult[] = [];
  const total = split.segments.length * faults.length;
  for (const [n, seg] of split.segments.entries()) {
    await checkpoint(opts.signal);
    const netW = writtenNetwork(net, split.arraySteps, seg.arrayStepsBefore);
    const pvs = seg.vectorIndices.map((i) => ({ ...(program.vectors[i] as ProgramVector), writes: undefined }));
    const vectors = faultSimVectors({ ...program, vectors: pvs }, file, { timingResolutionPs: opts.timingResolutionPs });
    // The program's expected response should be the written chip's (the engines grade against the simulated good chip).
    if (opts.onExpectedDiffers && !isStochastic(netW)) {
      vectors.forEach((v, k) => {
        const d = compareSpikes(goodResponse(netW, v).observed, pvs[k].expected, { toleranceBandPs: v.toleranceBandPs });
        if (d.differs) opts.onExpectedDiffers!(seg.vectorIndices[k], d);
      });
    }
    const started = performance.now();
    const parts: FaultSimResult[] = [];
    for (let i = 0; i < faults.length; i += SEGMENT_CHUNK_FAULTS) {
      const faultsW = faults.slice(i, i + SEGMENT_CHUNK_FAULTS).map((f) => faultOnWritten(net, f, split.arraySteps, seg.arrayStepsBefore));
      parts.push(engine.run(netW, faultsW, vectors, { drop: true }));
      opts.onProgress?.(n * faults.length + i + faultsW.length, total);
      await checkpoint(opts.signal);
    }
    out.push(joinResults(engine.id, parts, faults, vectors, performance.now() - started));
  }
  return out;
}

export { detectionsByPhase, mergeOutcomes, mergeOutcomesAsync, readCanSee } from "./program-outcomes.ts";
