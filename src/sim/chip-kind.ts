/**
 * Which simulated chip a testbench describes — the one fact the commands dispatch on, so
 * `coverage`, `generate`, `run --target sim` and `emulate` take every bench through the
 * same entry points.
 *
 *   crossbar        a resistive crossbar network (compile.ts, network.ts): binary /
 *                   multi-level cells, LIF-family neurons, perturbation faults
 *   ternary-array   a differential-pair ternary array at the potential level
 *                   (ternary-array.ts, Hou et al. ITC 2022): −1/0/+1 writes with
 *                   per-write dV bands, leak-free IF neurons, cell-write-rule faults
 *
 *   chipKindOf(loadBenchArg("hou-itc22-n8").bench)   // "ternary-array"
 */
import type { Testbench } from "../formats/testbench-format.ts";

export type ChipKind = "crossbar" | "ternary-array";

export function chipKindOf(tb: Testbench): ChipKind {
  return tb.ternaryArray ? "ternary-array" : "crossbar";
}
