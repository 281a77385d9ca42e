/**
 * The fast fault engine: reuse the good simulation, re-evaluate only what a fault
 * can change. Vectors are the outer loop (the good run, column sensitivities and
 * downstream verdicts are built once per vector), remaining faults the inner one:
 *
 *   cell fault     row never driven in this vector → no change (O(1)); else the faulty
 *                  column current of each driven segment is exact from the good column's
 *                  sensitivity (outputWithCellChange, O(1); differential when the bench
 *                  has a reference column, vector-context.ts); comparison-principle skips
 *                  for monotone neurons (neuron-bounds.ts);
 *   segment fault  (a resistive open in the column line) no driven row at or above it →
 *                  no change; else exact from the good column's forward/backward Norton
 *                  quantities (outputWithSegmentChange, O(1); derivation in crossbar.ts);
 *   neuron fault   its currents are the good ones, or (input resistance changed)
 *                  outputWithInputChange, O(1);
 *   column batch   the cell and segment faults of one hidden column with one driven-row
 *                  set: O(log n) neuron runs decide which of them can change anything,
 *                  and group those that do by their spike windows — one evaluation per
 *                  windows class answers all its faults (column-batch.ts);
 *   column fault   (several elements of one column) re-solve that one column, minus the
 *                  unchanged reference current;
 *   then           re-run that one neuron (runNeuron, same random stream as the good
 *                  run); identical spike train → no change; a vector judged by a count
 *                  band or class decision (pass-criteria.ts) then builds the faulty
 *                  observable response (the cone below re-simulated, cached per neuron
 *                  and windows) and judges it — the per-train shortcut is exact-train's; a hidden neuron whose spike
 *                  windows did not change cannot change the next layer; otherwise update
 *                  the next layer incrementally (cone-update.ts) or re-simulate the cone,
 *                  cached per (neuron, windows);
 *   general fault  (several columns, or any fault of a bench with lateral inhibition, whose
 *                  neurons are coupled) a full faulty re-simulation, not counted as fast path.
 *
 * Classification is shared with the reference engine (campaign.ts); the agreement test
 * checks both give the same class and first vector on random benches.
 *
 * The engine is this file (the vector loop); one fault's evaluation is fault-evaluation.ts,
 * its currents fault-currents.ts, the verdict of a changed train changed-train-verdict.ts.
 *
 * The inner loop allocates nothing per fault: plans live in a struct-of-arrays table
 * (fault-plan.ts) laid out in the order the faults are visited, column by column, so each
 * column's plans are read front to back; the live list and its column groups are
 * compacted in place, group by group, as each column is done, batch currents go to reused buffers
 * (and a batch's changed faults reuse the current it computed), and each column's
 * sensitivities are released when its faults are done, their typed arrays reused from a
 * pool for the next column and vector (vector-context.ts).
 * The result counts evaluations per path (`pathEvaluations`), so a test can assert which
 * path answered each fault class.
 *
 *   const r = fastEngine.run(net, faults, vectors);  r.pathEvaluations.segment > 0
 */
import type { Fault } from "../faults/fault.ts";
import { isMonotoneNeuron } from "../faults/neuron-bounds.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableLayers } from "../sim/network.ts";
import { withPerturbations } from "../sim/perturbation.ts";
import { createCampaign, vectorVerdict, type Campaign, type CampaignOptions } from "./campaign.ts";
import { batchable } from "./column-batch.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { createScratch, evaluateFault, runColumnBatch, type Scratch } from "./fault-evaluation.ts";
import { sharedSiteColumns } from "./shared-universe.ts";
import { createPlanTable, PlanKind, planKindNames, setPlan, type PlanTable } from "./fault-plan.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { responseVerdict } from "./pass-criteria.ts";
import type { CompareVerdict } from "./response-rule.ts";
import { createSensitivityPool, createVectorContext, type SensitivityPool, type VectorContext } from "./vector-context.ts";

/**
 * The visiting order, from the faults' sites: slot p holds fault order[p], layer by layer and
 * column by column (stable), and slotOf[i] is fault i's slot — known before any plan, so
 * each plan is written straight into its slot (no second table to reorder into).
 */
function siteOrder(net: CompiledNetwork, faults: readonly Fault[]): { order: Int32Array; slotOf: Int32Array } {
  const base: number[] = [];
  let keys = 0;
  for (const l of net.layers) {
    base.push(keys);
    keys += l.cols;
  }
  const n = faults.length;
  const start = new Int32Array(keys + 1);
  const slotOf = new Int32Array(n);
  // a pool thread's faults: their columns from the shared table, no fault object built for this
  const shared = sharedSiteColumns(faults);
  for (let i = 0; i < n; i++) {
    if (shared) slotOf[i] = base[shared.layer(i)] + shared.col(i);
    else {
      const s = faults[i].site;
      slotOf[i] = base[s.layer] + s.col; // its key, for now
    }
    start[slotOf[i] + 1]++;
  }
  for (let k = 1; k <= keys; k++) start[k] += start[k - 1];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = start[slotOf[i]]++;
    order[p] = i;
    slotOf[i] = p;
  }
  return { order, slotOf };
}

