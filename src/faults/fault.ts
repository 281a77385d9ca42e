/**
 * A single fault: one fault model at one site with resolved parameters, plus the
 * simulator perturbations that realise it. Faults are data; engines only apply
 * `perturbations`.
 *
 *   { id: "dead-synapse@l0.r2.c3", modelId: "dead-synapse", siteId: "l0.r2.c3", site, layer: 0,
 *     params: {}, perturbations: [{ site, quantity: "conductance", op: "set", value: 0 }] }
 */
import type { CellStorageBehaviour } from "../sim/cell-storage.ts";
import type { Perturbation } from "../sim/perturbation.ts";
import type { Site } from "../sim/sites.ts";

export interface Fault {
  /** `<modelId>@<siteId>`; parametric faults add `:<value>` (e.g. resistive-open@l0.c0.seg0:16000). */
  id: string;
  modelId: string;
  siteId: string;
  site: Site;
  layer: number;
  /** Resolved parameter values by name (units as in the fault model file). */
  params: Record<string, number>;
  /** How the fault changes the simulator (the chip as deployed, on its mission weights). */
  perturbations: Perturbation[];
  /** What the faulty cell stores under WRITE and over a pause (storage faults only; cell-storage.ts). */
  storage?: CellStorageBehaviour;
  /** Number of uncollapsed faults this one represents (1 when not collapsed). */
  classSize: number;
  /** Ids of the equivalent faults it represents (besides itself), when collapsed. */
  equivalents?: string[];
}
