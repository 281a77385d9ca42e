/**
 * End to end on real pseudo-terminals: the board emulator (`snn-atpg emulate`, a
 * separate process) on one end of a socat PTY pair, `snn-atpg run --target serial`
 * on the other, through the real serialport package. Covers the acceptance list of
 * the bench: good chips pass, injected faults fail, noise changes nothing but retry
 * counts, timestamps and logs, a killed board gives exit 3 and a resumable datalog,
 * bad boards / ports give located errors, Ctrl-C flushes and exits 130.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatalog, stableRecord } from "../../src/bench/datalog-reader.ts";
import type { DatalogRecord } from "../../src/formats/datalog-format.ts";
import { killSpawned } from "./spawn-cli.ts";
import { hasSocat, runSerial, runSerialHere, startEmulator, startPtyPair, type PtyPair } from "./pty-rig.ts";

const bpProgram = "fixtures/bench/black-pixel-4x1.program.json";
const mlpProgram = "fixtures/bench/mlp-16x8x4.program.json";

const stable = (file: string) => {
  const log = readDatalog(file);
  return [log.header, ...log.vectors, ...(log.footer ? [log.footer] : [])].map((r) => stableRecord(r as DatalogRecord));
};
const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0);

it("socat is installed (the PTY tests below need it; .ci/run installs it, or: apt-get install socat)", () => {
  expect(hasSocat).toBe(true);
});

describe.runIf(hasSocat)("bench over a real PTY pair", () => {
  let pty: PtyPair;
  const log = (name: string) => join(pty.dir, name);

  beforeAll(async () => {
    pty = await startPtyPair();
  });
  afterAll(async () => {
    await killSpawned();
    await pty?.stop();
  });

  it("a good emulated chip passes every vector of the black-pixel-4x1 and mlp-16x8x4 programs", async () => {
    for (const [bench, program, name, n] of [
      ["black-pixel-4x1", bpProgram, "bp-good.jsonl", 25],
      ["mlp-16x8x4", mlpProgram, "mlp-good.jsonl", 16],
    ] as const) {
      const emu = await startEmulator(bench, pty.a);
      const run = await runSerialHere(program, pty.b, ["--datalog", log(name), "--dut-id", "chip-1"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`${n} vectors, ${n} passed, 0 failed`);
      expect(run.stdout).toContain(`serial on ${pty.b} (snnb-emu-${bench} fw 1.0.0-emu)`);
      const dl = readDatalog(log(name));
      expect(dl.vectors.every((v) => v.verdict === "pass")).toBe(true);
      expect(dl.footer?.verdict).toBe("pass");
      const stopped = await emu.stop();
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toMatch(new RegExp(`stopped after ${n} FIRE command`));
    }
  });

  it("with --noise 0.05 the verdicts and datalogs equal the noiseless run, less retries, timestamps and logs", async () => {
    const seen = { corrupted: 0, dropped: 0, delayed: 0, busy: 0, logs: 0 };
    let retries = 0;
    let keptLogs = 0;
    for (const [bench, program, clean, noisy] of [
      ["mlp-16x8x4", mlpProgram, "mlp-good.jsonl", "mlp-noisy.jsonl"],
      ["black-pixel-4x1", bpProgram, "bp-good.jsonl", "bp-noisy.jsonl"],
    ] as const) {
      const emu = await startEmulator(bench, pty.a, ["--noise", "0.05", "--seed", "5", "--noise-delay-ms", "400"]);
      const run = await runSerialHere(program, pty.b, ["--datalog", log(noisy), "--dut-id", "chip-1"]);
      const stopped = await emu.stop();
      expect(run.code, run.stderr).toBe(0);
      expect(stable(log(noisy))).toEqual(stable(log(clean)));
      const m = /noise: (\d+) corrupted, (\d+) dropped, (\d+) delayed, (\d+) BUSY replies, (\d+) log lines/.exec(stopped.stdout);
      expect(m, stopped.stdout).not.toBeNull();
      (["corrupted", "dropped", "delayed", "busy", "logs"] as const).forEach((k, i) => (seen[k] += Number(m![i + 1])));
      const dl = readDatalog(log(noisy));
      retries += dl.footer!.retries;
      keptLogs += dl.vectors.flatMap((v) => v.repetitions.flatMap((r) => r.link.logs)).length;
    }
    // The noise really happened and reached the host: resends, and ! LOG lines kept in the datalog. (With seed 5 every
    // kind occurs in an unloaded run; under load extra resends shift the seeded draws, so only the totals are asserted.)
    expect(seen.corrupted + seen.dropped + seen.delayed + seen.busy, JSON.stringify(seen)).toBeGreaterThanOrEqual(3);
    expect(retries).toBeGreaterThan(0);
    expect(keptLogs).toBe(seen.logs);
  });

  it("killing the board mid-run gives exit 3, a clear message and the finished vectors; --resume completes it identically", async () => {
    const file = log("bp-killed.jsonl");
    const emu = await startEmulator("black-pixel-4x1", pty.a, ["--fire-delay-ms", "40"]);
    const run = runSerial(bpProgram, pty.b, ["--datalog", file, "--dut-id", "chip-1"]);
    while (lines(file) < 5 && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    await emu.kill();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/error: vector \S+ \(\d+ of 25\): .*board stopped answering: .*failed 8 times \(last: no reply within 250 ms\)/);
    const kept = readDatalog(file);
    expect(kept.footer).toBeNull();
    expect(kept.vectors.length, r.stderr).toBeGreaterThanOrEqual(4);
    expect(kept.vectors.length).toBeLessThan(25);
    expect(r.stderr).toContain(`keeps the ${kept.vectors.length} finished vector(s)`);

    const again = await startEmulator("black-pixel-4x1", pty.a);
    const resumed = await runSerialHere(bpProgram, pty.b, ["--datalog", file, "--resume"]);
    await again.stop();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resuming ${file}: ${kept.vectors.length} of 25 vectors already done`);
    expect(stable(file)).toEqual(stable(log("bp-good.jsonl")));
  });

  it("an emulated chip with an injected fault fails (exit 1)", async () => {
    for (const [bench, program, fault] of [
      ["black-pixel-4x1", bpProgram, "dead-synapse@l0.r2.c0"],
      ["mlp-16x8x4", mlpProgram, "dead-neuron@l1.n2"],
    ] as const) {
      const emu = await startEmulator(bench, pty.a, ["--inject", fault]);
      expect(emu.cli.stdout()).toContain(`injected ${fault}`);
      const run = await runSerialHere(program, pty.b);
      await emu.stop();
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/FAIL {2}\S+ {2}missing [1-9]/);
    }
  });

  it("Ctrl-C flushes the finished vectors and exits 130", async () => {
    const file = log("bp-interrupted.jsonl");
    const emu = await startEmulator("black-pixel-4x1", pty.a, ["--fire-delay-ms", "40"]);
    const run = runSerial(bpProgram, pty.b, ["--datalog", file]);
    while (lines(file) < 4 && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    run.child.kill("SIGINT");
    const r = await run.done;
    await emu.stop();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted by the user \(Ctrl-C\); .*keeps the \d+ finished vector\(s\)/);
    const text = readFileSync(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const kept = readDatalog(file);
    expect(kept.vectors.length).toBeGreaterThanOrEqual(3);
    expect(kept.footer).toBeNull();
  });

  it("a wrong protocol version, malformed replies and a wrong input count give located errors (exit 3)", async () => {
    const cases = [
      { bench: "black-pixel-4x1", flags: ["--protocol-version", "2"], program: bpProgram, msg: /HELLO reply: the board speaks protocol version 2 \(proto=2\), this host speaks version 1/ },
      { bench: "black-pixel-4x1", flags: ["--garble", "FIRE"], program: bpProgram, msg: /vector p0000 \(1 of 25\): .*: malformed reply "\d+ OK out:garbled\*[0-9A-F]{2}" to "\d+ FIRE windows=3"/ },
      { bench: "mlp-16x8x4", flags: [], program: bpProgram, msg: /the device reports inputs=16 outputs=4 \(snnb-emu-mlp-16x8x4\), but .*black-pixel-4x1\.program\.json is for testbench black-pixel-4x1 with 4 inputs and 1 outputs/ },
    ];
    for (const c of cases) {
      const emu = await startEmulator(c.bench, pty.a, c.flags);
      const run = await runSerialHere(c.program, pty.b);
      await emu.stop();
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain(pty.b);
      expect(run.stderr).toMatch(c.msg);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
  });

  it("a missing port gives exit 3 naming the path", async () => {
    const missing = join(pty.dir, "no-such-port");
    const run = await runSerialHere(bpProgram, missing, ["--datalog", join(pty.dir, "never.jsonl")]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`cannot open serial port ${missing}: .*(No such file|ENOENT).*check the cable and \`snn-atpg ports\``));
    expect(existsSync(join(pty.dir, "never.jsonl"))).toBe(false); // nothing measured, no empty datalog left behind
  });

  it("pulling the cable (the PTY pair disappears) is detected at once: exit 3, unplugged", async () => {
    const emu = await startEmulator("black-pixel-4x1", pty.a, ["--fire-delay-ms", "40"]);
    const run = runSerial(bpProgram, pty.b, ["--timeout-ms", "5000"]);
    await run.waitFor("PASS  p0001");
    const t0 = Date.now();
    await pty.stop();
    const r = await run.done;
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeLessThan(3000); // not the 5 s reply timeout × attempts
    // the close event or a failed write, whichever the OS reports first
    expect(r.stderr).toMatch(/serial port .*\/b( closed unexpectedly \(|: write failed .*; )device unplugged or link gone/);
    const e = await emu.kill();
    expect([0, 3, 137]).toContain(e.code);
  });
});
