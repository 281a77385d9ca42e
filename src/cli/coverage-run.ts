/**
 * The coverage pipeline shared by `coverage` (whole or one shard) and `merge`:
 * prepare (bench, program, fault universe), grade a set of faults (spike campaign on
 * the job pool, then the array phase and test-weight segments), build the report, and
 * print or write it. `merge` skips the grading: it takes the outcomes from the parts.
 *
 *   const prep = await prepareCoverage(benchArg, programFile, o, ctx);
 *   const result = await gradeFaults(prep, prep.universe.faults, { …o, jobs }, ctx);
 *   await emitCoverage(prep, result, o, ctx, run);
 *
 * Every phase that takes long on a big bench (the universe, checking the expected
 * responses, grading, building the report, printing JSON) shows progress (phase-progress.ts)
 * and looks at Ctrl-C at least every 50 ms of work: exit 130 within about a second, and
 * no report file written.
 */
import { checkProgramForBench, loadProgram, requireSpikeVectors } from "../formats/program-loader.ts";
import { programLayoutOf } from "../formats/program-stream-writer.ts";
import { loadProgramStreamed } from "../formats/program-stream-reader.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { Program } from "../formats/program-format.ts";
import { countFaultsAsync, enumerateFaultsAsync, type FaultUniverse } from "../faults/index.ts";
import type { Fault } from "../faults/fault.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { coverageReportSteps, entryArraySteps, type CoverageReport, campaignPlan, compareSpikes, faultEngines, faultSimVectors, goodResponse, runParallelCampaign, type CampaignSpec, type FaultEngineId, type Shard } from "../faultsim/index.ts";
import type { FaultSimResult, FaultSimVector } from "../faultsim/fault-engine.ts";
import { gradeArrayStepsChunked } from "../faultsim/array-grader.ts";
import { isStochastic } from "../faultsim/good-response.ts";
import { detectionsByPhase, gradeTestWeightSegments, mergeOutcomesAsync, splitProgram, type SplitProgram } from "../faultsim/program-campaign.ts";
import { toolVersionString } from "../formats/tool-version.ts";
import { InterruptedError } from "../formats/errors.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { phaseProgress, type PhaseProgress } from "./phase-progress.ts";
import { coverageHtml, type CoverageRunMetadata } from "../report/coverage-html.ts";
import { coverageTableLines, undetectedSummarySteps } from "../report/coverage-table.ts";
import { criticalityTableLines } from "../report/criticality-table.ts";
import { detectionTableLines } from "../report/detection-probability-table.ts";
import { detectionProbabilities, type DetectionResult } from "../faultsim/detection-probability.ts";
import type { CriticalCoverageRecord } from "../characterise/critical-coverage.ts";
import { faultListText } from "../report/fault-list.ts";
import { jsonPieces } from "../report/json-stream.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import { benchPath, loadBenchArg } from "./bench-file.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import { listedFaults, listedLocations } from "./fault-list-file.ts";
import type { JobPool } from "../parallel/job-pool.ts";
import type { Shared } from "../parallel/shared-value.ts";
import { warmCampaignThreads } from "../faultsim/campaign-warm-up.ts";
import { shareFaultsAsync, type SharedFaults } from "../faultsim/shared-universe.ts";
import { selectFaults } from "../faults/fault-selection.ts";
import { MAX_SHARED_GOOD_RUNS, packGoodRun, type PackedGoodRun } from "../faultsim/shared-good-runs.ts";
import { readFaultList } from "../formats/fault-list-format.ts";
import { minFaultsPerJobFromEnv } from "./jobs-option.ts";
import { writeOutputFileInPieces } from "./output-file.ts";
import { checkSitesOption, universeSelection, type UniverseOptions } from "./universe-options.ts";

/** The options that decide a coverage result (what a part header records). */
export interface CoverageCampaignOptions extends UniverseOptions {
  engine: string;
  drop: boolean;
  pdCredit: number;
  /** A fault list file: grade only its faults (`coverage --faults`). */
  faults?: string;
}

