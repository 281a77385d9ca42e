/**
 * changesColumnCurrents (src/sim/perturbation.ts): a perturbation it says leaves the
 * crossbar's write currents alone leaves every column current of its layer bit for bit
 * as it was, for every fault of every shipped model (and the fixtures) on two benches;
 * and each kind it says changes them (cells, segments, a neuron's input resistance) does
 * change some fault's column current. The oracle: the column ladder solved before and
 * after the perturbation is applied, every row driven and every other row driven.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { defaultFaultModelDir, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { compileNetwork, type CompiledNetwork } from "../../src/sim/index.ts";
import { columnOutputUa } from "../../src/sim/crossbar.ts";
import { columnElectrics } from "../../src/sim/differential-read.ts";
import { changesColumnCurrents, withPerturbations } from "../../src/sim/perturbation.ts";
import { repoRoot } from "../helpers/run-cli.ts";

/** Every column current of every layer under two drives: all rows, and every other row. */
function currents(net: CompiledNetwork): number[] {
  const out: number[] = [];
  for (const l of net.layers) {
    const drives = [new Uint8Array(l.rows).fill(1), Uint8Array.from({ length: l.rows }, (_, r) => r % 2)];
    for (let c = 0; c < l.cols; c++) for (const a of drives) out.push(columnOutputUa(columnElectrics(l, c, net.writeVoltageV), a));
  }
  return out;
}

describe("which perturbations change the column currents", () => {
  it("those said not to leave every current as it was; cells, segments and input resistance change some", () => {
    const models = loadFaultModels([defaultFaultModelDir, join(repoRoot, "fixtures", "fault-models")]);
    const changedBy = new Set<string>();
    let unchanged = 0;
    for (const id of ["mlp-16x8x4", "black-pixel-4x1"]) {
      const { bench } = loadTestbench(join(repoRoot, "testbenches", `${id}.json`));
      const net = compileNetwork(bench);
      const good = currents(net);
      for (const f of enumerateFaults(net, bench, models, { collapse: false }).faults) {
        const said = f.perturbations.some(changesColumnCurrents);
        const now = withPerturbations(net, f.perturbations, currents);
        if (!said) {
          expect(now, f.id).toEqual(good);
          unchanged++;
        } else if (now.some((x, k) => x !== good[k])) for (const p of f.perturbations) changedBy.add(`${p.site.kind}:${p.quantity}`);
      }
    }
    expect(unchanged).toBeGreaterThan(40); // neuron dynamics, dead neurons, read-path opens
    for (const k of ["cell:conductance", "cell:weight", "cell-series:ohms", "segment:ohms"]) expect([...changedBy]).toContain(k);
  });

  it("a neuron's input resistance changes its column's current; its threshold does not", () => {
    const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
    const net = compileNetwork(bench);
    const site = { kind: "neuron" as const, layer: 0, col: 2 };
    const good = currents(net);
    const input = { site, quantity: "inputOhms", op: "scale" as const, value: 2 };
    const threshold = { site, quantity: "threshold", op: "scale" as const, value: 2 };
    expect(changesColumnCurrents(input)).toBe(true);
    expect(withPerturbations(net, [input], currents)).not.toEqual(good);
    expect(changesColumnCurrents(threshold)).toBe(false);
    expect(withPerturbations(net, [threshold], currents)).toEqual(good);
  });
});
