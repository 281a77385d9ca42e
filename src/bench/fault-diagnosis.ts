/**
 * Diagnosis: which modelled fault best explains a failing device. The observed
 * signature (from the datalog: which vectors failed, with their missing / extra /
 * shifted spikes) is matched against every entry of the program's fault dictionary.
 *
 *   const d = diagnose(dictionary, datalogVectors);
 *   const { diagnosis } = diagnoseVectors(program, "p.json", bench, datalogVectors);  // with the program's cached dictionary
 *   d.groups[0]  // { score: 1, failingVectorsMatched: 2, members: [{ id: "dead-synapse@l0.r1.c0", … }, …] }
 *
 * Score: the Jaccard similarity |A ∩ B| / |A ∪ B| of the two signatures as item sets,
 * where a signature holds one item per failing vector plus one per spike difference
 * (`<vector>/m0@2` …) — so agreeing on which vectors fail counts, and agreeing on how
 * they fail counts too. 1 = the fault predicts exactly what was observed. Faults with
 * identical dictionary signatures cannot be told apart by this program; they form one
 * group, and equivalent faults (collapsed by the fault layer) are one member with
 * their `equivalents`.
 */
import type { DatalogVector } from "../formats/datalog-format.ts";
import type { Program } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { loadOrBuildDictionary } from "../faultsim/dictionary-cache.ts";
import type { DictionaryFault, FaultDictionary } from "../formats/fault-dictionary-format.ts";
import { judgeRepetition } from "./response-comparison.ts";

/** Failing vectors of a device and how they failed (vector id → signature items). */
export type ObservedSignature = Record<string, string[]>;

export interface DiagnosisGroup {
  /** Jaccard similarity with the observed signature, 0..1. */
  score: number;
  /** Observed failing vectors this group predicts to fail. */
  failingVectorsMatched: number;
  /** Vectors this group predicts to fail that passed. */
  unexpectedFailures: number;
  /** Faults with this very signature (not distinguishable by the program). */
  members: DictionaryFault[];
}

export interface Diagnosis {
  failingVectors: string[];
  observed: ObservedSignature;
  /** Best first; at most `limit` groups. */
  groups: DiagnosisGroup[];
  /** Dictionary entries compared. */
  candidates: number;
}

/** The observed signature of a run: per failing vector, the differences of its non-matching repetitions. */
export function observedSignature(vectors: readonly DatalogVector[]): ObservedSignature {
  const sig: ObservedSignature = {};
  for (const v of vectors) addObserved(sig, v);
  return sig;
}

/** Fold one vector record into a signature (a passing one adds nothing): records need not be kept. */
export function addObserved(sig: ObservedSignature, v: DatalogVector): void {
  if (v.verdict !== "fail") return;
  const items = new Set<string>();
  for (const r of v.repetitions) if (!r.match) for (const item of judgeRepetition(v, r).signature) items.add(item);
  sig[v.vectorId] = [...items].sort();
}

function itemSet(sig: Record<string, readonly string[]>): Set<string> {
  const s = new Set<string>();
  for (const [v, items] of Object.entries(sig)) {
    s.add(v);
    for (const i of items) s.add(`${v}/${i}`);
  }
  return s;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

/** Rank the dictionary's faults against an observed failure. */
export function diagnose(dictionary: FaultDictionary, vectors: readonly DatalogVector[] | ObservedSignature, o: { limit?: number } = {}): Diagnosis {
  const observed = Array.isArray(vectors) ? observedSignature(vectors) : (vectors as ObservedSignature);
  const obsItems = itemSet(observed);
  const obsVectors = new Set(Object.keys(observed));
  const groups = new Map<string, DiagnosisGroup>();
  for (const f of dictionary.faults) {
    const key = JSON.stringify(Object.entries(f.failing).sort(([a], [b]) => (a < b ? -1 : 1)).map(([v, items]) => [v, [...items].sort()]));
    const g = groups.get(key);
    if (g) {
      g.members.push(f);
      continue;
    }
    const predicted = Object.keys(f.failing);
    groups.set(key, {
      score: jaccard(obsItems, itemSet(f.failing)),
      failingVectorsMatched: predicted.filter((v) => obsVectors.has(v)).length,
      unexpectedFailures: predicted.filter((v) => !obsVectors.has(v)).length,
      members: [f],
    });
  }
  const ranked = [...groups.values()]
    .filter((g) => g.failingVectorsMatched > 0)
    .sort((a, b) => b.score - a.score || b.failingVectorsMatched - a.failingVectorsMatched || a.unexpectedFailures - b.unexpectedFailures || a.members.length - b.members.length);
  return { failingVectors: [...obsVectors], observed, groups: ranked.slice(0, o.limit ?? 5), candidates: dictionary.faults.length };
}

/** Whether a fault id is a member of a group, directly or as an equivalent. */
export function groupContains(g: DiagnosisGroup, faultId: string): boolean {
  return g.members.some((m) => m.id === faultId || m.equivalents.includes(faultId));
}

/** Diagnose a run's vector records (or their folded signature) against the program's (cached) dictionary, or the one given (built with --jobs). */
export function diagnoseVectors(
  program: Program,
  programFile: string,
  bench: LoadedTestbench,
  vectors: readonly DatalogVector[] | ObservedSignature,
  o: { limit?: number; cacheDir?: string | null; dictionary?: { dictionary: FaultDictionary; cached: boolean; notCached: string | null } } = {},
): { diagnosis: Diagnosis; dictionary: FaultDictionary; cached: boolean; notCached: string | null } {
  const { dictionary, cached, notCached } = o.dictionary ?? loadOrBuildDictionary({ program, programFile, bench, cacheDir: o.cacheDir });
  return { diagnosis: diagnose(dictionary, vectors, { limit: o.limit }), dictionary, cached, notCached };
}
