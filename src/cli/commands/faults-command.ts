/**
 * `snn-atpg faults <testbench>`: the single-fault universe — counts per fault model
 * and per layer, uncollapsed and collapsed, and the collapsing rules. Counting does
 * not build fault objects, so bnn-784x1024x10 (3.6 M faults) takes about a second;
 * `--list` enumerates them.
 *
 *   snn-atpg faults black-pixel-4x1
 *   snn-atpg faults bnn-784x1024x10 --models dead-synapse,retention-flip --json
 *   snn-atpg faults black-pixel-4x1 --list --param resistive-open.resistanceOhms=inf
 */
import type { Command } from "commander";
import { jsonPieces } from "../../report/json-stream.ts";
import { compileNetwork } from "../../sim/compile.ts";
import { countFaultsAsync, enumerateFaultsAsync } from "../../faults/index.ts";
import { checkpoint } from "../../formats/interrupt-checkpoint.ts";
import { universeTableLines } from "../../report/universe-table.ts";
import { benchPath, loadBenchArg } from "../bench-file.ts";
import { parseIntOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { addUniverseOptions, checkSitesOption, universeSelection, type UniverseOptions } from "../universe-options.ts";

interface FaultsOptions extends UniverseOptions {
  json?: boolean;
  list?: boolean;
  limit: number;
  all?: boolean;
  collapse: boolean;
}

export async function runFaults(benchArg: string, o: FaultsOptions, ctx: CliContext): Promise<void> {
  const loaded = loadBenchArg(benchArg);
  const net = compileNetwork(loaded.bench);
  const sel = universeSelection(o);
  checkSitesOption(net, loaded.bench, sel.sites);
  const opts = { sites: sel.sites, params: sel.params, collapse: o.collapse };
  // bnn-784x1024x10 takes seconds: Ctrl-C is looked at after every column.
  const pause = () => checkpoint(ctx.signal);
  const universe = o.list ? await enumerateFaultsAsync(net, loaded.bench, sel.models, opts, pause) : null;
  const counts = universe ? universe.counts : await countFaultsAsync(net, loaded.bench, sel.models, opts, pause);
  const shown = universe ? (o.all ? universe.faults : universe.faults.slice(0, o.limit)) : [];
  if (o.json) {
    // In pieces: `--list --all` on a large bench is past the longest string V8 can hold.
    const pieces = jsonPieces({
      testbench: { id: loaded.bench.id, sha256: loaded.sha256, file: benchPath(benchArg) },
      models: sel.models.map((m) => ({ id: m.id, title: m.model.title, siteKinds: m.siteKinds, file: m.file, params: counts.params[m.id] })),
      counts,
      ...(universe ? { faults: shown.map((f) => ({ id: f.id, model: f.modelId, site: f.siteId, layer: f.layer, classSize: f.classSize, equivalents: f.equivalents ?? [] })) } : {}),
    });
    for (const piece of pieces) {
      ctx.out(piece);
      await ctx.drained?.(); // a slow reader holds the printing back (cli-context.ts)
    }
    return;
  }
  for (const line of universeTableLines({ testbench: loaded.bench.id, sha256: loaded.sha256, counts, models: sel.models.map((m) => ({ id: m.id, title: m.model.title, siteKinds: m.siteKinds })) })) ctx.out(line);
  if (universe) {
    ctx.out("");
    ctx.out(`faults (${o.collapse ? "collapsed representatives" : "uncollapsed"}): ${shown.length < universe.faults.length ? `first ${shown.length} of ${universe.faults.length} (--all lists every one)` : universe.faults.length}`);
    for (const f of shown) ctx.out(`  ${f.id}${f.equivalents ? `  ≡ ${f.equivalents.join(", ")}` : ""}`);
  }
}

export const faultsCommand: CommandDefinition = {
  name: "faults",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("faults")
      .description(
        "Enumerate every fault model (fault-models/*.json) at every site it applies to on the testbench, " +
          "collapse equivalent faults (same faulty behaviour for every stimulus) and print the counts per " +
          "model and per layer, with the collapsing rules. --json also prints the bench's sha256 (programs record it).",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. black-pixel-4x1)");
    addUniverseOptions(cmd)
      .option("--list", "also enumerate and print the faults (ids, with their equivalents)")
      .option("--limit <n>", "with --list: how many faults to print", parseIntOption("--limit"), 50)
      .option("--all", "with --list: print every fault")
      .option("--no-collapse", "do not collapse equivalent faults")
      .option("--json", "print one JSON object: testbench (id, sha256), models, counts (and faults with --list)")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg faults black-pixel-4x1 --list\n  snn-atpg faults bnn-784x1024x10 --models dead-synapse,retention-flip --json\n  snn-atpg faults black-pixel-4x1 --list --param resistive-open.resistanceOhms=inf",
      )
      .action(async (tb: string, o: FaultsOptions) => {
        await runFaults(tb, o, ctx);
      });
  },
};