/** Bench, program and universe, ready to grade. */
export interface PreparedCoverage {
  loaded: LoadedTestbench;
  program: Program;
  programFile: string;
  net: CompiledNetwork;
  split: SplitProgram;
  withArray: boolean;
  /** The universe: its counts and models always whole; with --faults its `faults` are only those at the listed faults' locations. */
  universe: FaultUniverse;
  /** The faults graded: the universe, or those of the --faults list. */
  graded: readonly Fault[];
  vectors: FaultSimVector[];
  /** The spec pool threads rebuild the network from (and the universe, when the graded faults cannot be shared; no shard). */
  spec: CampaignSpec;
  /** Where the phases of this run show their progress (one per command: times count from its start). */
  progress: PhaseProgress;
  /** Set when `universe.counts` are still being computed on the pool (--faults): they are whole once it resolves. */
  countsReady?: Promise<void>;
  /** The good chip's run of every vector from the expected-response check, packed: the campaign takes them instead of simulating them again. */
  goodRuns?: PackedGoodRun[][];
  /** The grading pool's warm-up (campaign-warm-up.ts), run while the universe was enumerated: the chip as shared with those threads, or undefined (failed, or interrupted). */
  warming?: Promise<{ pool: JobPool; sharedNet: Shared<CompiledNetwork> } | undefined>;
  /** The graded faults as shared with pool threads (shared-universe.ts), encoded once enumerated when the grading pool started early: the campaign starts without encoding them. */
  sharedFaults?: SharedFaults | null;
}

/**
 * Campaigns of at least this many fault × vector evaluations (a reference evaluation
 * counts as 50) run wholly on pool threads, so Ctrl-C ends them at once; smaller ones
 * take well under a second in this thread and are not worth a thread's start-up.
 */
const offMainThreadEvaluations = 1_000_000;
/** Entries per piece of the JSON report (jsonPieces' default). */
const jsonBatch = 256;
const referenceCost = 50;

/** Ctrl-C between the phases of a coverage run: nothing is reported or written. */
export async function stopIfInterrupted(ctx: CliContext, faults: number, everyMs = 0): Promise<void> {
  try {
    await checkpoint(ctx.signal, everyMs);
  } catch {
    throw new InterruptedError(`coverage interrupted (Ctrl-C) before all ${faults.toLocaleString("en-US")} faults were graded; no report was written`);
  }
}

/**
 * Bench, program and universe. With `--faults` and a `pool`, the universe's counts are
 * computed on the pool (its columns in blocks) while this thread builds the listed faults
 * from their columns alone and the command goes on grading and scoring them: the counts
 * are only the report's, so `countsReady` is awaited by emitCoverage — the same counts and
 * faults as one walk.
 */
