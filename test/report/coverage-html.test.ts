/**
 * The HTML coverage report, read as text: the run metadata (tool version, date,
 * command line, options given or defaulted, fault-model parameters), the ND/PD/AU
 * faults each with a reason, the UD faults with their proofs, and counts with
 * thousands separators. Values are derived by hand: the fixture's note says three of
 * four inputs for 12 windows spike only with a slow leak, so on its 4 vectors every
 * dead synapse is ND; the bench's 4 in-cell `.read` opens are UD; SOURCE_DATE_EPOCH
 * 1700000000 is 2023-11-14T22:13:20Z.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CoverageReport, FaultReportEntry } from "../../src/faultsim/coverage-report.ts";

/** The report as `--json` prints it: its faults an array. */
type PrintedReport = CoverageReport & { faults: FaultReportEntry[] };
import { coverageHtml } from "../../src/report/coverage-html.ts";
import { runMain } from "../helpers/run-main.ts";

mkdirSync(resolve("out"), { recursive: true }); // a fresh clone has no out/ yet
const dir = mkdtempSync(join(resolve("out"), "coverage-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const program = "fixtures/coverage/black-pixel-three-inputs.json";
const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

/** The rows of the table with this id, as arrays of cell texts. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html);
  expect(table, `table #${id}`).not.toBeNull();
  return [...table![1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "")));
}

async function report(): Promise<{ html: string; json: PrintedReport }> {
  const file = join(dir, "r.html");
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = "1700000000";
  try {
    const r = await runMain(["coverage", "black-pixel-4x1", program, "--html", file, "--param", "resistive-open.resistanceOhms=16k", "--pd-credit", "0.25"]);
    expect(r.code).toBe(0);
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
  const j = await runMain(["coverage", "black-pixel-4x1", program, "--param", "resistive-open.resistanceOhms=16k", "--json"]);
  return { html: readFileSync(file, "utf8"), json: JSON.parse(j.stdout) as PrintedReport };
}

describe("coverage HTML report", async () => {
  const { html, json } = await report();

  it("states the tool version, the date and the command line", () => {
    const meta = Object.fromEntries(tableRows(html, "run-metadata").map(([k, v]) => [k, v]));
    expect(meta.tool).toBe(`snn-atpg ${version}`);
    expect(meta.date).toBe("2023-11-14T22:13:20.000Z");
    expect(meta["command line"]).toBe(`snn-atpg coverage black-pixel-4x1 ${program} --html ${join(dir, "r.html")} --param resistive-open.resistanceOhms=16k --pd-credit 0.25`);
  });

  it("lists every option with its value, given or default", () => {
    const opts = Object.fromEntries(tableRows(html, "options").slice(1).map(([k, v, src]) => [k, `${v} (${src})`]));
    expect(opts["--pd-credit"]).toBe("0.25 (given)");
    expect(opts["--engine"]).toBe("fast (default)");
    expect(opts["--no-drop"]).toBe("false (default)");
    expect(opts["--param"]).toBe('["resistive-open.resistanceOhms=16k"] (given)'.replace(/"/g, "&quot;"));
  });

  it("gives the fault-model parameters, with thousands separators", () => {
    const models = Object.fromEntries(tableRows(html, "fault-models").slice(1).map(([id, , params]) => [id, params]));
    expect(models["resistive-open"]).toBe("resistanceOhms = 16,000");
    expect(models["dead-synapse"]).toBe("—");
  });

  it("gives every ND/PD/AU fault a reason", () => {
    const rows = tableRows(html, "undetected-list").slice(1);
    const nd = rows.filter((r) => r[0] === "ND").map((r) => r[1]);
    for (const row of ["r0", "r1", "r2", "r3"]) expect(nd).toContain(`dead-synapse@l0.${row}.c0`);
    for (const r of rows) expect(r.at(-1), r[1]).not.toBe("");
    expect(rows.find((r) => r[1] === "dead-synapse@l0.r0.c0")!.at(-1)).toBe("no vector changes the response: all 4 match the good chip within the tolerance band");
  });

  it("lists the UD faults with their proofs, as the terminal does", () => {
    const rows = tableRows(html, "undetectable-list").slice(1);
    expect(rows.map((r) => r[1]).sort()).toEqual([0, 1, 2, 3].map((i) => `resistive-open@l0.r${i}.c0.read:16000`));
    for (const r of rows) expect(r[3]).toMatch(/no spike test can see it/);
    // the record the HTML draws from holds the same proofs
    for (const r of rows) expect(json.faults.find((f) => f.id === r[1])!.reason).toBe(r[3]);
  });

  it("writes counts with thousands separators", () => {
    const t = json.coverage.total;
    const big: CoverageReport = { ...json, coverage: { ...json.coverage, total: { ...t, all: 12345, DT: 1234567 } } };
    const out = coverageHtml(big);
    expect(out).toContain("<td>total</td><td>12,345</td><td>1,234,567</td>");
    expect(out).toMatch(/= \(1,234,567 \+ [\d.]+·\d+\) \/ 12,345 =/);
    expect(out).not.toContain('id="run-metadata"'); // no run given: no invented metadata
  });
});
