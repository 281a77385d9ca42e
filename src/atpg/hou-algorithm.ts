/**
 * Hou et al.'s test-algorithm text (kwhou/snn_fault_simulator `test_algorithm.txt`, one
 * command a line, `#` comments) turned into our ternary-array program, and the 90·N
 * algorithm of their paper.
 *
 *   W d     write d ∈ {−1, 0, 1} to every synapse           → write-all
 *   VTH v   threshold potential                             → neuron (with the polarity in force)
 *   SWP p   polarity: 0 fire on v ≥ V_th, 1 on v ≤ V_th      → neuron (with the threshold in force)
 *   S a b   each row alone for b ticks; pass when every
 *           output first spikes at tick a … b (from 1)      → spike-rows b, first-spike-window [a − 1, b − 1]
 *   SZ n    each row alone for n ticks; pass when no
 *           output spikes                                   → spike-rows n, no-spike n
 *
 * Step ids are the command with its operands joined by "-" (`S5-41`, `SZ12`), made unique
 * with `#2`… when a command repeats; an ablation drops steps by id.
 *
 *   const p = houAlgorithmProgram(houItc22Algorithm, "hou-itc22-n8");
 *   withoutSteps(p, ["S5-41"])   // the ablation that leaves 60 % coverage
 */
import { InputError } from "../formats/errors.ts";
import type { TernaryProgram, TernaryStep } from "../formats/ternary-program-format.ts";

/** The 90·N algorithm of Hou et al. (ITC 2022; the repository's test_algorithm.txt). */
export const houItc22Algorithm = ["SWP 0", "VTH 500", "W 1", "S 5 41", "W 0", "SZ 12", "SWP 1", "VTH 300", "SZ 16", "W -1", "S 6 21"].join("\n");

function int(tok: string | undefined, where: string, what: string): number {
  const n = Number(tok);
  if (tok === undefined || !Number.isInteger(n)) throw new InputError(`${where}: ${what} must be a whole number (got ${tok ?? "nothing"})`);
  return n;
}

/** Parse Hou's command text into our program (Hou's power-on neuron: SWP 0, VTH 500). */
export function houAlgorithmProgram(text: string, benchId: string, file = "<algorithm>"): TernaryProgram {
  const steps: TernaryStep[] = [];
  const used = new Map<string, number>();
  const idOf = (base: string): string => {
    const k = (used.get(base) ?? 0) + 1;
    used.set(base, k);
    return k === 1 ? base : `${base}#${k}`;
  };
  let vth = 500;
  let swp = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${file}:${i + 1}`;
    const [cmd, a, b] = line.split(/\s+/);
    if (cmd === "W") {
      const v = int(a, where, "W's value");
      if (v !== -1 && v !== 0 && v !== 1) throw new InputError(`${where}: W writes −1, 0 or 1 (got ${v})`);
      steps.push({ op: "write-all", id: idOf(`W${v}`), value: v });
    } else if (cmd === "VTH" || cmd === "SWP") {
      if (cmd === "VTH") vth = Number(a);
      else swp = int(a, where, "SWP's polarity");
      if (!Number.isFinite(vth) || (swp !== 0 && swp !== 1)) throw new InputError(`${where}: ${line}: VTH takes a number, SWP 0 or 1`);
      steps.push({ op: "neuron", id: idOf(`${cmd}${a}`), phase: "neuron", thresholdPotential: vth, polarity: swp === 0 ? "up" : "down" });
    } else if (cmd === "S") {
      const lo = int(a, where, "S's first tick");
      const hi = int(b, where, "S's last tick");
      if (lo < 1 || hi < lo) throw new InputError(`${where}: S a b needs 1 ≤ a ≤ b (got ${lo} ${hi})`);
      steps.push({ op: "spike-rows", id: idOf(`S${lo}-${hi}`), windows: hi, criterion: { kind: "first-spike-window", firstWindow: lo - 1, lastWindow: hi - 1 } });
    } else if (cmd === "SZ") {
      const n = int(a, where, "SZ's ticks");
      if (n < 1) throw new InputError(`${where}: SZ n needs n ≥ 1 (got ${n})`);
      steps.push({ op: "spike-rows", id: idOf(`SZ${n}`), windows: n, criterion: { kind: "no-spike", windows: n } });
    } else {
      throw new InputError(`${where}: unknown command "${cmd}" (W, VTH, SWP, S, SZ)`);
    }
  });
  if (steps.length === 0) throw new InputError(`${file}: no commands`);
  return { schemaVersion: 1, kind: "ternary-array-program", testbench: { id: benchId }, source: "Hou et al., ITC 2022, kwhou/snn_fault_simulator test_algorithm.txt", steps };
}

/** The program without the named steps (an ablation); an unknown id is an error. */
export function withoutSteps(p: TernaryProgram, ids: readonly string[]): TernaryProgram {
  for (const id of ids) {
    if (!p.steps.some((s) => s.id === id)) throw new InputError(`no step "${id}" to drop (steps: ${p.steps.map((s) => s.id).join(", ")})`);
  }
  return { ...p, steps: p.steps.filter((s) => !ids.includes(s.id)) };
}

/** Ticks a program applies on an array of `rows` rows (Hou's 90·N for their algorithm). */
export function programTicks(p: TernaryProgram, rows: number): number {
  return p.steps.reduce((t, s) => t + (s.op === "spike-rows" ? s.windows * rows : 0), 0);
}