export async function prepareCoverage(benchArg: string | LoadedTestbench, programFile: string, o: CoverageCampaignOptions & { json?: boolean }, ctx: CliContext, warn = true, pool: JobPool | null = null, gradingPool: JobPool | null = null): Promise<PreparedCoverage> {
  if (!(o.engine in faultEngines)) throw new OptionError(`--engine expects one of ${Object.keys(faultEngines).join(", ")}, got "${o.engine}"`);
  if (!(o.pdCredit >= 0 && o.pdCredit <= 1)) throw new OptionError(`--pd-credit expects a number from 0 to 1, got ${o.pdCredit}`);
  const engine = o.engine as FaultEngineId;
  const loaded = typeof benchArg === "string" ? loadBenchArg(benchArg) : benchArg;
  // A .jsonl program goes through the stream reader (no file-sized string); grading needs its vectors.
  const program = programLayoutOf(programFile) === "jsonl" ? await loadProgramStreamed(programFile) : loadProgram(programFile);
  checkProgramForBench(program, programFile, loaded);
  const net = compileNetwork(loaded.bench);
  const sel = universeSelection(o);
  const split = splitProgram(program, programFile);
  const withArray = split.arraySteps.length > 0;
  // A program that writes and reads the array is graded on the memory-test models too (stuck-at, transition).
  const models = withArray && !sel.ids ? loadFaultModels(sel.dirs, undefined, { arrayTests: true }) : sel.models;
  checkSitesOption(net, loaded.bench, sel.sites);
  const spikeProgram = { ...program, vectors: split.spikeIndices.map((i) => program.vectors[i]) };
  const vectors = faultSimVectors(spikeProgram, programFile, { timingResolutionPs: loaded.bench.timing.tickPs });
  const baseSpec: CampaignSpec = {
    benchFile: benchPath(typeof benchArg === "string" ? benchArg : loaded.file),
    modelDirs: sel.dirs,
    modelIds: withArray ? models.map((m) => m.id) : sel.ids,
    params: sel.params,
    sites: sel.sites,
    collapse: true,
    vectors,
    engine,
    drop: o.drop,
  };
  // the grading threads (started early: a chip of bnn's size) warm up on a few columns while this thread enumerates (best effort)
  const warming = gradingPool && engine === "fast" && vectors.length > 0 ? warmCampaignThreads(gradingPool, baseSpec, net, loaded.bench, models, ctx.signal).then((w) => ({ pool: gradingPool, sharedNet: w.sharedNet }), () => undefined) : undefined;
  // The bnn universe takes seconds to enumerate: Ctrl-C is looked at after every column.
  const progress = phaseProgress(ctx, { quiet: o.json && ctx.stderrIsTty });
  const columns = net.layers.reduce((n, l) => n + l.cols, 0);
  let column = 0;
  progress.phase("enumerating the fault universe", columns, "columns");
  const enumerate = (at?: ReadonlySet<string>, atColumnsOnly = false) =>
    enumerateFaultsAsync(net, loaded.bench, models, { collapse: true, sites: sel.sites, params: sel.params, ...(at ? { at } : {}), ...(atColumnsOnly ? { columns: "at" as const } : {}) }, async () => {
      progress.update(++column);
      try {
        await checkpoint(ctx.signal);
      } catch {
        throw new InterruptedError("coverage interrupted (Ctrl-C) while enumerating the fault universe; no report was written");
      }
    });
  // --faults: fault objects only where the listed faults sit (counts still of the whole universe:
  // 1.2 M faults and 1.5 GB on bnn-mnist were built to pick 230); an unknown id is then
  // looked for in the whole universe, which names its line and the nearest id
  const at = o.faults !== undefined ? listedLocations(o.faults) : null;
  let countsReady: Promise<void> | undefined;
  let universe: FaultUniverse;
  if (at && pool) {
    universe = await enumerate(at, true); // counts of the listed columns only, until countsReady
    // the whole universe's counts walked on this thread, which waits on the pool meanwhile
    // (on the pool they cost 2.5 CPU-s on bnn-mnist against 1.5 s here: each thread warms its own code)
    const counts = countFaultsAsync(net, loaded.bench, models, { collapse: true, sites: sel.sites, params: sel.params }, () => checkpoint(ctx.signal).catch(() => {
      throw new InterruptedError("coverage interrupted (Ctrl-C) while counting the fault universe; no report was written");
    }));
    countsReady = counts.then((c) => void (universe.counts = c));
    countsReady.catch(() => undefined); // awaited by emitCoverage; Ctrl-C before then must not leave it unhandled
  } else universe = await enumerate(at ?? undefined);
  if (at && selectFaults(universe.faults, readFaultList(o.faults!).map((e) => e.id)).unknown.length > 0) {
    await countsReady;
    countsReady = undefined;
    column = 0;
    universe = await enumerate();
  }
  const graded = o.faults !== undefined ? listedFaults(o.faults, universe.faults) : universe.faults;
  await stopIfInterrupted(ctx, graded.length);
  // the grading threads (started early) take the faults from a shared table: encoded now, part of making the universe (0.3 s on bnn)
  const sharedFaults = warming ? await shareFaultsAsync(graded, ctx.signal) : undefined;

  // The program's expected responses should be the good chip's; say so when they are not.
  // (the runs are kept for the campaign: 0.6 s of good machine on bnn's 64 vectors, in every thread)
  let goodRuns: PackedGoodRun[][] | undefined;
  if (warn && !isStochastic(net)) {
    progress.phase("checking the expected responses against the good chip", vectors.length, "vectors");
    const keep: PackedGoodRun[][] | null = vectors.length <= MAX_SHARED_GOOD_RUNS ? (goodRuns = []) : null;
    for (const [i, pv] of requireSpikeVectors(spikeProgram, programFile, "coverage").entries()) {
      progress.update(i);
      const good = goodResponse(net, vectors[i]);
      keep?.push([packGoodRun(good.run)]);
      const d = compareSpikes(good.observed, pv.expected, { toleranceBandPs: vectors[i].toleranceBandPs });
      if (d.differs) ctx.err(`warning: ${programFile}: vectors[${i}] (${pv.id}): expected response differs from the simulated good chip (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`);
      await stopIfInterrupted(ctx, graded.length, 50);
    }
  }
  const spec: CampaignSpec = { ...baseSpec, ...(o.faults !== undefined ? { faultIds: graded.map((f) => f.id) } : {}) };
  progress.end();
  return { loaded, program, programFile, net, split, withArray, universe, graded, vectors, spec, progress, ...(countsReady ? { countsReady } : {}), ...(goodRuns ? { goodRuns } : {}), ...(warming ? { warming, sharedFaults } : {}) };
}

