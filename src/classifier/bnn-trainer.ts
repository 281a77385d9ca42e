/**
 * Trainer of the binary MLP (BinaryConnect / BinaryNet style, seed 004 ref. [11]):
 * real-valued latent weights w ∈ [−1, 1], binarized W = sign(w) (sign 0 = +1) in every
 * forward pass; gradients pass straight through the sign to w (straight-through
 * estimator) and through the hidden step h = [a > 0] as 1/s·1{|a/s| ≤ 1}
 * (hard-tanh STE, s = √(784·p_on) rescales the popcount); softmax cross-entropy on
 * κ·s_c with a learned log-temperature κ; Adam with a linearly decaying rate; w clipped
 * to [−1, 1] after each step; optionally seed 004's adapted training (`hrsPenalty`). All arithmetic is float64 in a fixed order and every
 * random draw comes from the seeded project RNG, so a run is bit-for-bit reproducible.
 *
 *   const r = trainBnn(train, { hidden: 1024, epochs: 12, seed: 4 });
 *   r.weights  // BnnWeights, ±1, what the chip stores (+1 → R_L, −1 → R_H)
 *   r.latent   // the float network (latent weights, same step activation)
 */
import { createRng } from "../sim/rng.ts";
import type { BnnWeights } from "./bnn-model.ts";
import type { DigitSet } from "./mnist-dataset.ts";

export interface TrainOptions {
  /** Hidden neurons (seed 004: 1024). */
  hidden?: number;
  epochs?: number;
  batch?: number;
  /** Initial Adam step size (decays linearly to 10 % of it). */
  learningRate?: number;
  seed?: number;
  /**
   * Seed 004's adapted training (§III-C, eq. 3): α of a regulariser α·Σ_{w∈W1}(−w) on the
   * first layer that pulls its latent weights towards +1 (R_L here; seed 004 stores the
   * other sign in R_H, so its α·Σw pulls towards its LRS value), leaving few cells in R_H,
   * the state that relaxes. Added to each batch's mean gradient; 0 (default) = conventional.
   */
  hrsPenalty?: number;
  /**
   * Column-wise adapted training: the first `freeColumns` hidden columns are exempt from
   * `hrsPenalty` (they are meant for the Δ = 60 columns of a mixed array, so the at-risk
   * R_H cells gather there); default 0 = every column penalised.
   */
  freeColumns?: number;
  /** Called after each epoch with its mean loss and training accuracy of the binary net. */
  onEpoch?: (epoch: number, loss: number, trainAccuracy: number) => void;
}

export interface TrainResult {
  weights: BnnWeights;
  /** Latent float weights, row-major like `weights`. */
  latent: Float64Array[];
  options: Required<Omit<TrainOptions, "onEpoch" | "hrsPenalty" | "freeColumns">> & { hrsPenalty?: number; freeColumns?: number };
  finalLoss: number;
}

class Adam {
  m: Float64Array;
  v: Float64Array;
  t = 0;
  constructor(n: number) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }
  step(w: Float64Array, g: Float64Array, lr: number, clip: boolean): void {
    this.t++;
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const c1 = 1 - Math.pow(b1, this.t), c2 = 1 - Math.pow(b2, this.t);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      if (gi === 0 && this.m[i] === 0) continue;
      this.m[i] = b1 * this.m[i] + (1 - b1) * gi;
      this.v[i] = b2 * this.v[i] + (1 - b2) * gi * gi;
      let x = w[i] - (lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + eps);
      if (clip) x = x > 1 ? 1 : x < -1 ? -1 : x;
      w[i] = x;
    }
  }
}

const sign = (x: number): number => (x >= 0 ? 1 : -1);

