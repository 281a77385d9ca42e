/**
 * `snn-atpg generate <testbench>`: generate a test program (ATPG) — threshold-edge
 * vectors with expected responses, chosen window timing, guard bands and compaction —
 * and optionally export it as STIL and VCD.
 *
 *   snn-atpg generate black-pixel-4x1 -o program.json --stil program.stil --vcd program.vcd
 *   snn-atpg generate mlp-16x8x4 --models dead-synapse,slow-to-integrate --seed 7 -o p.jsonl --json
 *
 * Same inputs and seed → byte-identical program. Progress goes to stderr (one line per
 * phase without a terminal); stdout gets the closing summary (or one JSON object with
 * --json). The generation runs on a worker thread (atpg/generation-job.ts) so Ctrl-C
 * stops it at once (exit 130); outputs are written to temporary files renamed into
 * place, so nothing half-written is left. A run that keeps no vector writes nothing and
 * exits 1 with the count of candidates each gate refused and the faults' reasons.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { Command } from "commander";
import { atpgStrategies, createGenerateInput, DEFAULT_FAIL_BOUND, DEFAULT_MC_CHIPS, DEFAULT_TARGET_COVERAGE_PERCENT, exporters, generateInWorker, GenerationInterruptedError, isStrategyId, writeProgramFile, type AtpgSummary, type ExporterId, type GenerationJob, type GenerationOutput } from "../../atpg/index.ts";
import { DEFAULT_STOCHASTIC_SAMPLES } from "../../atpg/stochastic-expectation.ts";
import { observableOutputCount } from "../../formats/observable-outputs.ts";
import { openFileSink } from "../../formats/program-stream-writer.ts";
import { toolVersionString } from "../../formats/tool-version.ts";
import { loadFaultModels } from "../../faults/fault-model-loader.ts";
import { parseParamAssignments } from "../../faults/index.ts";
import { nanoseconds } from "../../report/format-table.ts";
import { coverageCountsTable } from "../../report/coverage-table.ts";
import { loadBenchArg } from "../bench-file.ts";
import { programSchemaRef } from "../schema-ref.ts";
import { OptionError, parseIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { exitCodes } from "../exit-codes.ts";
import { checkReplaceablePath } from "../output-file.ts";
import { modelIdsOption } from "../universe-options.ts";
import { listedFaults } from "../fault-list-file.ts";
import { loadInstrumentProfile } from "../../formats/instrument-profile-loader.ts";
import { checkScpiCompatibility } from "../../targets/scpi-compatibility.ts";
import { parsePhases, runPhasedGenerate } from "../phased-generate.ts";
import { jobsFlag, jobsOption, type JobsOptions } from "../jobs-option.ts";
import { exportDate } from "../export-date.ts";
import { phaseProgress } from "../phase-progress.ts";
import type { Testbench } from "../../formats/testbench-format.ts";
import { chipKindOf } from "../../sim/chip-kind.ts";
import { ternaryGenerateCli } from "../ternary-chip.ts";
import { isStochastic } from "../../faultsim/good-response.ts";
import { compileNetwork } from "../../sim/compile.ts";

interface GenerateCliOptions extends JobsOptions {
  output: string;
  models?: string;
  param: string[];
  strategy: string;
  targetCoverage: number;
  maxVectors?: number;
  seed: number;
  yieldBound: number;
  mcChips: number;
  neuronBudget: number;
  neuronCandidates?: number;
  searchLimit: number;
  maxWindows: number;
  compaction: boolean;
  stil?: string;
  vcd?: string;
  json?: boolean;
  phases: string;
  march: string;
  faults?: string;
  profile?: string;
  thresholdStep?: number;
  maxThreshold?: number;
  decision: string;
  alpha?: number;
  beta?: number;
  samples: number;
}

const pct = (x: number) => `${x.toFixed(2)} %`;

function printSummary(s: AtpgSummary, files: string[], ctx: CliContext): void {
  ctx.out(`${s.testbench}: ${s.vectors} vector(s), ${s.windows} window(s), total test time ${nanoseconds(s.totalTestTimeNs)} (strategy ${s.strategy}, seed ${s.seed})`);
  if (s.compaction) {
    ctx.out(`compaction: ${s.compaction.before} kept → ${s.compaction.afterReverseOrder} after reverse-order fault simulation → ${s.compaction.afterSetCover} after set cover${s.compaction.setCoverSkipped ? " (set cover skipped: too large)" : ""}`);
  }
  const v = s.guardBand.variability;
  ctx.out(
    `guard band: ≤ ${s.guardBand.failBound} good-chip failure probability per vector (${s.guardBand.monteCarloChips} Monte-Carlo chips + ×${s.guardBand.scaledSigma} σ; ` +
      `σ thickness ${v.thicknessSigma * 100} %, TMR ${v.tmrSigma * 100} %, area ${v.areaSigma * 100} %, neuron ${v.neuronSigma * 100} % — ${s.guardBand.variabilitySource}); ` +
      `yield loss ≤ ${pct(s.guardBand.yieldLossBound * 100)} by the per-vector bound, Monte-Carlo estimate ${pct(s.guardBand.estimatedYieldLoss * 100)}` +
      (s.guardBand.validationRejected > 0 ? `; ${s.guardBand.validationRejected} candidate(s) failed the ${s.guardBand.validationChips}-chip hold-out check and were replaced by the search` : ""),
  );
  if (s.decisions?.kind === "sprt") {
    const d = s.decisions;
    ctx.out(
      `decisions: SPRT per vector, α ${d.alpha} (good chip failed) and β ${d.beta} (faulty chip passed), exact for match probabilities beyond the 97.5 % Wilson bounds of ${d.samples} sampled repetitions` +
        (d.undesigned.length ? `; no SPRT within the cap for ${d.undesigned.join(", ")} (applied once, their good-chip failure probability stated)` : ""),
    );
  }
  ctx.out(`window timing: ${s.timings.map((t) => `IW ${t.iwPs} ps / LW ${t.lwPs} ps × ${t.vectors}`).join(", ") || "none"}`);
  const c = s.coverage;
  ctx.out(`coverage (${c.formulas?.slice(0, 2).join("; ") ?? ""}; counts are uncollapsed faults):`);
  // The summary keeps percentages; the shared table takes fractions (and prints n/a without faults, as coverage does).
  const counts = (k: AtpgSummary["coverage"]["total"]) => ({ ...k, faultCoverage: k.faultCoveragePercent / 100, testCoverage: k.testCoveragePercent / 100 });
  for (const line of coverageCountsTable("model", [...Object.entries(c.byModel).map(([m, k]) => [m, counts(k)] as const), ["total", counts(c.total)]])) ctx.out(`  ${line}`);
  ctx.out(`target test coverage ${s.targetCoveragePercent} %: ${s.targetReached ? "reached" : "not reached"}`);
  const notDt = s.undetected;
  if (notDt.length > 0) {
    ctx.out(`faults not detected (${notDt.length}; UD = proved undetectable, AU = aborted (the search found no vector, or stopped), PD = possibly detected, ND = not detected):`);
    for (const u of notDt.slice(0, 20)) ctx.out(`  ${u.cls}  ${u.faultId}  ${u.reason}`);
    if (notDt.length > 20) ctx.out(`  … and ${notDt.length - 20} more (--json lists them all)`);
  }
  if (files.length > 0) ctx.out(`wrote ${files.join(", ")}`);
}

/** Temporary name beside `file` (same extension, so the program layout is the same); renamed into place when complete. */
function partialName(file: string): string {
  return join(dirname(file), `.${basename(file)}.partial-${process.pid}${extname(file)}`);
}