/** Crossbar cells from which a bench's campaign is surely pooled (bnn-784x1024x10: 813,000), so its threads can start early. */
export const EARLY_POOL_CELLS = 100_000;

/**
 * Whether the coverage of `bench` will grade on the pool whatever the program: its threads may
 * start before the universe is enumerated. Only for a universe of one fault or more per cell
 * (a model on synapses or in-cell paths: ≥ EARLY_POOL_CELLS faults, per shard with --shard); not when
 * `--faults` or `--sites` pick a list of unknown (often short) length, nor when `--models`
 * (or --models-dir holds) only neuron or segment models (bnn: 1,034 neurons) — those threads would start
 * for nothing. A program of one or two vectors on a small shard may still grade in this thread (gradeFaults:
 * under a million fault-vector evaluations), its early threads unused.
 */
export function gradesOnPoolEarly(bench: Testbench, o: UniverseOptions & { faults?: string }, shardCount = 1): boolean {
  if (o.faults !== undefined || o.sites !== undefined) return false;
  const cells = bench.layers.reduce((n, l) => n + l.rows * l.cols, 0);
  if (cells / Math.max(1, shardCount) < EARLY_POOL_CELLS) return false;
  if (o.models === undefined && o.modelsDir.length === 0) return true; // every shipped model: the synapse models are among them
  try {
    return universeSelection(o).models.some((m) => m.siteKinds.includes("synapse") || m.siteKinds.includes("cell-internal"));
  } catch {
    return false; // a bad --models: the universe's own loading reports it
  }
}

/**
 * Grade `faults` (the universe, or one shard of it) with every step kind of the program;
 * on `pool` (threads the command started early) when the campaign goes on a pool.
 */
