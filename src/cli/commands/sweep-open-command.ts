/**
 * `snn-atpg sweep-open <testbench>`: minimum detectable resistance of an open at a site
 * (seed 000 tables IV and VI), or the whole table VI layout with `--table`.
 *
 *   snn-atpg sweep-open black-pixel-4x1 --site rop1
 *   snn-atpg sweep-open black-pixel-4x1 --table
 *   snn-atpg sweep-open black-pixel-4x1 --site l0.c0.seg1 --pattern 1111 --iw-ps 1200 --json
 */
import type { Command } from "commander";
import { resolveOpenSite, sweepOpen, type DetectionCriterion, type OpenSweepResult } from "../../characterise/open-sweep.ts";
import { assembleWindowTable, tableVIConditions, windowTableCases, defaultTableSites, type TableVICondition } from "../../characterise/window-sensitivity-table.ts";
import { openSweepsOnPool } from "../../characterise/campaign-runs.ts";
import { addJobsOption, jobsOption, withJobPool, type JobsOptions } from "../jobs-option.ts";
import { InputError } from "../../formats/errors.ts";
import { compileNetwork, type CompiledNetwork } from "../../sim/compile.ts";
import type { Testbench } from "../../formats/testbench-format.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, parseNumberOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { addStimulusOptions, parsePatternOption, type StimulusOptions } from "../stimulus-options.ts";
import { formatTable } from "../../report/format-table.ts";
import { formatOhms } from "../format-ohms.ts";
import { default40nmNmos, inCellTable } from "../../characterise/in-cell-opens.ts";

interface SweepOpenOptions extends StimulusOptions, JobsOptions {
  site?: string;
  criterion: string;
  tolerance: number;
  table?: boolean;
  inCell?: boolean;
  json?: boolean;
}

function describeSpikes(r: OpenSweepResult): string {
  if (r.goodSpikes.length === 0) return "no spike (an open can only remove current: nothing to detect with this stimulus)";
  return r.goodSpikes.map((s) => `output ${s.output} window ${s.window} (${s.timePs} ps)`).join(", ");
}

export async function runSweepOpen(benchArg: string, o: SweepOpenOptions, ctx: CliContext): Promise<void> {
  const { bench, file } = loadBenchArg(benchArg);
  const net = compileNetwork(bench);
  if (o.criterion !== "presence" && o.criterion !== "windows") {
    throw new OptionError(`--criterion expects presence or windows, got "${o.criterion}"`);
  }
  const criterion = o.criterion as DetectionCriterion;
  if (!(o.tolerance > 0 && o.tolerance < 1)) throw new OptionError(`--tolerance expects a fraction in (0, 1), e.g. 0.01, got ${o.tolerance}`);
  if (o.windows < 1) throw new OptionError("--windows must be at least 1");
  const rows = net.layers[0].rows;
  if (o.inCell) return printInCellTable(net, bench, file, o, ctx);
  const pattern = parsePatternOption(o.pattern, rows, file);
  const sites = o.site?.split(",").map((s) => s.trim()) ?? (o.table ? defaultTableSites(bench) : []);
  if (sites.length === 0) {
    throw new OptionError(o.table ? `--table needs --site on ${file}: the bench defines no rop* aliases` : "--site <id> is required (e.g. rop1 or l0.c0.seg0), or use --table");
  }
  for (const s of sites) {
    try {
      resolveOpenSite(net, s, bench.siteAliases);
    } catch (err) {
      if (err instanceof InputError) throw new OptionError(`--site ${s}: ${file}: ${err.message}`);
      throw err;
    }
  }
  const jobs = jobsOption(o);
  const common = { pattern, windows: o.windows, iwPs: o.iwPs, lwPs: o.lwPs, criterion };
  const tableOptions = { ...common, sites, tolerance: o.tolerance };
  // The sweeps are independent cases: on the pool with --jobs ≥ 2, in this thread otherwise (same results).
  const cases = o.table ? windowTableCases(bench, tableOptions) : sites.map((site) => ({ ...common, site, aliases: bench.siteAliases, relTolerance: o.tolerance }));
  const results = await withJobPool(jobs, cases.length, async (pool) => (pool ? openSweepsOnPool(pool, bench, cases, ctx.signal) : cases.map((c) => sweepOpen(net, c))));
  if (o.table) {
    const t = assembleWindowTable(bench, tableOptions, results);
    if (o.json) {
      ctx.out(JSON.stringify({ testbench: bench.id, criterion, tolerance: o.tolerance, ...t }));
      return;
    }
    const keys = Object.keys(tableVIConditions) as TableVICondition[];
    ctx.out(
      `${bench.id}: minimum detectable open, pattern ${(pattern ?? ["1".repeat(rows)]).join(",")} over ${o.windows} window(s), ` +
        `base IW ${t.iwPs} ps + LW ${t.lwPs} ps, criterion ${criterion}, bisection to ${o.tolerance * 100} %`,
    );
    const anyPaper = t.rows.some((r) => r.paper);
    const head = ["site", ...keys.map((k) => tableVIConditions[k].title + (anyPaper ? "  (ours / seed 000)" : ""))];
    const lines = t.rows.map((r) => [
      r.site,
      ...keys.map((k) => formatOhms(r.cells[k].minDetectableOhms) + (r.paper ? ` / ${formatOhms(r.paper[k])}` : "")),
    ]);
    for (const line of formatTable(head, lines, { align: head.map(() => "left"), gap: 3 })) ctx.out(line);
    return;
  }
  if (o.json) {
    ctx.out(JSON.stringify(results.length === 1 ? { testbench: bench.id, tolerance: o.tolerance, ...results[0] } : { testbench: bench.id, tolerance: o.tolerance, results }));
    return;
  }
  for (const r of results) {
    const name = r.alias ? `${r.alias} (${r.siteId})` : r.siteId;
    ctx.out(`${bench.id}: open at ${name}, pattern ${r.pattern.join(",")} over ${r.windows} window(s) of IW ${r.iwPs} ps + LW ${r.lwPs} ps`);
    ctx.out(`  good chip: ${describeSpikes(r)}`);
    if (r.detectable) {
      ctx.out(
        `  minimum detectable open: ${formatOhms(r.minDetectableOhms)} (not detected at ${formatOhms(r.maxUndetectedOhms)}; ` +
          `criterion ${r.criterion}, ${r.simulations} simulations)`,
      );
    } else {
      ctx.out(`  not detectable: no change in the response up to ${formatOhms(r.maxUndetectedOhms)} (criterion ${r.criterion})`);
    }
  }
}

