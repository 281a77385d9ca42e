/**
 * Diagnosis of a program with phases: the READ fail bitmap (array-diagnosis.ts) and the
 * failing spike vectors — on the mission weights and on test weights — (fault-diagnosis.ts)
 * are two views of one device, and a fault's combined score is the mean of its two:
 *   READ view    its bitmap score when READs failed; when none did, 1 if the fault passes
 *                every READ of the program (a neuron fault, say) and 0 if it would fail one
 *                (`failsReads`: an open that a spike vector also sees is ruled out this way);
 *   spike view   its dictionary score when spike vectors failed; when none did, 1.
 * A stuck cell that also breaks a neuron-phase vector must explain both.
 *
 *   const ranked = combineDiagnoses(arrayDiagnosis, spikeDiagnosis);
 *   ranked[0]   // { faultId: "dead-neuron@l0.n3", equivalents: [], score: 1, arrayScore: null, spikeScore: 1 }
 */
import type { ArrayDiagnosis } from "./array-diagnosis.ts";
import type { Diagnosis } from "./fault-diagnosis.ts";

export interface CombinedCandidate {
  faultId: string;
  equivalents: string[];
  score: number;
  /** Score in the READ view (null: no READ failed). */
  arrayScore: number | null;
  /** Score in the spike-vector view (null: no spike vector failed). */
  spikeScore: number | null;
}

/** Rank the faults that explain both views, best first (ties: the array view's order, then the spike view's). */
export function combineDiagnoses(array: ArrayDiagnosis, spike: Diagnosis | null, failsReads: ReadonlySet<string> = new Set(), limit = 10): CombinedCandidate[] {
  const readsFailed = array.failingReads.length > 0;
  const spikesFailed = (spike?.failingVectors.length ?? 0) > 0;
  const byId = new Map<string, { equivalents: string[]; a: number; s: number; order: number }>();
  const entry = (id: string, equivalents: string[]) => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { equivalents, a: 0, s: 0, order: byId.size }));
    return e;
  };
  for (const c of array.candidates) entry(c.faultId, c.equivalents).a = Math.max(entry(c.faultId, c.equivalents).a, c.score);
  for (const g of spike?.groups ?? []) for (const m of g.members) entry(m.id, m.equivalents).s = Math.max(entry(m.id, m.equivalents).s, g.score);
  const out: CombinedCandidate[] = [...byId].map(([faultId, e]) => {
    const a = readsFailed ? e.a : failsReads.has(faultId) ? 0 : 1;
    const s = spikesFailed ? e.s : 1;
    return { faultId, equivalents: e.equivalents, arrayScore: readsFailed ? e.a : null, spikeScore: spikesFailed ? e.s : null, score: (a + s) / 2 };
  });
  const order = new Map([...byId].map(([id, e]) => [id, e.order]));
  return out.sort((x, y) => y.score - x.score || order.get(x.faultId)! - order.get(y.faultId)!).slice(0, limit);
}