/**
 * Write every output to a temporary file, then rename them all into place: an error or
 * Ctrl-C on the way leaves no half-written output (and no temporary file) behind.
 */
async function writeAll(outputs: { file: string; write: (tmp: string) => Promise<void> }[], signal: AbortSignal): Promise<void> {
  const written: string[] = [];
  try {
    for (const out of outputs) {
      const tmp = partialName(out.file);
      written.push(tmp);
      await out.write(tmp);
      if (signal.aborted) throw new GenerationInterruptedError("interrupted (Ctrl-C) while writing; no output file was written");
    }
    outputs.forEach((out, i) => renameSync(written[i], out.file));
  } catch (err) {
    for (const tmp of written) rmSync(tmp, { force: true });
    throw err;
  }
}

/** Why no vector was kept: the candidates per gate that refused them, and the faults' reasons grouped. */
function noProgramLines(s: AtpgSummary, output: string): string[] {
  const sum = (k: keyof AtpgSummary["phases"][string]) => Object.values(s.phases).reduce((n, p) => n + (p[k] ?? 0), 0);
  const lines = [
    `generate: no vector was kept, so ${output} was not written (a program with no vectors never fails a chip)` +
      (existsSync(output) ? `; the ${output} already there is from an earlier run and was left unchanged` : ""),
    `candidates offered: ${sum("offered")}`,
    `  rejected by the guard band (good chips would fail them): ${sum("rejectedByGuardBand")}`,
    `  rejected by the ${s.guardBand.validationChips}-chip hold-out population: ${sum("rejectedByHoldOut")}`,
    `  detected no fault still undetected: ${sum("detectedNothing")}`,
    `  repeated an earlier candidate: ${sum("duplicates")}`,
    ...(sum("refusedByTester") > 0 ? [`  refused because the --profile instruments cannot play them: ${sum("refusedByTester")}`] : []),
  ];
  const byReason = new Map<string, number>();
  for (const u of s.undetected) if (u.cls === "AU" || u.cls === "ND") byReason.set(`${u.cls}  ${u.reason}`, (byReason.get(`${u.cls}  ${u.reason}`) ?? 0) + 1);
  const ud = s.undetected.filter((u) => u.cls === "UD").length;
  const faults = [...byReason.values()].reduce((a, b) => a + b, 0);
  lines.push(`faults with no vector: ${faults} (collapsed; ${ud} more proved undetectable), by reason:`);
  for (const [reason, n] of [...byReason].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`  ${String(n).padStart(5)} × ${reason}`);
  lines.push("try more windows (--max-windows), a larger --search-limit, another --seed, or a looser --yield-bound");
  return lines;
}

