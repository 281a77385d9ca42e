/**
 * Open sweep: the minimum detectable resistance of a resistive open at one site for
 * one stimulus (seed 000 §IV–VI, tables IV and VI).
 *
 * An open of R ohms is added in series at the site (`{ quantity: "ohms", op: "add" }`),
 * the stimulus is simulated, and the observable response is compared with the good
 * chip's. The smallest detecting R is bracketed by doubling from 100 Ω and then
 * bisected until the bracket is within 1 % of its upper end. This assumes detection is
 * monotone in R — true for the series opens of a column, where more resistance only
 * ever lowers the neuron current.
 *
 *   const r = sweepOpen(net, { site: "rop1", aliases: bench.siteAliases });
 *   r.minDetectableOhms   // ≈ 16 000 on black-pixel-4x1 with (1,1,1,1) over 3 windows
 *
 * Two detection criteria:
 *   presence  (default, seed 000's) the set of outputs that spike at least once in the
 *             run changes — "the SNN fails to produce an output spike";
 *   windows   the set of (output, window) spikes changes — what a program that checks
 *             spike windows sees; a spike that merely moves to a later window counts.
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableSpikes, simulateNetwork } from "../sim/network.ts";
import { withPerturbations } from "../sim/perturbation.ts";
import { resolveSite, siteId, type Site } from "../sim/sites.ts";
import { patternEvents, type Stimulus } from "../sim/stimulus.ts";
import { InputError } from "../formats/errors.ts";

/** How a faulty response is told apart from the good one. */
export type DetectionCriterion = "presence" | "windows";

export interface OpenSweepOptions {
  /** Site id or alias (`l0.c0.seg0`, `rop1`). */
  site: string;
  /** Aliases of the bench (`siteAliases`). */
  aliases?: Record<string, string>;
  /** Bits per first-layer row, one string per window (last repeats); default all ones. */
  pattern?: string[];
  /** Coding windows; default 3 (seed 000's test). */
  windows?: number;
  /** Integrate window, ps; default the bench's. */
  iwPs?: number;
  /** Leaky window, ps; default the bench's. */
  lwPs?: number;
  /** Default "presence". */
  criterion?: DetectionCriterion;
  /** Largest open tried before declaring the site not detectable, ohms; default 1 GΩ. */
  maxOhms?: number;
  /** Bisection stops when (hi − lo)/hi ≤ this; default 0.01. */
  relTolerance?: number;
}

/** Frozen result of one sweep. */
export interface OpenSweepResult {
  /** Canonical site id. */
  siteId: string;
  /** What the user typed, when it was an alias. */
  alias?: string;
  iwPs: number;
  lwPs: number;
  windows: number;
  pattern: string[];
  criterion: DetectionCriterion;
  /** Good chip's observable spikes for this stimulus. */
  goodSpikes: { output: number; window: number; timePs: number }[];
  /** False when even `maxOhms` changes nothing (seed 000's "no detectado"). */
  detectable: boolean;
  /** Smallest open found to be detected (upper end of the final bracket), ohms. */
  minDetectableOhms: number | null;
  /** Largest open found not to be detected (lower end of the final bracket), ohms. */
  maxUndetectedOhms: number;
  /** Network simulations the sweep ran. */
  simulations: number;
}

/** A site that cannot hold a series open (a neuron), or a stimulus that does not fit. */
export class OpenSweepInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "OpenSweepInputError";
  }
}

function signature(net: CompiledNetwork, stim: Stimulus, criterion: DetectionCriterion): string {
  const spikes = observableSpikes(net, simulateNetwork(net, stim).spikes);
  const keys = criterion === "presence" ? spikes.map((s) => `${s.output}`) : spikes.map((s) => `${s.output}@${s.window}`);
  return [...new Set(keys)].sort().join(" ");
}

/** Resolve a site that may carry a series open; throws for neurons. */
export function resolveOpenSite(net: CompiledNetwork, idOrAlias: string, aliases: Record<string, string> = {}): Site {
  const site = resolveSite(net, idOrAlias, aliases);
  if (site.kind === "neuron") {
    throw new OpenSweepInputError(`site "${idOrAlias}" is a neuron; an open sits on a column segment (l0.c0.seg1) or in a cell (l0.r0.c0.series)`);
  }
  return site;
}

/** Minimum detectable open resistance at a site for one stimulus. */
export function sweepOpen(net: CompiledNetwork, o: OpenSweepOptions): OpenSweepResult {
  const site = resolveOpenSite(net, o.site, o.aliases);
  const rows = net.layers[0].rows;
  const windows = o.windows ?? 3;
  const iwPs = o.iwPs ?? net.iwPs;
  const lwPs = o.lwPs ?? net.lwPs;
  const pattern = o.pattern ?? ["1".repeat(rows)];
  const criterion = o.criterion ?? "presence";
  const maxOhms = o.maxOhms ?? 1e9;
  const relTol = o.relTolerance ?? 0.01;
  if (!Number.isInteger(windows) || windows < 1) throw new OpenSweepInputError(`windows must be a positive integer, got ${windows}`);
  if (!(iwPs > 0) || !(lwPs > 0)) throw new OpenSweepInputError(`iwPs and lwPs must be positive, got ${iwPs} and ${lwPs}`);
  for (const p of pattern) {
    if (!/^[01]+$/.test(p) || p.length !== rows) {
      throw new OpenSweepInputError(`pattern "${p}" must have ${rows} bits (0/1), one per first-layer row`);
    }
  }
  const stim: Stimulus = { iwPs, lwPs, windows, events: patternEvents(pattern, windows, iwPs, lwPs) };
  const good = signature(net, stim, criterion);
  const goodSpikes = observableSpikes(net, simulateNetwork(net, stim).spikes);
  let simulations = 2;
  const detected = (ohms: number): boolean => {
    simulations++;
    // in place and put back: no copy of the layer per simulation (perturbation.ts)
    return withPerturbations(net, [{ site, quantity: "ohms", op: "add", value: ohms }], (faulty) => signature(faulty, stim, criterion)) !== good;
  };
  let lo = 0;
  let hi = 100;
  while (!detected(hi)) {
    lo = hi;
    if (hi >= maxOhms) {
      return base(false, null, lo);
    }
    hi = Math.min(hi * 2, maxOhms);
  }
  while ((hi - lo) / hi > relTol) {
    const mid = (lo + hi) / 2;
    if (detected(mid)) hi = mid;
    else lo = mid;
  }
  return base(true, hi, lo);

  function base(detectable: boolean, min: number | null, maxUndetected: number): OpenSweepResult {
    return {
      siteId: siteId(site),
      alias: siteId(site) !== o.site ? o.site : undefined,
      iwPs,
      lwPs,
      windows,
      pattern,
      criterion,
      goodSpikes,
      detectable,
      minDetectableOhms: min,
      maxUndetectedOhms: maxUndetected,
      simulations,
    };
  }
}
