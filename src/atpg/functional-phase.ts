/**
 * The functional phase of a production test: a few inputs on the mission weights,
 * judged by a variation-tolerant criterion (count band or class decision) fitted to
 * Monte-Carlo good chips (functional-criterion.ts). It confirms the chip works as
 * deployed and catches what only the mission weights expose.
 *
 *   const f = buildFunctionalPhase(net, bench, { seed: 1 });
 *   f.steps      // ProgramVector[] with phase "functional" and their criterion
 *   f.rejected   // { "no-class": 3, "class-disagrees": 5 }
 *
 * Candidates: for the MNIST chip (a bench whose id names mnist and whose first layer
 * has 784 rows) the held-out MNIST images (mnist-dataset.ts, coded like the classifier:
 * binary, two windows); for any other bench, seeded random input patterns (each with its own
 * density, uniform in [0.2, 0.8]; the same pattern in every window, `windows` windows).
 * Ranking: the nominal chip's margin between its top two outputs (El-Sayed et al.,
 * TCAD 2023, choose test inputs by that margin: a large one survives variation and a
 * fault that moves it is visible); ties keep candidate order, and a class decision
 * takes only candidates with a strict winner. The best `4 × keep` are
 * simulated on `chips` Monte-Carlo good chips; the first `keep` whose chips all agree on
 * the class are kept. A second, fresh population of `holdoutChips` chips estimates each
 * kept vector's good-chip failure probability (`goodFailProbability`): the fitted bands
 * pass every chip they were fitted on, and the hold-out says what that costs.
 */
import type { ProgramVector } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { InterruptedError } from "../formats/errors.ts";
import { judgeResponse } from "../faultsim/pass-criteria.ts";
import { goodResponse } from "../faultsim/good-response.ts";
import { vectorEvents } from "../formats/program-loader.ts";
import { image, MNIST_PIXELS, mnistSplit } from "../classifier/mnist-dataset.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableOutputCount } from "../formats/observable-outputs.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import { fitFunctionalCriterion, topTwoMargin, type FunctionalCriterionKind, type ReadoutRule, type RejectReason } from "./functional-criterion.ts";
import { monteCarloChip, variabilityOf } from "./variability-model.ts";

export interface FunctionalPhaseOptions {
  /** Seed of the random candidates and of the Monte-Carlo populations. */
  seed: number;
  /** Vectors to keep (default 4). */
  keep?: number;
  /** Candidate inputs to rank (default 32 MNIST images, 128 random patterns). */
  candidates?: number;
  /** Monte-Carlo good chips the criterion is fitted to (default 32). */
  chips?: number;
  /** Fresh Monte-Carlo chips that estimate each kept vector's good-chip failure probability (default = chips; 0 = none). */
  holdoutChips?: number;
  /** Criterion kind (default: class-decision when the bench declares a readout, else count-band). */
  kind?: FunctionalCriterionKind;
  /** Coding windows of a random candidate (default 4; MNIST images use the classifier's 2). */
  windows?: number;
  signal?: AbortSignal;
}

/** One candidate input. */
export interface FunctionalCandidate {
  id: string;
  /** What it is (e.g. "MNIST held-out image 17, label 3"). */
  source: string;
  pattern: string[];
  windows: number;
}

export interface FunctionalPhase {
  steps: ProgramVector[];
  kind: FunctionalCriterionKind;
  rule: ReadoutRule;
  candidates: number;
  /** Candidates simulated on the Monte-Carlo chips. */
  tried: number;
  chips: number;
  holdoutChips: number;
  rejected: Record<RejectReason, number>;
  /** 1 − Π(1 − goodFailProbability) over the kept vectors (hold-out estimate). */
  estimatedYieldLoss: number;
}

/** Whether a bench is the MNIST chip (its candidates are held-out digits). */
export function isMnistBench(net: CompiledNetwork, bench: Pick<Testbench, "id">): boolean {
  return bench.id.includes("mnist") && net.layers[0].rows === MNIST_PIXELS;
}