export async function gradeFaults(prep: PreparedCoverage, faults: readonly Fault[], o: { jobs: number; json?: boolean; shard?: Shard; pool?: JobPool | null }, ctx: CliContext): Promise<FaultSimResult> {
  const { net, split, program, programFile, loaded } = prep;
  const engine = prep.spec.engine;
  const { progress } = prep;
  const onProgress = (done: number, total: number) => progress.update(done, total);
  const vectors = prep.vectors.length;
  const cost = faults.length * Math.max(1, vectors) * (engine === "reference" ? referenceCost : 1);
  const offMainThread = cost >= offMainThreadEvaluations;
  // a small fast-engine campaign runs in this thread whatever its fault count (5,450 faults × 2 vectors
  // took a second pool's start-up, 0.5–1 s, beside the criticality threads); the reference engine keeps
  // the fault-count rule (its evaluations on a large chip are long and synchronous: on a pool thread
  // Ctrl-C ends them at once), and so does SNN_ATPG_MIN_FAULTS_PER_JOB (tests putting small benches on threads)
  const minFaultsPerJob = minFaultsPerJobFromEnv();
  const inThisThread = engine === "fast" && !offMainThread && minFaultsPerJob === undefined;
  const placement = inThisThread ? { jobs: 1, minFaultsPerJob: Number.POSITIVE_INFINITY, offMainThread } : { jobs: o.jobs, minFaultsPerJob, offMainThread };
  const plan = campaignPlan(faults.length, placement);
  const pool = plan.onPool && o.pool && o.pool.size === plan.threads ? o.pool : undefined;
  if (plan.onPool) ctx.err(`grading ${faults.length.toLocaleString("en-US")} faults × ${vectors.toLocaleString("en-US")} vectors (${engine} engine) on ${plan.threads} worker thread(s)${pool ? " (started while the universe was enumerated)" : ""}; Ctrl-C stops`);
  // the chip as the warm-up shared it with this very pool's threads (their copies and analyses built then)
  const warm = pool && prep.warming ? await prep.warming : undefined;
  const sharedNet = warm && warm.pool === pool ? warm.sharedNet : undefined;
  let result: FaultSimResult;
  progress.phase("grading", undefined, engine === "fast" ? "vectors" : "faults");
  try {
    result = await runParallelCampaign({ ...prep.spec, shard: o.shard }, net, faults, { ...placement, ...(pool ? { pool } : {}), ...(sharedNet ? { sharedNet } : {}), ...(prep.sharedFaults ? { sharedFaults: prep.sharedFaults } : {}), analysis: prep.universe.analysis, signal: ctx.signal, onProgress, goodRuns: prep.goodRuns });
  } finally {
    progress.end();
    await stopIfInterrupted(ctx, faults.length);
  }
  if (prep.withArray) {
    progress.phase("grading the array steps", faults.length, "faults");
    if (!o.json) ctx.err(`grading ${split.arraySteps.length} array step(s) (WRITE/READ/pause) with the ${engine === "reference" ? "reference" : "fast"} READ engine`);
    const array = await gradeArrayStepsChunked(net, faults, split.arraySteps, { engine: engine === "reference" ? "reference" : "fast", signal: ctx.signal, onProgress: (done, total) => progress.update(done, total) });
    const segments = split.segments.length
      ? await gradeTestWeightSegments(net, faults, program, programFile, split, faultEngines[engine], {
          timingResolutionPs: loaded.bench.timing.tickPs,
          signal: ctx.signal,
          onExpectedDiffers: (i, d) =>
            ctx.err(`warning: ${programFile}: vectors[${i}] (${program.vectors[i].id}): expected response differs from the simulated good chip on its test weights (${d.missing.length} missing, ${d.extra.length} extra, ${d.shifted.length} shifted); coverage is graded against the simulated good chip`),
        })
      : [];
    if (segments.length && !o.json) ctx.err(`graded ${split.segments.reduce((n, g) => n + g.vectorIndices.length, 0)} spike vector(s) on test weights in ${segments.length} segment(s)`);
    result = await mergeOutcomesAsync(result, array, faults, split, segments, () => checkpoint(ctx.signal));
    progress.end();
    await stopIfInterrupted(ctx, faults.length);
  }
  return result;
}

