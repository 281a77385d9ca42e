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
import { createCampaign, recordVerdict, vectorVerdict, type Campaign, type CampaignOptions, type VerdictRecords } from "./campaign.ts";
import { batchable } from "./column-batch.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { createScratch, evaluateFault, runColumnBatch, type Scratch } from "./fault-evaluation.ts";
import { createPlanTable, PlanKind, planKindNames, resetPlans, setPlan, type PlanTable } from "./fault-plan.ts";
import { liveList, siteOrder } from "./visiting-order.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { responseVerdict } from "./pass-criteria.ts";
import type { CompareVerdict } from "./response-rule.ts";
import { createVectorContextCache, type VectorContextCache } from "./vector-context-cache.ts";
import { createSensitivityPool, createVectorContext, type SensitivityPool, type VectorContext } from "./vector-context.ts";

/** One engine run's state across its vectors (built once by `run`, advanced by gradeVector). */
interface RunState {
  net: CompiledNetwork;
  faults: readonly Fault[];
  vectors: readonly FaultSimVector[];
  goodRun: CampaignOptions["goodRun"];
  t: PlanTable;
  c: Campaign<void>;
  /** The campaign's verdict records (recordVerdict) and 1 when it drops detected faults, else 0. */
  records: VerdictRecords;
  drop: number;
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
  /** The run's good contexts kept for its claimed tail chunks (vector-context-cache.ts), or null: made per vector. */
  contexts: VectorContextCache | null;
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
 * Record slot p's verdict on the current vector; a fault detected (DT) leaves the live list
 * when dropping — branch-free: a path taken only at a detection had no type feedback when the
 * column batch was optimised around it (detections are rare in the first columns), and every
 * detection then threw the batch back to the interpreter, the same optimised code again and
 * again (--trace-deopt: 11–29 deopts per thread at `c.drop` on bnn).
 */
function recordSlot(g: RunState, p: number, verdict: CompareVerdict): void {
  recordVerdict(g.records, g.t.fault![p], g.v, verdict);
  g.dropped[p] |= (verdict === 2 ? 1 : 0) & g.drop;
}

/**
 * Grade slot p on the current vector (`gradeSlot`) or record a verdict known from its windows
 * class (`settleSlot`): module functions over the run's state, so every engine run — a pooled
 * thread's warm-up and then its campaign, generate's many runs — calls the same targets. A
 * closure per vector, and later per run, was a new call target each time, and the optimised
 * column batch and vector loop were thrown away and compiled again (--trace-deopt: "wrong call target").
 */
function gradeSlot(g: RunState, p: number, batchUa = Number.NaN): CompareVerdict {
  const { net, t, observable, monotone, scratch, reps, ctxs } = g;
  const kind = t.kind[p];
  g.paths[kind]++;
  const vec = g.vectors[g.v];
  let verdict: CompareVerdict;
  if (kind === PlanKind.general) {
    // the chip perturbed in place and put back (perturbation.ts): no copy of a layer per fault and vector
    verdict = withPerturbations(net, g.faults[t.fault![p]].perturbations, (faulty) => vectorVerdict(reps, (rep) => responseVerdict(vec, ctxs[rep].observed, goodResponse(faulty, vec, rep, ctxs[rep].layers[0].run.segments).observed)));
  } else if (reps === 1) verdict = evaluateFault(net, ctxs[0], t, p, monotone[t.layer[p]], observable, scratch, batchUa);
  else verdict = vectorVerdict(reps, (rep) => evaluateFault(net, ctxs[rep], t, p, monotone[t.layer[p]], observable, scratch, batchUa));
  recordSlot(g, p, verdict);
  return verdict;
}

/** A fault whose verdict is known from another of its column batch's windows class. */
function settleSlot(g: RunState, p: number, verdict: CompareVerdict): void {
  g.paths[g.t.kind[p]]++;
  recordSlot(g, p, verdict);
}

/** Grade every live fault on vector v, then compact the live list (faults dropped at their first detection leave it). */
function gradeVector(g: RunState, v: number): void {
  const { net, t, live, groupAt, dropped, observable, monotone, scratch } = g;
  const vec = g.vectors[v];
  const reps = repetitionsOf(net, vec);
  const ctxs = g.ctxs; // one array for the thread, refilled (threadContexts)
  ctxs.length = 0;
  for (let rep = 0; rep < reps; rep++) {
    if (g.contexts) {
      ctxs.push(g.contexts.get(net, g.vectors, v, rep, g.goodRun)); // made once for the run's own share and tail chunks (counted by the cache)
      continue;
    }
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
      g.batched += runColumnBatch(net, ctxs[0], t, live, k, end, g, gradeSlot, settleSlot, scratch);
    } else for (let j = k; j < end; j++) gradeSlot(g, live[j]);
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

/**
 * The good contexts of the vector being graded: one array for the thread, refilled in place by
 * each run's gradeVector. A new one per vector changed the type of the state's field once (a
 * map deprecated); a new one per run began as an array of small integers and changed kind at
 * its first context, and the vector loop optimised on the warm-up's array was thrown away at
 * the campaign's first push ("wrong map", then "not a Smi": --trace-deopt-verbose).
 */
const threadContexts: VectorContext[] = [];

/**
 * The smallest run of this thread so far, with and without a claimed tail, kept alive. V8
 * gives the engine's per-run objects (this state, its plan table, campaign, context cache,
 * sensitivity pool, scratch) classes (maps) that live only as long as one of their objects;
 * when the warm-up's runs were collected, those classes went with them, the campaign made
 * new ones, and every function optimised on the old — gradeVector, faultyCurrents, the
 * sensitivities — was thrown away at its start and compiled again in its window ("code
 * dependencies", --trace-deopt; --trace-generalization: a class's field type cleared, then
 * widened). Keeping the smallest runs (the warm-up's: a few MB a thread) keeps the classes;
 * a run of more than KEEP_RUN_MAX_FAULTS is never kept (its tables are the campaign's memory).
 */
const keptRuns: { plain: RunState | null; tail: RunState | null } = { plain: null, tail: null };

/** Runs of at most this many faults are kept (a warm-up's share: ~33 k faults a thread on bnn); a campaign's tables are not. */
const KEEP_RUN_MAX_FAULTS = 200_000;

/** Keep `g` if it is the smallest run of its kind so far and small (see keptRuns). */
function keepRun(g: RunState): void {
  const kind = g.contexts ? "tail" : "plain";
  const kept = keptRuns[kind];
  if (g.faults.length <= KEEP_RUN_MAX_FAULTS && (!kept || g.faults.length <= kept.faults.length)) keptRuns[kind] = g;
}

export const fastEngine = {
  id: "fast",
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts: CampaignOptions = {}): FaultSimResult {
    const start = performance.now();
    const tail = opts.tail;
    // the own share: the whole list, or with a tail the places before its window
    const nOwn = tail ? tail.start : faults.length;
    // From here on a fault is its slot p in visiting order (t.fault[p] is its index in `faults`); UD faults keep an empty slot (PlanKind.none).
    const { order, slotOf } = siteOrder(net, faults, tail ? { from: 0, to: nOwn } : undefined);
    const t: PlanTable = createPlanTable(faults.length, order);
    // Lateral inhibition couples a layer's neurons (sim/inhibition.ts): no per-neuron shortcut is exact there; nor are the
    // current bisections and monotone bounds with spike-frequency adaptation (a stronger drive fires sooner, then adapts more).
    const coupled = net.layers.some((l) => l.inhibition || l.neurons.some((n) => n.adaptation));
    const c = createCampaign(net, faults, vectors, opts, (fx, f, i) => {
      const p = slotOf[i];
      setPlan(t, p, fx);
      // a plan on another column than its site's (effects on several columns) is re-simulated whole, like every fault of a coupled chip
      if (t.kind[p] !== PlanKind.none && (coupled || t.layer[p] !== f.site.layer || t.col[p] !== f.site.col)) t.kind[p] = PlanKind.general;
    }, nOwn); // a tail's chunks are proved and planned when claimed
    // the own share's live list
    const own = liveList(t, 0, nOwn);
    const dropped = new Uint8Array(order.length); // by slot
    const observable = new Uint8Array(net.layers.length);
    for (const l of observableLayers(net)) observable[l] = 1;
    const monotone = net.layers.map((l) => isMonotoneNeuron(l.model));
    const scratch = createScratch();
    const pool = createSensitivityPool();
    // a claimed tail grades its chunks on every vector after the own share: the good contexts are kept for them
    const contexts = tail ? createVectorContextCache(pool) : null;
    const setupMs = performance.now() - start;
    const setupCpu = process.cpuUsage();
    // the vector loop's body is a function of its own, optimised as a function and kept for the thread's later runs (a
    // generate or a phased program runs the engine many times), where the loop inside `run` was compiled on stack (OSR)
    // again in every run: 10 compilations of `run` in one bnn campaign, 5 of gradeVector now (--trace-opt)
    const g: RunState = { net, faults, vectors, goodRun: opts.goodRun, t, c, records: c.records, drop: c.drop ? 1 : 0, live: own.live, groupAt: own.groupAt, nGroups: own.nGroups, nLive: own.nLive, dropped, observable, monotone, scratch, pool, contexts, paths: new Float64Array(planKindNames.length), batched: 0, evaluations: 0, givenGoodRuns: 0, v: 0, reps: 0, ctxs: threadContexts };
    for (let v = 0; v < vectors.length && !c.aborted(); v++) {
      gradeVector(g, v);
      // with a tail, in fault-vector units of the run's list (a pooled thread's share of the campaign's progress)
      if (tail) opts.onProgress?.((v + 1) * nOwn, faults.length * vectors.length);
      else opts.onProgress?.(v + 1, vectors.length);
    }
    // The claimed tail: each chunk this thread claims (another thread may take the next) takes the window's places,
    // proved and planned there, graded on every vector against the kept contexts, and handed over — in this run, by the
    // same closures (a run per chunk compiled the engine's hot loop again each time: session 15, README). One window, not
    // a place per chunk of the whole tail: a thread's tables were sized for its share and every chunk, most of them
    // claimed by the other thread — on bnn with --jobs 2, 2.56 M places per thread for 1.8 M graded, and this VM's first
    // touch of fresh memory costs ~7 µs a page (--jobs 2 campaign: 114 k page faults, 0.77 s of system time)
    const claimed: number[] = [];
    let doneUnits = nOwn * vectors.length;
    for (let j = tail && !c.aborted() ? tail.claim() : -1; j >= 0; j = c.aborted() ? -1 : tail!.claim()) {
      const a = nOwn;
      const b = a + tail!.size(j);
      if (b > faults.length) throw new Error(`tail chunk ${j} of ${b - a} faults overflows the run's window of ${faults.length - a}`);
      c.resetRange(a, b);
      resetPlans(t, a, b);
      dropped.fill(0, a, b);
      siteOrder(net, faults, { from: a, to: b, into: { order, slotOf } });
      c.prepareRange(a, b);
      Object.assign(g, liveList(t, a, b));
      for (let v = 0; v < vectors.length && !c.aborted(); v++) {
        gradeVector(g, v);
        opts.onProgress?.(doneUnits + (v + 1) * (b - a), faults.length * vectors.length);
      }
      tail!.graded(j, c.classifyRange(a, b));
      doneUnits += (b - a) * vectors.length;
      claimed.push(j);
    }
    const { paths, batched, evaluations } = g;
    const givenGoodRuns = g.givenGoodRuns + (contexts ? contexts.given : 0);
    const vectorsMs = performance.now() - start - setupMs;
    const vectorsCpu = process.cpuUsage(setupCpu);
    const pathEvaluations: Record<string, number> = {};
    for (let k = 1; k < planKindNames.length; k++) pathEvaluations[planKindNames[k]] = paths[k];
    pathEvaluations.batched = batched;
    const r = c.result("fast", evaluations, evaluations - paths[PlanKind.general], start, pathEvaluations);
    if (givenGoodRuns > 0) r.givenGoodRuns = givenGoodRuns;
    if (tail) r.claimed = claimed;
    r.phaseMs = { setup: setupMs, vectors: vectorsMs, outcomes: r.elapsedMs - setupMs - vectorsMs, vectorsCpu: (vectorsCpu.user + vectorsCpu.system) / 1000 };
    keepRun(g);
    return r;
  },
} as const satisfies FaultEngine;