/** The candidate inputs of a bench (see header). */
export function functionalCandidates(net: CompiledNetwork, bench: Pick<Testbench, "id">, o: Pick<FunctionalPhaseOptions, "seed" | "candidates" | "windows">): FunctionalCandidate[] {
  const n = o.candidates ?? (isMnistBench(net, bench) ? 32 : 128);
  if (isMnistBench(net, bench)) {
    const { heldOut } = mnistSplit();
    return Array.from({ length: Math.min(n, heldOut.count) }, (_, i) => ({
      id: `mnist-${i}`,
      source: `MNIST held-out image ${i}, label ${heldOut.labels[i]}`,
      pattern: [Array.from(image(heldOut, i), (p) => (p ? "1" : "0")).join("")],
      windows: 2,
    }));
  }
  const rows = net.layers[0].rows;
  const rng = createRng(mixSeed(o.seed, 0xf0c7));
  return Array.from({ length: n }, (_, i) => {
    const density = 0.2 + 0.6 * rng.next();
    return {
      id: `rand-${i}`,
      source: `seeded random pattern ${i} (seed ${o.seed}, density ${density.toFixed(2)})`,
      pattern: [Array.from({ length: rows }, () => (rng.next() < density ? "1" : "0")).join("")],
      windows: o.windows ?? 4,
    };
  });
}

function toVector(net: CompiledNetwork, c: FunctionalCandidate, id: string): ProgramVector {
  return { id, phase: "functional", iwPs: net.iwPs, lwPs: net.lwPs, windows: c.windows, pattern: c.pattern, repetitions: 1, expected: [] };
}

const simOf = (v: ProgramVector) => ({ stimulus: { iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v) } });

/** Build the functional phase (see header). */
export function buildFunctionalPhase(net: CompiledNetwork, bench: Pick<Testbench, "id" | "device" | "readout" | "layers" | "observe">, o: FunctionalPhaseOptions): FunctionalPhase {
  const keep = o.keep ?? 4;
  const chipCount = o.chips ?? 32;
  const holdoutCount = o.holdoutChips ?? chipCount;
  const rule: ReadoutRule = bench.readout ?? "most-spikes";
  const kind = o.kind ?? (bench.readout ? "class-decision" : "count-band");
  const outputs = observableOutputCount(bench);
  const check = () => {
    if (o.signal?.aborted) throw new InterruptedError();
  };
  const candidates = functionalCandidates(net, bench, o);
  const ranked = candidates
    .map((c, i) => {
      const v = toVector(net, c, c.id);
      const expected = goodResponse(net, simOf(v)).observed;
      return { c, i, v: { ...v, expected }, lead: topTwoMargin(rule, expected).lead };
    })
    .filter((r) => kind === "count-band" || r.lead > 0)
    .sort((a, b) => (b.lead === a.lead ? 0 : b.lead - a.lead) || a.i - b.i);
  const rejected: Record<RejectReason, number> = { "no-class": candidates.length - ranked.length, "class-disagrees": 0, "thin-margin": 0 };
  const tried = ranked.slice(0, 4 * keep);
  // Chips are drawn one at a time (a 784×1024 chip is megabytes) and every tried candidate runs on each.
  const { sigmas } = variabilityOf(bench);
  const responses: Spike[][][] = tried.map(() => []);
  for (let k = 0; k < chipCount; k++) {
    check();
    const chip = monteCarloChip(net, sigmas, o.seed, k);
    tried.forEach((t, j) => responses[j].push(goodResponse(chip, simOf(t.v)).observed));
  }
  const kept: ProgramVector[] = [];
  tried.forEach((t, j) => {
    if (kept.length >= keep) return;
    const horizonPs = t.v.windows * (t.v.iwPs + t.v.lwPs);
    const fit = fitFunctionalCriterion(kind, rule, { outputs, horizonPs }, t.v.expected, responses[j]);
    if (!fit.ok) {
      rejected[fit.reason]++;
      return;
    }
    kept.push({ ...t.v, id: `f${kept.length + 1}-${t.c.id}`, criterion: fit.criterion });
  });
  // Hold-out population: a fresh seed, never seen by the fit.
  const fails = new Array<number>(kept.length).fill(0);
  for (let k = 0; k < holdoutCount; k++) {
    check();
    const chip = monteCarloChip(net, sigmas, mixSeed(o.seed, 0x401d), k);
    kept.forEach((v, j) => {
      const j2 = judgeResponse({ spikes: v.expected, toleranceBandPs: 0, criterion: v.criterion }, { spikes: goodResponse(chip, simOf(v)).observed });
      if (j2.verdict === "fail") fails[j]++;
    });
  }
  const steps = kept.map((v, j) => (holdoutCount > 0 ? { ...v, goodFailProbability: fails[j] / holdoutCount } : v));
  const estimatedYieldLoss = 1 - steps.reduce((p, v) => p * (1 - (v.goodFailProbability ?? 0)), 1);
  return { steps, kind, rule, candidates: candidates.length, tried: tried.length, chips: chipCount, holdoutChips: holdoutCount, rejected, estimatedYieldLoss };
}