/** `--in-cell`: seed 000's opens with transistor-level cells (docs/in-cell-opens.md). */
function printInCellTable(net: CompiledNetwork, bench: Testbench, file: string, o: SweepOpenOptions, ctx: CliContext): void {
  if (net.layers[0].rows !== 4 || o.pattern !== undefined) {
    throw new OptionError(`--in-cell models seed 000's four-cell column under 1111 (a black-pixel-4x1 bench); ${file} has ${net.layers[0].rows} rows${o.pattern !== undefined ? " and --pattern is not supported" : ""}`);
  }
  const t = inCellTable(net, bench, { iwPs: o.iwPs, lwPs: o.lwPs, windows: o.windows });
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, transistor: default40nmNmos, ...t }));
    return;
  }
  ctx.out(
    `${bench.id}: opens with a level-1 access nMOS (V_t ${default40nmNmos.vtV} V, λ ${default40nmNmos.lambdaPerV}/V, β ${(t.betaAPerV2 * 1e6).toFixed(1)} µA/V² for table III's one-cell current); ` +
      `the neuron fires at ≥ ${t.thresholdUa.toFixed(2)} µA over ${o.windows} window(s)`,
  );
  const lines = t.rows.map((r) => [r.open, formatOhms(r.predictedOhms), formatOhms(r.paperOhms), r.where]);
  for (const line of formatTable(["open", "ours", "seed 000", "where"], lines, { align: ["left", "left", "left", "left"], gap: 3 })) ctx.out(line);
}

export const sweepOpenCommand: CommandDefinition = {
  name: "sweep-open",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("sweep-open")
      .description(
        "Find the smallest series open (ohms added at a column segment or in a cell) that changes the chip's " +
          "observable response to one stimulus: bracket by doubling from 100 Ω, then bisect to --tolerance.\n" +
          "Criterion presence (default, seed 000's): an output that should spike no longer spikes in the run.\n" +
          "Criterion windows: any change in which windows the outputs spike in.\n" +
          "--table prints seed 000 table VI's layout: sites × {original, IW+0.2 ns, LW−0.1 ns}, with the " +
          "paper's numbers beside ours on black-pixel-4x1.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. black-pixel-4x1)")
      .option("--site <id>", "site id or alias (rop1, l0.c0.seg1, l0.r2.c0.series); comma-separate several");
    addJobsOption(addStimulusOptions(cmd))
      .option("--criterion <name>", "presence | windows", "presence")
      .option("--tolerance <fraction>", "bisection stops when the bracket is within this fraction", parseNumberOption("--tolerance"), 0.01)
      .option("--table", "seed 000 table VI layout for the sites (default: the bench's rop* aliases)")
      .option("--in-cell", "seed 000's rop1–rop7 with transistor-level cells (tables IV–V; docs/in-cell-opens.md)")
      .option("--json", "print one JSON object")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg sweep-open black-pixel-4x1 --site rop1\n  snn-atpg sweep-open black-pixel-4x1 --table\n" +
          "  snn-atpg sweep-open black-pixel-4x1 --site rop2 --iw-ps 1200 --json",
      )
      .action((tb: string, o: SweepOpenOptions) => runSweepOpen(tb, o, ctx));
  },
};
