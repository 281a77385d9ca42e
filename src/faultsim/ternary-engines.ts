/**
 * Fault simulation of a ternary-array program (Hou et al., ITC 2022), by two engines
 * that differ only in how they compute a faulty response; both judge it through the
 * criterion registry (pass-criteria.ts) against the good chip's.
 *
 *   reference  simulates the whole faulty chip, every row and column of every spike
 *              step, as Hou's simulator does, and stops at the first failing vector.
 *   fast       replays only the cells the fault affects (draws are a function of
 *              (seed, write, row, column), so every other cell is the good chip's), and
 *              simulates only the (row, column) pairs holding them; every other row
 *              answers as the good chip did.
 *
 * Classes: DT — some vector (a step's row) fails; PD — none fails, but a judged
 * first-spike window moved (a chip further out in the band could fail); ND — neither.
 * A good chip that fails a vector is reported (`goodChipFails`): the program is then
 * not a test of this band, and every fault would read DT.
 *
 *   const r = ternaryEngines.fast.run(bench, program, faults);
 *   r.outcomes[0]   // { id: "sif-bc-w1@l0.r0.c0", cls: "DT", stepId: "S5-41", row: 0, signature: ["f0@42"] }
 */
import type { Spike } from "../formats/spike-format.ts";
import type { SpikeRowsStep, TernaryProgram } from "../formats/ternary-program-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { TernaryFault } from "../faults/ternary-faults.ts";
import { expandWeights } from "../sim/compile.ts";
import { createTernaryArray, defaultNeuronSetting, drawDv, firingTicks, spikeRowColumn, tickParams, writeAll, type TernaryArray, type TernaryNeuronSetting, type TernaryValue } from "../sim/ternary-array.ts";
import { passCriteria, type CriterionVerdict } from "./pass-criteria.ts";

export type TernaryClass = "DT" | "PD" | "ND";

/** One fault's outcome. */
export interface TernaryOutcome {
  readonly id: string;
  readonly cls: TernaryClass;
  /** The first failing vector (DT only): its step and row. */
  readonly stepId?: string;
  readonly row?: number;
  readonly signature?: readonly string[];
}

/** A failing vector of the good chip. */
export interface GoodChipFail {
  stepId: string;
  row: number;
  signature: string[];
}

/** The frozen record of one campaign. */
export interface TernaryCampaignResult {
  readonly engine: TernaryEngineId;
  readonly outcomes: readonly TernaryOutcome[];
  readonly goodChipFails: readonly GoodChipFail[];
  /** Neuron ticks simulated for the faults (the fast path simulates far fewer: proof it ran). */
  readonly faultTicks: number;
}

export interface TernaryEngine {
  readonly id: TernaryEngineId;
  run(tb: Testbench, program: TernaryProgram, faults: readonly TernaryFault[]): TernaryCampaignResult;
}

/** A spike step with what judging it needs. */
interface SpikePlan {
  step: SpikeRowsStep;
  neuron: TernaryNeuronSetting;
  /** Write number of the next write after this step (the writes before it are 1 … writesBefore − 1). */
  writesBefore: number;
  criterion: SpikeRowsStep["criterion"];
}

type Op = { kind: "write"; value: TernaryValue; write: number } | { kind: "spike"; plan: SpikePlan };

/** The program as writes (numbered) and spike steps (with the neuron setting in force, the judged outputs filled in). */
function planProgram(tb: Testbench, p: TernaryProgram, cols: number): Op[] {
  let neuron = defaultNeuronSetting(tb);
  let write = 1;
  const ops: Op[] = [];
  const outputs = Array.from({ length: cols }, (_, c) => c);
  for (const s of p.steps) {
    if (s.op === "write-all") ops.push({ kind: "write", value: s.value, write: write++ });
    else if (s.op === "neuron") neuron = { thresholdPotential: s.thresholdPotential, polarity: s.polarity };
    else ops.push({ kind: "spike", plan: { step: s, neuron, writesBefore: write, criterion: { ...s.criterion, outputs: (s.criterion as { outputs?: number[] }).outputs ?? outputs } as SpikeRowsStep["criterion"] } });
  }
  return ops;
}

function spikesOf(col: number, ticks: readonly number[], tickPs: number): Spike[] {
  return ticks.map((t) => ({ output: col, window: t, timePs: t * tickPs }));
}

/** Judge one row's response to a spike step by its window criterion (the run on a target judges the same way). */
export function judgeSpikeRows(criterion: SpikeRowsStep["criterion"], expected: readonly Spike[], observed: readonly Spike[]): { verdict: CriterionVerdict; signature: string[] } {
  const j = passCriteria[criterion.kind].judge({ spikes: expected, criterion, toleranceBandPs: 0 }, { spikes: observed });
  return { verdict: j.verdict, signature: j.signature };
}

function judge(plan: SpikePlan, expected: readonly Spike[], observed: readonly Spike[]): { verdict: CriterionVerdict; signature: string[] } {
  return judgeSpikeRows(plan.criterion, expected, observed);
}

/** The good chip's spikes per spike op (by op index) and row, and its failing vectors. */
interface GoodRun {
  spikes: Map<number, Spike[][]>;
  fails: GoodChipFail[];
  /** Op index → rows the good chip fails there. */
  failRows: Map<number, Set<number>>;
}

function rowSpikes(chip: TernaryArray, row: number, plan: SpikePlan, tickPs: number): { spikes: Spike[]; ticks: number } {
  const out: Spike[] = [];
  for (let c = 0; c < chip.cols; c++) out.push(...spikesOf(c, spikeRowColumn(chip, row, c, plan.step.windows, plan.neuron), tickPs));
  return { spikes: out, ticks: chip.cols * plan.step.windows };
}

