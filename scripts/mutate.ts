/**
 * Mutation check: do the tests fail when the code is wrong? Each mutation below is a
 * small, plausible bug (an exact search text and its replacement in one source file)
 * with the test files that must catch it. The script copies the working tree (tracked
 * and untracked, not ignored files) to a temporary directory, checks that those tests
 * pass there unmutated, then applies each mutation in turn to the copy, runs its tests
 * with vitest, and restores the file. The working tree is never touched.
 *
 *   npm run mutate                    # every mutation; exit 1 if any survived
 *   npm run mutate -- checksum-seed   # only mutations whose id contains a word
 *
 * killed   = at least one listed test failed with the mutation applied
 * survived = every listed test passed: the bug would go unnoticed
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

interface Mutation {
  id: string;
  /** What the bug is. */
  what: string;
  file: string;
  /** Exact text → replacement; each search text must occur exactly once in the file. */
  edits: { search: string; replace: string }[];
  /** Test files (or directories) that must fail. */
  tests: string[];
}

const mutations: Mutation[] = [
  {
    id: "fast-path-off",
    what: "every segment open and neuron fault sent to full re-simulation instead of its O(1) path",
    file: "src/faultsim/fault-plan.ts",
    edits: [
      { search: 't.kind[i] = e0.kind === "cell" ? PlanKind.cell : PlanKind.segment;', replace: 't.kind[i] = e0.kind === "cell" ? PlanKind.cell : PlanKind.general;' },
      { search: "t.kind[i] = PlanKind.neuron;", replace: "t.kind[i] = PlanKind.general;" },
    ],
    tests: ["test/faultsim/reduced-bnn-agreement.test.ts"],
  },
  {
    id: "neuron-path-off",
    what: "neuron faults alone sent to full re-simulation (segment opens keep their path)",
    file: "src/faultsim/fault-plan.ts",
    edits: [{ search: "t.kind[i] = PlanKind.neuron;", replace: "t.kind[i] = PlanKind.general;" }],
    tests: ["test/faultsim/reduced-bnn-agreement.test.ts"],
  },
  {
    id: "ladder-scale",
    what: "columnOutputUa (the ladder the simulator calls) 0.5 % high",
    file: "src/sim/crossbar.ts",
    edits: [{ search: "return (i / (1 + g * col.neuronInputOhms)) * 1e6;", replace: "return (i / (1 + g * col.neuronInputOhms)) * 1e6 * 1.005;" }],
    tests: ["test/sim/crossbar.test.ts"],
  },
  {
    id: "checksum-seed",
    what: "line checksum XOR starts from 0x01 instead of 0 (host and emulator share the code)",
    file: "src/transports/line-framing.ts",
    edits: [{ search: "let x = 0;", replace: "let x = 1;" }],
    tests: ["test/bench/line-framing.test.ts"],
  },
  {
    id: "read-reference",
    what: "READ sense reference at 0.45/0.55 of the P/AP conductances instead of the midpoint",
    file: "src/sim/read-sense.ts",
    edits: [{ search: "refS: (pS + apS) / 2", replace: "refS: 0.45 * pS + 0.55 * apS" }],
    tests: ["test/array/march-and-read.test.ts"],
  },
  {
    id: "segment-row-rule",
    what: "READ grader: a segment open at row r's own segment no longer on row r's sense path",
    file: "src/faultsim/array-grader.ts",
    edits: [{ search: "s.col === col && s.index >= row", replace: "s.col === col && s.index > row" }],
    tests: ["test/array/march-and-read.test.ts"],
  },
  {
    id: "transition-down",
    what: "a failed 1→0 transition fault lets the write through",
    file: "src/sim/cell-storage.ts",
    edits: [{ search: 'if (b.failedTransition === "down" && stored === 1 && bit === 0) return 1;', replace: 'if (b.failedTransition === "down" && stored === 1 && bit === 0) return 0;' }],
    tests: ["test/array/march-and-read.test.ts"],
  },
  {
    id: "retention-median",
    what: "a decaying cell counted as flipped at P_sw ≥ 0.9 instead of the median cell (½)",
    file: "src/sim/cell-storage.ts",
    edits: [{ search: "switchingProbability(heldNs, b.decay.deltaKt) >= 0.5", replace: "switchingProbability(heldNs, b.decay.deltaKt) >= 0.9" }],
    tests: ["test/array/march-and-read.test.ts"],
  },
  {
    id: "segment-update",
    what: "the O(1) segment update ignores the opened segment's old resistance",
    file: "src/sim/crossbar.ts",
    edits: [{ search: "export function outputWithSegmentChange(s: SegmentSensitivity, k: number, oldOhms: number, newOhms: number): number {", replace: "export function outputWithSegmentChange(s: SegmentSensitivity, k: number, oldOhms: number, newOhms: number): number {\n  oldOhms = 0;" }],
    tests: ["test/sim/crossbar.test.ts"],
  },
];

