/**
 * Expanding march algorithms into program steps, and restoring the mission weights.
 *
 * Each layer of the chip is marched in turn, rows as addresses and whole rows as
 * words (PROTOCOL.md WRITE/READ). ⇕ runs ascending. A pause element becomes one pause
 * step. After the march the array holds a solid background, so `restoreSteps` writes
 * every row's mission bits back and READ-verifies it — a program that rewrites weights
 * must end with the chip as deployed (program-format.ts `missionWeightsSha256`).
 *
 *   const steps = [...marchSteps(test, net), ...restoreSteps(net)];
 *   steps.length  // Σ_l rows_l · (operationsPerAddress + 2), plus one step per pause
 */
import type { PauseStep, ReadStep, TestPhase, WriteStep } from "../../formats/program-format.ts";
import type { CompiledNetwork } from "../../sim/compile.ts";
import { InputError } from "../../formats/errors.ts";
import type { MarchTest } from "./march-grammar.ts";

type ArrayStep = WriteStep | ReadStep | PauseStep;

/** Mission bits of one row (weights must be binary). */
export function missionRowBits(net: CompiledNetwork, layer: number, row: number): string {
  const l = net.layers[layer];
  let bits = "";
  for (let c = 0; c < l.cols; c++) {
    const w = l.weights[c * l.rows + row];
    if (w !== 0 && w !== 1) throw new InputError(`layer ${layer} row ${row} column ${c} holds weight ${w}: march tests and weight restore need binary (0/1) weights`);
    bits += w === 1 ? "1" : "0";
  }
  return bits;
}

function rowOrder(rows: number, order: "up" | "down" | "any"): number[] {
  const a = Array.from({ length: rows }, (_, i) => i);
  return order === "down" ? a.reverse() : a;
}

/** The steps of one march algorithm over the given layers (default all). */
export function marchSteps(test: MarchTest, net: CompiledNetwork, layers: readonly number[] = net.layers.map((_, i) => i), phase: TestPhase = "array"): ArrayStep[] {
  const out: ArrayStep[] = [];
  for (const l of layers) {
    const { rows, cols } = net.layers[l];
    const solid = { "0": "0".repeat(cols), "1": "1".repeat(cols) };
    test.elements.forEach((e, ei) => {
      if (e.kind === "pause") {
        out.push({ kind: "pause", id: `${test.id}.l${l}.e${ei}.pause`, phase, dwellNs: e.dwellNs });
        return;
      }
      for (const r of rowOrder(rows, e.order)) {
        e.ops.forEach((op, oi) => {
          const id = `${test.id}.l${l}.e${ei}.r${r}.${oi}${op}`;
          const bits = solid[op[1] as "0" | "1"];
          out.push(op[0] === "w" ? { kind: "write", id, phase, layer: l, row: r, bits } : { kind: "read", id, phase, layer: l, row: r, expected: bits });
        });
      }
    });
  }
  return out;
}

/** Write every row's mission bits back, then READ-verify each. */
export function restoreSteps(net: CompiledNetwork, phase: TestPhase = "array"): ArrayStep[] {
  const out: ArrayStep[] = [];
  net.layers.forEach((l, li) => {
    for (let r = 0; r < l.rows; r++) out.push({ kind: "write", id: `restore.l${li}.r${r}.w`, phase, layer: li, row: r, bits: missionRowBits(net, li, r) });
  });
  net.layers.forEach((l, li) => {
    for (let r = 0; r < l.rows; r++) out.push({ kind: "read", id: `restore.l${li}.r${r}.r`, phase, layer: li, row: r, expected: missionRowBits(net, li, r) });
  });
  return out;
}
