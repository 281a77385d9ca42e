/**
 * A program must agree with itself and with its bench before anything is run: a
 * self-contradictory program fails good chips (an expected spike in window 99 of a
 * 3-window vector can never be seen) or decides nothing (an SPRT with pGood = pBad).
 * Each rule here is a located FormatError (exit 2):
 *
 *   step ids        unique across the program (datalog records and diagnosis name them)
 *   expected spike  window < windows, timePs inside the vector, window = ⌊timePs / (IW+LW)⌋
 *   timing          IW and LW inside the bench's iwRangePs / lwRangePs when it states them
 *
 * (A decision rule's own fields — minMatches ≤ repetitions, an SPRT's pGood > pBad — are
 * checked by its schema in program-format.ts.)
 *
 *   checkProgramConsistency(program, "p.json", loaded);
 */
import { FormatError } from "./format-error.ts";
import { isSpikeVector, type Program, type ProgramStep } from "./program-format.ts";
import type { LoadedTestbench } from "./testbench-loader.ts";

function checkRange(value: number, range: readonly [number, number] | undefined, where: string, file: string, what: string, bench: string): void {
  if (!range || (value >= range[0] && value <= range[1])) return;
  throw new FormatError({ file, where, expected: `${what} from ${range[0]} to ${range[1]} ps (testbench ${bench})`, found: `${value} ps`, hint: "the bench cannot apply this timing; regenerate the program or fix the vector" });
}

/** Check that a program agrees with itself and with the timing its bench allows; throws a located FormatError. */
export function checkProgramConsistency(program: Program, file: string, loaded: LoadedTestbench): void {
  const check = consistencyChecker(loaded);
  program.vectors.forEach((v, i) => check(v, i, file));
}

/**
 * The same rules one step at a time, for a program read as a stream (`file` may be
 * "p.jsonl line 7"): the checker remembers the ids it has seen.
 */
export function consistencyChecker(loaded: LoadedTestbench): (v: ProgramStep, i: number, file: string) => void {
  const timing = loaded.bench.timing;
  const seen = new Map<string, number>();
  return (v, i, file) => {
    const at = `vectors[${i}]`;
    const first = seen.get(v.id);
    if (first !== undefined) throw new FormatError({ file, where: `${at}.id`, expected: "an id no other step has", found: `"${v.id}", also the id of vectors[${first}]`, hint: "datalog records and diagnosis name steps by id; rename one" });
    seen.set(v.id, i);
    if (!isSpikeVector(v)) return;
    checkRange(v.iwPs, timing.iwRangePs, `${at}.iwPs`, file, "an integration window", loaded.bench.id);
    checkRange(v.lwPs, timing.lwRangePs, `${at}.lwPs`, file, "a leak window", loaded.bench.id);
    const periodPs = v.iwPs + v.lwPs;
    v.expected.forEach((e, j) => {
      const where = `${at}.expected[${j}]`;
      if (e.window >= v.windows) throw new FormatError({ file, where: `${where}.window`, expected: `a window below ${v.windows} (the vector has ${v.windows})`, found: String(e.window), hint: "a spike outside the vector can never be seen: every chip would fail" });
      if (Math.floor(e.timePs / periodPs) !== e.window) {
        throw new FormatError({ file, where: `${where}.timePs`, expected: `a time in window ${e.window}: ${e.window * periodPs} to ${(e.window + 1) * periodPs - 1} ps (IW + LW = ${periodPs} ps)`, found: `${e.timePs} ps (window ${Math.floor(e.timePs / periodPs)})` });
      }
    });
  };
}
