/**
 * The datalog tells who ran a device and the whole story of a stopped run (issue 12):
 * the header names the test station and operator (`--station` / `--operator`, else
 * SNN_ATPG_STATION / SNN_ATPG_OPERATOR), every `--resume` adds a resume record saying
 * where it continued and who continued it (not only a forced one), and STDF carries
 * them in MIR NODE_NAM / OPER_NAM. (The interruption record of a Ctrl-C is checked in
 * run-interrupt.test.ts.) A run of the 25-vector fixture program cut after 10 vectors
 * by hand — footer and last 15 records removed, as a pulled plug leaves it — resumes
 * at index 10.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDatalog } from "../../src/bench/datalog-reader.ts";
import { stdfInputOf } from "../../src/bench/stdf-sink.ts";
import { runMain } from "../helpers/run-main.ts";

mkdirSync(resolve("out"), { recursive: true });
const dir = mkdtempSync(join(resolve("out"), "datalog-station-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const program = "fixtures/bench/black-pixel-4x1.program.json";

async function withEnv<T>(env: Record<string, string>, f: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await f();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe("station, operator, and every resume in the datalog", () => {
  it("the header names station and operator (flags over environment); a resume is recorded with who resumed", async () => {
    const log = join(dir, "run.jsonl");
    const first = await withEnv({ SNN_ATPG_STATION: "env-station", SNN_ATPG_OPERATOR: "env-op" }, () => runMain(["run", program, "--datalog", log, "--station", "st-1", "--no-diagnose"]));
    expect(first.code, first.stderr).toBe(0);
    expect(readDatalog(log).header).toMatchObject({ station: "st-1", operator: "env-op" });

    // cut the run after 10 vectors: header + 10 vector records stay
    writeFileSync(log, readFileSync(log, "utf8").split("\n").slice(0, 11).join("\n") + "\n");
    const again = await withEnv({ SNN_ATPG_STATION: "st-2", SNN_ATPG_OPERATOR: "op-2" }, () => runMain(["run", program, "--datalog", log, "--resume", "--no-diagnose"]));
    expect(again.code, again.stderr).toBe(0);
    const read = readDatalog(log);
    expect(read.header).toMatchObject({ station: "st-1", operator: "env-op" });
    expect(read.resumes).toEqual([expect.objectContaining({ type: "resume", forced: false, differences: [], atIndex: 10, station: "st-2", operator: "op-2" })]);
    expect(read.vectors).toHaveLength(25);
    expect(read.footer).toBeTruthy();

    const stdf = stdfInputOf([read.header, ...read.vectors, read.footer!]);
    expect(stdf).toMatchObject({ nodeName: "st-1", operatorName: "env-op" });
  }, 60_000);
});