/** Train a 784 × hidden × 10 binary MLP on 0/1 images. */
export function trainBnn(train: DigitSet, o: TrainOptions = {}): TrainResult {
  const opts = { hidden: o.hidden ?? 1024, epochs: o.epochs ?? 12, batch: o.batch ?? 100, learningRate: o.learningRate ?? 0.003, seed: o.seed ?? 4, ...(o.hrsPenalty ? { hrsPenalty: o.hrsPenalty, freeColumns: o.freeColumns ?? 0 } : {}) };
  const nIn = train.pixels.length / train.count;
  const H = opts.hidden;
  const K = 10;
  const rng = createRng(opts.seed);
  const w1 = new Float64Array(nIn * H).map(() => (rng.next() * 2 - 1) * 0.1);
  const w2 = new Float64Array(H * K).map(() => (rng.next() * 2 - 1) * 0.1);
  let logKappa = Math.log(4 / Math.sqrt(H));
  let onFraction = 0;
  for (const p of train.pixels) onFraction += p;
  const s1 = Math.sqrt(onFraction / train.count);
  const opt1 = new Adam(w1.length), opt2 = new Adam(w2.length), optK = new Adam(1);
  const b1 = new Float64Array(w1.length), b2 = new Float64Array(w2.length);
  const g1 = new Float64Array(w1.length), g2 = new Float64Array(w2.length), gK = new Float64Array(1);
  const a = new Float64Array(H), h = new Float64Array(H), z = new Float64Array(K), dh = new Float64Array(H), s = new Float64Array(K);
  const order = new Uint32Array(train.count).map((_, i) => i);
  const steps = opts.epochs * Math.ceil(train.count / opts.batch);
  let t = 0;
  let finalLoss = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    let lossSum = 0, correct = 0;
    for (let start = 0; start < order.length; start += opts.batch) {
      const end = Math.min(order.length, start + opts.batch);
      for (let i = 0; i < w1.length; i++) b1[i] = sign(w1[i]);
      for (let i = 0; i < w2.length; i++) b2[i] = sign(w2[i]);
      g1.fill(0);
      g2.fill(0);
      gK[0] = 0;
      const kappa = Math.exp(logKappa);
      for (let n = start; n < end; n++) {
        const idx = order[n];
        const x = train.pixels.subarray(idx * nIn, (idx + 1) * nIn);
        const y = train.labels[idx];
        a.fill(0);
        for (let r = 0; r < nIn; r++) {
          if (!x[r]) continue;
          const off = r * H;
          for (let c = 0; c < H; c++) a[c] += b1[off + c];
        }
        for (let c = 0; c < H; c++) h[c] = a[c] > 0 ? 1 : 0;
        s.fill(0);
        for (let j = 0; j < H; j++) {
          if (!h[j]) continue;
          const off = j * K;
          for (let k = 0; k < K; k++) s[k] += b2[off + k];
        }
        let zmax = -Infinity;
        for (let k = 0; k < K; k++) {
          z[k] = kappa * s[k];
          if (z[k] > zmax) zmax = z[k];
        }
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(z[k] - zmax);
        lossSum += Math.log(sum) - (z[y] - zmax);
        let best = 0;
        for (let k = 1; k < K; k++) if (s[k] > s[best]) best = k;
        if (best === y) correct++;
        const inv = 1 / (end - start);
        // dz = softmax − onehot (per-batch mean); dL/ds = κ·dz; dL/dlogκ = Σ dz·z.
        for (let k = 0; k < K; k++) {
          const dz = (Math.exp(z[k] - zmax) / sum - (k === y ? 1 : 0)) * inv;
          gK[0] += dz * z[k];
          z[k] = dz * kappa; // reuse z as dL/ds
        }
        dh.fill(0);
        for (let j = 0; j < H; j++) {
          const off = j * K;
          let acc = 0;
          for (let k = 0; k < K; k++) {
            if (h[j]) g2[off + k] += z[k];
            acc += z[k] * b2[off + k];
          }
          const an = a[j] / s1;
          dh[j] = an >= -1 && an <= 1 ? acc / s1 : 0;
        }
        for (let r = 0; r < nIn; r++) {
          if (!x[r]) continue;
          const off = r * H;
          for (let c = 0; c < H; c++) g1[off + c] += dh[c];
        }
      }
      if (opts.hrsPenalty) for (let i = 0; i < g1.length; i++) if (i % H >= opts.freeColumns!) g1[i] -= opts.hrsPenalty;
      const lr = opts.learningRate * (1 - (0.9 * t) / steps);
      t++;
      opt1.step(w1, g1, lr, true);
      opt2.step(w2, g2, lr, true);
      const k = new Float64Array([logKappa]);
      optK.step(k, gK, lr, false);
      logKappa = k[0];
    }
    finalLoss = lossSum / order.length;
    o.onEpoch?.(epoch + 1, finalLoss, correct / order.length);
  }
  const bin = (w: Float64Array) => Int8Array.from(w, sign);
  return { weights: { sizes: [nIn, H, K], layers: [bin(w1), bin(w2)] }, latent: [w1, w2], options: opts, finalLoss };
}

/** The float network's class for one 0/1 image: latent weights, same step activation. */
export function floatClassify(latent: Float64Array[], sizes: number[], pixels: ArrayLike<number>): number {
  const [nIn, H, K] = sizes;
  const a = new Float64Array(H);
  for (let r = 0; r < nIn; r++) {
    if (!pixels[r]) continue;
    for (let c = 0; c < H; c++) a[c] += latent[0][r * H + c];
  }
  const s = new Float64Array(K);
  for (let j = 0; j < H; j++) if (a[j] > 0) for (let k = 0; k < K; k++) s[k] += latent[1][j * K + k];
  let best = 0;
  for (let k = 1; k < K; k++) if (s[k] > s[best]) best = k;
  return best;
}
