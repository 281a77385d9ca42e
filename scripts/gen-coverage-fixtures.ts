/**
 * Write the hand-graded test programs in fixtures/coverage/, with expected responses
 * from the simulator and the testbench's canonical hash (loadTestbench(...).sha256):
 *
 *   node --import tsx scripts/gen-coverage-fixtures.ts
 *
 *   black-pixel-all16.json         all 16 input patterns, 3 windows each (seed 000 timing)
 *   black-pixel-1111.json          the seed 000 test alone: (1,1,1,1) for 3 windows
 *   black-pixel-three-inputs.json  the four 3-of-4 patterns, 12 windows each
 *   mlp-16x8x4-random8.json        8 random half-density patterns, 4 windows (a two-layer bench)
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Program, ProgramVector } from "../src/formats/program-format.ts";
import { loadTestbench, type LoadedTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork, createRng } from "../src/sim/index.ts";
import { fixtureProgram, goodChipSpikes } from "./fixture-program.ts";

const root = join(import.meta.dirname, "..");

function program(loaded: LoadedTestbench, vectors: { id: string; pattern: string; windows: number }[], note: string): Program {
  const net = compileNetwork(loaded.bench);
  const { iwPs, lwPs } = loaded.bench.timing;
  const out: ProgramVector[] = vectors.map((v) => ({
    id: v.id,
    iwPs,
    lwPs,
    windows: v.windows,
    pattern: [v.pattern],
    repetitions: 1,
    expected: goodChipSpikes(net, [v.pattern], v.windows, iwPs, lwPs),
  }));
  return fixtureProgram(loaded, out, { generator: "scripts/gen-coverage-fixtures.ts", note });
}

function write(name: string, p: Program): void {
  const file = join(root, "fixtures", "coverage", name);
  const { $schema, ...rest } = p as Program & { $schema: string };
  writeFileSync(file, `${JSON.stringify({ $schema, ...rest }, null, 2)}\n`);
  console.log(`wrote fixtures/coverage/${name} (${p.vectors.length} vectors)`);
}

const bp = loadTestbench(join(root, "testbenches", "black-pixel-4x1.json"));
const bits = (k: number) => k.toString(2).padStart(4, "0");
write("black-pixel-all16.json", program(bp, Array.from({ length: 16 }, (_, k) => ({ id: `p${bits(k)}`, pattern: bits(k), windows: 3 })), "every input pattern for 3 windows"));
write("black-pixel-1111.json", program(bp, [{ id: "p1111", pattern: "1111", windows: 3 }], "the seed 000 test: all four pixels black for 3 windows"));
write(
  "black-pixel-three-inputs.json",
  program(bp, ["0111", "1011", "1101", "1110"].map((p) => ({ id: `p${p}x12`, pattern: p, windows: 12 })), "three of four inputs for 12 windows: only a slow leak adds up to a spike"),
);

const mlp = loadTestbench(join(root, "testbenches", "mlp-16x8x4.json"));
const rng = createRng(1684);
write(
  "mlp-16x8x4-random8.json",
  program(
    mlp,
    Array.from({ length: 8 }, (_, k) => ({ id: `r${k}`, pattern: Array.from({ length: 16 }, () => (rng.next() < 0.5 ? "1" : "0")).join(""), windows: 4 })),
    "8 random half-density patterns, 4 windows",
  ),
);
