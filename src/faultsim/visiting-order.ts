/**
 * The order in which a fast-engine run visits its faults (fast-engine.ts): slot p of the run is
 * fault order[p], layer by layer and column by column, so each column's plans are read front to
 * back; and the live list — the slots still to grade — cut into column groups, one per column
 * (a column batch, its sensitivities released when the group is done), general faults last.
 *
 *   const { order, slotOf } = siteOrder(net, faults);
 *   const { live, groupAt, nGroups, nLive } = liveList(planTable, 0, order.length);
 */
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { PlanKind, type PlanTable } from "./fault-plan.ts";
import { sharedSiteColumns } from "./shared-universe.ts";

/**
 * The visiting order, from the faults' sites: slot p holds fault order[p], layer by layer and
 * column by column (stable), and slotOf[i] is fault i's slot — known before any plan, so
 * each plan is written straight into its slot (no second table to reorder into). With `range`,
 * faults [from, to) only, into slots [from, to) of its `into` tables (a claimed chunk in the
 * window at the end of a pooled thread's list, fast-engine.ts); new tables give each place
 * outside the range its own slot.
 */
export function siteOrder(net: CompiledNetwork, faults: readonly Fault[], range?: { from: number; to: number; into?: { order: Int32Array; slotOf: Int32Array } }): { order: Int32Array; slotOf: Int32Array } {
  const base: number[] = [];
  let keys = 0;
  for (const l of net.layers) {
    base.push(keys);
    keys += l.cols;
  }
  const from = range?.from ?? 0;
  const to = range?.to ?? faults.length;
  const start = new Int32Array(keys + 1);
  const n = faults.length;
  const into = range?.into;
  const slotOf = into?.slotOf ?? new Int32Array(n);
  const order = into?.order ?? new Int32Array(n);
  if (!into) {
    for (let p = 0; p < from; p++) (order[p] = p), (slotOf[p] = p);
    for (let p = to; p < n; p++) (order[p] = p), (slotOf[p] = p);
  }
  // a pool thread's faults: their columns from the shared table, no fault object built for this
  const shared = sharedSiteColumns(faults);
  for (let i = from; i < to; i++) {
    if (shared) slotOf[i] = base[shared.layer(i)] + shared.col(i);
    else {
      const s = faults[i].site;
      slotOf[i] = base[s.layer] + s.col; // its key, for now
    }
    start[slotOf[i] + 1]++;
  }
  start[0] = from;
  for (let k = 1; k <= keys; k++) start[k] += start[k - 1];
  for (let i = from; i < to; i++) {
    const p = start[slotOf[i]]++;
    order[p] = i;
    slotOf[i] = p;
  }
  return { order, slotOf };
}

/**
 * The live list of slots [from, to) (ascending; general faults last) cut into column groups: group k is
 * live[groupAt[k]..groupAt[k + 1]); general faults are one group, last. Slots with no plan (UD, or not
 * prepared: an unclaimed tail chunk) are left out.
 */
export function liveList(t: PlanTable, from: number, to: number): { live: Int32Array; groupAt: Int32Array; nGroups: number; nLive: number } {
  let nGeneral = 0;
  let nSimulated = 0;
  for (let p = from; p < to; p++) {
    if (t.kind[p] !== PlanKind.none) nSimulated++;
    if (t.kind[p] === PlanKind.general) nGeneral++;
  }
  const live = new Int32Array(nSimulated);
  const groupAt = new Int32Array(nSimulated + 1);
  let nGroups = 0;
  let w = 0;
  for (let p = from; p < to; p++) {
    const k = t.kind[p];
    if (k === PlanKind.none || k === PlanKind.general) continue;
    if (w === 0 || t.layer[p] !== t.layer[live[w - 1]] || t.col[p] !== t.col[live[w - 1]]) groupAt[nGroups++] = w;
    live[w++] = p;
  }
  if (nGeneral > 0) {
    groupAt[nGroups++] = w;
    for (let p = from; p < to; p++) if (t.kind[p] === PlanKind.general) live[w++] = p;
  }
  groupAt[nGroups] = w;
  return { live, groupAt, nGroups, nLive: w };
}
