/**
 * The ternary-array chip kind (sim/chip-kind.ts) behind the ordinary commands: what
 * `coverage` and `generate` do when the bench has a `ternaryArray` block (Hou et al.,
 * ITC 2022). `ternary-coverage` is an alias of the same coverage.
 *
 *   snn-atpg coverage hou-itc22-n8 programs/hou-itc22-90n.json      → per-class DT/PD/ND, Hou's coverage
 *   snn-atpg generate hou-itc22-n8 -o hou-gen.json                 → our program, its ticks against 90·N
 *   snn-atpg run hou-gen.json --inject sif-r-w1@l0.r2.c0            → FAIL (exit 1), the failing step and row
 *
 * Fault models: the ternary-array models of `--models-dir` (default fault-models/hou-itc22/),
 * optionally only the ids of `--models`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { houAlgorithmProgram, houItc22Algorithm, programTicks } from "../atpg/hou-algorithm.ts";
import { generateTernaryProgram } from "../atpg/ternary-generator.ts";
import { loadFaultModels, type LoadedFaultModel } from "../faults/fault-model-loader.ts";
import { ternaryCoverage, type TernaryCoverage } from "../faultsim/ternary-coverage.ts";
import type { TernaryEngineId } from "../faultsim/ternary-engines.ts";
import { loadJsonFile } from "../formats/load-json.ts";
import { ternaryProgramSchema, type TernaryProgram } from "../formats/ternary-program-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { packageRoot } from "../package-root.ts";
import { formatTable } from "../report/format-table.ts";
import { executeTernaryProgram } from "../bench/ternary-executor.ts";
import { InjectionError } from "../faults/fault-injection.ts";
import { enumerateTernaryFaults } from "../faults/ternary-faults.ts";
import { targets, type TargetId } from "../targets/target-registry.ts";
import { loadProgramBench } from "./bench-file.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import { exitCodes } from "./exit-codes.ts";
import { writeOutputFile } from "./output-file.ts";
import { schemaRefFor } from "./schema-ref.ts";
import { modelIdsOption } from "./universe-options.ts";

/** The shipped ternary-array fault models (Hou's 20 classes). */
export const ternaryModelDir = join(packageRoot, "fault-models", "hou-itc22");

/** Whether a program file is a ternary-array program (by its `kind`; a .txt is Hou's algorithm text). */
export function isTernaryProgramFile(file: string): boolean {
  if (file.endsWith(".txt")) return true;
  if (!file.endsWith(".json") || !existsSync(file) || statSync(file).size > 16_000_000) return false;
  try {
    const text = readFileSync(file, "utf8");
    return text.includes('"ternary-array-program"') && (JSON.parse(text) as { kind?: unknown }).kind === "ternary-array-program";
  } catch {
    return false;
  }
}

/** A ternary program: our JSON, or Hou's test_algorithm.txt (`W`, `VTH`, `SWP`, `S`, `SZ`). */
export function readTernaryProgram(file: string, benchId: string): TernaryProgram {
  if (file.endsWith(".txt")) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new OptionError(`${file}: cannot read the algorithm (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return houAlgorithmProgram(text, benchId, file);
  }
  return loadJsonFile(file, ternaryProgramSchema);
}

/** The models a ternary command grades: `dirs` (default the Hou folder), only `ids` when given. */
export function ternaryModels(dirs: readonly string[] | undefined, ids: string | undefined): LoadedFaultModel[] {
  return loadFaultModels(dirs && dirs.length > 0 ? dirs : [ternaryModelDir], modelIdsOption(ids));
}

/** Options of `coverage` the ternary chip cannot honour (yet): each refused by name. */
const crossbarOnly: [string, string][] = [
  ["html", "--html"],
  ["out", "--out"],
  ["shard", "--shard"],
  ["faults", "--faults"],
  ["faultsOut", "--faults-out"],
  ["criticality", "--criticality"],
  ["sites", "--sites"],
];

export interface TernaryCoverageCliOptions {
  engine: string;
  json?: boolean;
  models?: string;
  modelsDir?: string[];
  [option: string]: unknown;
}

function checkEngine(engine: string): TernaryEngineId {
  if (engine !== "fast" && engine !== "reference") throw new OptionError(`--engine expects fast or reference, got "${engine}"`);
  return engine;
}

/** `coverage` on a ternary-array bench: grade, print the per-class table (or one JSON object). */
export function ternaryCoverageCli(bench: Testbench, program: TernaryProgram, o: TernaryCoverageCliOptions, ctx: CliContext): TernaryCoverage {
  for (const [key, flag] of crossbarOnly) {
    if (o[key] !== undefined && o[key] !== false) throw new OptionError(`${flag} is not available for a ternary-array bench (${bench.id}) yet: drop it (the ternary report is the per-class table, or --json)`);
  }
  if (Array.isArray(o.param) && o.param.length > 0) throw new OptionError(`--param is not available for a ternary-array bench (${bench.id}): give the fault models' defaults in their files`);
  const engine = checkEngine(o.engine);
  const models = ternaryModels(o.modelsDir, o.models);
  const c = ternaryCoverage(bench, program, models, engine);
  const rows = bench.layers[0].rows;
  const ticks = programTicks(program, rows);
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, chipKind: "ternary-array", steps: program.steps.map((s) => s.id), ticks, engine, byModel: c.byModel, total: c.total, goodChipFails: c.result.goodChipFails }));
  } else {
    ctx.out(`${bench.id}: ${program.steps.map((s) => s.id).join(" ")} — ${ticks} ticks, ${c.total.all} faults of ${models.length} models (${engine} engine)`);
    const line = (id: string, k: typeof c.total) => [id, String(k.all), String(k.DT), String(k.PD), String(k.ND), `${k.coveragePercent.toFixed(2)} %`];
    for (const l of formatTable(["model", "all", "DT", "PD", "ND", "coverage"], [...Object.entries(c.byModel).map(([id, k]) => line(id, k)), line("total", c.total)])) ctx.out(l);
  }
  for (const f of c.result.goodChipFails.slice(0, 5)) ctx.err(`warning: the good chip fails ${f.stepId} on row ${f.row} (${f.signature.join(" ")}): the program is no test of this bench's band`);
  return c;
}

