/**
 * `npm run bench -- realistic`: the phased production test on the shipped benches —
 * for each, the neuron phase (test weights at the neurons' edges; not on bnn, where no
 * candidate passes the guard band — docs/neuron-phase.md — and each evaluation takes a
 * minute), the array phase (March C− with a retention pause, then restore and
 * READ-verify) and the functional phase, generated and graded over the full collapsed
 * universe of every shipped fault model incl. opens and the memory-test models: wall
 * time, steps per phase, detections per phase, TC and FC, the estimated good-chip
 * failure (READ and spike vectors) under the bench's variation, the test time on the
 * chip and the bytes on the serial line.
 *
 * Test time counts the pauses plus one IW + LW window per WRITE and per READ (the
 * board's row operation at the bench's window period — a bound from the protocol's
 * timing, not a measured board figure) and a spike vector's windows. Bytes are the
 * PROTOCOL.md lines both ways (`<tag> WRITE layer= row= bits=…*hh`, `<tag> OK*hh`, …)
 * with a five-digit tag; a spike vector is RESET, TIMING, one STIM with all its events
 * and FIRE, with the good chip's `out=` reply.
 * BNN_PHASES_SKIP=1 leaves out bnn-784x1024x10 (about 7 M faults, a few minutes).
 */
import { buildPhasedProgram } from "../src/atpg/phased-program.ts";
import { loadFaultModels } from "../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../src/faults/fault-universe.ts";
import type { ProgramStep } from "../src/formats/program-format.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";
import { vectorEvents } from "../src/formats/program-loader.ts";

const march = ["march-c-minus-retention"];

function lineBytes(s: ProgramStep): number {
  const frame = 6 + 3 + 1; // "nnnnn " tag + "*hh" + "\n"
  if (s.kind === "write") return frame + `WRITE layer=${s.layer} row=${s.row} bits=${s.bits}`.length + frame + 2;
  if (s.kind === "read") return frame + `READ layer=${s.layer} row=${s.row}`.length + frame + `OK bits=${s.expected}`.length;
  if (s.kind === "pause") return 0;
  const events = vectorEvents(s);
  const stim = `STIM ev=${events.map((e) => `${e.input}@${e.timePs}`).join(",")}`.length;
  const out = `OK out=${s.expected.map((x) => `${x.output}@${x.timePs}`).join(",")}`.length;
  return 4 * 2 * frame + "RESET".length + 2 + `TIMING iw_ps=${s.iwPs} lw_ps=${s.lwPs}`.length + `OK iw_ps=${s.iwPs} lw_ps=${s.lwPs}`.length + stim + `OK count=${events.length}`.length + `FIRE windows=${s.windows}`.length + out;
}

export default async function realisticBenchmark(): Promise<void> {
  const benches = ["black-pixel-4x1", "mlp-16x8x4", ...(process.env.BNN_PHASES_SKIP ? [] : ["bnn-784x1024x10"])];
  console.log("bench                 faults     steps (neuron/array/functional)  TC        FC        good fail  chip time   serial bytes  wall");
  for (const id of benches) {
    const t0 = performance.now();
    const loaded = loadTestbench(`testbenches/${id}.json`);
    const net = compileNetwork(loaded.bench);
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const u = enumerateFaults(net, loaded.bench, models, { collapse: true });
    const big = net.layers[0].rows > 32;
    const p = await buildPhasedProgram({ loaded, net, faults: u.faults, analysis: u.analysis, spike: null, marchIds: march, neuron: !big, functional: { seed: 1 } });
    const periodNs = (loaded.bench.timing.iwPs + loaded.bench.timing.lwPs) / 1000;
    let chipNs = 0;
    let bytes = 0;
    for (const s of p.program.vectors) {
      chipNs += s.kind === "pause" ? s.dwellNs : s.kind === "write" || s.kind === "read" ? periodNs : s.windows * ((s.iwPs + s.lwPs) / 1000);
      bytes += lineBytes(s);
    }
    const c = p.coverage.total;
    const pc = (x: number) => `${(x * 100).toFixed(3)} %`;
    console.log(
      `${id.padEnd(20)} ${u.faults.length.toLocaleString("en-US").padStart(9)}  ${`${p.program.vectors.length.toLocaleString("en-US")} (${[p.stepsByPhase.neuron, p.stepsByPhase.array, p.stepsByPhase.functional].map((n) => n.toLocaleString("en-US")).join("/")})`.padEnd(32)} ${pc(c.testCoverage).padStart(9)} ${pc(c.faultCoverage).padStart(9)} ${pc(p.program.metadata.estimatedYieldLoss ?? 0).padStart(9)}  ${(chipNs / 1e9).toFixed(3).padStart(7)} s  ${bytes.toLocaleString("en-US").padStart(12)}  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  detected by phase: neuron ${p.byPhase.neuron.toLocaleString("en-US")}, array ${p.byPhase.array.toLocaleString("en-US")}, functional ${p.byPhase.functional.toLocaleString("en-US")}; not detected: ${(c.ND + c.AU).toLocaleString("en-US")}; ` +
        `READ failure ${pc(p.array.readYieldLoss)}, margin ${p.array.marginSigma.p.toFixed(2)} σ (P) / ${p.array.marginSigma.ap.toFixed(2)} σ (AP)${big ? "; no neuron phase (docs/neuron-phase.md)" : ""}`,
    );
  }
}
