/**
 * `snn-atpg coverage <testbench> <program>`: fault-simulate a test program against
 * the fault universe and report what it is worth — classes per fault model (and per
 * layer), FC and TC with their formulas, the faults it misses; `--json` for machines
 * (per-fault class and first detecting vector), `--html` for a self-contained report.
 *
 *   snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json
 *   snn-atpg coverage black-pixel-4x1 p.json --models dead-synapse --engine reference --no-drop --json
 *   snn-atpg coverage bnn-784x1024x10 p.jsonl --html report.html
 */
import type { Command } from "commander";
import { checkProgramForBench, loadProgram, requireSpikeVectors } from "../../formats/program-loader.ts";
import { enumerateFaults } from "../../faults/index.ts";
import { buildCoverageReport, DEFAULT_PD_CREDIT, faultEngines, faultSimVectors, compareSpikes, goodResponse, runParallelCampaign, type FaultEngineId } from "../../faultsim/index.ts";
import { coverageHtml, type CoverageRunMetadata } from "../../report/coverage-html.ts";
import { coverageTableLines } from "../../report/coverage-table.ts";
import { redrawPrefix, renderProgressBar } from "../../report/progress-bar.ts";
import { compileNetwork } from "../../sim/compile.ts";
import { isStochastic } from "../../faultsim/good-response.ts";
import { benchPath, loadBenchArg } from "../bench-file.ts";
import { OptionError, parseIntOption, parseNumberOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { exitCodes } from "../exit-codes.ts";
import { runMetadata } from "../run-metadata.ts";
import { checkOutputPath, writeOutputFile } from "../output-file.ts";
import { faultListText } from "../../report/fault-list.ts";
import { jsonPieces } from "../../report/json-stream.ts";
import { toolVersionString } from "../../formats/tool-version.ts";
import { addUniverseOptions, universeSelection, type UniverseOptions } from "../universe-options.ts";
import { gradeArrayStepsChunked } from "../../faultsim/array-grader.ts";
import { detectionsByPhase, gradeTestWeightSegments, mergeOutcomes, splitProgram } from "../../faultsim/program-campaign.ts";
import { loadFaultModels } from "../../faults/fault-model-loader.ts";
import { addJobsOption, jobsOption, minFaultsPerJobFromEnv, type JobsOptions } from "../jobs-option.ts";

interface CoverageOptions extends UniverseOptions, JobsOptions {
  engine: string;
  drop: boolean;
  json?: boolean;
  html?: string;
  faultsOut?: string;
  pdCredit: number;
  limit: number;
  all?: boolean;
}

export async function runCoverage(benchArg: string, programFile: string, o: CoverageOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void> {
  if (!(o.engine in faultEngines)) throw new OptionError(`--engine expects one of ${Object.keys(faultEngines).join(", ")}, got "${o.engine}"`);
  if (!(o.pdCredit >= 0 && o.pdCredit <= 1)) throw new OptionError(`--pd-credit expects a number from 0 to 1, got ${o.pdCredit}`);
  const jobs = jobsOption(o);
  checkOutputPath(o.html, "--html");
  checkOutputPath(o.faultsOut, "--faults-out");
  const engine = o.engine as FaultEngineId;
  const loaded = loadBenchArg(benchArg);
  const program = loadProgram(programFile);
  checkProgramForBench(program, programFile, loaded);
  const net = compileNetwork(loaded.bench);
  const sel = universeSelection(o);
  const split = splitProgram(program, programFile);
  const withArray = split.arraySteps.length > 0;
  // A program that writes and reads the array is graded on the memory-test models too (stuck-at, transition).
  const models = withArray && !sel.ids ? loadFaultModels(sel.dirs, undefined, { arrayTests: true }) : sel.models;
  const universe = enumerateFaults(net, loaded.bench, models, { collapse: true, sites: sel.sites, params: sel.params });
  const spikeProgram = { ...program, vectors: split.spikeIndices.map((i) => program.vectors[i]) };
  const vectors = faultSimVectors(spikeProgram, programFile, { timingResolutionPs: loaded.bench.timing.tickPs });

  // The program's expected responses should be the good chip's; say so when they are not.
  if (!isStochastic(net)) {
    requireSpikeVectors(spikeProgram, programFile, "coverage").forEach((pv, i) => {
      const d = compareSpikes(goodResponse(net, vectors[i]).observed, pv.expected, { toleranceBandPs: vectors[i].toleranceBandPs });
      if (d.differs) ctx.err(`warning: ${programFile}: vectors[${i}] (${pv.id}): expected response differs from the simulated good chip (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`);
    });
  }

  const showProgress = ctx.stderrIsTty && !o.json;
  let drawn = false;
  const onProgress = showProgress
    ? (done: number, total: number) => {
        ctx.err(`${drawn ? redrawPrefix : ""}${renderProgressBar(done, total, engine === "fast" ? "vectors" : "faults")}`);
        drawn = true;
      }
    : undefined;
  const spec = {
    benchFile: benchPath(benchArg),
    modelDirs: sel.dirs,
    modelIds: withArray ? models.map((m) => m.id) : sel.ids,
    params: sel.params,
    sites: sel.sites,
    collapse: true,
    vectors,
    engine,
    drop: o.drop,
  };
  let result = await runParallelCampaign(spec, net, universe.faults, {
    jobs,
    minFaultsPerJob: minFaultsPerJobFromEnv(),
    analysis: universe.analysis,
    signal: ctx.signal,
    onProgress,
  });
  if (result.threadElapsedMs) ctx.err(`fault simulation: ${universe.faults.length.toLocaleString("en-US")} faults on ${result.threadElapsedMs.length} worker thread(s)`);
  if (withArray) {
    if (!o.json) ctx.err(`grading ${split.arraySteps.length} array step(s) (WRITE/READ/pause) with the ${engine === "reference" ? "reference" : "fast"} READ engine`);
    const array = await gradeArrayStepsChunked(net, universe.faults, split.arraySteps, { engine: engine === "reference" ? "reference" : "fast", signal: ctx.signal });
    const segments = split.segments.length
      ? gradeTestWeightSegments(net, universe.faults, program, programFile, split, faultEngines[engine], {
          timingResolutionPs: loaded.bench.timing.tickPs,
          signal: ctx.signal,
          onExpectedDiffers: (i, d) =>
            ctx.err(`warning: ${programFile}: vectors[${i}] (${program.vectors[i].id}): expected response differs from the simulated good chip on its test weights (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`),
        })
      : [];
    if (segments.length && !o.json) ctx.err(`graded ${split.segments.reduce((n, g) => n + g.vectorIndices.length, 0)} spike vector(s) on test weights in ${segments.length} segment(s)`);
    result = mergeOutcomes(result, array, universe.faults, split, segments);
  }
  const report = buildCoverageReport({
    testbench: { id: loaded.bench.id, sha256: loaded.sha256, file: loaded.file },
    programFile,
    net,
    vectors,
    faults: universe.faults,
    universe: universe.counts,
    models: universe.models.map((m) => ({ id: m.id, title: m.model.title, params: { ...m.params } })),
    result,
    drop: o.drop,
    pdCredit: o.pdCredit,
  });
  // A file that cannot be written must not cost the finished campaign: the report is printed all the same, then the error ends the command.
  const failed: Error[] = [];
  const written = (option: string, write: () => void): boolean => {
    try {
      write();
      return true;
    } catch (err) {
      failed.push(err instanceof OptionError ? err : new OptionError(`${option}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`));
      return false;
    }
  };
  const htmlDone = o.html !== undefined && written(`--html ${o.html}`, () => writeOutputFile(o.html!, coverageHtml(report, { run }), "--html"));
  const faultsDone = o.faultsOut !== undefined && written(`--faults-out ${o.faultsOut}`, () => writeOutputFile(o.faultsOut!, faultListText(report, toolVersionString), "--faults-out"));
  // In pieces: the full bnn universe's per-fault list is past the longest string V8 can hold.
  if (o.json) for (const piece of jsonPieces(withArray ? { ...report, detectedByPhase: detectionsByPhase(result, universe.faults, split) } : { ...report })) ctx.out(piece);
  else {
    for (const line of coverageTableLines(report, { limit: o.all ? Infinity : o.limit })) ctx.out(line);
    if (withArray) {
      const byPhase = detectionsByPhase(result, universe.faults, split);
      ctx.out(`\ndetected, by the phase of the first detecting step: ${Object.entries(byPhase).map(([p, n]) => `${p} ${n.toLocaleString("en-US")}`).join(", ")}`);
    }
    if (htmlDone) ctx.out(`\nHTML report written to ${o.html}`);
    if (faultsDone) ctx.out(`fault list (ND/AU/PD) written to ${o.faultsOut}`);
  }
  if (failed.length) {
    failed[0].message += `; the coverage report was printed ${o.json ? "(--json)" : "above"} all the same`;
    throw failed[0];
  }
  if (ctx.signal.aborted) ctx.setExit(exitCodes.interrupted);
}

export const coverageCommand: CommandDefinition = {
  name: "coverage",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("coverage")
      .summary("fault-simulate a test program: coverage by fault model, FC/TC, undetected faults")
      .description(
        "Grade a test program (from `generate`, or written by hand) against the single-fault universe of " +
          "the testbench. A fault is DT when a vector's response differs (a spike missing, extra, or moved " +
          "beyond the tolerance band), PD when it differs only within the band or only in some repetitions " +
          "of a stochastic chip, UD when proved undetectable, ND otherwise.\n" +
          "FC = (DT + c·PD) / all, TC = (DT + c·PD) / (all − UD), c = --pd-credit.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench")
      .argument("<program>", "test program (.json, or .jsonl: header line + one vector per line) made for this testbench");
    addUniverseOptions(cmd)
      .option("--engine <id>", "fault engine: fast (reuses the good simulation) or reference (re-simulates everything)", "fast")
      .option("--no-drop", "keep simulating detected faults (lists every detecting vector in --json)")
      .option("--pd-credit <c>", "credit of a possibly detected fault in FC and TC, 0..1", parseNumberOption("--pd-credit"), DEFAULT_PD_CREDIT)
      .option("--json", "print the report as one JSON object (per-fault class and first detecting vector)")
      .option("--html <file>", "also write a self-contained HTML report (tables, bar chart, cumulative coverage, heat maps)")
      .option("--faults-out <file>", "also write the faults not detected (ND/AU/PD) as a fault list: one id per line, class and reason as a # comment")
      .option("--limit <n>", "how many undetected faults to list", parseIntOption("--limit"), 20)
      .option("--all", "list every undetected fault");
    addJobsOption(cmd, "--threads")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --models dead-synapse --json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --html report.html",
      )
      .action((tb: string, prog: string, o: CoverageOptions, cmd: Command) => runCoverage(tb, prog, o, ctx, runMetadata(cmd, ctx)));
  },
};
