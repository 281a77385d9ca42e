/**
 * Which layers of a bench are observable at the pins, and the PROTOCOL.md output
 * numbering: `observe: "outputs"` exposes the last layer only; `"all"` exposes every
 * layer, numbered layer by layer (layer 0's neurons first). One home for the rule the
 * simulator, the program writer, the executor and every target follow.
 *
 *   observableOutputCount({ observe: "all", layers: [{ cols: 3 }, { cols: 2 }] })   // 5
 *   outputOffsets({ observe: "outputs", layers: [{ cols: 3 }, { cols: 2 }] })       // Map { 1 → 0 }
 */

/** What the rule reads: a testbench or a compiled network. */
export interface ObservableShape {
  observe: "outputs" | "all";
  layers: readonly { cols: number }[];
}

/** Indexes of the layers whose spikes are observable at the pins. */
export function observableLayerIndexes(b: ObservableShape): number[] {
  return b.observe === "all" ? b.layers.map((_, i) => i) : [b.layers.length - 1];
}

/** Output number of each observable layer's neuron 0 (by layer index). */
export function outputOffsets(b: ObservableShape): Map<number, number> {
  const offsets = new Map<number, number>();
  let next = 0;
  for (const li of observableLayerIndexes(b)) {
    offsets.set(li, next);
    next += b.layers[li].cols;
  }
  return offsets;
}

/** Number of observable outputs. */
export function observableOutputCount(b: ObservableShape): number {
  return observableLayerIndexes(b).reduce((s, li) => s + b.layers[li].cols, 0);
}
