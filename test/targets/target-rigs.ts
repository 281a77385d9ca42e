/**
 * Every implementation of the Target interface, set up the way the target contract
 * suite needs it: a fresh target on a chip with an optional injected fault (the sim
 * target takes the perturbations itself, the emulated board and instruments get them
 * in their emulator), plus what the rig must undo afterwards.
 *
 *   const rig = rigs.find((r) => r.name === "serial ↔ board emulator, in-memory link")!;
 *   const { target, label, stop } = await rig.make(fault.perturbations);
 *
 * The real board (TEST_PORT) is not here: it cannot take an injected fault, and its
 * block is declared in the contract suite itself.
 */
import { loadInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import { observableOutputCount } from "../../src/formats/observable-outputs.ts";
import type { LoadedTestbench } from "../../src/formats/testbench-loader.ts";
import type { Perturbation } from "../../src/sim/perturbation.ts";
import { createBoardEmulator, serveBoardEmulator } from "../../src/targets/board-emulator.ts";
import { createScpiEmulator, serveScpiEmulator } from "../../src/targets/scpi-emulator.ts";
import { createScpiTarget } from "../../src/targets/scpi-target.ts";
import { createSerialBoardTarget } from "../../src/targets/serial-board-target.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import type { Target } from "../../src/targets/target.ts";
import { createMemoryLinePair } from "../../src/transports/memory-line-transport.ts";
import { createSerialLineTransport } from "../../src/transports/serial-line-transport.ts";
import { startPtyPair } from "../bench/pty-rig.ts";
import { generousHost } from "../helpers/generous-host.ts";

export interface RiggedTarget {
  target: Target;
  /** Where the target is, for the executor's messages. */
  label: string;
  /** Undo the rig (emulator, PTY pair); the executor closes the target itself. */
  stop(): Promise<void>;
}

export interface TargetRig {
  name: string;
  /** Whether the target can program weights (WRITE) and sense them (READ). */
  writes: boolean;
  /** Whether the rig needs socat. */
  pty: boolean;
  make(bench: LoadedTestbench, perturbations?: readonly Perturbation[]): Promise<RiggedTarget>;
}

/** Generous link settings: a CPU-starved emulator on a loaded machine must not look like a dead board. */
const link = { replyTimeoutMs: 2000, maxAttempts: 4 };
const scpiProfile = () => loadInstrumentProfile("instruments/generic-scpi-bench.json");

export const rigs: TargetRig[] = [
  {
    name: "sim target",
    writes: true,
    pty: false,
    async make(bench, perturbations) {
      return { target: createSimTarget({ bench: bench.bench, perturbations }), label: "sim", stop: async () => {} };
    },
  },
  {
    name: "serial ↔ board emulator, in-memory link",
    writes: true,
    pty: false,
    async make(bench, perturbations) {
      const [host, board] = createMemoryLinePair();
      await board.open();
      const stopServing = serveBoardEmulator(board, createBoardEmulator({ bench: bench.bench, perturbations }));
      return { target: createSerialBoardTarget({ transport: host, ...link }), label: host.label, stop: async () => stopServing() };
    },
  },
  {
    name: "serial ↔ board emulator, real PTY",
    writes: true,
    pty: true,
    async make(bench, perturbations) {
      const pty = await startPtyPair();
      const board = createSerialLineTransport({ path: pty.a });
      await board.open();
      const stopServing = serveBoardEmulator(board, createBoardEmulator({ bench: bench.bench, perturbations }), { crlf: true });
      return {
        target: createSerialBoardTarget({ transport: createSerialLineTransport({ path: pty.b }), ...link }),
        label: pty.b,
        async stop() {
          stopServing();
          await board.close().catch(() => undefined);
          await pty.stop();
        },
      };
    },
  },
  {
    name: "scpi ↔ scpi emulator, in-memory link",
    writes: true,
    pty: false,
    async make(bench, perturbations) {
      const profile = scpiProfile();
      const [host, instruments] = createMemoryLinePair(["memory:host", "memory:instruments"]);
      const ac = new AbortController();
      const served = serveScpiEmulator(createScpiEmulator({ bench: bench.bench, profile, perturbations }), instruments, { signal: ac.signal });
      const target = createScpiTarget({ profile: generousHost(profile), transport: host, inputs: bench.bench.layers[0].rows, outputs: observableOutputCount(bench.bench) });
      return {
        target,
        label: host.label,
        async stop() {
          ac.abort();
          await served;
        },
      };
    },
  },
  {
    name: "scpi (pulse generators + counter, no array instrument) ↔ scpi emulator, in-memory link",
    writes: false,
    pty: false,
    async make(bench, perturbations) {
      const profile = loadInstrumentProfile("instruments/keysight-81160a-53230a.json");
      const [host, instruments] = createMemoryLinePair(["memory:host", "memory:instruments"]);
      const ac = new AbortController();
      const served = serveScpiEmulator(createScpiEmulator({ bench: bench.bench, profile, perturbations }), instruments, { signal: ac.signal });
      const target = createScpiTarget({ profile: generousHost(profile), transport: host, inputs: bench.bench.layers[0].rows, outputs: observableOutputCount(bench.bench) });
      return {
        target,
        label: host.label,
        async stop() {
          ac.abort();
          await served;
        },
      };
    },
  },
];
