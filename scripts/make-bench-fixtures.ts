/**
 * Write the hand-made test programs the bench tests use (fixtures/bench/*.program.json)
 * by simulating the good chip: every expected spike comes from the simulator, and the
 * testbench hash from loadTestbench(...).sha256. Rerun after a testbench or simulator
 * change: node --import tsx scripts/make-bench-fixtures.ts
 *
 *   black-pixel-4x1.program.json   all 16 patterns × 3 windows, long 1110 / 1111 / 0111 runs, and
 *                                  1111 and the 3-of-4 patterns at stronger timings (for diagnosis)
 *   mlp-16x8x4.program.json        16 seeded random patterns of 7–10 active inputs × 5 windows
 *   black-pixel-4x1-writes.program.json  WRITE rows 0–2 to 0 and back, with fixed / sprt decisions
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Program, ProgramVector } from "../src/formats/program-format.ts";
import { loadTestbench, type LoadedTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";
import { applyPerturbations, type Perturbation } from "../src/sim/perturbation.ts";
import { createRng } from "../src/sim/rng.ts";
import { fixtureProgram, goodChipSpikes } from "./fixture-program.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "fixtures", "bench");

type Spec = Omit<ProgramVector, "expected" | "repetitions" | "iwPs" | "lwPs"> & { repetitions?: number; pattern: string[]; iwPs?: number; lwPs?: number };

function program(loaded: LoadedTestbench, specs: Spec[], extra: Partial<Program> = {}): Program {
  const base = compileNetwork(loaded.bench);
  const weights = new Map<string, string>();
  const vectors = specs.map((s): ProgramVector => {
    for (const w of s.writes ?? []) weights.set(`${w.layer}.${w.row}`, w.bits);
    const ps: Perturbation[] = [];
    for (const [k, bits] of weights) {
      const [layer, row] = k.split(".").map(Number);
      for (let col = 0; col < bits.length; col++) ps.push({ site: { kind: "cell", layer, row, col }, quantity: "weight", op: "set", value: Number(bits[col]) });
    }
    const net = applyPerturbations(base, ps);
    const iwPs = s.iwPs ?? loaded.bench.timing.iwPs;
    const lwPs = s.lwPs ?? loaded.bench.timing.lwPs;
    return { ...s, iwPs, lwPs, repetitions: s.repetitions ?? 1, expected: goodChipSpikes(net, s.pattern, s.windows, iwPs, lwPs) };
  });
  return fixtureProgram(loaded, vectors, { generator: "scripts/make-bench-fixtures.ts (good-chip simulation)" }, extra);
}

function save(name: string, p: Program): void {
  writeFileSync(join(out, name), `${JSON.stringify(p, null, 1)}\n`);
  const spikes = p.vectors.reduce((s, v) => s + ("expected" in v && Array.isArray(v.expected) ? v.expected.length : 0), 0);
  console.log(`wrote fixtures/bench/${name}: ${p.vectors.length} vectors, ${spikes} expected spikes`);
}

const bp = loadTestbench(join(root, "testbenches", "black-pixel-4x1.json"));
const patterns16 = Array.from({ length: 16 }, (_, i) => i.toString(2).padStart(4, "0"));
save(
  "black-pixel-4x1.program.json",
  program(bp, [
    ...patterns16.map((p) => ({ id: `p${p}`, windows: 3, pattern: [p] })),
    { id: "p1111-w6", windows: 6, pattern: ["1111"] },
    { id: "p1110-w12", windows: 12, pattern: ["1110"] },
    { id: "p0111-w12", windows: 12, pattern: ["0111"] },
    // Stronger timing (long IW, short LW) makes three inputs fire and separates the neuron faults:
    // which row is dead, dead neuron vs slow-to-integrate vs fast-to-leak (diagnosis resolution).
    { id: "p1111-iw2000-w4", windows: 4, pattern: ["1111"], iwPs: 2000 },
    { id: "p1111-lw5000-w6", windows: 6, pattern: ["1111"], lwPs: 5000 },
    ...["0111", "1011", "1101", "1110"].map((p) => ({ id: `p${p}-iw2000-lw5000-w8`, windows: 8, pattern: [p], iwPs: 2000, lwPs: 5000 })),
  ]),
);

const mlp = loadTestbench(join(root, "testbenches", "mlp-16x8x4.json"));
const rng = createRng(1684);
// 7–10 of 16 inputs: the hidden layer's firing threshold lies there (fewer never fire, more saturate).
const randomPatterns = Array.from({ length: 16 }, (_, i) => {
  const bits = new Array<string>(16).fill("0");
  for (let n = 0; n < 7 + (i % 4); ) {
    const j = Math.floor(rng.next() * 16);
    if (bits[j] === "0") {
      bits[j] = "1";
      n++;
    }
  }
  return bits.join("");
});
save("mlp-16x8x4.program.json", program(mlp, randomPatterns.map((p, i) => ({ id: `r${String(i).padStart(2, "0")}`, windows: 5, pattern: [p] }))));

save(
  "black-pixel-4x1-writes.program.json",
  program(bp, [
    { id: "all-ones", windows: 3, pattern: ["1111"] },
    { id: "rows012-off", windows: 3, pattern: ["1111"], writes: [0, 1, 2].map((row) => ({ layer: 0, row, bits: "0" })) },
    { id: "rows012-off-fixed", windows: 3, pattern: ["1111"], decision: { rule: "fixed", repetitions: 3, minMatches: 2 } },
    { id: "rows012-on", windows: 3, pattern: ["1111"], writes: [0, 1, 2].map((row) => ({ layer: 0, row, bits: "1" })) },
    { id: "sprt", windows: 3, pattern: ["1111"], decision: { rule: "sprt", pGood: 0.95, pBad: 0.3, alpha: 0.01, beta: 0.01, maxRepetitions: 10 } },
  ]),
);
