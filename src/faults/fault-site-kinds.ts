/**
 * Fault site kinds (the `siteKind` of a fault model file) and the simulator sites
 * (`src/sim/sites.ts`) each one stands for — a typed registry keyed by kind.
 *
 *   synapse        l0.r2.c3          one per bit-cell
 *   neuron         l0.n3             one per column neuron
 *   line-segment   l0.c3.seg1        one per column line segment (rows per column)
 *   cell-internal  l0.r2.c3.series   in-cell write-path open (MTJ / access stack)
 *                  l0.r2.c3.read     in-cell sense-path open (carries no write current)
 *
 *   faultSiteKinds["line-segment"].simKinds  // ["segment"]
 */
import type { FaultSiteKind } from "../formats/fault-model-format.ts";
import type { Site } from "../sim/sites.ts";

export interface FaultSiteKindInfo {
  /** Simulator site kinds a fault of this kind sits on. */
  simKinds: readonly Site["kind"][];
  /** One-line description for reports. */
  title: string;
}

export const faultSiteKinds = {
  synapse: { simKinds: ["cell"], title: "bit-cell (synapse)" },
  neuron: { simKinds: ["neuron"], title: "column neuron" },
  "line-segment": { simKinds: ["segment"], title: "column line segment" },
  "cell-internal": { simKinds: ["cell-series", "cell-read"], title: "in-cell write (.series) or sense (.read) path" },
} as const satisfies Record<FaultSiteKind, FaultSiteKindInfo>;

/** The fault site kind a simulator site belongs to. */
export function faultSiteKindOf(kind: Site["kind"]): FaultSiteKind {
  switch (kind) {
    case "cell":
      return "synapse";
    case "neuron":
      return "neuron";
    case "segment":
      return "line-segment";
    case "cell-series":
    case "cell-read":
      return "cell-internal";
  }
}