/** One engine run's state across its vectors (built once by `run`, advanced by gradeVector). */
interface RunState {
  net: CompiledNetwork;
  faults: readonly Fault[];
  vectors: readonly FaultSimVector[];
  goodRun: CampaignOptions["goodRun"];
  t: PlanTable;
  c: Campaign<void>;
  /** Live slots, cut into column groups: group k is live[groupAt[k]..groupAt[k + 1]) (general faults one group, last). */
  live: Int32Array;
  groupAt: Int32Array;
  nGroups: number;
  nLive: number;
  dropped: Uint8Array;
  observable: Uint8Array;
  monotone: boolean[];
  scratch: Scratch;
  pool: SensitivityPool;
  paths: Float64Array;
  batched: number;
  evaluations: number;
  givenGoodRuns: number;
  /** The vector being graded: its index, repetitions and good contexts (set by gradeVector, read by the run's closures; `ctxs` refilled in place). */
  v: number;
  reps: number;
  ctxs: VectorContext[];
}

/**
 * Grade slot p on the current vector (`single`) or record a verdict known from its windows
 * class (`settle`): closures made once per engine run, reading the vector from the state —
 * made per vector, every vector brought new call targets, and the optimised column batch
 * and vector loop were thrown away and compiled again on the second (--trace-deopt:
 * "wrong call target").
 */
function runClosures(g: RunState) {
  const { net, faults, t, c, dropped, observable, monotone, scratch, paths } = g;
  const fault = t.fault!;
  const record = (p: number, verdict: CompareVerdict) => {
    c.record(fault[p], g.v, verdict);
    if (verdict === 2 && c.drop) dropped[p] = 1;
  };
  const single = (p: number, batchUa = Number.NaN): CompareVerdict => {
    const kind = t.kind[p];
    paths[kind]++;
    const { reps, ctxs } = g;
    const vec = g.vectors[g.v];
    let verdict: CompareVerdict;
    if (kind === PlanKind.general) {
      // the chip perturbed in place and put back (perturbation.ts): no copy of a layer per fault and vector
      verdict = withPerturbations(net, faults[fault[p]].perturbations, (faulty) => vectorVerdict(reps, (rep) => responseVerdict(vec, ctxs[rep].observed, goodResponse(faulty, vec, rep, ctxs[rep].layers[0].run.segments).observed)));
    } else if (reps === 1) verdict = evaluateFault(net, ctxs[0], t, p, monotone[t.layer[p]], observable, scratch, batchUa);
    else verdict = vectorVerdict(reps, (rep) => evaluateFault(net, ctxs[rep], t, p, monotone[t.layer[p]], observable, scratch, batchUa));
    record(p, verdict);
    return verdict;
  };
  // A fault whose verdict is known from another of its column batch's windows class.
  const settle = (p: number, verdict: CompareVerdict) => {
    paths[t.kind[p]]++;
    record(p, verdict);
  };
  return { single, settle };
}

/** Grade every live fault on vector v, then compact the live list (faults dropped at their first detection leave it). */
function gradeVector(g: RunState, v: number, single: (p: number, batchUa?: number) => CompareVerdict, settle: (p: number, verdict: CompareVerdict) => void): void {
  const { net, t, live, groupAt, dropped, observable, monotone, scratch } = g;
  const vec = g.vectors[v];
  const reps = repetitionsOf(net, vec);
  const ctxs = g.ctxs; // one array for the run, refilled (a new one per vector changed the type of g's field once: a map deprecated)
  ctxs.length = 0;
  for (let rep = 0; rep < reps; rep++) {
    const given = g.goodRun?.(v, rep);
    if (given) g.givenGoodRuns++;
    ctxs.push(createVectorContext(net, vec, rep, g.pool, given));
  }
  g.v = v;
  g.reps = reps;
  g.evaluations += g.nLive;
  let w = 0; // live[0..w) is the compacted list so far
  let kept = 0; // groups kept so far (groupAt[0..kept] rewritten, kept ≤ gi + 1; groupAt[gi + 1] is read before it can be)
  const nGroups = g.nGroups;
  // Every store of the compaction is in the loop, none after it: the loop is compiled on stack (OSR) during the first
  // vector, before any code after it had run, and that code, reached without type feedback, deoptimised the on-stack
  // code at the end of every later vector too (--trace-deopt: 64 deopts per thread, "insufficient type feedback").
  let end = groupAt[0];
  for (let gi = 0; gi < nGroups; gi++) {
    const k = end;
    end = groupAt[gi + 1];
    const p0 = live[k];
    const li = t.layer[p0];
    const col = t.col[p0];
    const general = t.kind[p0] === PlanKind.general;
    // Column batch: the cell and segment faults of one column of a hidden, monotone layer with one driven-row set.
    if (!general && reps === 1 && monotone[li] && !observable[li] && batchable(ctxs[0], li)) {
      g.batched += runColumnBatch(net, ctxs[0], t, live, k, end, single, settle, scratch);
    } else for (let j = k; j < end; j++) single(live[j]);
    // Its sensitivities are not needed again in this vector: their buffers go back to the pool.
    if (!general) for (const ctx of ctxs) ctx.releaseColumn(li, col);
    // Compact the group in place while it is in cache (dropped faults leave it; order is kept).
    const from = w;
    for (let j = k; j < end; j++) if (dropped[live[j]] === 0) live[w++] = live[j];
    if (w > from) groupAt[kept++] = from;
    groupAt[kept] = w; // the list's end so far (no group after it is read from here on: kept ≤ gi + 1)
    g.nGroups = kept;
    g.nLive = w;
  }
}

