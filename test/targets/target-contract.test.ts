/**
 * The target contract, written once and run against every target: the sim target, the
 * serial board target against the board emulator (in-memory link and a real PTY pair),
 * the SCPI target against its emulator — and a real board when TEST_PORT is set.
 *
 * Every target fronts the same simulated chip, so the same program must give the same
 * verdicts and the same datalog content apart from link fields (timestamps, retries,
 * link logs, the header's target block). What each case asserts comes from the bench
 * file (4 inputs, 1 output, 10-ps tick), from the fixture programs (made from the good
 * chip: a good chip passes them all) or from the circuit: a dead synapse on row 2 can
 * only change the vectors that drive row 2, and it removes the all-black spike.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { executeProgram, type BenchRunResult } from "../../src/bench/bench-executor.ts";
import { ProfileCompatibilityError } from "../../src/targets/scpi-compatibility.ts";
import { stableRecord } from "../../src/bench/datalog-reader.ts";
import { resolveInjection } from "../../src/faults/fault-injection.ts";
import type { DatalogRecord } from "../../src/formats/datalog-format.ts";
import { loadProgram, requireSpikeVectors } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Perturbation } from "../../src/sim/perturbation.ts";
import { createSerialBoardTarget } from "../../src/targets/serial-board-target.ts";
import type { Target } from "../../src/targets/target.ts";
import { BenchSetupError } from "../../src/transports/bench-error.ts";
import { createSerialLineTransport } from "../../src/transports/serial-line-transport.ts";
import { rigs, type RiggedTarget } from "./target-rigs.ts";

const bench = loadTestbench("testbenches/black-pixel-4x1.json");
const patterns = { file: "fixtures/bench/black-pixel-4x1.program.json" };
const writes = { file: "fixtures/bench/black-pixel-4x1-writes.program.json" };
const programs = { patterns: { ...patterns, program: loadProgram(patterns.file) }, writes: { ...writes, program: loadProgram(writes.file) } };
const deadRow2 = resolveInjection(bench, "dead-synapse@l0.r2.c0").perturbations as Perturbation[];
const drivesRow2 = new Set(requireSpikeVectors(programs.patterns.program, patterns.file, "test").filter((v) => v.pattern!.some((p) => p[2] === "1")).map((v) => v.id));

function run(which: keyof typeof programs, rigged: Pick<RiggedTarget, "target" | "label">): Promise<BenchRunResult> {
  const { file, program } = programs[which];
  return executeProgram({ program, programFile: file, bench, target: rigged.target, targetLabel: rigged.label, dutId: "contract" });
}

/** What must agree across targets: every vector record and the footer, without link fields. */
const content = (r: BenchRunResult) => [...r.vectors, r.footer].map((rec) => stableRecord(rec as DatalogRecord));

