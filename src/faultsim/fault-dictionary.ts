/**
 * The fault dictionary of a test program: for every (collapsed) fault of the bench's
 * universe, which vectors it makes fail and how — the missing, extra and shifted
 * spikes per vector. Built by a no-drop run of the fast fault engine (which vectors
 * detect each fault), then one simulation per detecting (fault, vector) pair for the
 * spike detail; cached on disk keyed by program, bench and fault-model hashes.
 *
 *   const dict = buildDictionary({ program, programFile, bench });
 *   dict.faults[0]  // { id: "dead-neuron@l0.n0", modelId, siteId, classSize: 1, equivalents: [],
 *                   //   failing: { p1111: ["m0@2"], "p1111-w6": ["m0@2", "m0@5"] } }
 *
 * Signature items are the pass criterion's (src/faultsim/pass-criteria.ts):
 * `m<output>@<window>` missing, `x<output>@<window>` extra, `s<output>@<window>`
 * shifted beyond the tolerance band. Stochastic benches are described by repetition 0.
 * The on-disk cache (read, written, built when missing) is dictionary-cache.ts.
 */
import { requireSpikeVectors } from "../formats/program-loader.ts";
import { canonicalHash } from "../formats/canonical-hash.ts";
import { faultDictionaryVersion, type DictionaryFault, type FaultDictionary } from "../formats/fault-dictionary-format.ts";
import { InputError } from "../formats/errors.ts";
import type { Program } from "../formats/program-format.ts";
import { programHash } from "../formats/program-hash.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { toolInfo } from "../formats/tool-version.ts";
import { enumerateFaults, loadFaultModels, type LoadedFaultModel } from "../faults/index.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import type { Fault } from "../faults/fault.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import { withPerturbations } from "../sim/perturbation.ts";
import { faultEngines } from "./engine-registry.ts";
import { faultOnWritten, splitProgram, writtenNetwork } from "./program-campaign.ts";
import { isSpikeVector } from "../formats/program-format.ts";
import { goodResponse, isStochastic } from "./good-response.ts";
import { judgeResponse, verdictCode } from "./pass-criteria.ts";
import { faultSimVectors } from "./program-vectors.ts";

export type { DictionaryFault, FaultDictionary } from "../formats/fault-dictionary-format.ts";

export interface DictionaryOptions {
  program: Program;
  programFile: string;
  bench: LoadedTestbench;
  /** Fault models (default: the shipped fault-models/). */
  models?: readonly LoadedFaultModel[];
  /** Where cached dictionaries live; null = do not cache. */
  cacheDir?: string | null;
}

/** The models a program is diagnosed against: every shipped model, the memory-test ones too when the program writes or reads. */
export function defaultDictionaryModels(program: Program): LoadedFaultModel[] {
  return loadFaultModels(undefined, undefined, { arrayTests: program.vectors.some((v) => v.kind === "write" || v.kind === "read") });
}

/** Cache key: tool version, program, bench and the fault models' content. */
export function dictionaryKey(program: Program, bench: LoadedTestbench, models: readonly LoadedFaultModel[]): string {
  return canonicalHash({ v: faultDictionaryVersion, tool: toolInfo.version, program: programHash(program), bench: bench.sha256, models: models.map((m) => canonicalHash(m.model)) });
}

/** The fault simulator and the pass criterion disagree about a (fault, vector) pair. */
export class DictionaryDisagreementError extends InputError {
  constructor(programFile: string, vectorId: string, faultId: string, engine: string, criterion: string) {
    super(
      `${programFile}: vector ${vectorId}, fault ${faultId}: the fault simulator says ${engine} but the pass criterion, judging against the program's expected spikes, says ${criterion}; ` +
        "the program's expected response is not the simulated good chip's (snn-atpg coverage warns which vector): regenerate the program with snn-atpg generate",
    );
  }
}

const engineSays = { 0: "pass (no difference)", 1: "possibly detected", 2: "detected" } as const;

/** What building a dictionary needs, per thread: the universe, the vectors and the groups they are graded in. */
export interface DictionaryPlan {
  o: DictionaryOptions;
  models: readonly LoadedFaultModel[];
  universe: ReturnType<typeof enumerateFaults>;
  groups: { indices: number[]; net: CompiledNetwork; faults: Fault[] }[];
  vectors: FaultSimVector[];
  spikeVectors: ReturnType<typeof requireSpikeVectors>;
  spikeOrdinal: Map<number, number>;
  deterministic: boolean;
}

/** The faults a dictionary describes: the collapsed universe of its models (what a merge of dictionary parts needs). */
export function dictionaryUniverse(o: DictionaryOptions): Pick<DictionaryPlan, "o" | "models" | "universe"> & { net: CompiledNetwork } {
  const models = o.models ?? defaultDictionaryModels(o.program);
  const net = compileNetwork(o.bench.bench);
  return { o, models, net, universe: enumerateFaults(net, o.bench.bench, models, { collapse: true }) };
}

