/**
 * Statistics of switching experiments (binomial confidence intervals: src/stats/binomial-confidence.ts):
 * a logistic fit of the switching-probability curve by maximum likelihood, and the
 * "monotonic within confidence intervals" check of a measured curve.
 *
 *   fitLogistic([{ currentUa: 50, trials: 100, switched: 30 }, …])
 *     → { midpointUa: 57.1, scaleUa: 9.8, … }  P(I) = 1 / (1 + exp(−(I − midpoint)/scale))
 */

/** One measured point of a switching curve. */
export interface BinomialPoint {
  currentUa: number;
  trials: number;
  switched: number;
}

/** Maximum-likelihood logistic fit with standard errors (delta method). */
export interface LogisticFit {
  /** Current of 50 % switching, µA. */
  midpointUa: number;
  /** Logistic scale s, µA (10–90 % width = 2·ln 9·s ≈ 4.39·s). */
  scaleUa: number;
  midpointStdErrUa: number;
  scaleStdErrUa: number;
  /** False when the data are perfectly separated (no transition resolved). */
  resolved: boolean;
}

const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** Fit P(I) = σ((I − I50)/s) to binomial counts by Newton–Raphson on the log-likelihood. */
export function fitLogistic(points: readonly BinomialPoint[]): LogisticFit {
  const pts = points.filter((p) => p.trials > 0);
  const n = pts.reduce((s, p) => s + p.trials, 0);
  const mean = pts.reduce((s, p) => s + p.currentUa * p.trials, 0) / n;
  const sd = Math.sqrt(pts.reduce((s, p) => s + p.trials * (p.currentUa - mean) ** 2, 0) / n) || 1;
  const x = pts.map((p) => (p.currentUa - mean) / sd);
  const loglik = (a: number, b: number) =>
    pts.reduce((s, p, i) => {
      const q = sigmoid(a + b * x[i]);
      return s + p.switched * Math.log(Math.max(q, 1e-300)) + (p.trials - p.switched) * Math.log(Math.max(1 - q, 1e-300));
    }, 0);
  let a = 0;
  let b = 1;
  let ll = loglik(a, b);
  let h11 = 0;
  let h12 = 0;
  let h22 = 0;
  let converged = false;
  for (let it = 0; it < 100; it++) {
    let g1 = 0;
    let g2 = 0;
    h11 = 0;
    h12 = 0;
    h22 = 0;
    pts.forEach((p, i) => {
      const q = sigmoid(a + b * x[i]);
      const r = p.switched - p.trials * q;
      const w = p.trials * q * (1 - q);
      g1 += r;
      g2 += r * x[i];
      h11 += w;
      h12 += w * x[i];
      h22 += w * x[i] * x[i];
    });
    const det = h11 * h22 - h12 * h12;
    if (!(det > 1e-12)) break;
    let da = (h22 * g1 - h12 * g2) / det;
    let db = (h11 * g2 - h12 * g1) / det;
    let step = 1;
    let next = loglik(a + da, b + db);
    while (next < ll - 1e-12 && step > 1e-6) {
      step /= 2;
      next = loglik(a + step * da, b + step * db);
    }
    da *= step;
    db *= step;
    a += da;
    b += db;
    const gain = next - ll;
    ll = next;
    if (Math.abs(da) + Math.abs(db) < 1e-10 || (gain >= 0 && gain < 1e-12)) {
      converged = true;
      break;
    }
    if (Math.abs(b) > 1e4) break;
  }
  const det = h11 * h22 - h12 * h12;
  const resolved = converged && b > 0 && det > 1e-12 && b < 1e3;
  // covariance of (a, b) = inverse Fisher information
  const vaa = h22 / det;
  const vbb = h11 / det;
  const vab = -h12 / det;
  const midX = -a / b;
  const midpointUa = mean + sd * midX;
  const scaleUa = sd / b;
  // delta method: ∂m/∂a = −1/b, ∂m/∂b = a/b²; ∂s/∂b = −1/b²
  const varMid = (vaa / (b * b) + (a * a * vbb) / b ** 4 - (2 * a * vab) / b ** 3) * sd * sd;
  const varScale = (vbb / b ** 4) * sd * sd;
  return {
    midpointUa,
    scaleUa,
    midpointStdErrUa: resolved ? Math.sqrt(Math.max(0, varMid)) : Number.NaN,
    scaleStdErrUa: resolved ? Math.sqrt(Math.max(0, varScale)) : Number.NaN,
    resolved,
  };
}

/**
 * A curve is monotonic within its confidence intervals when no point at a higher
 * current has its whole interval below the interval of a point at a lower current.
 * Returns the offending pair, or null.
 */
export function monotonicViolation(
  points: readonly { currentUa: number; ciLow: number; ciHigh: number }[],
): { lowerUa: number; higherUa: number } | null {
  const sorted = [...points].sort((p, q) => p.currentUa - q.currentUa);
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++)
      if (sorted[j].ciHigh < sorted[i].ciLow) return { lowerUa: sorted[i].currentUa, higherUa: sorted[j].currentUa };
  return null;
}
