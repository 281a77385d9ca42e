/**
 * Apply a ternary-array program (Hou et al., ITC 2022; formats/ternary-program-format.ts)
 * to a Target and judge it: `write-all` and `neuron` steps go through the target's
 * `ternary` controls, each `spike-rows` step applies one vector per row — that row
 * alone, an event at the start of each of its windows — and judges every output by the
 * step's window criterion against the good chip's response (the bench's seeded draws).
 *
 * A target without `ternary` controls (a board over PROTOCOL.md v1, SCPI instruments)
 * cannot apply a write of −1/0/+1 or set a threshold/polarity: there is no encoding for
 * either in the protocol, and the program is refused before the target is opened, naming
 * the first such step. A program of spike steps only plays on any target.
 *
 *   const r = await executeTernaryProgram(createSimTarget({ bench }), bench, program);
 *   r.verdict   // "pass"; r.steps[3].rows[0] → { row: 0, verdict: "pass", firstWindows: [12, 7, 30] }
 */
import { InputError, InterruptedError } from "../formats/errors.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { SpikeRowsStep, TernaryProgram } from "../formats/ternary-program-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { judgeSpikeRows } from "../faultsim/ternary-engines.ts";
import type { CriterionVerdict } from "../faultsim/pass-criteria.ts";
import { createSimTarget } from "../targets/sim-target.ts";
import type { Target } from "../targets/target.ts";

/** A ternary step the target cannot apply (no encoding in its protocol). */
export class TernaryStepUnsupportedError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "TernaryStepUnsupportedError";
  }
}

export interface TernaryRowResult {
  row: number;
  verdict: CriterionVerdict;
  signature: string[];
}

export interface TernaryStepResult {
  id: string;
  op: string;
  /** Spike steps: one result per row. */
  rows?: TernaryRowResult[];
}

export interface TernaryRunResult {
  verdict: "pass" | "fail";
  steps: TernaryStepResult[];
  /** Failing vectors: step id and row. */
  failing: { stepId: string; row: number; signature: string[] }[];
  /** Vectors applied. */
  vectors: number;
}

/** Refuse, before opening, a program the target has no encoding for (its `ternary` controls are absent). */
export function checkTernaryProgramForTarget(program: TernaryProgram, target: Target, targetName: string, programFile: string): void {
  if (target.ternary) return;
  const i = program.steps.findIndex((s) => s.op !== "spike-rows");
  if (i < 0) return;
  const s = program.steps[i];
  const what =
    s.op === "write-all"
      ? `a ternary write (W ${s.value}) has no encoding in PROTOCOL.md v1: WRITE carries bits=0/1, one per column, and a differential pair's −1/0/+1 is none of them`
      : "PROTOCOL.md v1 has no verb that sets a neuron's threshold or polarity";
  const writes = program.steps.filter((x) => x.op === "write-all").map((x) => x.id);
  const also = writes.length > 0 && s.op !== "write-all" ? ` (and its ternary writes ${writes.join(", ")} have no encoding either: WRITE carries bits=0/1, one per column)` : "";
  throw new TernaryStepUnsupportedError(`${programFile}: steps[${i}] (${s.id}): ${what}${also}; the ${targetName} target cannot apply it — run the program on --target sim (a program of spike-rows steps only plays on any target)`);
}

/** The events of one vector: `row` alone, at the start of each of `windows` windows. */
function rowEvents(row: number, windows: number, windowPs: number): { input: number; timePs: number }[] {
  return Array.from({ length: windows }, (_, w) => ({ input: row, timePs: w * windowPs }));
}

function toSpikes(spikes: readonly { output: number; timePs: number }[], windowPs: number): Spike[] {
  return spikes.map((s) => ({ output: s.output, window: Math.floor(s.timePs / windowPs), timePs: s.timePs }));
}

/** Every spike step's response of one target, per step index and row (the good chip's, for the expectation). */
async function* responses(target: Target, tb: Testbench, program: TernaryProgram, windowPs: number, signal?: AbortSignal) {
  const rows = tb.layers[0].rows;
  for (const [k, s] of program.steps.entries()) {
    if (signal?.aborted) return;
    if (s.op === "write-all") await target.ternary!.writeAll(s.value);
    else if (s.op === "neuron") await target.ternary!.setNeuron({ thresholdPotential: s.thresholdPotential, polarity: s.polarity });
    else {
      for (let r = 0; r < rows; r++) {
        const res = await target.apply({ events: rowEvents(r, s.windows, windowPs), windows: s.windows });
        yield { k, step: s, row: r, spikes: toSpikes(res.spikes, windowPs) };
      }
    }
  }
}

/** Apply `program` to `target` (opened and closed here) and judge it against the bench's good chip. */
export async function executeTernaryProgram(target: Target, tb: Testbench, program: TernaryProgram, o: { targetName?: string; programFile?: string; signal?: AbortSignal } = {}): Promise<TernaryRunResult> {
  checkTernaryProgramForTarget(program, target, o.targetName ?? "chosen", o.programFile ?? "program");
  const cols = tb.layers[0].cols;
  const outputs = Array.from({ length: cols }, (_, c) => c);
  // the expectation: the good chip of the bench, in this process
  const good = createSimTarget({ bench: tb });
  await good.open();
  const used = await good.setTiming(tb.timing.iwPs, tb.timing.lwPs);
  const windowPs = used.iwPs + used.lwPs;
  const expected = new Map<string, Spike[]>();
  for await (const g of responses(good, tb, program, windowPs)) expected.set(`${g.k}:${g.row}`, g.spikes);
  await good.close();

  await target.open();
  const result: TernaryRunResult = { verdict: "pass", steps: program.steps.map((s) => ({ id: s.id, op: s.op, ...(s.op === "spike-rows" ? { rows: [] } : {}) })), failing: [], vectors: 0 };
  try {
    const t = await target.setTiming(tb.timing.iwPs, tb.timing.lwPs);
    if (t.iwPs + t.lwPs !== windowPs) throw new InputError(`the target's windows are ${t.iwPs} + ${t.lwPs} ps, the bench's ${windowPs} ps: a tick must be one coding window on both`);
    for await (const got of responses(target, tb, program, windowPs, o.signal)) {
      const criterion = { ...got.step.criterion, outputs: (got.step.criterion as { outputs?: number[] }).outputs ?? outputs } as SpikeRowsStep["criterion"];
      const j = judgeSpikeRows(criterion, expected.get(`${got.k}:${got.row}`) ?? [], got.spikes);
      result.steps[got.k].rows!.push({ row: got.row, verdict: j.verdict, signature: j.signature });
      result.vectors++;
      if (j.verdict === "fail") {
        result.verdict = "fail";
        result.failing.push({ stepId: got.step.id, row: got.row, signature: j.signature });
      }
    }
  } finally {
    await target.close();
  }
  if (o.signal?.aborted) throw new InterruptedError(`run interrupted (Ctrl-C) after ${result.vectors} vector(s); no verdict`);
  return result;
}
