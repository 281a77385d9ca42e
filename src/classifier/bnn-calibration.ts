/**
 * Neuron calibration that makes the spiking chip compute the binary MLP
 * (docs/mnist-chip.md). A lif-she neuron starting at rest under a constant current I
 * for one integrate window IW reaches x = g·(I − I_c)·τ·(1 − e^(−IW/τ)) and fires
 * within that window iff x ≥ 1, i.e. iff
 *
 *   I > I_th = I_c + 1 / (g·τ·(1 − e^(−IW/τ)))
 *
 * With I_c = 0 the gain g = 1 / (I_th·τ·(1 − e^(−IW/τ))) places the firing edge at
 * I_th. The arithmetic wants h = [score > 0]; the differential current is ≈ 0 at
 * score 0 and grows by a few µA per unit of score, so I_th must sit between the
 * largest current of a score-≤0 neuron and the smallest of a score-≥1 one. It is
 * chosen from training images: the current that minimises the number of neurons whose
 * firing disagrees with [score > 0] (midpoint of the best gap).
 *
 *   const th = thresholdFromSamples(currents, scores);   // µA
 *   gainForThreshold(th, 30, 1)                          // 1/(µA·ns)
 */

/** Gain (1/(µA·ns)) that puts the one-window firing edge of a rest neuron at `thresholdUa` (I_c = 0). */
export function gainForThreshold(thresholdUa: number, leakTauNs: number, iwNs: number): number {
  return 1 / (thresholdUa * leakTauNs * -Math.expm1(-iwNs / leakTauNs));
}

/** Current threshold (µA) that best separates score ≤ 0 from score ≥ 1, with the disagreements it leaves. */
export function thresholdFromSamples(currentsUa: ArrayLike<number>, scores: ArrayLike<number>): { thresholdUa: number; disagreements: number } {
  const n = currentsUa.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => currentsUa[a] - currentsUa[b]);
  // Threshold between idx[k−1] and idx[k]: everything from k on fires.
  let positives = 0;
  for (let i = 0; i < n; i++) if (scores[i] > 0) positives++;
  let errors = n - positives; // k = 0: every neuron fires, so every score ≤ 0 disagrees
  let best = { k: 0, errors };
  for (let k = 1; k <= n; k++) {
    errors += scores[idx[k - 1]] > 0 ? 1 : -1;
    if (errors < best.errors) best = { k, errors };
  }
  const lo = best.k > 0 ? currentsUa[idx[best.k - 1]] : currentsUa[idx[0]] - 1;
  const hi = best.k < n ? currentsUa[idx[best.k]] : lo + 1;
  return { thresholdUa: Math.max((lo + hi) / 2, 1e-6), disagreements: best.errors };
}
