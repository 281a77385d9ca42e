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
import { buildCoverageReport, DEFAULT_PD_CREDIT, defaultWorkers, faultEngines, faultSimVectors, compareSpikes, goodResponse, runParallelCampaign, type FaultEngineId } from "../../faultsim/index.ts";
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
import { listedFaults } from "../fault-list-file.ts";
import { jsonPieces } from "../../report/json-stream.ts";
import { toolVersionString } from "../../formats/tool-version.ts";
import { addUniverseOptions, universeSelection, type UniverseOptions } from "../universe-options.ts";
import { gradeArrayStepsChunked } from "../../faultsim/array-grader.ts";
import { detectionsByPhase, gradeTestWeightSegments, mergeOutcomes, splitProgram } from "../../faultsim/program-campaign.ts";
import { loadFaultModels } from "../../faults/fault-model-loader.ts";
import { checkpoint } from "../../formats/interrupt-checkpoint.ts";
import type { FaultSimResult } from "../../faultsim/fault-engine.ts";
import { InterruptedError } from "../../formats/errors.ts";

interface CoverageOptions extends UniverseOptions {
  engine: string;
  drop: boolean;
  json?: boolean;
  html?: string;
  faultsOut?: string;
  faults?: string;
  pdCredit: number;
  limit: number;
  all?: boolean;
  threads?: number;
}

/**
 * Campaigns of at least this many fault × vector evaluations (a reference evaluation
 * counts as 50) run wholly on worker threads, so Ctrl-C ends them at once; smaller ones
 * take well under a second in this thread and are not worth a worker's start-up.
 */
const offMainThreadEvaluations = 1_000_000;
const referenceCost = 50;

/** Ctrl-C between the phases of a coverage run: nothing is reported or written. */
async function stopIfInterrupted(ctx: CliContext, faults: number, everyMs = 0): Promise<void> {
  try {
    await checkpoint(ctx.signal, everyMs);
  } catch {
    throw new InterruptedError(`coverage interrupted (Ctrl-C) before all ${faults.toLocaleString("en-US")} faults were graded; no report was written`);
  }
}

