/**
 * `snn-atpg generate <testbench>`: generate a test program (ATPG) — threshold-edge
 * vectors with expected responses, chosen window timing, guard bands and compaction —
 * and optionally export it as STIL and VCD.
 *
 *   snn-atpg generate black-pixel-4x1 -o program.json --stil program.stil --vcd program.vcd
 *   snn-atpg generate mlp-16x8x4 --models dead-synapse,slow-to-integrate --seed 7 -o p.jsonl --json
 *
 * Same inputs and seed → byte-identical program. Progress goes to stderr; stdout gets
 * the closing summary (or one JSON object with --json).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { atpgStrategies, buildProgram, DEFAULT_FAIL_BOUND, DEFAULT_MC_CHIPS, DEFAULT_TARGET_COVERAGE_PERCENT, createGenerateInput, exporters, generateProgram, isStrategyId, writeProgramFile, type AtpgSummary, type ExporterId } from "../../atpg/index.ts";
import { observableOutputCount } from "../../formats/observable-outputs.ts";
import { openFileSink } from "../../formats/program-stream-writer.ts";
import { parseParamAssignments } from "../../faults/index.ts";
import { nanoseconds } from "../../report/format-table.ts";
import { loadBenchArg, packageRoot } from "../bench-file.ts";
import { OptionError, parseIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { checkOutputPath } from "../output-file.ts";
import { modelIdsOption } from "./faults-command.ts";

interface GenerateCliOptions {
  output: string;
  models?: string;
  param: string[];
  strategy: string;
  targetCoverage: number;
  maxVectors?: number;
  seed: number;
  yieldBound: number;
  mcChips: number;
  searchLimit: number;
  maxWindows: number;
  compaction: boolean;
  stil?: string;
  vcd?: string;
  json?: boolean;
}

/** Version of the installed tool (package.json). */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