/** Enumerate the universe and place the program's vectors (the mission weights, then each written segment). */
export function dictionaryPlan(o: DictionaryOptions): DictionaryPlan {
  const { models, net, universe } = dictionaryUniverse(o);
  // the spike vectors of the program (its WRITE/READ/pause steps are placed by splitProgram below)
  const spikeOnly = { ...o.program, vectors: o.program.vectors.filter(isSpikeVector) };
  const vectors = faultSimVectors(spikeOnly, o.programFile, { timingResolutionPs: o.bench.bench.timing.tickPs });
  const spikeVectors = requireSpikeVectors(spikeOnly, o.programFile, "diagnosis");
  // Spike vectors on the mission weights, then each run of them on test weights (after a WRITE),
  // each graded on the network as written there (program-campaign.ts) — the fault acts as it would on the bench.
  const split = splitProgram(o.program, o.programFile);
  const spikeOrdinal = new Map<number, number>();
  o.program.vectors.forEach((v, i) => isSpikeVector(v) && spikeOrdinal.set(i, spikeOrdinal.size));
  const groups = [
    { indices: split.spikeIndices, net, faults: universe.faults },
    ...split.segments.map((seg) => ({
      indices: seg.vectorIndices,
      net: writtenNetwork(net, split.arraySteps, seg.arrayStepsBefore),
      faults: universe.faults.map((f) => faultOnWritten(net, f, split.arraySteps, seg.arrayStepsBefore)),
    })),
  ].filter((g) => g.indices.length > 0);
  return { o, models, universe, groups, vectors, spikeVectors, spikeOrdinal, deterministic: !isStochastic(net) };
}

/**
 * The failing vectors and signatures of faults [start, end) of the universe. The fast
 * engine's no-drop run says which vectors may make each fault fail; the pass criterion
 * alone decides which do and how (its signature). With `only` (universe indices, a shard's
 * faults), [start, end) indexes that list instead of the universe. On a deterministic bench the two must
 * agree vector by vector, else DictionaryDisagreementError; a stochastic bench is
 * described by repetition 0. Each fault is graded on its own, so slices join into the whole.
 */
export function dictionaryFailing(p: DictionaryPlan, start: number, end: number, only?: readonly number[]): Record<string, string[]>[] {
  const failingOf = Array.from({ length: end - start }, () => ({}) as Record<string, string[]>);
  for (const g of p.groups) {
    const ks = g.indices.map((i) => p.spikeOrdinal.get(i)!);
    const faults = only ? only.slice(start, end).map((i) => g.faults[i]) : g.faults.slice(start, end);
    const result = faultEngines.fast.run(g.net, faults, ks.map((k) => p.vectors[k]), { drop: false });
    const byId = new Map(ks.map((k) => [p.vectors[k].id, { v: p.vectors[k], pv: p.spikeVectors[k] }]));
    result.outcomes.forEach((out, fi) => {
      const detecting = out.detectingVectors ?? [];
      if (detecting.length === 0) return;
      const detected = new Set(out.detectedVectors ?? []);
      // the faulty chip in place and put back (no copy of a layer per fault: perturbation.ts)
      withPerturbations(g.net, faults[fi].perturbations, (faulty) => {
        for (const id of detecting) {
          const { v, pv } = byId.get(id)!;
          const j = judgeResponse({ spikes: pv.expected, toleranceBandPs: v.toleranceBandPs, timingResolutionPs: v.timingResolutionPs, criterion: v.criterion }, { spikes: goodResponse(faulty, v, 0).observed });
          const engine = detected.has(id) ? 2 : 1;
          if (p.deterministic && verdictCode(j) !== engine) throw new DictionaryDisagreementError(p.o.programFile, id, faults[fi].id, engineSays[engine], j.verdict);
          if (j.verdict === "fail") failingOf[fi][id] = j.signature;
        }
      });
    });
  }
  return failingOf;
}

/** The dictionary from every fault's failing vectors (universe order). */
export function assembleDictionary(p: Pick<DictionaryPlan, "o" | "models" | "universe">, failingOf: readonly Record<string, string[]>[], buildMs: number): FaultDictionary {
  const { o, models, universe } = p;
  const faults: DictionaryFault[] = [];
  let undetected = 0;
  universe.faults.forEach((f, fi) => {
    const failing = failingOf[fi];
    if (Object.keys(failing).length === 0) {
      undetected++;
      return;
    }
    faults.push({ id: f.id, modelId: f.modelId, siteId: f.siteId, classSize: f.classSize, equivalents: f.equivalents ?? [], failing });
  });
  return {
    schemaVersion: faultDictionaryVersion,
    key: dictionaryKey(o.program, o.bench, models),
    program: { file: o.programFile, sha256: programHash(o.program) },
    testbench: { id: o.bench.bench.id, sha256: o.bench.sha256 },
    models: models.map((m) => m.id),
    universe: { collapsed: universe.counts.total.collapsed, uncollapsed: universe.counts.total.uncollapsed, undetected },
    faults,
    buildMs,
  };
}

/** Build the dictionary (no cache), in this thread; dictionary-run.ts builds it on the pool. */
export function buildDictionary(o: DictionaryOptions): FaultDictionary {
  const t0 = Date.now();
  const p = dictionaryPlan(o);
  return assembleDictionary(p, dictionaryFailing(p, 0, p.universe.faults.length), Date.now() - t0);
}
