/**
 * Prototype weights for seed 002's 784×9 stochastic chip: a deterministic stand-in for
 * the paper's STDP learning on the digits "0" and "1" (fig. 5(c): nine neurons, each
 * ends up responding to one class, variants of it side by side).
 *
 *   const w = digitPrototypeWeights();   // 784 rows × 9 columns, 16 levels in [0, 1]
 *
 * Procedure (every step fixed, the only randomness the split's seed):
 *   1. the training set of `mnistSplit()` (8,000 digits of the `mnist` package, seeded
 *      Fisher–Yates, seed 2024), binarised at 0.5, kept in its order;
 *   2. neuron c learns class c mod 2 (neurons 0, 2, 4, 6, 8 → "0"; 1, 3, 5, 7 → "1");
 *      the j-th neuron of a class (j = ⌊c/2⌋) averages the class's training images
 *      j·G … (j+1)·G − 1 (disjoint groups of G = 20, so the neurons are variants);
 *   3. each mean pixel m ∈ [0, 1] is quantised to seed 002's 4-bit synapse,
 *      w = round(15·m)/15, written with 4 decimals.
 * The bench's crossbar maps w to a conductance between G_AP and G_P (compile.ts), with
 * R_AP/R_P = 20 as in seed 002.
 */
import { NotFoundError } from "../formats/format-error.ts";
import { MNIST_PIXELS, mnistSplit, type DigitSet } from "./mnist-dataset.ts";

/** Neurons of the seed 002 chip. */
export const SEED002_NEURONS = 9;
/** Training images averaged per neuron. */
export const PROTOTYPE_GROUP = 20;
/** Synapse levels (4-bit). */
export const SYNAPSE_LEVELS = 16;

/** Class (digit 0 or 1) a neuron of the seed 002 chip learns. */
export const prototypeClass = (neuron: number): 0 | 1 => (neuron % 2) as 0 | 1;

/** Training images of a digit class, in training-set order (784 0/1 pixels each). */
export function classImages(digit: number, count: number, offset = 0, train: DigitSet = mnistSplit().train): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < train.count && out.length < offset + count; i++) {
    if (train.labels[i] === digit) out.push(train.pixels.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS));
  }
  if (out.length < offset + count) throw new NotFoundError(`the training set has ${out.length} images of digit ${digit}; asked for ${count} from the ${offset}th`);
  return out.slice(offset);
}

/** The 784 × 9 weight matrix (row = pixel, column = neuron). */
export function digitPrototypeWeights(neurons = SEED002_NEURONS, group = PROTOTYPE_GROUP): number[][] {
  const w = Array.from({ length: MNIST_PIXELS }, () => new Array<number>(neurons).fill(0));
  const { train } = mnistSplit();
  for (let c = 0; c < neurons; c++) {
    const imgs = classImages(prototypeClass(c), group, Math.floor(c / 2) * group, train);
    for (let r = 0; r < MNIST_PIXELS; r++) {
      let sum = 0;
      for (const img of imgs) sum += img[r];
      const level = Math.round(((SYNAPSE_LEVELS - 1) * sum) / imgs.length);
      w[r][c] = Number((level / (SYNAPSE_LEVELS - 1)).toFixed(4));
    }
  }
  return w;
}
