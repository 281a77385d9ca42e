/**
 * A functional test set for the critical faults (El-Sayed et al., TCAD 2023): rank the
 * digits by the margin between the chip's top two outputs — here the time between the
 * first and the second output spike, the first-spike decision's margin (no second spike
 * = the widest margin) — and walk that ranking keeping a digit only when it catches a
 * critical fault (changes its class) that no kept digit catches yet, up to `maxImages`.
 * Compared with the same number of random digits (mean over `randomDraws`).
 *
 *   const set = marginTestSet(good.marginPs, critical, { maxImages: 20 });
 *   set.images; set.coverage.share;  randomImageCoverage(critical, n, set.images.length)
 *   prefixCoverage(critical, set.images)   // share caught by the first 1, 2, … digits of the set
 */
import { createRng } from "../sim/rng.ts";
import { shareWithInterval } from "./fault-sample.ts";

/** For each critical fault, the images on which it changes the class. */
export type CriticalDetections = readonly (readonly number[])[];

/** Time between the first and second observable output spike, ps (Infinity with fewer than two). */
export function outputMarginPs(obs: readonly { timePs: number }[]): number {
  const t = obs.map((s) => s.timePs).sort((a, b) => a - b);
  return t.length < 2 ? Infinity : t[1] - t[0];
}

function covered(critical: CriticalDetections, images: readonly number[]): number {
  const set = new Set(images);
  return critical.filter((on) => on.some((i) => set.has(i))).length;
}

export function marginTestSet(marginPs: ArrayLike<number>, critical: CriticalDetections, o: { maxImages: number }) {
  const order = Array.from({ length: marginPs.length }, (_, i) => i).sort((a, b) => marginPs[a] - marginPs[b] || a - b);
  const caught = new Array(critical.length).fill(false);
  const byImage = new Map<number, number[]>();
  critical.forEach((on, f) => on.forEach((i) => byImage.set(i, [...(byImage.get(i) ?? []), f])));
  const images: number[] = [];
  for (const i of order) {
    if (images.length >= o.maxImages || caught.every(Boolean)) break;
    const fresh = (byImage.get(i) ?? []).filter((f) => !caught[f]);
    if (!fresh.length) continue;
    images.push(i);
    for (const f of fresh) caught[f] = true;
  }
  return { images, coverage: shareWithInterval(covered(critical, images), critical.length) };
}

/** Share of the critical faults caught by the first k of `images`, for k = 1 … images.length. */
export function prefixCoverage(critical: CriticalDetections, images: readonly number[]): number[] {
  return images.map((_, k) => (critical.length ? covered(critical, images.slice(0, k + 1)) / critical.length : NaN));
}

/** Mean share of critical faults caught by `count` random images out of `n` (over `draws` draws). */
export function randomImageCoverage(critical: CriticalDetections, n: number, count: number, draws = 20, seed = 1): number {
  if (!critical.length) return NaN;
  const rng = createRng(seed);
  let sum = 0;
  for (let d = 0; d < draws; d++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    sum += covered(critical, idx.slice(0, count)) / critical.length;
  }
  return sum / draws;
}
