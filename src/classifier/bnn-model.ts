/**
 * The binary MLP the seed 004 chip computes, in plain arithmetic — the reference the
 * electrical simulator is scored against.
 *
 *   hidden  h_j = [ Σ_{i : x_i = 1} W1[i][j] > 0 ]          x ∈ {0,1}^784, W ∈ {−1,+1}
 *   output  s_c = Σ_{j : h_j = 1} W2[j][c],   class = argmax_c s_c (ties → lowest c)
 *
 * Only rows whose input spikes are driven, so the inputs are 0/1 (not ±1); the
 * differential read (docs/differential-read.md) gives each driven row a signed
 * contribution, + for an R_L (+1) cell and − for an R_H (−1) cell, and the hidden
 * neuron fires when the sum is positive (docs/mnist-chip.md derives the calibration).
 * The first spike among the outputs is the largest s_c.
 *
 *   const m: BnnWeights = { sizes: [784, 1024, 10], layers: [w1, w2] };  // Int8Array ±1, row-major
 *   bnnClassify(m, pixels)   // → 0..9
 */

/** Binary weights of an MLP: layers[l][r * cols + c] ∈ {−1, +1}, row-major (row = input). */
export interface BnnWeights {
  /** [inputs, hidden…, outputs]. */
  sizes: number[];
  layers: Int8Array[];
}

/** Hidden activations h_j ∈ {0, 1} of layer `l` for 0/1 inputs. */
export function binaryLayer(w: Int8Array, rows: number, cols: number, input: ArrayLike<number>): Uint8Array {
  const acc = binaryScores(w, rows, cols, input);
  const h = new Uint8Array(cols);
  for (let c = 0; c < cols; c++) h[c] = acc[c] > 0 ? 1 : 0;
  return h;
}

/** s_c = Σ_{r : input_r = 1} w[r][c] (integers). */
export function binaryScores(w: Int8Array, rows: number, cols: number, input: ArrayLike<number>): Int32Array {
  const acc = new Int32Array(cols);
  for (let r = 0; r < rows; r++) {
    if (!input[r]) continue;
    const o = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += w[o + c];
  }
  return acc;
}

/** Index of the largest value, the lowest index on ties. */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/** Output scores of the binary network for one 0/1 image. */
export function bnnScores(m: BnnWeights, pixels: ArrayLike<number>): Int32Array {
  let x: ArrayLike<number> = pixels;
  const L = m.layers.length;
  for (let l = 0; l < L - 1; l++) x = binaryLayer(m.layers[l], m.sizes[l], m.sizes[l + 1], x);
  return binaryScores(m.layers[L - 1], m.sizes[L - 1], m.sizes[L], x);
}

/** Class the binary network gives one 0/1 image. */
export function bnnClassify(m: BnnWeights, pixels: ArrayLike<number>): number {
  return argmax(bnnScores(m, pixels));
}

/** Fraction of correctly classified images (pixels image-major, `rows` per image). */
export function accuracyOf(predict: (img: Uint8Array) => number, pixels: Uint8Array, labels: Uint8Array, count = labels.length): number {
  const n = pixels.length / labels.length;
  let ok = 0;
  for (let i = 0; i < count; i++) if (predict(pixels.subarray(i * n, (i + 1) * n)) === labels[i]) ok++;
  return ok / count;
}
