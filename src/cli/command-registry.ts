/**
 * The registry of CLI commands, in the order `--help` lists them: each command's name,
 * the one-line summary `--help` shows, and how to load its module. Modules load lazily —
 * `main` imports only the module of the command being run (none for `--version` and
 * `--help`), which keeps start-up near bare Node's (README, "Start-up").
 * Adding a command: write src/cli/commands/<name>-command.ts and add it here.
 *
 *   const def = await commands.find((c) => c.name === "simulate")!.load();
 */
import type { CommandDefinition } from "./cli-context.ts";

/** One command: what `--help` lists without loading it, and its module. */
export interface CommandEntry {
  name: string;
  /** The line `snn-atpg --help` shows; also the command's own summary (set by main). */
  summary: string;
  /** Import the command's module (a separate chunk in dist/). */
  load(): Promise<CommandDefinition>;
}

export const commands: readonly CommandEntry[] = [
  { name: "demo", summary: "the default job: generate → coverage → good and faulty emulated runs → diagnosis (what `npm start` runs)", load: async () => (await import("./commands/demo-command.ts")).demoCommand },
  { name: "simulate", summary: "simulate one stimulus on a testbench and print currents and spikes", load: async () => (await import("./commands/simulate-command.ts")).simulateCommand },
  { name: "sweep-open", summary: "minimum detectable open resistance at a site (seed 000 tables IV and VI)", load: async () => (await import("./commands/sweep-open-command.ts")).sweepOpenCommand },
  { name: "retention", summary: "expected and Monte-Carlo AP→P retention flips per step and layer (seed 004)", load: async () => (await import("./commands/retention-command.ts")).retentionCommand },
  { name: "lifetime", summary: "MNIST accuracy of a trained chip over the years under retention flips (seed 004 figs. 7, 14)", load: async () => (await import("./commands/lifetime-command.ts")).lifetimeCommand },
  { name: "ports", summary: "list serial ports (boards, instruments)", load: async () => (await import("./commands/ports-command.ts")).portsCommand },
  { name: "run", summary: "apply a test program to a device (sim, serial board, SCPI) with a datalog", load: async () => (await import("./commands/run-command.ts")).runCommand },
  { name: "emulate", summary: "emulate a PROTOCOL.md test board on a serial port (simulator behind it)", load: async () => (await import("./commands/emulate-command.ts")).emulateCommand },
  { name: "diagnose", summary: "rank the faults that explain a failing device's datalog", load: async () => (await import("./commands/diagnose-command.ts")).diagnoseCommand },
  { name: "emulate-scpi", summary: "emulate the SCPI instruments of a profile on a serial port (simulator behind them)", load: async () => (await import("./commands/emulate-scpi-command.ts")).emulateScpiCommand },
  { name: "device", summary: "macrospin MTJ spin-Hall neuron: constants, switching curves, magnetisation traces", load: async () => (await import("./commands/device-command.ts")).deviceCommand },
  { name: "calibrate", summary: "fit a testbench's behavioural neuron to the macrospin device model", load: async () => (await import("./commands/calibrate-command.ts")).calibrateCommand },
  { name: "generate", summary: "generate a test program (ATPG) with expected responses, guard bands and compaction", load: async () => (await import("./commands/generate-command.ts")).generateCommand },
  { name: "faults", summary: "list the single-fault universe of a testbench: counts per model, uncollapsed and collapsed", load: async () => (await import("./commands/faults-command.ts")).faultsCommand },
  { name: "coverage", summary: "fault-simulate a test program: coverage by fault model, FC/TC, undetected faults", load: async () => (await import("./commands/coverage-command.ts")).coverageCommand },
  { name: "merge", summary: "join the parts of a sharded coverage, lifetime or dictionary run into one report", load: async () => (await import("./commands/merge-command.ts")).mergeCommand },
  { name: "compare-arrays", summary: "compare bit-cells for the memory test: sense window, READ margin and yield, smallest open caught, coverage", load: async () => (await import("./commands/compare-arrays-command.ts")).compareArraysCommand },
  { name: "calibrate-layers", summary: "per-layer neuron critical current and gain from the layer's own currents (new benches)", load: async () => (await import("./commands/calibrate-layers-command.ts")).calibrateLayersCommand },
  { name: "ternary-coverage", summary: "fault coverage of a program on a ternary (differential-pair) array: Hou et al. ITC 2022", load: async () => (await import("./commands/ternary-coverage-command.ts")).ternaryCoverageCommand },
];