export interface TernaryGenerateCliOptions {
  output: string;
  json?: boolean;
  models?: string;
  thresholdStep?: number;
  maxThreshold?: number;
}

/** The bench with every cell of every band at one edge: the good chips at the band's corners. */
function atBandEdge(tb: Testbench, edge: 0 | 1): Testbench {
  const t = tb.ternaryArray!;
  const at = (b: readonly [number, number]): [number, number] => [b[edge], b[edge]];
  return { ...tb, ternaryArray: { ...t, dvBands: { plus: at(t.dvBands.plus), zero: at(t.dvBands.zero), minus: at(t.dvBands.minus) } } };
}

/**
 * `generate` on a ternary-array bench: our program (ternary-generator.ts), graded beside
 * Hou's 90·N algorithm on the same bench and models, and checked on the good chips at
 * both corners of the band (every cell at the band's low, then high edge).
 */
export function ternaryGenerateCli(bench: Testbench, o: TernaryGenerateCliOptions, ctx: CliContext): void {
  const models = ternaryModels(undefined, o.models);
  const g = generateTernaryProgram(bench, models, { thresholdStep: o.thresholdStep, maxThreshold: o.maxThreshold });
  const ours = ternaryCoverage(bench, g.program, models, "fast");
  const hou = houAlgorithmProgram(houItc22Algorithm, bench.id);
  const theirs = ternaryCoverage(bench, hou, models, "fast");
  const cornerFails = ([0, 1] as const).flatMap((e) => ternaryCoverage(atBandEdge(bench, e), g.program, [], "fast").result.goodChipFails);
  const rows = bench.layers[0].rows;
  writeOutputFile(o.output, JSON.stringify({ $schema: schemaRefFor(o.output, "ternary-program.schema.json"), ...g.program }, null, 2) + "\n", "-o");
  const summary = {
    testbench: bench.id,
    chipKind: "ternary-array",
    steps: g.program.steps.map((s) => s.id),
    ticksPerRow: g.ticksPerRow,
    ticks: programTicks(g.program, rows),
    coveragePercent: ours.total.coveragePercent,
    hou: { ticksPerRow: programTicks(hou, 1), ticks: programTicks(hou, rows), coveragePercent: theirs.total.coveragePercent },
    goodChipFails: ours.result.goodChipFails.length + cornerFails.length,
    untestable: g.untestable,
    files: [o.output],
  };
  if (o.json) ctx.out(JSON.stringify(summary));
  else {
    ctx.out(`${bench.id}: ${summary.steps.join(" ")}`);
    ctx.out(`length: ${summary.ticksPerRow}·N = ${summary.ticks} ticks (Hou et al.'s algorithm: ${summary.hou.ticksPerRow}·N = ${summary.hou.ticks} ticks)`);
    ctx.out(`coverage: ${summary.coveragePercent.toFixed(2)} % of ${ours.total.all} faults (Hou's algorithm on this bench: ${summary.hou.coveragePercent.toFixed(2)} %); good chips at both band corners and the seeded chip: ${summary.goodChipFails === 0 ? "pass" : `${summary.goodChipFails} failing vector(s)`}`);
    for (const u of g.untestable) ctx.out(`untestable under the band: ${u.model} after writing ${u.value} (dV ${u.dvRange.join("…")} reaches into [${u.band.join(", ")}])`);
    ctx.out(`wrote ${o.output}`);
  }
  if (summary.goodChipFails > 0) ctx.setExit(exitCodes.deviceFailed);
}

