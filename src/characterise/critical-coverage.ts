/**
 * Critical-fault coverage (issue 14 part 4): of the faults that matter to the application
 * — critical by `isCritical` (criticality.ts, the one home of the rule) — the share a test
 * program detects, next to FC/TC. Counted like FC: each collapsed representative stands
 * for its `classSize` faults, and a PD fault earns the PD credit.
 *
 * When the graded set is too large to score every fault on the digits, a stratified
 * sample (per fault model and layer, at most `perStratum` each, seeded) is scored and
 * every sampled fault weighs w = classSize · N_s / n_s (N_s faults in its stratum, n_s
 * sampled). Shares are weighted means; their 95 % interval is Wilson's on Kish's
 * effective sample size n_eff = (Σw)² / Σw² — exact counts (no interval) when nothing
 * was left out.
 *
 *   const picked = stratifiedSample(graded, 50, 14);
 *   const rec = criticalCoverage({ graded, sampled: picked, effects, credit, images: 200, minChangedShare: 0 });
 *   rec.total.criticalCoverage.share   // of the critical faults, the share the program detects
 */
import type { Fault } from "../faults/fault.ts";
import { createRng } from "../sim/rng.ts";
import { wilsonInterval } from "../stats/binomial-confidence.ts";
import { isCritical, type FaultEffect } from "./criticality.ts";

/** A weighted share with its 95 % interval (low = high = share when measured on every fault). */
export interface EstimatedShare {
  share: number;
  low: number;
  high: number;
  /** Kish's effective sample size behind the interval (= the fault count when exact). */
  nEff: number;
}

export interface CriticalityStratum {
  modelId: string;
  layer: number;
  /** Faults of this stratum in the graded set (uncollapsed). */
  faults: number;
  /** Representatives scored on the digits. */
  sampled: number;
  /** Of the faults, the share that is critical. */
  criticalShare: EstimatedShare;
  /** Estimated critical faults (uncollapsed). */
  critical: number;
  /** Mean accuracy drop, fraction of the digits (negative: the fault helps). */
  meanAccuracyDrop: number;
  /** Of the critical faults, the share the program detects (NaN with none). */
  criticalCoverage: EstimatedShare;
}

/** The frozen record a coverage report carries next to FC/TC. */
export interface CriticalCoverageRecord {
  /** Held-out digits each fault was scored on, and the good chip's accuracy on them. */
  images: number;
  goodAccuracy: number;
  /** Critical: changes at least this share of the classifications (0 = any one). */
  minChangedShare: number;
  /** True when some faults were left out (the shares are estimates with intervals). */
  sampled: boolean;
  perStratum: number;
  seed: number;
  strata: CriticalityStratum[];
  total: Omit<CriticalityStratum, "modelId" | "layer">;
}

const key = (f: Pick<Fault, "modelId" | "layer">) => `${f.modelId}\u0000${f.layer}`;

/** At most `perStratum` faults per (model, layer), a seeded uniform draw from each; the order of `faults` is kept. */
export function stratifiedSample(faults: readonly Fault[], perStratum: number, seed: number): Fault[] {
  const rng = createRng(seed);
  const byStratum = new Map<string, number[]>();
  // appended in place: copying the list per fault was quadratic (a bnn stratum holds 800 k faults)
  faults.forEach((f, i) => {
    const k = key(f);
    const list = byStratum.get(k);
    if (list) list.push(i);
    else byStratum.set(k, [i]);
  });
  const keep = new Set<number>();
  for (const idx of byStratum.values()) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    for (const i of idx.slice(0, perStratum)) keep.add(i);
  }
  return faults.filter((_, i) => keep.has(i));
}

function estimate(pairs: readonly { w: number; x: number }[], exact: boolean): EstimatedShare {
  const sw = pairs.reduce((s, p) => s + p.w, 0);
  if (!(sw > 0)) return { share: NaN, low: NaN, high: NaN, nEff: 0 };
  const share = pairs.reduce((s, p) => s + p.w * p.x, 0) / sw;
  const nEff = (sw * sw) / pairs.reduce((s, p) => s + p.w * p.w, 0);
  if (exact) return { share, low: share, high: share, nEff: sw };
  const { low, high } = wilsonInterval(share * nEff, nEff);
  return { share, low, high, nEff };
}

export interface CriticalCoverageInput {
  /** Every graded fault (collapsed representatives with their class sizes): the strata sizes. */
  graded: readonly Fault[];
  /** The faults scored, with their effects in the same order. */
  sampled: readonly Fault[];
  effects: readonly FaultEffect[];
  /** Detection credit per fault id: 1 DT, the PD credit for PD, 0 otherwise. */
  credit: (faultId: string) => number;
  images: number;
  goodAccuracy: number;
  minChangedShare: number;
  perStratum: number;
  seed: number;
}

export function criticalCoverage(inp: CriticalCoverageInput): CriticalCoverageRecord {
  const size = new Map<string, number>();
  for (const f of inp.graded) size.set(key(f), (size.get(key(f)) ?? 0) + f.classSize);
  const reps = new Map<string, number>();
  for (const f of inp.graded) reps.set(key(f), (reps.get(key(f)) ?? 0) + 1);
  const drawn = new Map<string, number>();
  for (const f of inp.sampled) drawn.set(key(f), (drawn.get(key(f)) ?? 0) + 1);
  const rows = inp.sampled.map((f, i) => {
    const e = inp.effects[i];
    return { f, w: (f.classSize * reps.get(key(f))!) / drawn.get(key(f))!, critical: isCritical(e, inp.images, inp.minChangedShare), drop: e.accuracyDrop, det: inp.credit(f.id) };
  });
  const exactOf = (ks: string[]) => ks.every((k) => drawn.get(k) === reps.get(k));
  const summarise = (rs: typeof rows, ks: string[]) => {
    const exact = exactOf(ks);
    const faults = ks.reduce((s, k) => s + size.get(k)!, 0);
    const criticalShare = estimate(rs.map((r) => ({ w: r.w, x: r.critical ? 1 : 0 })), exact);
    const sw = rs.reduce((s, r) => s + r.w, 0);
    return {
      faults,
      sampled: rs.length,
      criticalShare,
      critical: rs.length ? criticalShare.share * faults : 0,
      meanAccuracyDrop: sw > 0 ? rs.reduce((s, r) => s + r.w * r.drop, 0) / sw : NaN,
      criticalCoverage: estimate(rs.filter((r) => r.critical).map((r) => ({ w: r.w, x: r.det })), exact),
    };
  };
  const strata = [...size.keys()].map((k) => {
    const [modelId, layer] = k.split("\u0000");
    return { modelId, layer: Number(layer), ...summarise(rows.filter((r) => key(r.f) === k), [k]) };
  });
  strata.sort((a, b) => a.modelId.localeCompare(b.modelId) || a.layer - b.layer);
  return {
    images: inp.images,
    goodAccuracy: inp.goodAccuracy,
    minChangedShare: inp.minChangedShare,
    sampled: !exactOf([...size.keys()]),
    perStratum: inp.perStratum,
    seed: inp.seed,
    strata,
    total: summarise(rows, [...size.keys()]),
  };
}
