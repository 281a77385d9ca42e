/**
 * `snn-atpg generate --phases …`: a production test program in phases — spike vectors
 * on the mission weights (the spike ATPG), the neuron phase (test weights), the array
 * phase (march tests over WRITE/READ, restore and READ-verify), then the functional
 * phase (a few inputs with a count band or class decision from Monte-Carlo good chips)
 * — written and graded as one.
 *
 *   snn-atpg generate bnn-784x1024x10 --phases array -o bnn.jsonl
 *   snn-atpg generate mlp-16x8x4 --phases spike,array --march march-c-minus-retention -o p.json
 *   snn-atpg generate mlp-16x8x4 --phases array,functional -o p.json
 */
import { buildProgram, createGenerateInput, generateProgram } from "../atpg/index.ts";
import { buildPhasedProgram } from "../atpg/phased-program.ts";
import { neuronPhaseInWorker, type NeuronPhaseJob } from "../atpg/neuron-phase-job.ts";
import type { NeuronPhase } from "../atpg/neuron-phase.ts";
import { DEFAULT_FAIL_BOUND } from "../atpg/guard-band.ts";
import type { FunctionalPhase } from "../atpg/functional-phase.ts";
import { loadMarchTest } from "../atpg/march/march-grammar.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { enumerateFaultsAsync } from "../faults/fault-universe.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { InterruptedError } from "../formats/errors.ts";
import { GenerationInterruptedError } from "../atpg/generation-job.ts";
import { phaseProgress } from "./phase-progress.ts";
import { parseParamAssignments } from "../faults/index.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { writeProgramFile } from "../atpg/program-builder.ts";
import { programSchemaRef } from "./schema-ref.ts";
import { coverageCountsTable } from "../report/coverage-table.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import { compileNetwork } from "../sim/compile.ts";

export const testPhaseIds = ["spike", "neuron", "array", "functional"] as const;
export type PhaseId = (typeof testPhaseIds)[number];

/** Parse `--phases spike,array`. */
export function parsePhases(v: string): PhaseId[] {
  const list = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const p of list) if (!(testPhaseIds as readonly string[]).includes(p)) throw new OptionError(`--phases takes a comma-separated list of ${testPhaseIds.join(", ")}; got "${p}"`);
  if (list.length === 0) throw new OptionError(`--phases needs at least one of ${testPhaseIds.join(", ")}`);
  return list as PhaseId[];
}

export interface PhasedGenerateOptions {
  phases: PhaseId[];
  march: string[];
  models?: string[];
  param: string[];
  output: string;
  json?: boolean;
  toolVersion: string;
  /** Seed of the functional phase's candidates and Monte-Carlo chips (default 1). */
  seed?: number;
  /** Pool threads grading the neuron phase's candidates and the READ fault simulation; the program does not depend on it (unless --neuron-budget cuts the search; with --neuron-candidates it does not). */
  jobs?: number;
  /** Neuron phase: largest good-chip failure probability per vector, Monte-Carlo chips, time budget (ms) or candidate count (then the budget does not cut). */
  neuron?: { failBound?: number; chips?: number; budgetMs?: number; maxCandidates?: number };
  /** Runs the spike ATPG (the caller's options) and returns its program. */
  spikeAtpg?: (input: ReturnType<typeof createGenerateInput>["input"]) => ReturnType<typeof buildProgram>["program"];
}

/**
 * The neuron-phase job started ahead of the universe walk: its progress lines are held
 * until `walkDone` (the walk owns the progress line meanwhile); a failure is kept for
 * whoever awaits `phase` (none if the walk fails first: no unhandled rejection).
 */