const root = join(import.meta.dirname, "..");
const only = process.argv.slice(2);
const chosen = mutations.filter((m) => only.length === 0 || only.some((w) => m.id.includes(w)));
if (chosen.length === 0) {
  console.error(`mutate: no mutation id contains ${only.join(" or ")}; ids: ${mutations.map((m) => m.id).join(", ")}`);
  process.exit(2);
}

/** Copy the working tree (tracked + untracked, not ignored) to a fresh temporary directory. */
function copyTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "snn-atpg-mutate-"));
  const ls = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  if (ls.status !== 0) throw new Error(`mutate: git ls-files failed in ${root}: ${ls.stderr}`);
  for (const f of new Set(ls.stdout.split("\0").filter(Boolean))) {
    if (f === "node_modules") continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    try {
      cpSync(join(root, f), join(dir, f));
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

function runTests(dir: string, tests: string[]): { pass: boolean; tail: string } {
  const r = spawnSync("npx", ["vitest", "run", ...tests], { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "1" } });
  // eslint-disable-next-line no-control-regex
  const plain = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  const firstFail = plain.split("\n").find((l) => /^\s*(FAIL|×)\s/.test(l))?.trim() ?? "";
  return { pass: r.status === 0, tail: firstFail };
}

const dir = copyTree();
let survived = 0;
let exitCode = 0;
try {
  const allTests = [...new Set(chosen.flatMap((m) => m.tests))];
  const base = runTests(dir, allTests);
  if (!base.pass) {
    console.error(`mutate: the listed tests fail WITHOUT any mutation, so no verdict is possible; fix them first:\n${base.tail}`);
    exitCode = 2;
  } else {
    console.log(`baseline: ${allTests.length} test files pass unmutated (copy in ${dir})\n`);
    const rows: string[][] = [];
    for (const m of chosen) {
      const path = join(dir, m.file);
      const original = readFileSync(path, "utf8");
      let text = original;
      for (const e of m.edits) {
        const n = text.split(e.search).length - 1;
        if (n !== 1) throw new Error(`mutate: ${m.id}: search text occurs ${n} times in ${m.file} (must be once): ${e.search}`);
        text = text.replace(e.search, () => e.replace);
      }
      writeFileSync(path, text);
      const t0 = Date.now();
      const r = runTests(dir, m.tests);
      writeFileSync(path, original);
      const verdict = r.pass ? "SURVIVED" : "killed";
      if (r.pass) survived++;
      rows.push([m.id, verdict, `${((Date.now() - t0) / 1000).toFixed(0)} s`, m.file, m.what]);
      console.log(`${verdict.padEnd(8)} ${m.id} (${m.file}): ${m.what}${r.pass ? "" : `\n         first failure: ${r.tail}`}`);
    }
    console.log(`\n${chosen.length - survived} of ${chosen.length} mutations killed${survived ? `, ${survived} SURVIVED` : ""}`);
    console.log("\n| mutation | result | time | file | bug |\n| --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(`| ${r.join(" | ")} |`);
    if (survived > 0) exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
