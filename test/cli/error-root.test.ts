/**
 * One error root, exit codes only in the CLI (issue 9, §5). Reads the source tree:
 * no file outside `src/cli/` ends the process, and every error class in `src/`
 * derives from `SnnAtpgError` (`src/formats/errors.ts`). Then checks the one mapping
 * from error kinds to exit codes against the README's "Exit codes" table.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { exitCodeHelp, exitCodeOf, exitCodeTable } from "../../src/cli/exit-codes.ts";
import { OptionError } from "../../src/cli/cli-context.ts";
import { JobPoolError } from "../../src/parallel/job-pool.ts";
import { InputError, InterruptedError, SnnAtpgError } from "../../src/formats/errors.ts";
import { FormatError, NotFoundError } from "../../src/formats/format-error.ts";
import { StdfInputError, StdfWriteError } from "../../src/report/stdf-writer.ts";
import { PerturbationError } from "../../src/sim/perturbation.ts";
import { StimulusError } from "../../src/sim/stimulus.ts";
import { InstrumentError } from "../../src/targets/scpi-target.ts";
import { BenchSetupError, PortError } from "../../src/transports/bench-error.ts";
import { ReplyLostError } from "../../src/transports/command-session.ts";

const root = join(import.meta.dirname, "..", "..");
const src = join(root, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}
const files = sourceFiles(src).map((f) => ({ path: relative(root, f).replaceAll("\\", "/"), text: readFileSync(f, "utf8") }));

describe("only the CLI ends the process", () => {
  it("no file outside src/cli/ calls process.exit or sets process.exitCode", () => {
    expect(files.length).toBeGreaterThan(100); // the scan really read the tree
    const offenders = files
      .filter((f) => !f.path.startsWith("src/cli/"))
      .filter((f) => /\bprocess\s*\.\s*(exit\s*\(|exitCode\b)/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("no library error class carries an exit code", () => {
    const offenders = files
      .filter((f) => !f.path.startsWith("src/cli/"))
      .filter((f) => /readonly\s+exitCode\b|\bexitCode\s*[:=]/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});

describe("every error class derives from SnnAtpgError", () => {
  // class name → the names it extends (a name declared twice keeps every parent)
  const parents = new Map<string, Set<string>>();
  const declaredIn = new Map<string, string>();
  for (const f of files) {
    for (const m of f.text.matchAll(/\bclass\s+(\w+)(?:<[^>{]*>)?\s+extends\s+([\w.]+)/g)) {
      if (!parents.has(m[1])) parents.set(m[1], new Set());
      parents.get(m[1])!.add(m[2]);
      declaredIn.set(m[1], f.path);
    }
  }
  /** The chain's end: "root", "builtin-error" (an Error not through the root) or "other" (not an error). */
  function endOf(name: string, seen = new Set<string>()): "root" | "builtin-error" | "other" {
    if (name === "SnnAtpgError") return "root";
    const ps = parents.get(name);
    if (!ps) return /Error$/.test(name) ? "builtin-error" : "other";
    if (seen.has(name)) return "other";
    seen.add(name);
    const ends = [...ps].map((p) => endOf(p, seen));
    return ends.includes("builtin-error") ? "builtin-error" : ends.includes("root") ? "root" : "other";
  }
  const errorClasses = [...parents.keys()].filter((n) => n !== "SnnAtpgError" && endOf(n) !== "other");

  it("finds the error classes of every layer (the scan is not empty)", () => {
    expect(errorClasses.length).toBeGreaterThanOrEqual(25);
    for (const n of ["InputError", "BenchError", "InterruptedError", "FormatError", "PortError", "StdfWriteError", "JobPoolError", "PerturbationError", "CommandRefused"]) {
      expect(errorClasses).toContain(n);
    }
    expect([...parents.get("SnnAtpgError")!]).toEqual(["Error"]);
    expect(declaredIn.get("SnnAtpgError")).toBe("src/formats/errors.ts");
  });

  it("no class in src/ extends Error (or another built-in error) except through the root", () => {
    const outside = errorClasses.filter((n) => endOf(n) !== "root").map((n) => `${n} (${declaredIn.get(n)})`);
    expect(outside).toEqual([]);
  });
});

describe("exit codes are decided by the error's kind, in src/cli/exit-codes.ts", () => {
  // The README's exit-code table: 2 bad input, 3 bench or infrastructure, 130 interrupted, 70 anything else.
  const cases: [string, unknown, number][] = [
    ["FormatError", new FormatError({ file: "tb.json", where: "timing.iwPs", expected: "integer", found: '"1ns"' }), 2],
    ["NotFoundError", new NotFoundError("no bench x"), 2],
    ["OptionError (cli)", new OptionError("--windows 0"), 2],
    ["StimulusError (sim)", new StimulusError("input 9"), 2],
    ["StdfInputError (report)", new StdfInputError("x"), 2],
    ["PortError (transports)", new PortError("/dev/ttyUSB0: closed"), 3],
    ["ReplyLostError (transports)", new ReplyLostError("lost"), 3],
    ["BenchSetupError", new BenchSetupError("4 inputs, program has 8"), 3],
    ["InstrumentError (targets)", new InstrumentError("pg2", "-222", "x"), 3],
    ["StdfWriteError (report)", new StdfWriteError("out/x.stdf: EACCES"), 3],
    ["JobPoolError (parallel)", new JobPoolError("worker crashed"), 3],
    ["InterruptedError", new InterruptedError(), 130],
    ["PerturbationError (a broken invariant)", new PerturbationError("no quantity"), 70],
    ["SnnAtpgError itself", new SnnAtpgError("x"), 70],
    ["TypeError", new TypeError("x is undefined"), 70],
    ["a thrown string", "boom", 70],
  ];
  it.each(cases)("%s → %i", (_name, err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });

  it("input, bench and interrupt are disjoint kinds", () => {
    expect(new InterruptedError()).not.toBeInstanceOf(InputError);
    expect(exitCodeOf(new InterruptedError())).not.toBe(exitCodeOf(new PortError("p")));
  });

  it("the README's Exit codes table is the table --help prints", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.split(/^## Exit codes\s*$/m)[1].split(/^## /m)[0];
    const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2] }));
    expect(rows).toEqual(exitCodeTable.map((r) => ({ code: r.code, meaning: r.meaning })));
    expect(exitCodeHelp.split("\n")).toHaveLength(exitCodeTable.length + 1);
  });
});