/** `generate` on a ternary-array bench: the threshold search of atpg/ternary-generator.ts; the crossbar ATPG's options are refused by name. */
function runTernaryGenerate(bench: Testbench, o: GenerateCliOptions, ctx: CliContext): void {
  const used = (["stil", "vcd", "faults", "profile", "maxVectors"] as const).filter((k) => o[k] !== undefined);
  if (o.param.length > 0 || o.phases !== "spike" || used.length > 0) {
    const names = [...used.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`), ...(o.param.length > 0 ? ["--param"] : []), ...(o.phases !== "spike" ? ["--phases"] : [])];
    throw new OptionError(`${names.join(", ")}: not available on a ternary-array bench (${bench.id}); its generator takes --models, --threshold-step, --max-threshold, -o and --json`);
  }
  ternaryGenerateCli(bench, { output: o.output, json: o.json, models: o.models, thresholdStep: o.thresholdStep, maxThreshold: o.maxThreshold }, ctx);
}

export async function runGenerate(benchArg: string, o: GenerateCliOptions, ctx: CliContext): Promise<void> {
  if (!isStrategyId(o.strategy)) throw new OptionError(`--strategy must be one of ${Object.keys(atpgStrategies).join(", ")}; got "${o.strategy}"`);
  if (!(o.targetCoverage > 0 && o.targetCoverage <= 100)) throw new OptionError(`--target-coverage is a percentage in (0, 100]; got ${o.targetCoverage}`);
  if (!(o.yieldBound > 0 && o.yieldBound < 1)) throw new OptionError(`--yield-bound is a probability in (0, 1); got ${o.yieldBound}`);
  if (o.maxVectors !== undefined && o.maxVectors < 1) throw new OptionError("--max-vectors must be at least 1");
  if (o.mcChips < 0) throw new OptionError("--mc-chips must not be negative");
  if (!(o.neuronBudget > 0)) throw new OptionError(`--neuron-budget is a time in seconds (> 0); got ${o.neuronBudget}`);
  if (o.neuronCandidates !== undefined && !(o.neuronCandidates > 0)) throw new OptionError(`--neuron-candidates is a number of candidates (> 0); got ${o.neuronCandidates}`);
  if (o.maxWindows < 1) throw new OptionError("--max-windows must be at least 1");
  if (o.searchLimit < 1) throw new OptionError("--search-limit must be at least 1");
  if (o.decision !== "fixed" && o.decision !== "sprt") throw new OptionError(`--decision must be fixed or sprt; got "${o.decision}"`);
  for (const [flag, p] of [["--alpha", o.alpha], ["--beta", o.beta]] as const) if (p !== undefined && !(p > 0 && p <= 0.5)) throw new OptionError(`${flag} is a probability in (0, 0.5]; got ${p}`);
  if (o.samples < 10) throw new OptionError(`--samples must be at least 10; got ${o.samples}`);
  checkReplaceablePath(o.output, "-o");
  checkReplaceablePath(o.stil, "--stil");
  checkReplaceablePath(o.vcd, "--vcd");
  const loaded = loadBenchArg(benchArg);
  if (chipKindOf(loaded.bench) === "ternary-array") return runTernaryGenerate(loaded.bench, o, ctx);
  if (o.decision === "sprt" && !isStochastic(compileNetwork(loaded.bench))) {
    throw new OptionError(`--decision sprt decides repetitions of a stochastic chip; ${loaded.bench.id} has deterministic neurons (one repetition decides) — leave --decision out, or use a stochastic bench such as seed002-stochastic-784x9`);
  }
  const modelIds = modelIdsOption(o.models);
  const phases = parsePhases(o.phases);
  if (phases.includes("array") || phases.includes("neuron") || phases.includes("functional")) {
    if (o.profile !== undefined) throw new OptionError("--profile constrains spike vectors only; generate the array, neuron or functional phase without it (the run's pre-run check still compares every step with the profile)");
    if (o.faults !== undefined) throw new OptionError("--faults restricts the spike phase's search; a program with an array, neuron or functional phase is generated for the whole universe — leave --faults out or use --phases spike");
    if (o.stil || o.vcd) throw new OptionError("--stil and --vcd export exact-train spike vectors only; a program with an array, neuron or functional phase cannot be exported to them yet");
    return runPhasedGenerate(loaded, { phases, march: o.march.split(",").map((s) => s.trim()).filter(Boolean), models: modelIds, param: o.param, output: o.output, json: o.json, toolVersion: toolVersionString, seed: o.seed, jobs: jobsOption(o), neuron: { failBound: o.yieldBound, chips: o.mcChips, budgetMs: o.neuronBudget * 1000, maxCandidates: o.neuronCandidates } }, ctx);
  }
  loadFaultModels(undefined, modelIds); // an unknown id fails here (exit 2), before the long run
  const params = parseParamAssignments(o.param);
  // a fault list is matched against the universe here, so an unknown id fails (exit 2, with its line) before the long run
  const profile = o.profile !== undefined ? loadInstrumentProfile(o.profile) : undefined; // a bad profile fails here (exit 2)
  const faultIds = o.faults !== undefined ? listedFaults(o.faults, createGenerateInput(loaded, { modelIds, params }).universe.faults).map((f) => f.id) : undefined;
  const version = toolVersionString;
  const job: GenerationJob = {
    benchFile: resolve(loaded.file),
    modelIds,
    params,
    faultIds,
    profileFile: o.profile !== undefined ? resolve(o.profile) : undefined,
    generate: {
      strategy: o.strategy,
      seed: o.seed,
      targetCoveragePercent: o.targetCoverage,
      maxVectors: o.maxVectors,
      failBound: o.yieldBound,
      monteCarloChips: o.mcChips,
      compaction: o.compaction,
      settings: { searchLimit: o.searchLimit, maxWindows: o.maxWindows },
    },
    build: {
      toolVersion: version,
      generator: `snn-atpg generate --strategy ${o.strategy}${o.decision === "sprt" ? " --decision sprt" : ""}${o.models ? ` --models ${o.models}` : ""}${o.faults !== undefined ? ` --faults ${basename(o.faults)}` : ""}${profile ? ` --profile ${profile.profile.id}` : ""}`,
      targetCoveragePercent: o.targetCoverage,
      decision: o.decision as "fixed" | "sprt",
      alpha: o.alpha,
      beta: o.beta,
      stochasticSamples: o.samples,
    },
  };
  // every phase named as it starts (one line each without a terminal; done/total and ETA on one)
  const progress = phaseProgress(ctx, { quiet: o.json, minMs: 0 });
  let phase = "";
  if (!o.json) ctx.err(`generate: ${loaded.bench.id} (strategy ${o.strategy}, seed ${o.seed}${faultIds ? `, only the ${faultIds.length} fault(s) of ${o.faults}` : ""}; Ctrl-C stops it and writes nothing)`);
  let output: GenerationOutput;
  try {
    // on a worker thread: the search is synchronous, and Ctrl-C must stop it within a second
    output = await generateInWorker(job, {
      signal: ctx.signal,
      onProgress: (p, done, total) => {
        if (p !== phase) progress.phase((phase = p), total);
        progress.update(done, total);
      },
    });
  } finally {
    progress.end();
  }
  const { program, summary } = output;
  if (program.vectors.length === 0) {
    if (o.json) ctx.out(JSON.stringify({ ...summary, files: [] }));
    else printSummary(summary, [], ctx);
    for (const line of noProgramLines(summary, o.output)) ctx.err(line);
    ctx.setExit(exitCodes.deviceFailed); // nothing to test a device with: documented in --help
    return;
  }
  // the program as a whole, by the run's own pre-run check: what --profile promised
  if (profile) checkScpiCompatibility(program, o.output, profile, { inputs: loaded.bench.layers[0].rows, outputs: observableOutputCount(loaded.bench) });
  const exportCtx = { inputs: loaded.bench.layers[0].rows, outputs: observableOutputCount(loaded.bench), tickPs: loaded.bench.timing.tickPs, toolVersion: version, date: exportDate() };
  const { vectors, ...header } = program;
  const exports = ([["stil", o.stil], ["vcd", o.vcd]] as [ExporterId, string | undefined][]).filter((e): e is [ExporterId, string] => e[1] !== undefined);
  await writeAll(
    [
      { file: o.output, write: (tmp) => writeProgramFile(tmp, { $schema: programSchemaRef(o.output), ...program }) },
      ...exports.map(([id, file]) => ({
        file,
        write: async (tmp: string) => exporters[id].write(header, vectors, exportCtx, await openFileSink(tmp, `${id.toUpperCase()} export`)),
      })),
    ],
    ctx.signal,
  );
  const files = [`${o.output} (${program.vectors.length} vectors)`, ...exports.map(([, f]) => f)];
  if (o.json) ctx.out(JSON.stringify({ ...summary, files: [o.output, ...exports.map(([, f]) => f)] }));
  else printSummary(summary, files, ctx);
}

export const generateCommand: CommandDefinition = {
  name: "generate",
  register(program: Command, ctx: CliContext) {
    program
      .command("generate")
      .description(
        "Generate test vectors for a testbench: threshold-edge stimuli per neuron and per fault, window timing " +
          "chosen within the bench's IW/LW ranges, Monte-Carlo guard bands against process variation, fault " +
          "dropping with the fast fault engine, then compaction. Same inputs and seed give a byte-identical program.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. black-pixel-4x1)")
      .requiredOption("-o, --output <file>", "program to write (.json, or .jsonl for JSON Lines)")
      .option("--models <ids>", "comma-separated fault-model ids (default: every model in fault-models/)")
      .option("--param <model.param=value>", "fault-model parameter override (repeatable), e.g. resistive-open.resistanceOhms=16k", (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option("--strategy <id>", `generation strategy: ${Object.keys(atpgStrategies).join(", ")}`, "targeted")
      .option("--target-coverage <percent>", "stop once the test coverage reaches this", parseNumberOption("--target-coverage"), DEFAULT_TARGET_COVERAGE_PERCENT)
      .option("--max-vectors <n>", "keep at most this many vectors before compaction", parseIntOption("--max-vectors"))
      .option("--seed <n>", "seed of every random choice (Monte-Carlo chips, random phases, search order)", parseSeedOption("--seed"), 1)
      .option("--yield-bound <p>", "largest good-chip failure probability a vector may have", parseNumberOption("--yield-bound"), DEFAULT_FAIL_BOUND)
      .option("--mc-chips <n>", "Monte-Carlo good chips per guard-band population", parseIntOption("--mc-chips"), DEFAULT_MC_CHIPS)
      .option("--search-limit <n>", "search budget per fault, in candidate evaluations (then AU)", parseIntOption("--search-limit"), 300)
      .option("--max-windows <n>", "longest vector, in coding windows", parseIntOption("--max-windows", "windows"), 8)
      .option("--faults <file>", "generate only for the faults of this fault list (one id per line, # comments; as `coverage --faults-out` writes it), e.g. the ones an earlier program missed")
      .option("--profile <instrument-profile>", "only vectors this SCPI instrument profile can play (pulse widths and periods in its ranges, one burst per row and vector); the program is checked against it before it is written")
      .option("--no-compaction", "keep every vector that detected something new")
      .option("--stil <file>", "also write the program as STIL (IEEE 1450)")
      .option("--vcd <file>", "also write the program as VCD waveforms")
      .option("--phases <list>", "test phases, in program order: spike (vectors on the mission weights), neuron (test weights that put every neuron at its threshold edge and route hidden neurons to an output; guard-banded), array (march tests over WRITE/READ, then the mission weights restored and READ-verified — always added after neuron), functional (a few inputs judged by a count band or class decision fitted to Monte-Carlo good chips)", "spike")
      .option("--neuron-budget <s>", "neuron phase: stop looking for more test-weight vectors after this many seconds (the program then depends on the machine's speed and --jobs)", parseNumberOption("--neuron-budget"), 120)
      .option("--neuron-candidates <n>", "neuron phase: decide exactly this many test-weight candidates (fewer when they run out), whatever the time: the same program on every machine and for every --jobs; --neuron-budget then does not cut", parseIntOption("--neuron-candidates"))
      .option("--march <ids>", "march tests of the array phase (ids in march-tests/ or files), comma-separated", "march-c-minus-retention")
      .option("--threshold-step <potential>", "ternary-array benches: the tester's threshold resolution, in potential units (default 1)", parseNumberOption("--threshold-step"))
      .option("--max-threshold <potential>", "ternary-array benches: the largest |V_th − V_R| tried (default 1000)", parseNumberOption("--max-threshold"))
      .option("--decision <rule>", "stochastic benches: how each vector's repetitions are decided — fixed (n repetitions, at least k matches) or sprt (Wald's sequential test, exact α/β; docs/seed002-stochastic.md)", "fixed")
      .option("--alpha <p>", "stochastic benches: bound on failing a good chip per vector (default 0.001)", parseNumberOption("--alpha"))
      .option("--beta <p>", "stochastic benches: bound on passing a faulty chip per vector (default 0.001)", parseNumberOption("--beta"))
      .option("--samples <n>", "stochastic benches: repetitions sampled per chip to estimate match probabilities", parseIntOption("--samples"), DEFAULT_STOCHASTIC_SAMPLES)
      .option("--json", "print the summary as one JSON object")
      .addOption(jobsFlag())
      .addHelpText(
        "after",
        "\nExit codes: 0 program written (the summary says whether the target coverage was reached), 1 no vector\n" +
          "could be kept (nothing written; stderr counts what each gate refused), 2 bad input, 130 interrupted (nothing written).\n" +
          "\nExamples:\n  snn-atpg generate black-pixel-4x1 -o program.json --stil program.stil --vcd program.vcd\n  snn-atpg generate mlp-16x8x4 --models dead-synapse --seed 7 -o p.jsonl --json\n  snn-atpg generate black-pixel-4x1 --profile instruments/keysight-81160a-53230a.json -o bp-scpi.json\n  snn-atpg generate black-pixel-4x1 --faults missed.faults -o extra.json   # the faults coverage --faults-out listed\n  snn-atpg generate bnn-784x1024x10 --phases array -o bnn-array.jsonl    # march C− with retention + restore\n  snn-atpg generate mlp-16x8x4 --phases neuron,array -o mlp-phased.jsonl   # test weights, then the march\n  snn-atpg generate hou-itc22-n8 -o hou-gen.json   # a ternary-array bench: threshold search, length against Hou's 90·N",
      )
      .action((tb: string, o: GenerateCliOptions) => runGenerate(tb, o, ctx));
  },
};
