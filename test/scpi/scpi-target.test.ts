/**
 * The scpi target against the SCPI emulator on a real PTY pair (socat), both ends through
 * `serialport`: a good emulated instrument set passes a small black-pixel-4x1 program
 * (run by the real bench executor), an injected fault fails exactly the vectors it
 * should, and an instrument that reports an error in SYST:ERR? stops the run with that
 * error text as a bench error (exit code 3). Both shipped profiles are exercised: the
 * generic one (one instrument, no adapter) and the 81160A + 53230A one (GPIB adapter).
 */
import { afterEach, describe, expect, it } from "vitest";
import { exitCodeOf } from "../../src/cli/exit-codes.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { resolveInjection } from "../../src/faults/fault-injection.ts";
import { loadInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Perturbation } from "../../src/sim/perturbation.ts";
import { createScpiEmulator, serveScpiEmulator, type ScpiEmulatorOptions } from "../../src/targets/scpi-emulator.ts";
import { createScpiTarget, InstrumentError } from "../../src/targets/scpi-target.ts";
import { createSerialLineTransport } from "../../src/transports/serial-line-transport.ts";
import { generousHost } from "../helpers/generous-host.ts";
import { openPtyPair, type PtyPair } from "./pty-pair.ts";

const bench = loadTestbench("testbenches/black-pixel-4x1.json");
const programFile = "fixtures/scpi-target/black-pixel-4x1-small.program.json";
const program = loadProgram(programFile);
const profiles = {
  generic: loadInstrumentProfile("instruments/generic-scpi-bench.json"),
  keysight: loadInstrumentProfile("instruments/keysight-81160a-53230a.json"),
};

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/**
 * Serve the emulated instruments on the PTY's instrument end, resolving once that port is open: a
 * serial port throws away what reached it before it opened (tcflush), so a host that talked first
 * lost its *IDN? (seen once in a loaded full run: no reply within 15 s).
 */
async function listen(emulator: ReturnType<typeof createScpiEmulator>, pty: PtyPair): Promise<void> {
  const stop = new AbortController();
  let listening!: () => void;
  const open = new Promise<void>((resolve) => (listening = resolve));
  const served = serveScpiEmulator(emulator, createSerialLineTransport({ path: pty.instruments }), { signal: stop.signal, onListening: listening });
  cleanup.push(async () => {
    stop.abort();
    await served;
    await pty.close();
  });
  await Promise.race([open, served]);
}

/** Emulated instruments on one PTY end; the scpi target on the other. */
async function rig(profileKey: keyof typeof profiles, emu: Partial<ScpiEmulatorOptions> = {}) {
  const pty: PtyPair = await openPtyPair();
  const profile = profiles[profileKey];
  const emulator = createScpiEmulator({ bench: bench.bench, profile, ...emu });
  await listen(emulator, pty);
  const target = createScpiTarget({ profile: generousHost(profile), transport: createSerialLineTransport({ path: pty.host }), inputs: 4, outputs: 1 });
  return { target, emulator, port: pty.host };
}

function run(target: ReturnType<typeof createScpiTarget>, port: string) {
  return executeProgram({ program, programFile, bench, target, targetLabel: port, port, dutId: "scpi-test" });
}

describe.each(["generic", "keysight"] as const)("scpi target with the %s profile on a PTY", (key) => {
  it("a good emulated instrument set passes every vector, with the good chip's spike times", async () => {
    const { target, emulator, port } = await rig(key);
    const r = await run(target, port);
    expect(r.header.target.kind).toBe("scpi");
    expect(r.header.target.identity).toContain(profiles[key].profile.id);
    expect(r.footer.verdict).toBe("pass");
    expect(r.footer.passed).toBe(program.vectors.length);
    expect(emulator.acquisitions).toBe(program.vectors.length);
    const p1111 = r.vectors.find((v) => v.vectorId === "p1111")!;
    // By hand: four cells of 4938 + 35673.4 Ω in parallel behind 20 Ω (and ~2.5 Ω of segments) draw 1.1 V / 10175.4 Ω
    // = 108.10 µA; the LIF drive u = g·(I − I_c)·τ = 0.0154623·37.10·30 = 17.21; two windows leave
    // x = 0.7175, and the third pulse crosses θ = 1 after −τ·ln((u − 1)/(u − x)) = 518.2 ps: 20518 ps, 20520 at the 10-ps tick.
    const u = 0.0154623 * (1.1e6 / ((4938 + 35673.4) / 4 + 22.5) - 71) * 30;
    let x = 0;
    for (let w = 0; w < 2; w++) x = (u + (x - u) * Math.exp(-1 / 30)) * Math.exp(-9 / 30);
    const spikePs = 20_000 + -30_000 * Math.log((u - 1) / (u - x));
    expect(spikePs).toBeCloseTo(20_518, 0);
    expect(p1111.repetitions[0].spikes.map((s) => s.timePs)).toEqual([Math.round(spikePs / 10) * 10]);
  });

  it("an injected fault (a 30 kΩ open at rop1) fails exactly the vectors that expect a spike", async () => {
    const fault = resolveInjection(bench, "resistive-open@rop1:30k");
    const { target, port } = await rig(key, { perturbations: fault.perturbations as Perturbation[] });
    const r = await run(target, port);
    expect(r.footer.verdict).toBe("fail");
    expect(r.footer.failingVectors).toEqual(["p1111", "p1111-w6"]);
  });
});

describe("instrument errors", () => {
  it("an error in SYST:ERR? stops the run with the instrument's text as a bench error (exit 3)", async () => {
    const errorText = '-222,"Data out of range; burst count"';
    const { target, port } = await rig("keysight", { injectError: { instrument: "pg2", match: "TRIG:COUN", errorText } });
    const err = await run(target, port).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InstrumentError);
    expect(exitCodeOf(err)).toBe(3);
    expect((err as InstrumentError).errorText).toBe(errorText);
    expect((err as Error).message).toContain("instrument pg2 (GPIB 11) reported -222,\"Data out of range; burst count\" during row configuration");
    expect((err as Error).message).toMatch(/commands since its last check: .*":TRIG:COUN1 /);
  });

  it("a command the instrument does not know is caught by the drain, not ignored", async () => {
    const profile = structuredClone(profiles.generic);
    profile.profile.instruments.bench.commands.setPulseCount = "SOUR{channel}:BURS:NCYCLES {count}"; // the emulator only knows its own profile's spelling
    const pty = await openPtyPair();
    await listen(createScpiEmulator({ bench: bench.bench, profile: profiles.generic }), pty);
    const target = createScpiTarget({ profile: generousHost(profile), transport: createSerialLineTransport({ path: pty.host }), inputs: 4, outputs: 1 });
    await expect(run(target, pty.host)).rejects.toThrow(/instrument bench reported -113,"Undefined header" during row configuration/);
  });

  it("a wrong instrument at the address fails the *IDN? check with a located message", async () => {
    const profile = structuredClone(profiles.keysight);
    profile.profile.instruments.cnt.idnPattern = "^Keysight Technologies,53220A,";
    const pty = await openPtyPair();
    await listen(createScpiEmulator({ bench: bench.bench, profile: profiles.keysight }), pty);
    const target = createScpiTarget({ profile: generousHost(profile), transport: createSerialLineTransport({ path: pty.host }), inputs: 4, outputs: 1 });
    await expect(run(target, pty.host)).rejects.toThrow(/instrument cnt \(GPIB 3\) answered "Keysight Technologies,53230A,.*" to \*IDN\?; .* expects \/\^Keysight Technologies,53220A,\/ — wrong instrument or address/);
  });
});