/** `--inject <model>@l0.r<row>.c<col>` on a ternary-array bench: the fault's cell-write rule. */
export function resolveTernaryInjection(bench: Testbench, spec: string) {
  const m = /^([a-z0-9-]+)@l0\.r(\d+)\.c(\d+)$/.exec(spec);
  if (!m) throw new InjectionError(`--inject expects <model>@l0.r<row>.c<col> on a ternary-array bench (e.g. sif-r-w1@l0.r2.c0), got "${spec}"`);
  const fault = enumerateTernaryFaults(bench, ternaryModels(undefined, m[1])).find((f) => f.id === spec);
  if (!fault) throw new InjectionError(`--inject ${spec}: ${bench.id} has no such site (rows 0..${bench.layers[0].rows - 1}, columns 0..${bench.layers[0].cols - 1})`);
  return fault;
}

export interface TernaryRunCliOptions {
  target: string;
  testbench?: string;
  port?: string;
  baud: number;
  profile?: string;
  inject?: string;
  datalog?: string;
  stdf?: string;
  resume?: boolean;
  json?: boolean;
  timeoutMs: number;
  attempts: number;
}

/** `run` of a ternary-array program: apply it to the target, print each spike step's rows and the verdict. */
export async function ternaryRunCli(programFile: string, o: TernaryRunCliOptions, ctx: CliContext): Promise<void> {
  for (const [v, flag] of [[o.datalog, "--datalog"], [o.stdf, "--stdf"], [o.resume, "--resume"]] as const) {
    if (v) throw new OptionError(`${flag} is not available for a ternary-array program (${programFile}) yet: the datalog format records crossbar vectors; drop it (--json prints the whole result)`);
  }
  if (!(o.target in targets)) throw new OptionError(`--target must be one of ${Object.keys(targets).join(", ")}; got "${o.target}"`);
  if (programFile.endsWith(".txt") && !o.testbench) throw new OptionError(`${programFile}: Hou's algorithm text names no bench: pass --testbench (e.g. hou-itc22-n8)`);
  const named = programFile.endsWith(".txt") ? { testbench: { id: o.testbench! } } : (JSON.parse(readFileSync(programFile, "utf8")) as { testbench: { id: string } });
  const { bench } = loadProgramBench(named, programFile, o.testbench);
  const program = readTernaryProgram(programFile, bench.id);
  const fault = o.inject ? resolveTernaryInjection(bench, o.inject) : undefined;
  const target = targets[o.target as TargetId]({ bench, port: o.port, baud: o.baud, profile: o.profile, cellWriteRule: fault?.rule, replyTimeoutMs: o.timeoutMs, maxAttempts: o.attempts, signal: ctx.signal });
  const r = await executeTernaryProgram(target, bench, program, { targetName: o.target, programFile, signal: ctx.signal });
  if (o.json) {
    ctx.out(JSON.stringify({ chipKind: "ternary-array", testbench: bench.id, target: o.target, injectedFault: fault?.id, verdict: r.verdict, vectors: r.vectors, ticks: programTicks(program, bench.layers[0].rows), failing: r.failing, steps: r.steps }));
  } else {
    ctx.out(`${bench.id} on ${o.target}${fault ? ` (injected ${fault.id})` : ""}: ${programTicks(program, bench.layers[0].rows)} ticks, ${r.vectors} vectors`);
    for (const s of r.steps) {
      if (!s.rows) continue;
      const bad = s.rows.filter((x) => x.verdict === "fail");
      ctx.out(`  ${s.id}: ${bad.length === 0 ? `${s.rows.length}/${s.rows.length} rows pass` : `FAIL on row${bad.length > 1 ? "s" : ""} ${bad.map((x) => `${x.row} (${x.signature.join(" ")})`).join(", ")}`}`);
    }
    ctx.out(r.verdict === "pass" ? "PASS" : `FAIL: ${r.failing.length} failing vector(s), first ${r.failing[0].stepId} row ${r.failing[0].row}`);
  }
  if (r.verdict === "fail") ctx.setExit(exitCodes.deviceFailed);
}
