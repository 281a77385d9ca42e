/**
 * A large report printed to a slow reader (`snn-atpg coverage … --json | gzip`): the command
 * waits for stdout to take each piece (CliContext.drained), so what waits in the stream's
 * queue stays about one piece — before, every piece was queued at once, and on bnn's
 * 821 MB report the pipe's write failed with ENOBUFS and a stack trace. And a failing stdout
 * (a full disk) ends the command with exit 3 and one line, not a stack trace.
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const program = join(repoRoot, "fixtures", "coverage", "mlp-16x8x4-random8.json");

describe("printing a large report to a slow reader", () => {
  it("keeps about one piece queued on stdout, and prints the whole report", async () => {
    const chunks: string[] = [];
    let maxQueued = 0;
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        maxQueued = Math.max(maxQueued, this.writableLength);
        setTimeout(done, 1); // a reader slower than the printing
      },
    });
    const stderr = new Writable({ write: (_c, _e, done) => done() });
    const code = await main(["node", "snn-atpg", "coverage", "mlp-16x8x4", program, "--json"], { stdout, stderr });
    expect(code).toBe(0);
    await new Promise((resolve) => stdout.end(resolve)); // what is still queued
    const text = chunks.join("");
    const report = JSON.parse(text) as { faults: unknown[] };
    // several pieces of 256 faults each, so queuing all of them would be seen
    expect(report.faults.length).toBeGreaterThan(3 * 256);
    const largestPiece = Math.max(...chunks.map((c) => c.length));
    expect(maxQueued).toBeLessThanOrEqual(2 * largestPiece);
    expect(maxQueued).toBeLessThan(text.length / 2); // all pieces queued at once: the whole report
  }, 120_000);

  it("a stdout that fails (no space left) ends the command with exit 3 and one line on stderr", () => {
    // /dev/full fails every write with ENOSPC
    const full = openSync("/dev/full", "w");
    const r = spawnSync(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), "coverage", "mlp-16x8x4", program, "--json"], { stdio: ["ignore", full, "pipe"], encoding: "utf8", timeout: 120_000 });
    closeSync(full);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/error: writing the output failed \(ENOSPC\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("a caller's stdout that fails ends the command with exit 3 and one line, and leaves no listener on the process's streams", async () => {
    const before = [process.stdout.listenerCount("error"), process.stderr.listenerCount("error")];
    const stdout = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error("no space left on device"), { code: "ENOSPC" })) });
    const errs: string[] = [];
    const stderr = new Writable({ write: (c, _e, done) => (errs.push(String(c)), done()) });
    const code = await main(["node", "snn-atpg", "coverage", "mlp-16x8x4", program, "--json"], { stdout, stderr });
    expect(code).toBe(3);
    expect(errs.join("")).toMatch(/error: writing the output failed \(ENOSPC\)/);
    expect(errs.join("")).not.toMatch(/\n\s+at /);
    // a second command on the process's own streams (as runCli runs one) adds no listener either after the first guard
    await main(["node", "snn-atpg", "--version"]);
    const once = [process.stdout.listenerCount("error"), process.stderr.listenerCount("error")];
    await main(["node", "snn-atpg", "--version"]);
    expect([process.stdout.listenerCount("error"), process.stderr.listenerCount("error")]).toEqual(once);
    expect(once[0] - before[0]).toBeLessThanOrEqual(1);
  }, 120_000);

  it("a command that ends right after its last write still sees that write fail (--version: exit 3), and commands on one stream leave one listener", async () => {
    const failing = () => new Writable({ write: (_c, _e, done) => done(Object.assign(new Error("no space left on device"), { code: "ENOSPC" })) });
    const errs: string[] = [];
    const stderr = new Writable({ write: (c, _e, done) => (errs.push(String(c)), done()) });
    expect(await main(["node", "snn-atpg", "--version"], { stdout: failing(), stderr })).toBe(3);
    expect(errs.join("")).toMatch(/writing the output failed \(ENOSPC\)/);
    const ok = new Writable({ write: (_c, _e, done) => done() });
    for (let k = 0; k < 3; k++) expect(await main(["node", "snn-atpg", "--version"], { stdout: ok, stderr })).toBe(0);
    expect(ok.listenerCount("error")).toBe(1);
    expect(stderr.listenerCount("error")).toBe(1);
  }, 60_000);
});