/** The contract cases that hold for any good chip on any target. */
function goodChipContract(make: () => Promise<RiggedTarget>, reference: () => BenchRunResult, o: { writes: boolean; readBack: boolean; sameContent: boolean }) {
  it("opens with the bench's pins and resolution, and rounds window timing to the 10-ps tick", async () => {
    const { target } = await make();
    const info = await target.open();
    expect({ inputs: info.inputs, outputs: info.outputs, tickPs: info.tickPs }).toEqual({ inputs: 4, outputs: 1, tickPs: 10 });
    await expect(target.setTiming(1004, 8996)).resolves.toEqual({ iwPs: 1000, lwPs: 9000 });
    await target.close();
  });

  it("passes every vector of the black-pixel program, with spike times at the tick", async () => {
    const r = await run("patterns", await make());
    expect(r.footer).toMatchObject({ verdict: "pass", vectors: 25, passed: 25, failed: 0 });
    for (const v of r.vectors) for (const rep of v.repetitions) for (const s of rep.spikes) expect(s.timePs % 10, `${v.vectorId} ${s.timePs}`).toBe(0);
    const verdicts = (x: BenchRunResult) => x.vectors.map((v) => [v.vectorId, v.verdict]);
    expect(verdicts(r)).toEqual(verdicts(reference()));
    if (o.sameContent) expect(content(r)).toEqual(content(reference()));
  });

  if (o.writes) {
    it("programs weights: the WRITE program passes (rows 0–2 off: no spike; on again: the spike is back)", async () => {
      const r = await run("writes", await make());
      expect(r.footer).toMatchObject({ verdict: "pass", vectors: 5, failed: 0 });
    });
  } else {
    it("refuses a program with WRITE steps before applying anything, naming the program", async () => {
      const err = await run("writes", await make()).catch((e: unknown) => e);
      // A board refuses once open (bench setup, exit 3); the scpi target already from its profile, before opening (bad input, exit 2).
      expect(err instanceof ProfileCompatibilityError || err instanceof BenchSetupError, String(err)).toBe(true);
      expect((err as Error).message).toContain(writes.file);
      expect((err as Error).message).toContain("programs weights");
    });
  }

  if (o.readBack) {
    it("reads back what was written to a row", async () => {
      const { target } = await make();
      await target.open();
      await target.writeRow!(0, 2, "0");
      await expect(target.readRow!(0, 2)).resolves.toBe("0");
      await target.writeRow!(0, 2, "1");
      await expect(target.readRow!(0, 2)).resolves.toBe("1");
      await target.close();
    });
  }
}

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

/** The sim target's runs: what every other target must reproduce. */
const reference: { good?: BenchRunResult; dead?: BenchRunResult; writes?: BenchRunResult } = {};
beforeAll(async () => {
  const sim = rigs[0];
  reference.good = await run("patterns", await sim.make(bench));
  reference.dead = await run("patterns", await sim.make(bench, deadRow2));
  reference.writes = await run("writes", await sim.make(bench));
});

describe.each(rigs)("target contract: $name", (rig) => {
  {
    const make = async (perturbations?: readonly Perturbation[]) => {
      const rigged = await rig.make(bench, perturbations);
      stops.push(rigged.stop);
      return rigged;
    };
    goodChipContract(() => make(), () => reference.good!, { writes: rig.writes, readBack: rig.writes, sameContent: true });

    if (rig.writes) {
      it("gives the sim target's datalog content for the WRITE program", async () => {
        expect(content(await run("writes", await make()))).toEqual(content(reference.writes!));
      });

      it("reads a dead synapse as 0 whatever is written to it", async () => {
        const { target } = await make(deadRow2);
        await target.open();
        await target.writeRow!(0, 2, "1");
        await expect(target.readRow!(0, 2)).resolves.toBe("0");
        await target.close();
      });
    }

    it("fails an injected dead synapse (l0.r2.c0) only on vectors that drive row 2, all-black included, as the sim target does", async () => {
      const r = await run("patterns", await make(deadRow2));
      expect(r.footer.verdict).toBe("fail");
      expect(r.footer.failingVectors).toContain("p1111");
      for (const id of r.footer.failingVectors) expect(drivesRow2.has(id), id).toBe(true);
      expect(r.vectors.find((v) => v.vectorId === "p1111")).toMatchObject({ verdict: "fail", mismatch: { missing: 1, extra: 0, shifted: 0 } });
      expect(content(r)).toEqual(content(reference.dead!));
    });
  }
});

const port = process.env.TEST_PORT;
describe.skipIf(!port)("target contract: real board on TEST_PORT (set TEST_PORT=/dev/ttyUSB0 to run the contract against hardware)", () => {
  const make = async (): Promise<RiggedTarget> => ({
    target: createSerialBoardTarget({ transport: createSerialLineTransport({ path: port! }), replyTimeoutMs: 1000, maxAttempts: 4 }) as Target,
    label: port!,
    stop: async () => {},
  });
  // A real board cannot take an injected fault, and its spike times are its own: a known-good chip must give the sim target's verdicts.
  goodChipContract(make, () => reference.good!, { writes: true, readBack: false, sameContent: false });
});
