/**
 * Incremental update of the next layer when one hidden neuron's spike windows change.
 *
 * A hidden spike in window w drives row c of the next layer during the integrate
 * window at the start of window w + 1. So the faulty next layer differs from the good
 * one only in row c of those integrate-window segments: a single-cell change (row c
 * switched on = conductance from 0 to the cell's, or off), exact from the next layer's
 * column sensitivities (crossbar.ts outputWithCellChange). With a differential read the
 * reference column sees row c toggle too: its current moves by the same kind of
 * single-cell change (of its own sensitivity), once per toggled segment, and every
 * column's neuron current moves by minus that. Each next-layer neuron is
 * re-run on its updated currents. Applies when every toggled window already has its
 * integrate segment in the good run and keeps it non-empty (same segmentation) and the
 * next layer is the last one or its spike windows do not change; otherwise it returns
 * null and the caller re-simulates the cone. The verdict covers the layers below only
 * (the caller compares the changed layer itself when it is observable).
 *
 *   nextLayerVerdict(net, ctx, 0, 17, faultyTrain, observable)  // 0 | 1 | 2 | null
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { outputWithCellChange } from "../sim/crossbar.ts";
import { neuronRng, runNeuron } from "../sim/network.ts";
import { periodPs } from "../sim/stimulus.ts";
import { compareTrains, type CompareVerdict, defaultTimingResolutionPs } from "./response-rule.ts";
import type { VectorContext } from "./vector-context.ts";
import { sameTrain, sameWindows, type SpikeTrain as Train } from "./spike-trains.ts";

export function nextLayerVerdict(
  net: CompiledNetwork,
  ctx: VectorContext,
  li: number,
  c: number,
  train: Train,
  observable: ReadonlySet<number>,
): CompareVerdict | null {
  const vec = ctx.vector;
  const stim = vec.stimulus;
  const T = periodPs(stim);
  const res = vec.timingResolutionPs ?? defaultTimingResolutionPs;
  const nl = li + 1;
  const next = net.layers[nl];
  const N = ctx.layers[nl];
  const segs = N.run.segments;
  // Toggles: next-layer segment index → true when row c turns on there, false when off.
  const goodW = new Set(ctx.trains[li][c].map((t) => t.window));
  const badW = new Set(train.map((t) => t.window));
  const toggles: { s: number; on: boolean }[] = [];
  for (let w = 0; w + 1 < stim.windows; w++) {
    const g = goodW.has(w);
    if (g === badW.has(w)) continue;
    const start = (w + 1) * T;
    const s = segs.findIndex((x) => x.startPs === start);
    if (s < 0 || segs[s].endPs !== start + stim.iwPs) return null;
    const n = segs[s].activeRows.length;
    if (n === 0 || (g && n === 1)) return null;
    toggles.push({ s, on: !g });
  }
  let verdict: CompareVerdict = 0;
  if (toggles.length === 0) return 0;
  const lastLayer = nl === net.layers.length - 1;
  const cur = N.run.currentsUa;
  const buf = new Float64Array(segs.length);
  // Change of the reference column's current in each toggled segment (0 for a single-ended read). A typed array: a
  // `map` to numbers was an array of small integers when every shift was 0 and of doubles otherwise, and the optimised
  // loop below, made on one kind, was thrown away at the first of the other (--trace-deopt: "wrong map" at refShiftUa[k])
  const refShiftUa = new Float64Array(toggles.length);
  for (let k = 0; k < toggles.length; k++) {
    const t = toggles[k];
    const rs = ctx.referenceSensitivity(nl, t.s);
    if (!rs || !next.reference) continue;
    const refOhms = next.reference.cellOhms[c];
    const after = t.on
      ? outputWithCellChange(rs, c, Number.POSITIVE_INFINITY, refOhms, net.writeVoltageV)
      : outputWithCellChange(rs, c, refOhms, Number.POSITIVE_INFINITY, net.writeVoltageV);
    refShiftUa[k] = after - rs.outputUa;
  }
  for (let m = 0; m < next.cols; m++) {
    for (let s = 0; s < segs.length; s++) buf[s] = cur[s][m];
    const cellOhms = next.cellOhms[m * next.rows + c];
    for (let k = 0; k < toggles.length; k++) {
      const t = toggles[k];
      const sens = ctx.sensitivity(nl, t.s, m);
      const colUa = t.on
        ? outputWithCellChange(sens, c, Number.POSITIVE_INFINITY, cellOhms, net.writeVoltageV)
        : outputWithCellChange(sens, c, cellOhms, Number.POSITIVE_INFINITY, net.writeVoltageV);
      buf[t.s] = colUa - refShiftUa[k];
    }
    const mt = runNeuron(next.model, next.neurons[m], segs, (s) => buf[s], neuronRng(next, nl, m, ctx.rep));
    const good = ctx.trains[nl][m];
    if (sameTrain(mt, good)) continue;
    if (!lastLayer && !sameWindows(mt, good)) return null;
    if (observable.has(nl)) {
      const v = compareTrains(good, mt, vec.toleranceBandPs, res);
      if (v > verdict) verdict = v;
      if (verdict === 2) return 2;
    }
  }
  return verdict;
}
