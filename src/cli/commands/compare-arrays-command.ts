/**
 * `snn-atpg compare-arrays <testbench…>`: the array phase's view of each bench's bit-cell
 * side by side, for the same march tests — sense window, READ margin in σ and the
 * good-chip READ failure it implies, the smallest open the READs catch per site class,
 * and the coverage of the array-phase program (src/characterise/array-comparison.ts).
 * The question a test engineer choosing between seed 003's single- and double-barrier
 * cells asks.
 *
 *   snn-atpg compare-arrays seed003-smtj-mlp-400x100x10 seed003-dmtj-mlp-400x100x10
 *   snn-atpg compare-arrays mlp-16x8x4 --read-scheme self-reference --json
 */
import type { Command } from "commander";
import { compareArray, withReadScheme, type ArrayComparison, type ReadSchemeKind } from "../../characterise/array-comparison.ts";
import { loadMarchTest } from "../../atpg/march/march-grammar.ts";
import { formatTable } from "../../report/format-table.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { formatOhms } from "../format-ohms.ts";

/** A margin in σ; a cell kind no variation can flip (the self-reference's known P cell) reads ∞. */
const sigmas = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} σ` : "∞ σ");

interface CompareArraysOptions {
  march: string[];
  readScheme: string;
  json?: boolean;
}

const schemeChoices: Record<string, readonly (ReadSchemeKind | null)[]> = {
  bench: [null],
  "midpoint-reference": ["midpoint-reference"],
  "self-reference": ["self-reference"],
  both: ["midpoint-reference", "self-reference"],
};

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const loss = (x: number) => (x < 1e-4 ? x.toExponential(1) : pct(x));

export async function runCompareArrays(benchArgs: string[], o: CompareArraysOptions, ctx: CliContext): Promise<void> {
  const schemes = schemeChoices[o.readScheme];
  if (!schemes) throw new OptionError(`--read-scheme expects one of ${Object.keys(schemeChoices).join(", ")}, got "${o.readScheme}"`);
  for (const id of o.march) loadMarchTest(id); // a bad march id fails before the long work
  const benches = benchArgs.map((b) => loadBenchArg(b));
  const rows: ArrayComparison[] = [];
  for (const loaded of benches) {
    for (const s of schemes) {
      if (ctx.signal.aborted) return;
      rows.push(await compareArray(s ? withReadScheme(loaded, s) : loaded, { march: o.march, signal: ctx.signal, onProgress: (l) => ctx.err(`  ${l}${s ? ` (${s})` : ""}`) }));
    }
  }
  if (o.json) {
    ctx.out(JSON.stringify({ march: o.march, rows }));
    return;
  }
  ctx.out(`array phase (${o.march.join(", ")}), the same program budget on each bench:`);
  const table: string[][] = [
    ["", ...rows.map((r) => r.bench)],
    ["READ scheme", ...rows.map((r) => r.readScheme)],
    ["R_P / R_AP", ...rows.map((r) => `${formatOhms(r.rLowOhms)} / ${formatOhms(r.rHighOhms)}`)],
    ["V_read", ...rows.map((r) => `${r.readVoltageV} V`)],
    ["sense window I_P − I_AP", ...rows.map((r) => `${r.senseWindowUa.toFixed(2)} µA`)],
    ["READ margin (P / AP cells)", ...rows.map((r) => `${sigmas(r.marginSigma.p)} / ${sigmas(r.marginSigma.ap)}`)],
    ["good chips failing a READ", ...rows.map((r) => loss(r.readYieldLoss))],
    ["smallest open caught: in series with the cell", ...rows.map((r) => formatOhms(r.minOpenOhms.series))],
    ["  in its read path", ...rows.map((r) => formatOhms(r.minOpenOhms.read))],
    ["  column segment at the sense input", ...rows.map((r) => formatOhms(r.minOpenOhms.segment))],
    ["steps", ...rows.map((r) => r.steps.toLocaleString("en-US"))],
    ["faults (memory-test universe)", ...rows.map((r) => r.coverage.faults.toLocaleString("en-US"))],
    ["FC / TC", ...rows.map((r) => `${pct(r.coverage.faultCoverage)} / ${pct(r.coverage.testCoverage)}`)],
  ];
  for (const line of formatTable(table[0], table.slice(1))) ctx.out(`  ${line}`);
}

export const compareArraysCommand: CommandDefinition = {
  name: "compare-arrays",
  register(program: Command, ctx: CliContext) {
    program
      .command("compare-arrays")
      .description(
        "For each testbench, build the array phase (the same march tests everywhere) and report the sense window of a " +
          "READ, the READ margin of the weakest good cell in σ of the bench's variation and the share of good chips it " +
          "fails, the smallest resistive open the READs catch (in series with a cell, in its read path, and in the column " +
          "segment at the sense input, found by bisection), and the coverage of the program over the memory-test fault " +
          "universe. --read-scheme both shows each bench with a midpoint reference and with a self-referenced READ.",
      )
      .argument("<testbench...>", "testbench files, or ids of shipped benches (e.g. seed003-smtj-mlp-400x100x10)")
      .option("--march <ids...>", "march tests, by id or file", ["march-c-minus-retention"])
      .option("--read-scheme <s>", "bench (as declared), midpoint-reference, self-reference, or both", "bench")
      .option("--json", "print one JSON object")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg compare-arrays seed003-smtj-mlp-400x100x10 seed003-dmtj-mlp-400x100x10\n  snn-atpg compare-arrays seed003-smtj-mlp-400x100x10 seed003-dmtj-mlp-400x100x10 --read-scheme both --json",
      )
      .action((tbs: string[], o: CompareArraysOptions) => runCompareArrays(tbs, o, ctx));
  },
};