/** What `coverage` and `merge` print and write. */
export interface CoverageOutputOptions {
  json?: boolean;
  html?: string;
  faultsOut?: string;
  limit: number;
  all?: boolean;
}

/** Build the report of a whole-universe result and print / write it; Ctrl-C stops it before any file is written (or, for --json, with the JSON on stdout cut short, said on stderr). */
export async function emitCoverage(prep: PreparedCoverage, result: FaultSimResult, o: CoverageCampaignOptions & CoverageOutputOptions, ctx: CliContext, run?: CoverageRunMetadata, criticality?: CriticalCoverageRecord, detection?: DetectionResult): Promise<void> {
  await prep.countsReady;
  const { loaded, universe, split, progress } = prep;
  const interrupted = (doing: string) => new InterruptedError(`coverage interrupted (Ctrl-C) while ${doing}; no report was written`);
  progress.phase("building the report", prep.graded.length, "faults");
  const steps = coverageReportSteps({
    testbench: { id: loaded.bench.id, sha256: loaded.sha256, file: loaded.file },
    programFile: prep.programFile,
    net: prep.net,
    vectors: prep.vectors,
    faults: prep.graded,
    universe: universe.counts,
    models: universe.models.map((m) => ({ id: m.id, title: m.model.title, params: { ...m.params } })),
    result,
    drop: o.drop,
    pdCredit: o.pdCredit,
    otherSteps: { reads: split.arraySteps.filter((s) => s.kind === "read").length, testWeightVectors: split.segments.reduce((n, g) => n + g.vectorIndices.length, 0) },
    generatorReasons: prep.program.metadata.generatorReasons,
  });
  let report: CoverageReport;
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) {
      report = r.value;
      break;
    }
    progress.update(r.value);
    await checkpoint(ctx.signal).catch(() => {
      throw interrupted("building the report");
    });
  }
  progress.end();
  // A file that cannot be written must not cost the finished campaign: the report is printed all the same, then the error ends the command.
  const failed: Error[] = [];
  const written = async (option: string, write: () => Promise<void>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      failed.push(err instanceof OptionError ? err : new OptionError(`${option}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`));
      return false;
    }
  };
  // Large on the full bnn universe: written a piece at a time with Ctrl-C looked at in between (a stopped file is not left behind).
  const stopped = (file: string) => () =>
    checkpoint(ctx.signal).catch(() => {
      throw new InterruptedError(`coverage interrupted (Ctrl-C) while writing ${file}: it was not written (no cut-off file is left)${htmlDone ? `; ${o.html} was written whole` : ""}`);
    });
  const piecesTo = (file: string, text: () => string, option: string) => async () => {
    progress.phase(`writing ${file}`);
    await stopped(file)();
    await writeOutputFileInPieces(file, text(), option, stopped(file));
  };
  // The report's entries are built when read (FaultEntries): a pass over millions of them is stepped, with Ctrl-C looked at in between.
  const stepped = async <T>(steps: Generator<number, T>, doing: string): Promise<T> => {
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return r.value;
      progress.update(r.value);
      await checkpoint(ctx.signal).catch(() => {
        throw interrupted(doing);
      });
    }
  };
  // --html and --faults-out read every entry more than once: built into an array once
  let forFiles = report;
  if (o.html !== undefined || o.faultsOut !== undefined) {
    progress.phase("listing the faults", report.faults.length, "faults");
    forFiles = { ...report, faults: await stepped(entryArraySteps(report.faults), "listing the faults") };
    progress.end();
  }
  let htmlDone = false;
  htmlDone = o.html !== undefined && (await written(`--html ${o.html}`, piecesTo(o.html, () => coverageHtml(forFiles, { run, criticality }), "--html")));
  const faultsDone = o.faultsOut !== undefined && (await written(`--faults-out ${o.faultsOut}`, piecesTo(o.faultsOut, () => faultListText(forFiles, toolVersionString), "--faults-out")));
  progress.end();
  // In pieces: the full bnn universe's per-fault list is past the longest string V8 can hold.
  const faultList = { ...(o.faults !== undefined ? { faultList: { file: o.faults, graded: prep.graded.length, of: universe.counts.total.collapsed } } : {}), ...(criticality ? { criticality } : {}), ...(detection ? { detectionProbability: detection } : {}) };
  if (o.json) {
    progress.phase("printing the JSON report", report.faults.length, "faults");
    let printed = 0;
    for (const piece of jsonPieces(prep.withArray ? { ...report, ...faultList, detectedByPhase: detectionsByPhase(result, prep.graded, split) } : { ...report, ...faultList })) {
      ctx.out(piece);
      progress.update((printed += jsonBatch));
      await ctx.drained?.(); // a slow reader (`| gzip`) holds the printing back
      await checkpoint(ctx.signal).catch(() => {
        throw new InterruptedError("coverage interrupted (Ctrl-C) while printing the JSON report: the JSON on stdout is cut short; the --html and --faults-out files were written whole");
      });
    }
    progress.end();
  } else {
    const limit = o.all ? Infinity : o.limit;
    progress.phase("listing the undetected faults", forFiles.faults.length, "faults");
    const summary = await stepped(undetectedSummarySteps(forFiles, limit), "listing the undetected faults");
    progress.end();
    for (const line of coverageTableLines(forFiles, { limit }, summary)) ctx.out(line);
    if (o.faults !== undefined) ctx.out(`\ngraded only the ${prep.graded.length.toLocaleString("en-US")} of ${universe.counts.total.collapsed.toLocaleString("en-US")} collapsed faults listed in ${o.faults}: FC and TC above are over them`);
    if (prep.withArray) {
      const byPhase = detectionsByPhase(result, prep.graded, split);
      ctx.out(`\ndetected, by the phase of the first detecting step: ${Object.entries(byPhase).map(([p, n]) => `${p} ${n.toLocaleString("en-US")}`).join(", ")}`);
    }
    if (criticality) for (const line of criticalityTableLines(criticality, report.coverage.total)) ctx.out(line);
    if (detection) for (const line of detectionTableLines(detection)) ctx.out(line);
    if (htmlDone) ctx.out(`\nHTML report written to ${o.html}`);
    if (faultsDone) ctx.out(`fault list (ND/AU/PD) written to ${o.faultsOut}`);
  }
  if (failed.length) {
    failed[0].message += `; the coverage report was printed ${o.json ? "(--json)" : "above"} all the same`;
    throw failed[0];
  }
}

