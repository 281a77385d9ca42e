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
 *
 * On a multi-level (domain-wall) bench the march still writes bits (the wall at either
 * end), `levelCheckSteps` adds a level WRITE / READ of the two middle levels per row
 * (a level shift of any k, a stuck wall at any level, a wall pinned at an end all read
 * wrong there), and the restore writes and READ-verifies the mission levels.
 */
import type { PauseStep, ReadStep, TestPhase, WriteStep } from "../../formats/program-format.ts";
import { levelCount, levelOfWeight, type CompiledNetwork } from "../../sim/compile.ts";
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

/** Whether the chip's cells are multi-level (testbench device.domainWall). */
const multiLevel = (net: CompiledNetwork) => net.device.domainWall !== undefined;

/** Mission levels of one row of a multi-level chip (weights must sit on the levels). */
export function missionRowLevels(net: CompiledNetwork, layer: number, row: number): number[] {
  const l = net.layers[layer];
  const top = levelCount(net.device) - 1;
  return Array.from({ length: l.cols }, (_, c) => {
    const w = l.weights[c * l.rows + row];
    const lv = levelOfWeight(net.device, w);
    if (Math.abs(w - lv / top) > 1e-9) throw new InputError(`layer ${layer} row ${row} column ${c} holds weight ${w}, between the ${top + 1} levels of the bench's domain-wall cells: the restore needs weights on the levels`);
    return lv;
  });
}

/** What a row holds as deployed: its bits, or its levels on a multi-level chip. */
export function missionRow(net: CompiledNetwork, layer: number, row: number): string | number[] {
  return multiLevel(net) ? missionRowLevels(net, layer, row) : missionRowBits(net, layer, row);
}

/** The level check of a multi-level chip: per row, WRITE and READ the two middle levels (none on a binary chip). */
export function levelCheckSteps(net: CompiledNetwork, phase: TestPhase = "array"): ArrayStep[] {
  if (!multiLevel(net)) return [];
  const top = levelCount(net.device) - 1;
  const mids = [Math.floor(top / 2), Math.ceil(top / 2)].filter((v, i, a) => a.indexOf(v) === i);
  const out: ArrayStep[] = [];
  net.layers.forEach((l, li) => {
    for (let r = 0; r < l.rows; r++) {
      for (const lv of mids) {
        const levels = new Array<number>(l.cols).fill(lv);
        out.push({ kind: "write", id: `level-check.l${li}.r${r}.w${lv}`, phase, layer: li, row: r, levels });
        out.push({ kind: "read", id: `level-check.l${li}.r${r}.r${lv}`, phase, layer: li, row: r, expectedLevels: levels });
      }
    }
  });
  return out;
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
  const ml = multiLevel(net);
  net.layers.forEach((l, li) => {
    for (let r = 0; r < l.rows; r++) {
      const base = { kind: "write" as const, id: `restore.l${li}.r${r}.w`, phase, layer: li, row: r };
      out.push(ml ? { ...base, levels: missionRowLevels(net, li, r) } : { ...base, bits: missionRowBits(net, li, r) });
    }
  });
  net.layers.forEach((l, li) => {
    for (let r = 0; r < l.rows; r++) {
      const base = { kind: "read" as const, id: `restore.l${li}.r${r}.r`, phase, layer: li, row: r };
      out.push(ml ? { ...base, expectedLevels: missionRowLevels(net, li, r) } : { ...base, expected: missionRowBits(net, li, r) });
    }
  });
  return out;
}
