/**
 * The shape of the import graph (test/architecture/import-graph.ts walks src/): no
 * import cycle anywhere in src/, and no command module importing another command
 * module — what two commands share lives in the library or in a small src/cli/ helper.
 * Start-up: the entry point loads no command module at once (each is imported when its
 * command runs, so `--version` and `--help` load none).
 * Each check is first shown to catch a hand-made violation, so a walker that found
 * no imports at all could not pass.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-cli.ts";
import { findCycles, importGraph, reachable } from "./import-graph.ts";

const graph = importGraph(join(repoRoot, "src"));

const commandFile = /^cli\/commands\/[^/]+\.ts$/;
function commandToCommand(g: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [f, deps] of g) if (commandFile.test(f)) for (const d of deps) if (commandFile.test(d)) out.push(`${f} → ${d}`);
  return out;
}
/** Modules other than the registry that import a command (a shared helper reaching into one command drags it into others). */
function helperToCommand(g: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [f, deps] of g) if (!commandFile.test(f) && f !== "cli/command-registry.ts") for (const d of deps) if (commandFile.test(d)) out.push(`${f} → ${d}`);
  return out;
}

describe("import graph of src/", () => {
  it("is read: the CLI entry point and the command registry import what they must", () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get("cli/main.ts")).toContain("cli/command-registry.ts");
    expect(graph.get("cli/command-registry.ts")).toContain("cli/commands/run-command.ts");
    // a type in an inline import("…") counts too
    expect(graph.get("targets/target.ts")).toContain("formats/testbench-format.ts");
  });

  it("has no import cycle (a hand-made one is found)", () => {
    expect(findCycles(graph)).toEqual([]);
    const withCycle = new Map(graph);
    withCycle.set("cli/commands/demo-command.ts", [...(graph.get("cli/commands/demo-command.ts") ?? []), "cli/main.ts"]);
    expect(findCycles(withCycle)).toEqual([["cli/command-registry.ts", "cli/commands/demo-command.ts", "cli/main.ts", "cli/command-registry.ts"]]);
  });

  it("has no command module importing another command module (a hand-made one is found)", () => {
    expect(commandToCommand(graph)).toEqual([]);
    const bad = new Map(graph);
    bad.set("cli/commands/run-command.ts", [...(graph.get("cli/commands/run-command.ts") ?? []), "cli/commands/diagnose-command.ts"]);
    expect(commandToCommand(bad)).toEqual(["cli/commands/run-command.ts → cli/commands/diagnose-command.ts"]);
  });

  it("has no module but the command registry importing a command module (a hand-made one is found)", () => {
    expect(helperToCommand(graph)).toEqual([]);
    const bad = new Map(graph);
    bad.set("cli/run-metadata.ts", [...(graph.get("cli/run-metadata.ts") ?? []), "cli/commands/generate-command.ts"]);
    expect(helperToCommand(bad)).toEqual(["cli/run-metadata.ts → cli/commands/generate-command.ts"]);
  });

  it("loads no command module when the CLI starts: commands are imported when they run (a hand-made static import is found)", () => {
    const statics = importGraph(join(repoRoot, "src"), { dynamic: false });
    const atStart = (g: ReadonlyMap<string, readonly string[]>) => [...reachable(g, "cli/main.ts")].filter((f) => commandFile.test(f));
    expect(reachable(statics, "cli/main.ts").size).toBeGreaterThan(3);
    expect(atStart(statics)).toEqual([]);
    const bad = new Map(statics);
    bad.set("cli/command-registry.ts", [...(statics.get("cli/command-registry.ts") ?? []), "cli/commands/run-command.ts"]);
    expect(atStart(bad)).toContain("cli/commands/run-command.ts");
  });
});

