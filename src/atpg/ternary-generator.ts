/**
 * Test generation for a ternary (differential-pair) array — Hou et al., ITC 2022 — by
 * search over the tester's neuron settings: for each written value w, the shortest set
 * of spike steps that fails every fault active after writing w while every good chip of
 * the bench's dV band passes, whatever its draw.
 *
 * With polarity s (+1 up, −1 down) and θ = s·(V_th − V_R), a cell of constant dV first
 * fires at tick k(d) (from 0; the leak-free neuron's exact sum: the first k with
 * (k + 1)·s·d ≥ θ; none when s·d ≤ 0), and k is non-increasing in s·d. Over the good
 * band [lo, hi] of w, in drive terms g ∈ [g_lo, g_hi]:
 *
 *   no-spike n          passes every good chip iff k(g_hi) ≥ n (or g_hi never fires);
 *                       fails a fault of drive f iff k(f) < n — the cheapest n is k(f) + 1
 *   first-spike [a, b]  with a = k(g_hi), b = k(g_lo) (needs g_lo > 0): passes every good
 *                       chip by monotony; fails f iff k(f) < a, or k(f) > b / none. Costs b + 1.
 *
 * A fault's drive is its dV rule applied to the band's edges (ternaryDvRule); a fault
 * whose dV range reaches into the good band is not testable under the band and is
 * reported, never credited. Candidate thresholds are whole multiples of `thresholdStep`
 * up to `maxThreshold` (Hou's VTH values are whole potentials); per written value the
 * cheapest cover of its faults is found exactly (dynamic programming over the subsets).
 * A step applies one vector per row, so the program costs (Σ windows)·N ticks — Hou's
 * algorithm is 90·N.
 *
 *   const g = generateTernaryProgram(bench, models);
 *   g.ticksPerRow   // 19 on Hou's bench and 20 classes (their 90)
 */
import { InputError } from "../formats/errors.ts";
import type { TernaryProgram, TernaryStep } from "../formats/ternary-program-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { LoadedFaultModel } from "../faults/fault-model-loader.ts";
import { ternaryDvRule } from "../faults/ternary-faults.ts";
import { bandOf, firstFiringTick, tickParams, ternaryLayout, type TernaryValue } from "../sim/ternary-array.ts";

export interface TernaryGenerateOptions {
  /** Tester threshold resolution, potential units (default 1). */
  thresholdStep?: number;
  /** Largest |V_th − V_R| tried, potential units (default 1000). */
  maxThreshold?: number;
}

/** A fault model the band leaves untestable after writing `value`. */
export interface UntestableModel {
  model: string;
  value: TernaryValue;
  dvRange: [number, number];
  band: readonly [number, number];
}

export interface TernaryGeneration {
  program: TernaryProgram;
  /** Σ windows of the spike steps: the program costs ticksPerRow · rows ticks. */
  ticksPerRow: number;
  untestable: UntestableModel[];
}

type Polarity = "up" | "down";

/** One candidate spike step and the fault drives (indices) it fails. */
interface Candidate {
  polarity: Polarity;
  theta: number;
  kind: "no-spike" | "first-spike-window";
  /** Windows applied (the cost per row). */
  windows: number;
  firstWindow?: number;
  mask: number;
}

/** A fault class after writing w: its dV (the faulty range collapses to the edge nearer the band). */
interface Target {
  dv: number;
  models: string[];
}

function targetsOf(models: readonly LoadedFaultModel[], w: TernaryValue, band: readonly [number, number], untestable: UntestableModel[]): Target[] {
  const byDv = new Map<number, string[]>();
  for (const m of models) {
    const when = m.model.activeWhenWritten;
    if (when !== undefined && when !== w) continue;
    const rule = ternaryDvRule(m);
    const a = rule(w, band[0]);
    const b = rule(w, band[1]);
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (hi >= band[0] && lo <= band[1]) {
      untestable.push({ model: m.id, value: w, dvRange: [lo, hi], band });
      continue;
    }
    const near = lo > band[1] ? lo : hi; // the edge nearer the band: failing it fails the whole range (monotony)
    byDv.set(near, [...(byDv.get(near) ?? []), m.id]);
  }
  return [...byDv].map(([dv, ids]) => ({ dv, models: ids })).sort((x, y) => x.dv - y.dv);
}

