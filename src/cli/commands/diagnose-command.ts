/**
 * `snn-atpg diagnose <program> <datalog>`: say which modelled fault most likely
 * explains a failing device — ranked candidates with fault model, site and match
 * score, faults the program cannot tell apart grouped, equivalent faults as one class.
 *
 *   snn-atpg diagnose fixtures/bench/black-pixel-4x1.program.json chip-7.jsonl
 *   snn-atpg diagnose p.json chip-7.jsonl --json --limit 10
 *   snn-atpg diagnose march.json chip-7.jsonl --html chip-7.html   # the READ fail bitmap per layer
 *   snn-atpg diagnose p.json --shard 1/3 --out dict-1.jsonl        # one shard of the fault dictionary; then `merge`
 */
import type { Command } from "commander";
import { checkDatalogProgram } from "../../bench/datalog-reader.ts";
import { foldDatalogForDiagnosis } from "../../bench/diagnose-fold.ts";
import { diagnoseVectors, type Diagnosis } from "../../bench/fault-diagnosis.ts";
import { diagnoseArray, faultsFailingReads } from "../../bench/array-diagnosis.ts";
import { combineDiagnoses } from "../../bench/combined-diagnosis.ts";
import { checkProgramForBench, loadProgram } from "../../formats/program-loader.ts";
import { loadProgramBench } from "../bench-file.ts";
import { programLayoutOf } from "../../formats/program-stream-writer.ts";
import { loadProgramStreamed } from "../../formats/program-stream-reader.ts";
import { OptionError, parseIntOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { diagnosisLines } from "../diagnosis-lines.ts";
import { dictionaryWithJobs } from "../dictionary-jobs.ts";
import { phaseProgress } from "../phase-progress.ts";
import { writeDictionaryPart } from "../dictionary-parts.ts";
import { addShardOptions, shardOf, type ShardOptions } from "../shard-options.ts";
import { addJobsOption, jobsOption, type JobsOptions } from "../jobs-option.ts";
import { checkOutputPath, writeOutputFile } from "../output-file.ts";
import { runMetadata } from "../run-metadata.ts";
import { failBitmapHtml } from "../../report/fail-bitmap-html.ts";
import type { CoverageRunMetadata } from "../../report/coverage-html.ts";

export interface DiagnoseOptions extends JobsOptions, ShardOptions {
  testbench?: string;
  json?: boolean;
  /** Write the READ fail bitmap per layer as a self-contained HTML file (array programs). */
  html?: string;
  limit: number;
  cacheDir?: string;
  cache: boolean;
}

export async function runDiagnose(programFile: string, datalogFile: string, o: DiagnoseOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<Diagnosis> {
  checkOutputPath(o.html, "--html");
  // A .jsonl program goes through the stream reader (no file-sized string); diagnosis needs its vectors.
  const program = programLayoutOf(programFile) === "jsonl" ? await loadProgramStreamed(programFile) : loadProgram(programFile);
  const bench = loadProgramBench(program, programFile, o.testbench);
  checkProgramForBench(program, programFile, bench);
  // The records stream past: failing signatures and READs are kept, passing records counted.
  const log = foldDatalogForDiagnosis(datalogFile);
  await checkDatalogProgram(log, program, programFile, "diagnose with the program the datalog was measured with");
  const hasReads = program.vectors.some((v) => v.kind === "read");
  const spikeFailed = log.spikeFailed;
  // The dictionary build is the heavy part: its faults on the pool (--jobs), or read from the cache.
  const built = !hasReads || spikeFailed ? await dictionaryWithJobs({ program, programFile, bench, cacheDir: o.cache ? o.cacheDir : null }, jobsOption(o), ctx.signal, phaseProgress(ctx, { quiet: o.json && ctx.stderrIsTty })) : undefined;
  if (built?.notCached) ctx.err(`warning: the fault dictionary was not cached (${built.notCached}); the next diagnose of this program builds it again`);
  if (hasReads) {
    // A program with phases: the READ fail bitmap, and the failing spike vectors (mission and test weights).
    const d = diagnoseArray(program, programFile, bench, log.failingReads, o.limit);
    const spike = spikeFailed ? diagnoseVectors(program, programFile, bench, log.observed, { limit: o.limit, dictionary: built }) : null;
    // spike candidates that would have failed a READ, on a device whose READs all passed, are ruled out
    const spikeSites = d.failingReads.length === 0 ? (spike?.diagnosis.groups ?? []).flatMap((g) => g.members.map((m) => m.siteId)) : [];
    const combined = combineDiagnoses(d, spike?.diagnosis ?? null, faultsFailingReads(program, programFile, bench, spikeSites), o.limit);
    if (o.html) writeOutputFile(o.html, failBitmapHtml(d, { dutId: log.header.dutId, programFile, testbenchId: bench.bench.id, complete: log.footer !== null, run }), "--html");
    if (o.json) ctx.out(JSON.stringify({ dutId: log.header.dutId, complete: log.footer !== null, array: d, ...(spike ? { spike: spike.diagnosis } : {}), candidates: combined }));
    else {
      ctx.out(`dut ${log.header.dutId}: ${d.failingReads.length} READ step(s) failed${d.failingReads.length ? ` (first ${d.failingReads[0]})` : ""}${log.footer ? "" : " — the datalog is unfinished"}`);
      for (const b of d.bitmap) ctx.out(`fail bitmap, layer ${b.layer}: ${b.shape}${b.cells.length > 1 ? `; cells ${b.cells.slice(0, 8).map(([r, c]) => `r${r}.c${c}`).join(", ")}${b.cells.length > 8 ? ", …" : ""}` : ""}`);
      if (spike) ctx.out(`spike vectors: ${spike.diagnosis.failingVectors.length} failed (${spike.diagnosis.failingVectors.slice(0, 10).join(", ")}${spike.diagnosis.failingVectors.length > 10 ? ", …" : ""})`);
      combined.forEach((c, i) => {
        const views = [c.arrayScore !== null ? `READ ${c.arrayScore.toFixed(2)}` : "", c.spikeScore !== null ? `spike ${c.spikeScore.toFixed(2)}` : ""].filter(Boolean).join(", ");
        ctx.out(`${i + 1}. score ${c.score.toFixed(2)} (${views}): ${c.faultId}${c.equivalents.length ? ` (≡ ${c.equivalents.join(", ")})` : ""}`);
      });
      if ((d.failingReads.length || spikeFailed) && combined.length === 0) ctx.out("no single fault of the shipped models explains these failures");
    }
    if (o.html && !o.json) ctx.out(`HTML fail bitmap written to ${o.html}`);
    return { failingVectors: [...d.failingReads, ...(spike?.diagnosis.failingVectors ?? [])] } as unknown as Diagnosis;
  }
  if (o.html) throw new OptionError(`--html ${o.html}: draws the READ fail bitmap, and ${programFile} has no READ step; leave out --html for a spike-vector program`);
  const { diagnosis, dictionary, cached } = diagnoseVectors(program, programFile, bench, log.observed, { limit: o.limit, dictionary: built });
  if (o.json) {
    ctx.out(JSON.stringify({ dutId: log.header.dutId, complete: log.footer !== null, dictionary: { key: dictionary.key, universe: dictionary.universe, detected: dictionary.faults.length, cached }, ...diagnosis }));
    return diagnosis;
  }
  const n = log.vectorCount;
  ctx.out(`dut ${log.header.dutId}: ${diagnosis.failingVectors.length} of ${n} vector(s) failed${diagnosis.failingVectors.length ? ` (${diagnosis.failingVectors.slice(0, 10).join(", ")}${diagnosis.failingVectors.length > 10 ? ", …" : ""})` : ""}${log.footer ? "" : " — the datalog is unfinished"}`);
  ctx.out(
    `fault dictionary: ${dictionary.faults.length} detectable of ${dictionary.universe.collapsed} collapsed faults (${dictionary.models.length} models)${cached ? ", from cache" : `, built in ${dictionary.buildMs} ms`}`,
  );
  for (const line of diagnosisLines(diagnosis)) ctx.out(line);
  return diagnosis;
}

/** `diagnose <program> --shard i/N --out part.jsonl`: build one shard of the program's fault dictionary (no datalog). */
async function runDictionaryShard(programFile: string, datalogFile: string | undefined, o: DiagnoseOptions, ctx: CliContext): Promise<void> {
  const shard = shardOf(o, process.env)!;
  if (datalogFile !== undefined) throw new OptionError(`--shard ${shard.index}/${shard.count} builds one shard of the fault dictionary and diagnoses nothing: leave out the datalog ${datalogFile} (merge the parts, then diagnose)`);
  const program = programLayoutOf(programFile) === "jsonl" ? await loadProgramStreamed(programFile) : loadProgram(programFile);
  const bench = loadProgramBench(program, programFile, o.testbench);
  checkProgramForBench(program, programFile, bench);
  const n = await writeDictionaryPart(o.out!, { program, programFile, bench }, shard, jobsOption(o), ctx.signal);
  ctx.out(`shard ${shard.index}/${shard.count}: ${n.faults.toLocaleString("en-US")} of ${n.of.toLocaleString("en-US")} faults, dictionary part written to ${o.out}`);
}

export const diagnoseCommand: CommandDefinition = {
  name: "diagnose",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("diagnose")
      .description(
        "Match the failing signature in a datalog (which vectors failed; missing, extra and shifted spikes) against " +
          "the program's fault dictionary (a no-drop fault simulation of every collapsed fault of the bench, cached on disk) " +
          "and print the best candidates with a match score (1 = predicts exactly what was observed). Faults the program " +
          "cannot tell apart are listed together; equivalent faults are one class.",
      )
      .argument("<program>", "the test program the datalog was measured with")
      .argument("[datalog]", "JSON Lines datalog written by `snn-atpg run --datalog` (none with --shard: a dictionary shard)")
      .option("--testbench <file|id>", "testbench of the program (default: the shipped bench it names)")
      .option("--limit <n>", "candidate groups to print", parseIntOption("--limit"), 5)
      .option("--cache-dir <dir>", "where fault dictionaries are cached (default ~/.cache/snn-atpg/dictionaries)")
      .option("--no-cache", "build the dictionary without reading or writing the cache")
      .option("--json", "print one JSON object: observed signature and ranked groups")
      .option("--html <file>", "also write the READ fail bitmap per layer (failing cells, the diagnosed shape, candidates) as a self-contained HTML file; programs with READ steps");
    addShardOptions(cmd, "a hash of the fault id", "dictionary faults");
    addJobsOption(cmd)
      .addHelpText(
        "after",
        "\nExit codes: 0 diagnosis printed, 2 bad input (program/datalog mismatch, malformed file).\n" +
          "\nExamples:\n  snn-atpg run fixtures/bench/black-pixel-4x1.program.json --inject dead-synapse@l0.r1.c0 --datalog chip.jsonl\n" +
          "  snn-atpg diagnose fixtures/bench/black-pixel-4x1.program.json chip.jsonl --limit 3\n" +
          "  snn-atpg diagnose march.json chip.jsonl --html chip.html",
      )
      .action(async (p: string, d: string | undefined, o: DiagnoseOptions, c: Command) => {
        if (shardOf(o, process.env)) return runDictionaryShard(p, d, o, ctx);
        if (d === undefined) throw new OptionError("diagnose: give the datalog after the program (or --shard i/N --out part.jsonl to build one shard of the program's fault dictionary)");
        await runDiagnose(p, d, o, ctx, runMetadata(c, ctx));
      });
  },
};
