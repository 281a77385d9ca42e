/**
 * The datalog is never lost or mixed (issue 11, items 1, 2, 4, 5): one run owns it at a
 * time (a lock file naming the holder; a stale lock is reported, not taken), `--resume`
 * continues it only on the same device under test (`--force-resume` overrides and is
 * recorded), only a datalog is ever resumed (anything else is left byte for byte), and a
 * write failure ends with exit 3 saying how many vectors the file keeps — no stack trace.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockDatalog, lockFileOf } from "../../src/bench/datalog-lock.ts";
import { readDatalog } from "../../src/bench/datalog-reader.ts";
import { runMain, type MainRun } from "../helpers/run-main.ts";
import { killSpawned, spawnCli } from "./spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-datalog-safety-"));
const bpFile = "fixtures/bench/black-pixel-4x1.program.json";
const faultA = "dead-synapse@l0.r1.c0";
const faultB = "dead-synapse@l0.r2.c0";
/** A complete datalog of the reference program, measured with fault A injected. */
const complete = join(dir, "complete.jsonl");

/** An unfinished datalog: the header and the first two vector records of `complete`. */
function unfinished(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, `${readFileSync(complete, "utf8").split("\n").slice(0, 3).join("\n")}\n`);
  return file;
}

function expectRefused(r: MainRun, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

beforeAll(async () => {
  expect((await runMain(["run", bpFile, "--inject", faultA, "--datalog", complete, "--no-diagnose"])).code).toBe(1);
});
afterAll(killSpawned);

describe("item 1: one run per datalog", () => {
  it("a second run — another process — is refused naming the holder's pid and host, and writes nothing", async () => {
    const datalog = join(dir, "held.jsonl");
    const lock = lockDatalog(datalog);
    try {
      const other = await spawnCli(["run", bpFile, "--datalog", datalog, "--no-diagnose"]).done;
      expectRefused(other, new RegExp(`held\\.jsonl: in use by another run \\(pid ${process.pid} on host ${hostname()}, started `));
      const inProcess = await runMain(["run", bpFile, "--datalog", datalog, "--overwrite", "--no-diagnose"]);
      expectRefused(inProcess, /held\.jsonl: in use by another run/);
      expect(existsSync(datalog)).toBe(false);
    } finally {
      lock.release();
    }
    expect(existsSync(lockFileOf(datalog))).toBe(false);
    // free again: the run goes ahead and leaves no lock behind
    expect((await runMain(["run", bpFile, "--datalog", datalog, "--no-diagnose"])).code).toBe(0);
    expect(existsSync(lockFileOf(datalog))).toBe(false);
  });

  it("a stale lock from a dead process on this host is reported with the fix, not taken", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const datalog = join(dir, "stale.jsonl");
    const lockText = JSON.stringify({ pid: dead, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" });
    writeFileSync(lockFileOf(datalog), lockText);
    const r = await runMain(["run", bpFile, "--datalog", datalog, "--no-diagnose"]);
    expectRefused(r, new RegExp(`stale lock .*stale\\.jsonl\\.lock .*pid ${dead} on host ${hostname()}.*delete .*stale\\.jsonl\\.lock and rerun`));
    expect(readFileSync(lockFileOf(datalog), "utf8")).toBe(lockText);
    expect(existsSync(datalog)).toBe(false);
  });

  it("the lock is removed when the run ends in an error", async () => {
    const datalog = unfinished("error-unlock.jsonl");
    expect((await runMain(["run", bpFile, "--datalog", datalog, "--resume", "--no-diagnose"])).code).toBe(2);
    expect(existsSync(lockFileOf(datalog))).toBe(false);
  });
});

describe("item 2: --resume on the same device under test only", () => {
  it("another injected fault, none, another target kind or dut id: exit 2 naming both values, the datalog untouched", async () => {
    const datalog = unfinished("other-device.jsonl");
    const before = readFileSync(datalog);
    const resume = (...extra: string[]) => runMain(["run", bpFile, "--datalog", datalog, "--resume", "--no-diagnose", ...extra]);
    expectRefused(await resume(), new RegExp(`target\\.injectedFault is "${faultA}" in the datalog but "\\(none\\)" for this run`));
    expectRefused(await resume("--inject", faultB), new RegExp(`target\\.injectedFault is "${faultA}" in the datalog but "${faultB}"`));
    expectRefused(await resume("--inject", faultA, "--target", "serial", "--port", join(dir, "no-such-port")), /target\.kind is "sim" in the datalog but "serial"/);
    expectRefused(await resume("--inject", faultA, "--dut-id", "chip-8"), /dutId is "dut-1" in the datalog but "chip-8"/);
    expect(readFileSync(datalog).equals(before)).toBe(true);
  });

  it("an identity the target reports only once open (HELLO / *IDN? / sim bench) is checked too", async () => {
    const datalog = unfinished("other-identity.jsonl");
    writeFileSync(datalog, readFileSync(datalog, "utf8").replace('"identity":"sim:black-pixel-4x1"', '"identity":"sim:board-B"'));
    const before = readFileSync(datalog);
    const r = await runMain(["run", bpFile, "--datalog", datalog, "--resume", "--inject", faultA, "--no-diagnose"]);
    expectRefused(r, /target\.identity is "sim:board-B" in the datalog but "sim:black-pixel-4x1"/);
    expect(readFileSync(datalog).equals(before)).toBe(true);
  });

  it("--force-resume continues anyway and records what differed, where, in a schema-valid resume record", async () => {
    const datalog = unfinished("forced.jsonl");
    const r = await runMain(["run", bpFile, "--datalog", datalog, "--resume", "--force-resume", "--inject", faultB, "--no-diagnose"]);
    expect(r.stderr).toMatch(/warning: --force-resume: target\.injectedFault/);
    expect([0, 1]).toContain(r.code);
    const log = readDatalog(datalog);
    expect(log.resumes).toHaveLength(1);
    expect(log.resumes[0]).toMatchObject({ forced: true, atIndex: 2, differences: [{ field: "target.injectedFault", header: faultA, resumed: faultB }] });
    expect(log.vectors).toHaveLength(25);
    expect(log.footer).not.toBeNull();
  });

  it("--force-resume without --resume is bad input", async () => {
    expectRefused(await runMain(["run", bpFile, "--datalog", join(dir, "x.jsonl"), "--force-resume"]), /--force-resume goes with --resume/);
  });
});

describe("item 5: --resume only on a datalog", () => {
  const cases: [string, string][] = [
    ["one-line-program.json", JSON.stringify(JSON.parse(readFileSync(bpFile, "utf8")))],
    ["pretty-program.json", readFileSync(bpFile, "utf8")],
    ["notes.txt", "chip 7: retest after bake"],
    ["notes-lines.txt", "chip 7\nretest after bake\n"],
  ];
  for (const [name, text] of cases) {
    it(`${name}: exit 2, the file left byte for byte`, async () => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = await runMain(["run", bpFile, "--datalog", file, "--resume", "--no-diagnose"]);
      expectRefused(r, new RegExp(`${name.replace(".", "\\.")}: at line 1: expected a datalog header record`));
      expect(readFileSync(file, "utf8")).toBe(text);
    });
  }

  it("an empty file and a header cut off before its newline start over", async () => {
    for (const [name, text] of [["empty.jsonl", ""], ["cut-header.jsonl", '{"type":"hea']]) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = await runMain(["run", bpFile, "--datalog", file, "--resume", "--no-diagnose"]);
      expect(r.code).toBe(0);
      expect(readDatalog(file).vectors).toHaveLength(25);
    }
  });
});

describe("item 4: write failures", () => {
  it.runIf(existsSync("/dev/full"))("a datalog on /dev/full: exit 3, '0 vectors kept in /dev/full', no stack trace", async () => {
    const r = await runMain(["run", bpFile, "--datalog", "/dev/full", "--overwrite", "--no-diagnose"]);
    expect(r.stderr).toMatch(/\/dev\/full: cannot write the header record \(ENOSPC: no space left on device\); 0 vectors kept in \/dev\/full/);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
    expect(existsSync(lockFileOf("/dev/full"))).toBe(false);
  });

  it.runIf(existsSync("/dev/full"))("--resume of a device file is refused (it is no datalog; reading /dev/full never ends)", async () => {
    expectRefused(await runMain(["run", bpFile, "--datalog", "/dev/full", "--resume"]), /\/dev\/full: not a regular file/);
  });

  it("generate -o onto a special file (a pipe here; /dev/full alike) is refused, not replaced", async () => {
    const fifo = join(dir, "out.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = await runMain(["generate", "black-pixel-4x1", "-o", fifo]);
    expectRefused(r, /-o .*out\.fifo: is a device or special file, not a regular file/);
    expect(r.stdout).not.toMatch(/wrote/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