export async function runCoverage(benchArg: string, programFile: string, o: CoverageOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void> {
  if (!(o.engine in faultEngines)) throw new OptionError(`--engine expects one of ${Object.keys(faultEngines).join(", ")}, got "${o.engine}"`);
  if (!(o.pdCredit >= 0 && o.pdCredit <= 1)) throw new OptionError(`--pd-credit expects a number from 0 to 1, got ${o.pdCredit}`);
  if (o.threads !== undefined && o.threads < 1) throw new OptionError(`--threads expects at least 1, got ${o.threads}`);
  checkOutputPath(o.html, "--html");
  checkOutputPath(o.faultsOut, "--faults-out");
  if (o.faults !== undefined && o.faults === o.faultsOut) throw new OptionError(`--faults and --faults-out name the same file (${o.faults}); the list read would be overwritten — write the new list elsewhere`);
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
  const faults = o.faults !== undefined ? listedFaults(o.faults, universe.faults) : universe.faults;
  const spikeProgram = { ...program, vectors: split.spikeIndices.map((i) => program.vectors[i]) };
  const vectors = faultSimVectors(spikeProgram, programFile, { timingResolutionPs: loaded.bench.timing.tickPs });
  await stopIfInterrupted(ctx, faults.length);

  // The program's expected responses should be the good chip's; say so when they are not.
  if (!isStochastic(net)) {
    for (const [i, pv] of requireSpikeVectors(spikeProgram, programFile, "coverage").entries()) {
      const d = compareSpikes(goodResponse(net, vectors[i]).observed, pv.expected, { toleranceBandPs: vectors[i].toleranceBandPs });
      if (d.differs) ctx.err(`warning: ${programFile}: vectors[${i}] (${pv.id}): expected response differs from the simulated good chip (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`);
      await stopIfInterrupted(ctx, faults.length, 50);
    }
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
    ...(o.faults !== undefined ? { faultIds: faults.map((f) => f.id) } : {}),
  };
  const workers = o.threads ?? defaultWorkers(faults.length);
  const offMainThread = faults.length * Math.max(1, vectors.length) * (engine === "reference" ? referenceCost : 1) >= offMainThreadEvaluations;
  if (offMainThread && !o.json) {
    ctx.err(`grading ${faults.length.toLocaleString("en-US")} faults × ${vectors.length.toLocaleString("en-US")} vectors (${engine} engine) on ${Math.min(workers, faults.length)} worker thread(s); Ctrl-C stops`);
  }
  let result: FaultSimResult;
  try {
    result = await runParallelCampaign(spec, net, faults, { workers, analysis: universe.analysis, signal: ctx.signal, onProgress, offMainThread });
  } finally {
    await stopIfInterrupted(ctx, faults.length);
  }
  if (withArray) {
    if (!o.json) ctx.err(`grading ${split.arraySteps.length} array step(s) (WRITE/READ/pause) with the ${engine === "reference" ? "reference" : "fast"} READ engine`);
    const array = await gradeArrayStepsChunked(net, faults, split.arraySteps, { engine: engine === "reference" ? "reference" : "fast", signal: ctx.signal });
    const segments = split.segments.length
      ? gradeTestWeightSegments(net, faults, program, programFile, split, faultEngines[engine], {
          timingResolutionPs: loaded.bench.timing.tickPs,
          signal: ctx.signal,
          onExpectedDiffers: (i, d) =>
            ctx.err(`warning: ${programFile}: vectors[${i}] (${program.vectors[i].id}): expected response differs from the simulated good chip on its test weights (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`),
        })
      : [];
    if (segments.length && !o.json) ctx.err(`graded ${split.segments.reduce((n, g) => n + g.vectorIndices.length, 0)} spike vector(s) on test weights in ${segments.length} segment(s)`);
    result = mergeOutcomes(result, array, faults, split, segments);
    await stopIfInterrupted(ctx, faults.length);
  }
  const report = buildCoverageReport({
    testbench: { id: loaded.bench.id, sha256: loaded.sha256, file: loaded.file },
    programFile,
    net,
    vectors,
    faults,
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
  const faultList = o.faults !== undefined ? { faultList: { file: o.faults, graded: faults.length, of: universe.faults.length } } : {};
  if (o.json) for (const piece of jsonPieces(withArray ? { ...report, ...faultList, detectedByPhase: detectionsByPhase(result, faults, split) } : { ...report, ...faultList })) ctx.out(piece);
  else {
    for (const line of coverageTableLines(report, { limit: o.all ? Infinity : o.limit })) ctx.out(line);
    if (o.faults !== undefined) ctx.out(`\ngraded only the ${faults.length.toLocaleString("en-US")} of ${universe.faults.length.toLocaleString("en-US")} collapsed faults listed in ${o.faults}: FC and TC above are over them`);
    if (withArray) {
      const byPhase = detectionsByPhase(result, faults, split);
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
      .option("--faults <file>", "grade only the faults of this fault list (one id per line, # comments; as --faults-out writes it)")
      .option("--limit <n>", "how many undetected faults to list", parseIntOption("--limit"), 20)
      .option("--all", "list every undetected fault")
      .option("--threads <n>", "threads for large campaigns (default: up to the core count, one per 50 k faults)", parseIntOption("--threads"))
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --models dead-synapse --json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --html report.html\n" +
          "  snn-atpg coverage black-pixel-4x1 p.json --faults-out missed.faults   # then, after improving p.json:\n" +
          "  snn-atpg coverage black-pixel-4x1 p2.json --faults missed.faults",
      )
      .action((tb: string, prog: string, o: CoverageOptions, cmd: Command) => runCoverage(tb, prog, o, ctx, runMetadata(cmd, ctx)));
  },
};