/** When exported files say they were written: SOURCE_DATE_EPOCH (the reproducible-builds convention) or now. */
export function exportDate(env: NodeJS.ProcessEnv = process.env): Date {
  const e = env.SOURCE_DATE_EPOCH;
  if (e === undefined || e === "") return new Date();
  if (!/^\d+$/.test(e)) throw new OptionError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (e.g. 1700000000), got "${e}"`);
  return new Date(Number(e) * 1000);
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
      (s.guardBand.validationRejected > 0 ? `; ${s.guardBand.validationRejected} vector(s) dropped by the ${s.guardBand.validationChips}-chip hold-out check` : ""),
  );
  ctx.out(`window timing: ${s.timings.map((t) => `IW ${t.iwPs} ps / LW ${t.lwPs} ps × ${t.vectors}`).join(", ") || "none"}`);
  const c = s.coverage;
  ctx.out(`coverage (${c.formulas?.slice(0, 2).join("; ") ?? ""}; counts are uncollapsed faults):`);
  const head = `  ${"model".padEnd(20)} ${["all", "DT", "PD", "ND", "AU", "UD"].map((h) => h.padStart(6)).join("")} ${"TC".padStart(9)} ${"FC".padStart(9)}`;
  ctx.out(head);
  const row = (name: string, k: AtpgSummary["coverage"]["total"]) => {
    // undefined without faults (TC: without testable ones), like the coverage report's n/a
    const cov = (x: number, of: number) => (of === 0 ? "n/a" : pct(x)).padStart(9);
    ctx.out(`  ${name.padEnd(20)} ${[k.all, k.DT, k.PD, k.ND, k.AU, k.UD].map((n) => String(n).padStart(6)).join("")} ${cov(k.testCoveragePercent, k.all - k.UD)} ${cov(k.faultCoveragePercent, k.all)}`);
  };
  for (const [m, k] of Object.entries(c.byModel)) row(m, k);
  row("total", c.total);
  ctx.out(`target test coverage ${s.targetCoveragePercent} %: ${s.targetReached ? "reached" : "not reached"}`);
  const notDt = s.undetected;
  if (notDt.length > 0) {
    ctx.out(`faults not detected (${notDt.length}; UD = proved undetectable, AU = aborted by a search limit, PD = possibly detected, ND = not detected):`);
    for (const u of notDt.slice(0, 20)) ctx.out(`  ${u.cls}  ${u.faultId}  ${u.reason}`);
    if (notDt.length > 20) ctx.out(`  … and ${notDt.length - 20} more (--json lists them all)`);
  }
  ctx.out(`wrote ${files.join(", ")}`);
}

export async function runGenerate(benchArg: string, o: GenerateCliOptions, ctx: CliContext): Promise<void> {
  if (!isStrategyId(o.strategy)) throw new OptionError(`--strategy must be one of ${Object.keys(atpgStrategies).join(", ")}; got "${o.strategy}"`);
  if (!(o.targetCoverage > 0 && o.targetCoverage <= 100)) throw new OptionError(`--target-coverage is a percentage in (0, 100]; got ${o.targetCoverage}`);
  if (!(o.yieldBound > 0 && o.yieldBound < 1)) throw new OptionError(`--yield-bound is a probability in (0, 1); got ${o.yieldBound}`);
  if (o.maxVectors !== undefined && o.maxVectors < 1) throw new OptionError("--max-vectors must be at least 1");
  if (o.mcChips < 0) throw new OptionError("--mc-chips must not be negative");
  if (o.maxWindows < 1) throw new OptionError("--max-windows must be at least 1");
  if (o.searchLimit < 1) throw new OptionError("--search-limit must be at least 1");
  checkOutputPath(o.output, "-o");
  checkOutputPath(o.stil, "--stil");
  checkOutputPath(o.vcd, "--vcd");
  const loaded = loadBenchArg(benchArg);
  const modelIds = modelIdsOption(o.models);
  const { net, models, universe, input } = createGenerateInput(loaded, { modelIds, params: parseParamAssignments(o.param) });
  const live = ctx.stderrIsTty && !o.json;
  let phase = "";
  const started = performance.now();
  if (!o.json) ctx.err(`generate: ${loaded.bench.id}, ${universe.faults.length} collapsed fault(s) of ${models.length} model(s)`);
  const result = generateProgram(input, {
    strategy: o.strategy,
    seed: o.seed,
    targetCoveragePercent: o.targetCoverage,
    maxVectors: o.maxVectors,
    failBound: o.yieldBound,
    monteCarloChips: o.mcChips,
    compaction: o.compaction,
    settings: { searchLimit: o.searchLimit, maxWindows: o.maxWindows },
    signal: ctx.signal,
    onProgress: (p, done, total) => {
      if (o.json) return;
      if (p !== phase) {
        if (live && phase) ctx.err("");
        phase = p;
        if (!live) ctx.err(`  ${p} … (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
      if (live) (process.stderr as NodeJS.WriteStream).write(`\r  ${p}: ${done}/${total}   `);
    },
  });
  if (live) ctx.err("");
  const version = toolVersion();
  const { program, summary } = buildProgram(input, result, {
    toolVersion: version,
    generator: `snn-atpg generate --strategy ${o.strategy}${o.models ? ` --models ${o.models}` : ""}`,
    targetCoveragePercent: o.targetCoverage,
  });
  await writeProgramFile(o.output, program);
  const files = [`${o.output} (${program.vectors.length} vectors)`];
  const exportCtx = { inputs: net.layers[0].rows, outputs: observableOutputCount(loaded.bench), tickPs: loaded.bench.timing.tickPs, toolVersion: version, date: exportDate() };
  const { vectors, ...header } = program;
  for (const [id, file] of [["stil", o.stil], ["vcd", o.vcd]] as [ExporterId, string | undefined][]) {
    if (!file) continue;
    await exporters[id].write(header, vectors, exportCtx, await openFileSink(file, `${id.toUpperCase()} export`));
    files.push(file);
  }
  if (o.json) ctx.out(JSON.stringify({ ...summary, files: [o.output, ...(o.stil ? [o.stil] : []), ...(o.vcd ? [o.vcd] : [])] }));
  else printSummary(summary, files, ctx);
  if (ctx.signal.aborted) ctx.setExit(130);
}

export const generateCommand: CommandDefinition = {
  name: "generate",
  register(program: Command, ctx: CliContext) {
    program
      .command("generate")
      .summary("generate a test program (ATPG) with expected responses, guard bands and compaction")
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
      .option("--max-windows <n>", "longest vector, in coding windows", parseIntOption("--max-windows"), 8)
      .option("--no-compaction", "keep every vector that detected something new")
      .option("--stil <file>", "also write the program as STIL (IEEE 1450)")
      .option("--vcd <file>", "also write the program as VCD waveforms")
      .option("--json", "print the summary as one JSON object")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg generate black-pixel-4x1 -o program.json --stil program.stil --vcd program.vcd\n  snn-atpg generate mlp-16x8x4 --models dead-synapse --seed 7 -o p.jsonl --json",
      )
      .action((tb: string, o: GenerateCliOptions) => runGenerate(tb, o, ctx));
  },
};
