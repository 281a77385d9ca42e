/**
 * Self-contradictory programs are bad input (issue 11, item 6): each used to be run and
 * fail good chips (or decide nothing); now `run`, `coverage` and `diagnose` refuse it
 * with exit 2 naming the place, before anything is measured or written. Every case is
 * the shipped reference program (25 vectors of 3 windows, IW 1000 + LW 9000 ps, bench
 * IW range 500–2000 ps) with one field changed by hand.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-program-consistency-"));
const reference = "fixtures/bench/black-pixel-4x1.program.json";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The reference program with `edit` applied, written to a file of its own. */
function variant(name: string, edit: (p: Json) => void): string {
  const p = JSON.parse(readFileSync(reference, "utf8"));
  delete p.$schema;
  edit(p);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(p));
  return file;
}

/** Index of the first vector with an expected spike (p1110…: 3 windows of 10 000 ps). */
const firstWithSpike = (p: Json) => p.vectors.findIndex((v: Json) => v.expected.length > 0);

const cases: { name: string; edit: (p: Json) => void; where: RegExp; message: RegExp }[] = [
  { name: "window-99", edit: (p) => void (p.vectors[firstWithSpike(p)].expected[0].window = 99), where: /at vectors\[\d+\]\.expected\[0\]\.window/, message: /expected a window below 3 \(the vector has 3\), found 99/ },
  { name: "time-outside", edit: (p) => void (p.vectors[firstWithSpike(p)].expected[0].timePs = 35_000), where: /at vectors\[\d+\]\.expected\[0\]\.timePs/, message: /a time in window 2: 20000 to 29999 ps \(IW \+ LW = 10000 ps\), found 35000 ps \(window 3\)/ },
  { name: "min-matches", edit: (p) => void (p.decision = { rule: "fixed", repetitions: 3, minMatches: 9 }), where: /at decision\.minMatches/, message: /expected at most repetitions \(3\); more would fail every chip, found number 9/ },
  { name: "iw-range", edit: (p) => void (p.vectors[0].iwPs = 50), where: /at vectors\[0\]\.iwPs/, message: /an integration window from 500 to 2000 ps \(testbench black-pixel-4x1\), found 50 ps/ },
  { name: "duplicate-id", edit: (p) => void (p.vectors[3].id = p.vectors[1].id), where: /at vectors\[3\]\.id/, message: /found "p0001", also the id of vectors\[1\]/ },
  { name: "sprt-equal", edit: (p) => void (p.decision = { rule: "sprt", pGood: 0.9, pBad: 0.9, alpha: 0.01, beta: 0.01, maxRepetitions: 20 }), where: /at decision\.pGood/, message: /expected greater than pBad \(0\.9\); a match must be likelier on a good chip, found number 0\.9/ },
  { name: "vector-sprt-reversed", edit: (p) => void (p.vectors[2].decision = { rule: "sprt", pGood: 0.2, pBad: 0.8, alpha: 0.01, beta: 0.01, maxRepetitions: 20 }), where: /at vectors\[2\]\.decision\.pGood/, message: /expected greater than pBad \(0\.8\); a match must be likelier on a good chip, found number 0\.2/ },
];

describe("a program that contradicts itself is refused (exit 2, the place named)", () => {
  for (const c of cases) {
    it(`${c.name}: run and coverage refuse it, nothing written`, async () => {
      const file = variant(c.name, c.edit);
      const datalog = join(dir, `${c.name}.jsonl`);
      const run = await runMain(["run", file, "--datalog", datalog, "--no-diagnose"]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toMatch(c.where);
      expect(run.stderr).toMatch(c.message);
      expect(existsSync(datalog)).toBe(false);
      const cov = await runMain(["coverage", "black-pixel-4x1", file]);
      expect(cov.code, cov.stderr).toBe(2);
      expect(cov.stderr).toMatch(c.where);
      expect(cov.stdout).toBe("");
    });
  }
});

describe("diagnose: a datalog whose vector ids are not the program's", () => {
  const datalog = join(dir, "measured.jsonl");
  beforeAll(async () => {
    expect((await runMain(["run", reference, "--inject", "dead-synapse@l0.r1.c0", "--datalog", datalog, "--no-diagnose"])).code).toBe(1);
  });

  it("is refused naming the record and the id the program has there", async () => {
    const edited = join(dir, "edited.jsonl");
    writeFileSync(edited, readFileSync(datalog, "utf8").replace('"vectorId":"p0001"', '"vectorId":"zz-not-there"'));
    const r = await runMain(["diagnose", reference, edited]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/edited\.jsonl: at record of step 1\.vectorId: expected "p0001" \(vectors\[1\] of fixtures\/bench\/black-pixel-4x1\.program\.json\), found "zz-not-there"/);
    expect(r.stdout).toBe("");
  });
});