export function startNeuronPhase(job: NeuronPhaseJob, signal: AbortSignal, say: (line: string) => void): { phase: Promise<NeuronPhase>; walkDone(): void } {
  let held: string[] | null = ["neuron phase: started beside the fault universe walk (--jobs ≥ 2)"];
  const phase = neuronPhaseInWorker(job, { signal, onProgress: (line) => (held ? held.push(line) : say(line)) });
  phase.catch(() => {});
  return {
    phase,
    walkDone() {
      for (const line of held ?? []) say(line);
      held = null;
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const sigma = (z: number) => (Number.isFinite(z) ? `${z.toFixed(2)} σ` : "∞ (the known state)");

export async function runPhasedGenerate(loaded: LoadedTestbench, o: PhasedGenerateOptions, ctx: CliContext): Promise<void> {
  try {
    await phasedGenerate(loaded, o, ctx);
  } catch (err) {
    // Ctrl-C in any phase: the program is written last, so nothing was
    if (err instanceof InterruptedError && !(err instanceof GenerationInterruptedError)) throw new GenerationInterruptedError();
    throw err;
  }
}

async function phasedGenerate(loaded: LoadedTestbench, o: PhasedGenerateOptions, ctx: CliContext): Promise<void> {
  const t0 = performance.now();
  // every phase named as it starts (one line each without a terminal); done/total and ETA where the work is counted
  const progress = phaseProgress(ctx, { quiet: o.json, minMs: 0 });
  const say = (s: string) => progress.phase(s);
  const params = parseParamAssignments(o.param);
  for (const id of o.march) loadMarchTest(id); // an unknown or malformed march test fails here (exit 2), before the long work
  let spike = null;
  if (o.phases.includes("spike")) {
    say("spike phase: ATPG on the mission weights");
    const gen = createGenerateInput(loaded, { modelIds: o.models, params });
    spike = (o.spikeAtpg ?? ((input) => buildProgram(input, generateProgram(input, { signal: ctx.signal }), { toolVersion: o.toolVersion, targetCoveragePercent: 100 }).program))(gen.input);
  }
  if (ctx.signal.aborted) throw new GenerationInterruptedError(); // exit 130, not a quiet 0
  const net = compileNetwork(loaded.bench);
  const models = loadFaultModels(undefined, o.models, { arrayTests: true });
  const worker = { benchFile: loaded.file, modelIds: o.models, params, jobs: o.jobs };
  // With --jobs ≥ 2 the neuron phase (its own job thread and pool: it enumerates only the neuron
  // faults) starts now, beside the universe walk in this thread (7.5 s of serial work on bnn):
  // its progress lines wait until the walk is done. With --jobs 1, one thing at a time.
  // (the same settings buildPhasedProgram gives the job it starts itself: the same program for every --jobs)
  const stopEarly = new AbortController();
  const early = o.phases.includes("neuron") && (o.jobs ?? 1) >= 2 ? startNeuronPhase({ ...worker, settings: { ...o.neuron } }, AbortSignal.any([ctx.signal, stopEarly.signal]), say) : null;
  let column = 0;
  progress.phase("fault universe with the memory-test models", net.layers.reduce((n, l) => n + l.cols, 0), "columns");
  // seconds on bnn: Ctrl-C is looked at after every column
  const universe = await enumerateFaultsAsync(net, loaded.bench, models, { collapse: true, params }, () => (progress.update(++column), checkpoint(ctx.signal))).catch((err: unknown) => {
    stopEarly.abort(); // the job's thread must not outlive a failed walk
    throw err;
  });
  early?.walkDone();
  const arrayPhase = o.phases.includes("array") || o.phases.includes("neuron"); // the neuron phase's test weights are always restored
  const p = await buildPhasedProgram({ loaded, net, faults: universe.faults, analysis: universe.analysis, spike, marchIds: o.march, arrayPhase, neuron: o.phases.includes("neuron") ? { ...o.neuron, worker, ...(early ? { started: early.phase } : {}) } : false, functional: o.phases.includes("functional") ? { seed: o.seed ?? 1 } : undefined, signal: ctx.signal, jobs: o.jobs, onPhase: say, onProgress: (done, total) => progress.update(done, total) });
  progress.end();
  p.program.metadata = { ...p.program.metadata, toolVersion: o.toolVersion, generator: `snn-atpg generate --phases ${o.phases.join(",")}${arrayPhase ? ` --march ${o.march.join(",")}` : ""}${o.phases.includes("functional") ? ` --seed ${o.seed ?? 1}` : ""}`, models: models.map((m) => m.id) };
  await writeProgramFile(o.output, { $schema: programSchemaRef(o.output), ...p.program });
  const c = p.coverage;
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: loaded.bench.id, file: o.output, steps: p.program.vectors.length, stepsByPhase: p.stepsByPhase, detectedByPhase: p.byPhase, coverage: { total: c.total, collapsed: c.collapsed, byModel: c.byModel }, readScheme: p.array.readScheme, readYieldLoss: p.array.readYieldLoss, neuronPhase: p.neuron && { vectors: p.neuron.kept, targeted: p.neuron.targeted, detectedNominal: p.neuron.detected, candidatesTried: p.neuron.tried, rejectedByGuardBand: p.neuron.rejectedByGuardBand }, functional: p.functional && functionalSummary(p.functional), estimatedYieldLoss: p.program.metadata.estimatedYieldLoss, readMarginSigma: p.array.marginSigma, elapsedMs: Math.round(performance.now() - t0) }));
    return;
  }
  const march = p.array.marchTests.length ? ` (march: ${p.array.marchTests.map((t) => `${t.id} ${t.notation}`).join("; ")})` : "";
  ctx.out(`${loaded.bench.id}: ${p.program.vectors.length.toLocaleString("en-US")} step(s) — ${Object.entries(p.stepsByPhase).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}${march}`);
  ctx.out(`coverage (FC = (DT + c·PD)/all, TC = (DT + c·PD)/(all − UD); uncollapsed faults):`);
  for (const line of coverageCountsTable("model", [...Object.entries(c.byModel), ["total", c.total]])) ctx.out(`  ${line}`);
  ctx.out(`detected, by the phase of the first detecting step: ${Object.entries(p.byPhase).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}`);
  if (p.functional) {
    const f = functionalSummary(p.functional);
    ctx.out(
      `functional phase: ${f.kept} of ${f.candidates} candidate(s) kept (${f.kind}, ${f.rule}; ${f.tried} tried on ${f.chips} Monte-Carlo good chips; rejected: ${f.rejected["no-class"]} without a class, ${f.rejected["class-disagrees"]} where the chips disagree on it, ${f.rejected["thin-margin"]} with too thin a margin); ` +
        `estimated good-chip failure ${pct(f.estimatedYieldLoss)} on ${f.holdoutChips} hold-out chips`,
    );
  }
  if (p.array.steps.length) ctx.out(
    `READ (${p.array.readScheme}) under the bench's variation: smallest margin ${sigma(p.array.marginSigma.p)} (P cells) / ${sigma(p.array.marginSigma.ap)} (AP cells); ` +
      `estimated good-chip READ failure ${p.array.readYieldLoss < 1e-4 ? `${p.array.readYieldLoss.toExponential(1)} (fraction)` : pct(p.array.readYieldLoss)}`,
  );
  const readBound = o.neuron?.failBound ?? DEFAULT_FAIL_BOUND;
  if (p.array.steps.length && p.array.readScheme !== "self-reference" && p.array.readYieldLoss > readBound) {
    ctx.out(
      `warning: the READs would fail ${pct(p.array.readYieldLoss)} of good chips (above the per-step bound ${readBound}, --yield-bound); a self-referenced READ cancels each cell's own spread: ` +
        `give the testbench's device "readScheme": { "kind": "self-reference", "knownBit": 1 } (docs/array-phase.md)`,
    );
  }
  if (p.neuron) {
    const fam = new Map<string, number>();
    for (const k of p.neuron.kept) fam.set(k.family, (fam.get(k.family) ?? 0) + 1);
    ctx.out(
      `neuron phase: ${p.neuron.kept.length} test-weight vector(s) (${[...fam].map(([f, n]) => `${f} ${n}`).join(", ") || "none"}); ${p.neuron.detected} of ${p.neuron.targeted} neuron faults detected on the nominal chip; ` +
        `${p.neuron.rejectedByGuardBand} of ${p.neuron.tried} candidates rejected because Monte-Carlo good chips would fail them`,
    );
  }
  ctx.out(`wrote ${o.output} (${(performance.now() - t0) / 1000 < 1 ? "<1" : ((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

/** What the functional phase did, for the terminal and --json. */
function functionalSummary(f: FunctionalPhase) {
  return { kept: f.steps.length, candidates: f.candidates, tried: f.tried, kind: f.kind, rule: f.rule, chips: f.chips, holdoutChips: f.holdoutChips, rejected: f.rejected, estimatedYieldLoss: f.estimatedYieldLoss };
}