/** `coverage --detection-probability`: every graded fault not proved undetectable, sampled through the program's decision rules. */
export function coverageDetection(prep: PreparedCoverage, result: FaultSimResult, samples: number, progress: boolean, ctx: CliContext): DetectionResult {
  if (!isStochastic(prep.net)) throw new OptionError(`--detection-probability is for stochastic chips; ${prep.loaded.bench.id} is deterministic (its coverage classes are exact)`);
  if (prep.withArray) throw new OptionError("--detection-probability grades spike vectors on the mission weights; this program has array steps — grade a spike-only program");
  const ud = new Set(result.outcomes.filter((r) => r.cls === "UD").map((r) => r.faultId));
  const faults = prep.graded.filter((f) => !ud.has(f.id));
  const spikeVectors = requireSpikeVectors({ ...prep.program, vectors: prep.split.spikeIndices.map((i) => prep.program.vectors[i]) }, prep.programFile, "--detection-probability");
  if (progress) ctx.err(`detection probability: ${faults.length} fault(s) × ${spikeVectors.length} vector(s) × ${samples} repetitions`);
  return detectionProbabilities(prep.net, faults, spikeVectors, prep.vectors, { samples, tickPs: prep.loaded.bench.timing.tickPs, defaultRule: prep.program.decision });
}
