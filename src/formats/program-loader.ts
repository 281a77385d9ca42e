/**
 * Load a test program (.json, or .jsonl: header line + one vector per line) with
 * located errors, and check it belongs to a given testbench.
 *
 *   const program = loadProgram("fixtures/coverage/black-pixel-all16.json");
 *   checkProgramForBench(program, "p.json", loaded);  // id, hash, widths, outputs
 */
import { readFileSync } from "node:fs";
import { FormatError, NotFoundError } from "./format-error.ts";
import { issuesToErrors, parseJsonText, validateData } from "./load-json.ts";
import { isSpikeVector, programHeaderSchema, stepSchemaFor, type Program, type ProgramStep, type ProgramVector } from "./program-format.ts";
import type { LoadedTestbench } from "./testbench-loader.ts";
import { observableOutputCount } from "./observable-outputs.ts";
import { consistencyChecker } from "./program-consistency.ts";

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new NotFoundError(`${file}: cannot read program (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** A datalog handed where a program belongs (e.g. `diagnose` arguments swapped) gets its own message. */
export function rejectDatalog(data: unknown, file: string): unknown {
  const rec = data as { type?: unknown; program?: unknown } | null;
  if (rec && typeof rec === "object" && rec.type === "header" && rec.program !== undefined) {
    throw new FormatError({
      file,
      where: "(top level)",
      expected: "a test program (from `snn-atpg generate`)",
      found: "a datalog header (written by `snn-atpg run --datalog`)",
      hint: "pass the test program here; `diagnose` takes <program> <datalog> in that order",
    });
  }
  return data;
}

/** Validate one step with the schema its `kind` selects, so errors name the step's own fields. */
export function validateStep(data: unknown, file: string, pathPrefix: (string | number)[] = []): ProgramStep {
  const r = stepSchemaFor(data).safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ ...i, path: [...pathPrefix, ...i.path] }));
  const top = pathPrefix.length ? { vectors: Object.assign([], { [pathPrefix[1] as number]: data }) } : data;
  throw issuesToErrors(file, top, issues)[0];
}

/** Validate a whole-file program object: the header, then each step with its own schema. */
function validateProgramObject(data: unknown, file: string): Program {
  if (!data || typeof data !== "object" || Array.isArray(data)) return validateData(programHeaderSchema, data, file) as Program;
  const { vectors, ...rest } = data as { vectors?: unknown };
  if (!Array.isArray(vectors)) {
    throw new FormatError({ file, where: "vectors", expected: "an array of steps (spike vectors, writes, reads, pauses)", found: vectors === undefined ? "nothing" : typeof vectors });
  }
  const header = validateData(programHeaderSchema, rest, file);
  return { ...header, vectors: vectors.map((v, i) => validateStep(v, file, ["vectors", i])) };
}

/** Parse program text; `.jsonl` files are header + vector lines. */
export function parseProgram(text: string, file: string): Program {
  const lines = text.split("\n");
  if (!file.endsWith(".jsonl")) {
    // A .json-named JSON Lines file fails to parse as a whole; its first line tells whether it is a datalog.
    if (lines.length > 1) {
      try {
        rejectDatalog(JSON.parse(lines[0]), file);
      } catch (err) {
        if (err instanceof FormatError) throw err;
      }
    }
    return validateProgramObject(rejectDatalog(parseJsonText(text, file), file), file);
  }
  const header = validateData(programHeaderSchema, rejectDatalog(parseJsonText(lines[0] ?? "", `${file} line 1`), `${file} line 1`), `${file} line 1`);
  const vectors: ProgramStep[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const where = `${file} line ${i + 1}`;
    vectors.push(validateStep(parseJsonText(lines[i], where), where));
  }
  return { ...header, vectors };
}

/** Read and validate a program file. */
export function loadProgram(file: string): Program {
  return parseProgram(readText(file), file);
}

// The rule lives in observable-outputs.ts; re-exported for the targets that import it from here.
export { observableOutputCount };

/** Check a program against the testbench it is run on; throws a located FormatError. */
export function checkProgramForBench(program: Program, file: string, loaded: LoadedTestbench): void {
  checkHeaderForBench(program, file, loaded);
  const check = stepChecker(loaded);
  program.vectors.forEach((v, i) => check(v, i, file));
}

/** The program header's testbench id and hash against the bench it is run on. */
export function checkHeaderForBench(header: Pick<Program, "testbench">, file: string, loaded: LoadedTestbench): void {
  const { bench } = loaded;
  if (header.testbench.id !== bench.id || header.testbench.sha256 !== loaded.sha256) {
    throw new FormatError({
      file,
      where: "testbench",
      expected: `testbench ${bench.id} with sha256 ${loaded.sha256.slice(0, 12)}… (${loaded.file})`,
      found: `${header.testbench.id} with sha256 ${header.testbench.sha256.slice(0, 12)}…`,
      hint: "this program was generated for another testbench (or the bench changed since); regenerate it or pass the right bench",
    });
  }
}

/**
 * The per-step checks of checkProgramForBench (consistency, shapes against the bench),
 * one step at a time — a streamed program is checked with the same rules; `file` may
 * be "p.jsonl line 7".
 */
export function stepChecker(loaded: LoadedTestbench): (v: ProgramStep, i: number, file: string) => void {
  const { bench } = loaded;
  const consistent = consistencyChecker(loaded);
  const rows = bench.layers[0].rows;
  const outputs = observableOutputCount(bench);
  return (v, i, file) => {
    consistent(v, i, file);
    const at = `vectors[${i}]`;
    if (!isSpikeVector(v)) return checkArrayStep(v, at, file, loaded);
    if (!v.pattern && !v.events) throw new FormatError({ file, where: at, expected: "a pattern or events", found: "neither" });
    v.pattern?.forEach((p, j) => {
      if (p.length !== rows) throw new FormatError({ file, where: `${at}.pattern[${j}]`, expected: `${rows} bits`, found: `${p.length} bits "${p}"` });
    });
    v.events?.forEach(([input, t], j) => {
      if (input >= rows) throw new FormatError({ file, where: `${at}.events[${j}]`, expected: `an input below ${rows}`, found: String(input) });
      if (t + v.iwPs > v.windows * (v.iwPs + v.lwPs)) {
        throw new FormatError({ file, where: `${at}.events[${j}]`, expected: `a pulse ending within ${v.windows} windows`, found: `${input}@${t}` });
      }
    });
    v.expected.forEach((e, j) => {
      if (e.output >= outputs) throw new FormatError({ file, where: `${at}.expected[${j}].output`, expected: `an output below ${outputs}`, found: String(e.output) });
    });
    const c = v.criterion;
    const named =
      c?.kind === "count-band"
        ? c.bands.map((b, j) => ({ o: b.output, where: `${at}.criterion.bands[${j}]`, bad: b.min > b.max }))
        : c?.kind === "class-decision"
          ? [{ o: c.expectedClass, where: `${at}.criterion.expectedClass`, bad: false }]
          : (c?.kind === "first-spike-window" || c?.kind === "no-spike") && c.outputs
            ? c.outputs.map((o, j) => ({ o, where: `${at}.criterion.outputs[${j}]`, bad: false }))
            : [];
    const judgedUpTo = c?.kind === "first-spike-window" ? c.lastWindow + 1 : c?.kind === "no-spike" ? c.windows : 0;
    if (judgedUpTo > v.windows) {
      throw new FormatError({ file, where: `${at}.criterion`, expected: `windows the vector applies (it has ${v.windows})`, found: `a criterion judging ${judgedUpTo} windows`, hint: "raise the vector's windows or shorten the criterion" });
    }
    for (const n of named) {
      if (n.o >= outputs) throw new FormatError({ file, where: n.where, expected: `an output below ${outputs}`, found: String(n.o) });
      if (n.bad) throw new FormatError({ file, where: n.where, expected: "min ≤ max", found: "min > max", hint: "a band no count can fall in fails every chip" });
    }
  };
}

/** Check a write/read/pause step against the bench's layer shapes. */
function checkArrayStep(s: Exclude<ProgramStep, ProgramVector>, at: string, file: string, loaded: LoadedTestbench): void {
  if (s.kind === "pause") return;
  const layers = loaded.bench.layers;
  if (s.layer >= layers.length) throw new FormatError({ file, where: `${at}.layer`, expected: `a layer below ${layers.length}`, found: String(s.layer) });
  const l = layers[s.layer];
  if (s.row >= l.rows) throw new FormatError({ file, where: `${at}.row`, expected: `a row below ${l.rows} (layer ${s.layer})`, found: String(s.row) });
  const levels = s.kind === "write" ? s.levels : s.expectedLevels;
  if (levels) {
    const field = s.kind === "write" ? "levels" : "expectedLevels";
    const count = loaded.bench.device.domainWall?.levels;
    if (count === undefined) throw new FormatError({ file, where: `${at}.${field}`, expected: "bits (this bench's cells are binary)", found: "levels", hint: "levels need a multi-level cell: testbench device.domainWall" });
    if (levels.length !== l.cols) throw new FormatError({ file, where: `${at}.${field}`, expected: `${l.cols} levels (one per column of layer ${s.layer})`, found: `${levels.length} levels` });
    const bad = levels.findIndex((lv) => lv >= count);
    if (bad >= 0) throw new FormatError({ file, where: `${at}.${field}[${bad}]`, expected: `a level 0..${count - 1}`, found: String(levels[bad]) });
    if (s.kind === "read" && loaded.bench.device.readScheme?.kind === "self-reference") {
      throw new FormatError({ file, where: `${at}.${field}`, expected: "bits (expected)", found: "levels", hint: "a level READ needs the midpoint-reference read scheme; self-reference has no level form" });
    }
    return;
  }
  const bits = (s.kind === "write" ? s.bits : s.expected)!;
  const field = s.kind === "write" ? "bits" : "expected";
  if (bits.length !== l.cols) throw new FormatError({ file, where: `${at}.${field}`, expected: `${l.cols} bits (one per column of layer ${s.layer})`, found: `${bits.length} bits` });
}

/**
 * The spike vectors of a program, for a consumer that handles nothing else; any other
 * step is a located refusal naming the consumer.
 */
export function requireSpikeVectors(program: Program, file: string, consumer: string): ProgramVector[] {
  return program.vectors.map((v, i) => {
    if (isSpikeVector(v)) return v;
    throw new FormatError({
      file,
      where: `vectors[${i}] (${v.kind} step ${v.id})`,
      expected: `spike vectors only (${consumer} does not handle ${v.kind} steps)`,
      found: `a ${v.kind} step`,
      hint: `${consumer} takes programs without write/read/pause steps; run the whole program with \`snn-atpg run\``,
    });
  });
}

/** The stimulus events of a vector (pattern expanded). */
export function vectorEvents(v: ProgramVector): { input: number; timePs: number }[] {
  if (v.events) return v.events.map(([input, timePs]) => ({ input, timePs }));
  const out: { input: number; timePs: number }[] = [];
  const T = v.iwPs + v.lwPs;
  const patterns = v.pattern ?? [];
  for (let w = 0; w < v.windows; w++) {
    const bits = patterns[Math.min(w, patterns.length - 1)];
    for (let i = 0; i < bits.length; i++) if (bits[i] === "1") out.push({ input: i, timePs: w * T });
  }
  return out;
}
