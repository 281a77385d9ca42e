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
import { compileNetwork } from "../../sim/compile.ts";
import { countFaults, enumerateFaults, loadFaultModels, parseParamAssignments, defaultFaultModelDir } from "../../faults/index.ts";
import { universeTableLines } from "../../report/universe-table.ts";
import { benchPath, loadBenchArg } from "../bench-file.ts";
import { OptionError, parseIntOption, type CliContext, type CommandDefinition } from "../cli-context.ts";

/** Options shared by `faults` and `coverage` to pick the fault universe. */
export interface UniverseOptions {
  models?: string;
  modelsDir: string[];
  sites?: string;
  param: string[];
}

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(",").map((x) => x.trim()).filter(Boolean));

/** The --models ids; an option given with no id in it (`--models ,`) is a mistake, not "no models". */
export function modelIdsOption(models: string | undefined): string[] | undefined {
  const ids = list(models);
  if (ids && ids.length === 0) throw new OptionError(`--models expects comma-separated fault-model ids (e.g. dead-synapse,resistive-open), got "${models}"; leave it out for every model`);
  return ids;
}

/** Resolve the universe options (throws located InputErrors for unknown ids). */
export function universeSelection(o: UniverseOptions) {
  const dirs = o.modelsDir.length > 0 ? o.modelsDir : [defaultFaultModelDir];
  const ids = modelIdsOption(o.models);
  return { dirs, ids, models: loadFaultModels(dirs, ids), sites: list(o.sites), params: parseParamAssignments(o.param) };
}

/** Add the universe options to a command. */
export function addUniverseOptions(cmd: Command): Command {
  return cmd
    .option("--models <ids>", "comma-separated fault-model ids (default: every model in the model directories)")
    .option("--models-dir <dir>", "directory of fault-model files (repeatable; default: the shipped fault-models/)", (v: string, p: string[]) => [...p, v], [] as string[])
    .option("--sites <ids>", "only faults at these sites (comma-separated ids or testbench aliases, e.g. rop1,l0.r2.c0)")
    .option("--param <model.name=value>", "override a fault-model parameter (repeatable), e.g. resistive-open.resistanceOhms=16k or =inf", (v: string, p: string[]) => [...p, v], [] as string[]);
}

interface FaultsOptions extends UniverseOptions {
  json?: boolean;
  list?: boolean;
  limit: number;
  all?: boolean;
  collapse: boolean;
}

export function runFaults(benchArg: string, o: FaultsOptions, ctx: CliContext): void {
  const loaded = loadBenchArg(benchArg);
  const net = compileNetwork(loaded.bench);
  const sel = universeSelection(o);
  const opts = { sites: sel.sites, params: sel.params, collapse: o.collapse };
  const universe = o.list ? enumerateFaults(net, loaded.bench, sel.models, opts) : null;
  const counts = universe ? universe.counts : countFaults(net, loaded.bench, sel.models, opts);
  const shown = universe ? (o.all ? universe.faults : universe.faults.slice(0, o.limit)) : [];
  if (o.json) {
    ctx.out(
      JSON.stringify({
        testbench: { id: loaded.bench.id, sha256: loaded.sha256, file: benchPath(benchArg) },
        models: sel.models.map((m) => ({ id: m.id, title: m.model.title, siteKinds: m.siteKinds, file: m.file, params: counts.params[m.id] })),
        counts,
        ...(universe ? { faults: shown.map((f) => ({ id: f.id, model: f.modelId, site: f.siteId, layer: f.layer, classSize: f.classSize, equivalents: f.equivalents ?? [] })) } : {}),
      }),
    );
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
      .summary("list the single-fault universe of a testbench: counts per model, uncollapsed and collapsed")
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
      .action((tb: string, o: FaultsOptions) => runFaults(tb, o, ctx));
  },
};
