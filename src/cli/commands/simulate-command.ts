/**
 * `snn-atpg simulate <testbench>`: apply one stimulus to the in-process simulator and
 * print the column currents and every spike.
 *
 *   snn-atpg simulate black-pixel-4x1 --pattern 1111 --windows 3
 *   snn-atpg simulate black-pixel-4x1 --pattern 1111 --open rop1=16000 --json
 *   snn-atpg simulate hou-itc22-n8 --write-all 1 --pattern 10000000 --windows 41   # a ternary-array bench
 */
import type { Command } from "commander";
import { compileNetwork } from "../../sim/compile.ts";
import { encode } from "../../sim/coding.ts";
import { simulateNetwork } from "../../sim/network.ts";
import { applyPerturbations, type Perturbation } from "../../sim/perturbation.ts";
import { resolveSite } from "../../sim/sites.ts";
import { patternEvents, type Stimulus } from "../../sim/stimulus.ts";
import { loadBenchArg } from "../bench-file.ts";
import type { Testbench } from "../../formats/testbench-format.ts";
import { chipKindOf } from "../../sim/chip-kind.ts";
import { createTernarySimulatedChip } from "../../targets/ternary-simulated-chip.ts";
import { OptionError, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { addStimulusOptions, parsePatternOption, type StimulusOptions } from "../stimulus-options.ts";

interface SimulateOptions extends StimulusOptions {
  intensities?: string;
  writeAll?: string;
  open: string[];
  json?: boolean;
}

function parseOpen(spec: string): { site: string; ohms: number } {
  const m = /^([^=]+)=([0-9.eE+]+)(k|M)?$/.exec(spec);
  if (!m) throw new OptionError(`--open expects <site>=<ohms> (e.g. rop1=16000 or l0.c0.seg0=16k), got "${spec}"`);
  const mult = m[3] === "k" ? 1e3 : m[3] === "M" ? 1e6 : 1;
  return { site: m[1], ohms: Number(m[2]) * mult };
}

export function runSimulate(benchArg: string, o: SimulateOptions, ctx: CliContext): void {
  const { bench, file } = loadBenchArg(benchArg);
  if (chipKindOf(bench) === "ternary-array") return simulateTernary(bench, file, o, ctx);
  if (o.writeAll !== undefined) throw new OptionError(`--write-all writes −1/0/+1 to a ternary-array bench; ${bench.id} is a crossbar (program it with a WRITE step in a program)`);
  let net = compileNetwork(bench);
  const rows = net.layers[0].rows;
  const iwPs = o.iwPs ?? bench.timing.iwPs;
  const lwPs = o.lwPs ?? bench.timing.lwPs;
  if (o.windows < 1) throw new OptionError("--windows must be at least 1");
  let events;
  if (o.intensities !== undefined) {
    const values = o.intensities.split(",").map(Number);
    if (values.length !== rows || values.some((v) => !Number.isFinite(v))) {
      throw new OptionError(`--intensities expects ${rows} comma-separated numbers for ${file}, got "${o.intensities}"`);
    }
    events = encode(bench.coding, values, { windows: o.windows, iwPs, lwPs });
  } else {
    const patterns = parsePatternOption(o.pattern, rows, file) ?? ["1".repeat(rows)];
    events = patternEvents(patterns, o.windows, iwPs, lwPs);
  }
  const perturbations: Perturbation[] = o.open.map((spec) => {
    const { site, ohms } = parseOpen(spec);
    const s = resolveSite(net, site, bench.siteAliases);
    if (s.kind === "neuron") throw new OptionError(`--open ${spec}: a neuron is not an open site (use a segment or a cell)`);
    return { site: s, quantity: "ohms", op: "add", value: ohms };
  });
  net = applyPerturbations(net, perturbations);
  const stim: Stimulus = { iwPs, lwPs, windows: o.windows, events };
  const result = simulateNetwork(net, stim);
  const last = result.layers[result.layers.length - 1];
  const firstActive = result.layers.map((l) => {
    const s = l.segments.findIndex((seg) => seg.activeRows.length > 0);
    return s < 0 ? Array.from({ length: l.currentsUa[0]?.length ?? 0 }, () => 0) : Array.from(l.currentsUa[s]);
  });
  const spikes = result.spikes.map((s) => ({ layer: s.layer, neuron: s.neuron, window: s.window, timePs: s.timePs }));
  if (o.json) {
    ctx.out(
      JSON.stringify({
        testbench: bench.id,
        iwPs,
        lwPs,
        windows: o.windows,
        events,
        opens: o.open.map(parseOpen),
        columnCurrentsUa: firstActive[firstActive.length - 1],
        layerCurrentsUa: firstActive,
        spikes,
      }),
    );
    return;
  }
  ctx.out(`${bench.id}: ${o.windows} window(s) of IW ${iwPs} ps + LW ${lwPs} ps, ${events.length} input event(s)`);
  if (perturbations.length) ctx.out(`opens: ${o.open.join(", ")}`);
  ctx.out(`column currents in the first driven interval, last layer (µA): ${firstActive[firstActive.length - 1].map((c) => c.toFixed(2)).join(" ")}`);
  if (last.spikes.length === 0 && result.spikes.length === 0) ctx.out("no spikes");
  for (const s of spikes) ctx.out(`spike  layer ${s.layer} neuron ${s.neuron}  window ${s.window + 1} (index ${s.window})  t = ${s.timePs} ps`);
}

/** A ternary-array bench (Hou et al.): the chip behind every target, optionally after writing one value everywhere; prints each column's dV and the spikes. */
function simulateTernary(bench: Testbench, file: string, o: SimulateOptions, ctx: CliContext): void {
  if (o.intensities !== undefined || o.open.length > 0) throw new OptionError(`${o.open.length > 0 ? "--open" : "--intensities"} is for crossbar benches; ${bench.id} is a ternary array (use --pattern, and --write-all -1|0|1)`);
  if (o.windows < 1) throw new OptionError("--windows must be at least 1");
  const chip = createTernarySimulatedChip({ bench });
  if (o.writeAll !== undefined) {
    const v = Number(o.writeAll);
    if (v !== -1 && v !== 0 && v !== 1) throw new OptionError(`--write-all expects -1, 0 or 1, got "${o.writeAll}"`);
    chip.ternary.writeAll(v);
  }
  const { iwPs, lwPs } = chip.setTiming(o.iwPs ?? bench.timing.iwPs, o.lwPs ?? bench.timing.lwPs);
  const patterns = parsePatternOption(o.pattern, chip.info.inputs, file) ?? ["1".repeat(chip.info.inputs)];
  const events = patternEvents(patterns, o.windows, iwPs, lwPs);
  const spikes = chip.fire({ events, windows: o.windows, salt: 0 }).map((s) => ({ layer: 0, neuron: s.output, window: Math.floor(s.timePs / (iwPs + lwPs)), timePs: s.timePs }));
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, chipKind: "ternary-array", writeAll: o.writeAll === undefined ? null : Number(o.writeAll), iwPs, lwPs, windows: o.windows, events, spikes }));
    return;
  }
  ctx.out(`${bench.id} (ternary array, V_th ${bench.ternaryArray!.restingPotential + bench.neuron.threshold}, up): ${o.windows} tick(s) of IW ${iwPs} ps + LW ${lwPs} ps, ${events.length} input event(s)${o.writeAll !== undefined ? `, after writing ${o.writeAll} everywhere` : ", mission weights"}`);
  if (spikes.length === 0) ctx.out("no spikes");
  for (const s of spikes) ctx.out(`spike  neuron ${s.neuron}  tick ${s.window + 1} (index ${s.window})  t = ${s.timePs} ps`);
}

export const simulateCommand: CommandDefinition = {
  name: "simulate",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("simulate")
      .description(
        "Apply one stimulus to the in-process MTJ SNN simulator. " +
          "The stimulus is a binary pattern applied at the start of every window (--pattern), " +
          "or pixel intensities encoded with the bench's coding (--intensities).",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. black-pixel-4x1)");
    addStimulusOptions(cmd)
      .option("--intensities <list>", "pixel intensities, comma-separated, encoded with the bench's coding (instead of --pattern)")
      .option("--open <site=ohms>", "add a resistive open (repeatable), e.g. rop1=16000 or l0.c0.seg0=16k", (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option("--write-all <value>", "ternary-array benches: write -1, 0 or 1 to every synapse first (Hou's W d)")
      .option("--json", "print one JSON object: spikes, columnCurrentsUa, …")
      .addHelpText("after", "\nExamples:\n  snn-atpg simulate black-pixel-4x1 --pattern 1111 --windows 3\n  snn-atpg simulate black-pixel-4x1 --open rop1=16k --json\n  snn-atpg simulate hou-itc22-n8 --write-all 1 --pattern 10000000 --windows 41")
      .action((tb: string, o: SimulateOptions) => runSimulate(tb, o, ctx));
  },
};