function goodRun(tb: Testbench, ops: readonly Op[], tickPs: number): GoodRun {
  const chip = createTernaryArray(tb);
  const run: GoodRun = { spikes: new Map(), fails: [], failRows: new Map() };
  ops.forEach((op, k) => {
    if (op.kind === "write") return writeAll(chip, op.value);
    tickParams(chip.spec, op.plan.neuron); // a threshold on the wrong side of V_R is an error before any fault runs
    const rows: Spike[][] = [];
    for (let r = 0; r < chip.rows; r++) {
      const s = rowSpikes(chip, r, op.plan, tickPs).spikes;
      rows.push(s);
      const j = judge(op.plan, s, s);
      if (j.verdict === "fail") {
        run.fails.push({ stepId: op.plan.step.id, row: r, signature: j.signature });
        if (!run.failRows.has(k)) run.failRows.set(k, new Set());
        run.failRows.get(k)!.add(r);
      }
    }
    run.spikes.set(k, rows);
  });
  return run;
}

function tickPsOf(tb: Testbench): number {
  return tb.timing.iwPs + tb.timing.lwPs;
}

/** Grade every fault with `gradeOne`, sharing the plan and the good run. */
function campaign(engine: TernaryEngineId, tb: Testbench, p: TernaryProgram, faults: readonly TernaryFault[], gradeOne: (f: TernaryFault, ops: readonly Op[], good: GoodRun, tickPs: number, ticks: { n: number }, mission: Float64Array) => TernaryOutcome): TernaryCampaignResult {
  const probe = createTernaryArray(tb);
  const ops = planProgram(tb, p, probe.cols);
  const tickPs = tickPsOf(tb);
  const good = goodRun(tb, ops, tickPs);
  const ticks = { n: 0 };
  const mission = expandWeights(tb.layers[0]);
  const outcomes = faults.map((f) => Object.freeze(gradeOne(f, ops, good, tickPs, ticks, mission)));
  return Object.freeze({ engine, outcomes: Object.freeze(outcomes), goodChipFails: Object.freeze(good.fails), faultTicks: ticks.n });
}

function gradeReference(f: TernaryFault, ops: readonly Op[], good: GoodRun, tickPs: number, ticks: { n: number }, tb: Testbench): TernaryOutcome {
  const chip = createTernaryArray(tb, f.rule);
  let moved = false;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (op.kind === "write") {
      writeAll(chip, op.value);
      continue;
    }
    const expected = good.spikes.get(k)!;
    for (let r = 0; r < chip.rows; r++) {
      const got = rowSpikes(chip, r, op.plan, tickPs);
      ticks.n += got.ticks;
      const j = judge(op.plan, expected[r], got.spikes);
      if (j.verdict === "fail") return { id: f.id, cls: "DT", stepId: op.plan.step.id, row: r, signature: j.signature };
      if (j.verdict === "possibly") moved = true;
    }
  }
  return { id: f.id, cls: moved ? "PD" : "ND" };
}

function gradeFast(f: TernaryFault, ops: readonly Op[], good: GoodRun, tickPs: number, ticks: { n: number }, mission: Float64Array, tb: Testbench): TernaryOutcome {
  const probe = tb.layers[0];
  const cols = probe.cols;
  const spec = tb.ternaryArray!;
  const rowsHit = [...new Set(f.cells.map((i) => Math.floor(i / cols)))].sort((a, b) => a - b);
  // The affected cells' dV, replayed through the writes (mission weights are write 0).
  const dv = new Map<number, number>();
  for (const i of f.cells) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const w = mission[c * probe.rows + r] as TernaryValue;
    dv.set(i, f.rule(r, c, w, drawDv(spec, 0, r, c, w)));
  }
  let moved = false;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (op.kind === "write") {
      for (const i of f.cells) {
        const r = Math.floor(i / cols);
        const c = i % cols;
        dv.set(i, f.rule(r, c, op.value, drawDv(spec, op.write, r, c, op.value)));
      }
      continue;
    }
    const expected = good.spikes.get(k)!;
    const goodFails = good.failRows.get(k);
    const rows = goodFails ? [...new Set([...rowsHit, ...goodFails])].sort((a, b) => a - b) : rowsHit;
    const { params, sign } = tickParams(spec, op.plan.neuron);
    for (const r of rows) {
      const hitCols = f.cells.filter((i) => Math.floor(i / cols) === r).map((i) => i % cols);
      let observed: Spike[] = expected[r];
      if (hitCols.length > 0) {
        observed = expected[r].filter((s) => !hitCols.includes(s.output));
        for (const c of hitCols) observed.push(...spikesOf(c, firingTicks(dv.get(r * cols + c)!, op.plan.step.windows, params, sign), tickPs));
        ticks.n += hitCols.length * op.plan.step.windows;
      }
      const j = judge(op.plan, expected[r], observed);
      if (j.verdict === "fail") return { id: f.id, cls: "DT", stepId: op.plan.step.id, row: r, signature: j.signature };
      if (j.verdict === "possibly") moved = true;
    }
  }
  return { id: f.id, cls: moved ? "PD" : "ND" };
}

export const ternaryEngines = {
  reference: { id: "reference", run: (tb, p, faults) => campaign("reference", tb, p, faults, (f, ops, g, t, n) => gradeReference(f, ops, g, t, n, tb)) },
  fast: { id: "fast", run: (tb, p, faults) => campaign("fast", tb, p, faults, (f, ops, g, t, n, w) => gradeFast(f, ops, g, t, n, w, tb)) },
} as const satisfies Record<string, TernaryEngine>;

export type TernaryEngineId = "reference" | "fast";