export const fastEngine = {
  id: "fast",
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts: CampaignOptions = {}): FaultSimResult {
    const start = performance.now();
    // From here on a fault is its slot p in visiting order (t.fault[p] is its index in `faults`); UD faults keep an empty slot (PlanKind.none).
    const { order, slotOf } = siteOrder(net, faults);
    const t: PlanTable = createPlanTable(faults.length, order);
    // Lateral inhibition couples a layer's neurons (sim/inhibition.ts): no per-neuron shortcut is exact there; nor are the
    // current bisections and monotone bounds with spike-frequency adaptation (a stronger drive fires sooner, then adapts more).
    const coupled = net.layers.some((l) => l.inhibition || l.neurons.some((n) => n.adaptation));
    const c = createCampaign(net, faults, vectors, opts, (fx, f, i) => {
      const p = slotOf[i];
      setPlan(t, p, fx);
      // a plan on another column than its site's (effects on several columns) is re-simulated whole, like every fault of a coupled chip
      if (t.kind[p] !== PlanKind.none && (coupled || t.layer[p] !== f.site.layer || t.col[p] !== f.site.col)) t.kind[p] = PlanKind.general;
    });
    const fault = order;
    // The live list (slots, ascending; general faults last) cut into column groups: group g is live[groupAt[g]..groupAt[g + 1]); general faults are one group, last.
    let nGeneral = 0;
    let nSimulated = 0;
    for (let p = 0; p < order.length; p++) {
      if (t.kind[p] !== PlanKind.none) nSimulated++;
      if (t.kind[p] === PlanKind.general) nGeneral++;
    }
    const live = new Int32Array(nSimulated);
    const groupAt = new Int32Array(nSimulated + 1);
    let nGroups = 0;
    let w = 0;
    for (let p = 0; p < order.length; p++) {
      const k = t.kind[p];
      if (k === PlanKind.none || k === PlanKind.general) continue;
      if (w === 0 || t.layer[p] !== t.layer[live[w - 1]] || t.col[p] !== t.col[live[w - 1]]) groupAt[nGroups++] = w;
      live[w++] = p;
    }
    if (nGeneral > 0) {
      groupAt[nGroups++] = w;
      for (let p = 0; p < order.length; p++) if (t.kind[p] === PlanKind.general) live[w++] = p;
    }
    groupAt[nGroups] = w;
    const nLive = w;
    const dropped = new Uint8Array(order.length); // by slot
    const observable = new Uint8Array(net.layers.length);
    for (const l of observableLayers(net)) observable[l] = 1;
    const monotone = net.layers.map((l) => isMonotoneNeuron(l.model));
    const scratch = createScratch();
    const pool = createSensitivityPool();
    const setupMs = performance.now() - start;
    const setupCpu = process.cpuUsage();
    // the vector loop's body is a function of its own, optimised as a function and kept for the thread's later runs (a
    // generate or a phased program runs the engine many times), where the loop inside `run` was compiled on stack (OSR)
    // again in every run: 10 compilations of `run` in one bnn campaign, 5 of gradeVector now (--trace-opt)
    const g: RunState = { net, faults, vectors, goodRun: opts.goodRun, t, c, live, groupAt, nGroups, nLive, dropped, observable, monotone, scratch, pool, paths: new Float64Array(planKindNames.length), batched: 0, evaluations: 0, givenGoodRuns: 0, v: 0, reps: 0, ctxs: [] };
    const { single, settle } = runClosures(g);
    for (let v = 0; v < vectors.length && !c.aborted(); v++) {
      gradeVector(g, v, single, settle);
      opts.onProgress?.(v + 1, vectors.length);
    }
    const { paths, batched, evaluations, givenGoodRuns } = g;
    const vectorsMs = performance.now() - start - setupMs;
    const vectorsCpu = process.cpuUsage(setupCpu);
    const pathEvaluations: Record<string, number> = {};
    for (let k = 1; k < planKindNames.length; k++) pathEvaluations[planKindNames[k]] = paths[k];
    pathEvaluations.batched = batched;
    const r = c.result("fast", evaluations, evaluations - paths[PlanKind.general], start, pathEvaluations);
    if (givenGoodRuns > 0) r.givenGoodRuns = givenGoodRuns;
    r.phaseMs = { setup: setupMs, vectors: vectorsMs, outcomes: r.elapsedMs - setupMs - vectorsMs, vectorsCpu: (vectorsCpu.user + vectorsCpu.system) / 1000 };
    return r;
  },
} as const satisfies FaultEngine;