/** Every useful candidate step for one written value: the cheapest per subset of faults failed. */
function candidates(tb: Testbench, band: readonly [number, number], targets: readonly Target[], o: Required<TernaryGenerateOptions>): Map<number, Candidate> {
  const spec = ternaryLayout(tb).spec;
  const best = new Map<number, Candidate>();
  const keep = (c: Candidate) => {
    if (c.mask === 0) return;
    const old = best.get(c.mask);
    if (!old || c.windows < old.windows) best.set(c.mask, c);
  };
  for (const polarity of ["up", "down"] as const) {
    const s = polarity === "up" ? 1 : -1;
    for (let theta = o.thresholdStep; theta <= o.maxThreshold + 1e-9; theta += o.thresholdStep) {
      const { params, sign } = tickParams(spec, { thresholdPotential: spec.restingPotential + s * theta, polarity });
      const drives = [band[0], band[1]].sort((x, y) => s * x - s * y); // [weakest, strongest] in this polarity
      // a drive d > 0 fires by tick ⌈θ/d⌉ (+ rounding slack); one that does not push towards V_th never fires
      const k = (dv: number) => (s * dv > 0 ? firstFiringTick(dv, Math.ceil(theta / (s * dv)) + 2, params, sign) : null);
      const kStrong = k(drives[1]);
      const kWeak = k(drives[0]);
      targets.forEach((t, i) => {
        const kf = k(t.dv);
        if (kf !== null && (kStrong === null || kf < kStrong)) keep({ polarity, theta, kind: "no-spike", windows: kf + 1, mask: 1 << i });
      });
      if (kStrong !== null && kWeak !== null && s * drives[0] > 0) {
        let mask = 0;
        targets.forEach((t, i) => {
          const kf = k(t.dv);
          if (kf === null || kf > kWeak || kf < kStrong) mask |= 1 << i;
        });
        keep({ polarity, theta, kind: "first-spike-window", windows: kWeak + 1, firstWindow: kStrong, mask });
      }
    }
  }
  return best;
}

/** The cheapest set of candidates failing every target (exact: DP over the 2^targets subsets). */
function cheapestCover(n: number, cands: readonly Candidate[]): Candidate[] | null {
  const full = (1 << n) - 1;
  const cost = new Array<number>(full + 1).fill(Infinity);
  const pick = new Array<{ from: number; c: Candidate } | null>(full + 1).fill(null);
  cost[0] = 0;
  for (let m = 0; m <= full; m++) {
    if (cost[m] === Infinity) continue;
    for (const c of cands) {
      const next = m | c.mask;
      if (cost[m] + c.windows < cost[next]) {
        cost[next] = cost[m] + c.windows;
        pick[next] = { from: m, c };
      }
    }
  }
  if (cost[full] === Infinity) return null;
  const out: Candidate[] = [];
  for (let m = full; m !== 0; m = pick[m]!.from) out.push(pick[m]!.c);
  return out.reverse();
}

/** Generate a program for the bench's ternary array and `models` (see the header). */
export function generateTernaryProgram(tb: Testbench, models: readonly LoadedFaultModel[], options: TernaryGenerateOptions = {}): TernaryGeneration {
  const o = { thresholdStep: options.thresholdStep ?? 1, maxThreshold: options.maxThreshold ?? 1000 };
  if (!(o.thresholdStep > 0) || !(o.maxThreshold >= o.thresholdStep)) throw new InputError(`threshold step ${o.thresholdStep} and maximum ${o.maxThreshold}: need 0 < step ≤ maximum`);
  const { spec } = ternaryLayout(tb);
  const steps: TernaryStep[] = [];
  const used = new Map<string, number>();
  const idOf = (base: string) => {
    const k = (used.get(base) ?? 0) + 1;
    used.set(base, k);
    return k === 1 ? base : `${base}#${k}`;
  };
  const untestable: UntestableModel[] = [];
  let ticksPerRow = 0;
  for (const w of [1, 0, -1] as const) {
    const band = bandOf(spec, w);
    const targets = targetsOf(models, w, band, untestable);
    if (targets.length === 0) continue;
    const cover = cheapestCover(targets.length, [...candidates(tb, band, targets, o).values()]);
    if (!cover) {
      throw new InputError(`${tb.id}: no threshold up to ${o.maxThreshold} (step ${o.thresholdStep}) separates the faults active after writing ${w} (dV ${targets.map((t) => t.dv).join(", ")}) from the good band [${band.join(", ")}]: raise --max-threshold or refine --threshold-step`);
    }
    steps.push({ op: "write-all", id: idOf(`W${w}`), value: w });
    for (const c of cover) {
      const vth = spec.restingPotential + (c.polarity === "up" ? 1 : -1) * c.theta;
      steps.push({ op: "neuron", id: idOf(`VTH${vth}-SWP${c.polarity === "up" ? 0 : 1}`), phase: "neuron", thresholdPotential: vth, polarity: c.polarity });
      steps.push(
        c.kind === "no-spike"
          ? { op: "spike-rows", id: idOf(`SZ${c.windows}`), windows: c.windows, criterion: { kind: "no-spike", windows: c.windows } }
          : { op: "spike-rows", id: idOf(`S${c.firstWindow! + 1}-${c.windows}`), windows: c.windows, criterion: { kind: "first-spike-window", firstWindow: c.firstWindow!, lastWindow: c.windows - 1 } },
      );
      ticksPerRow += c.windows;
    }
  }
  if (steps.length === 0) throw new InputError(`${tb.id}: none of the ${models.length} fault models can be tested under the bench's dV bands (each reaches into its good band)`);
  const program: TernaryProgram = { schemaVersion: 1, kind: "ternary-array-program", testbench: { id: tb.id }, source: "snn-atpg generate (ternary threshold search)", steps };
  return { program, ticksPerRow, untestable };
}
