/**
 * The neuron phase of a production test: test weights written by the board put every
 * neuron at its threshold edge and route hidden neurons to the outputs
 * (neuron-candidates.ts), and the generator keeps the candidates that detect neuron
 * faults nothing kept before detects — graded by the fast fault engine on the network as
 * written, and guard-banded against Monte-Carlo good chips of that written network
 * (guard-band.ts: a vector a good chip may fail with more than the bound is not kept).
 *
 *   const np = await buildNeuronPhase({ loaded, net, faults, seed: 1 });
 *   np.steps          // WRITE … spike vector, WRITE … spike vector, … (phase "neuron")
 *   np.detected       // neuron faults the kept vectors detect (nominal chip)
 *
 * The phase leaves test weights in the crossbar: a program puts the array phase (whose
 * last steps restore and READ-verify the mission weights) or `restoreSteps` after it.
 * Chips deeper than two layers are refused (the plan routes one hidden layer).
 *
 * Two passes over the candidates: detection (keep a vector that detects a neuron fault
 * nothing kept detects), then diagnosis (keep a vector that splits detected faults the
 * kept vectors fail identically — dead-neuron@l0.n0 from dead-neuron@l0.n1 when both sit in
 * one AND group, say), so `diagnose` can name the neuron.
 */
import type { ArrayStep } from "../faultsim/array-grader.ts";
import { faultEngines } from "../faultsim/engine-registry.ts";
import type { FaultSimVector } from "../faultsim/fault-engine.ts";
import { goodResponse } from "../faultsim/good-response.ts";
import type { Fault } from "../faults/fault.ts";
import { InputError, InterruptedError } from "../formats/errors.ts";
import type { ProgramVector } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { candidateStimulus } from "./candidate-vector.ts";
import { createGuardBand, DEFAULT_FAIL_BOUND, evaluateGuardBand } from "./guard-band.ts";
import { neuronCandidates, type NeuronCandidate, type NeuronFamily } from "./neuron-candidates.ts";
import { planPattern, planWindows, planWrites } from "./neuron-phase-plan.ts";
import { timingRangeOf } from "./window-timing.ts";

export interface NeuronPhaseInput {
  loaded: LoadedTestbench;
  net: CompiledNetwork;
  /** The program's fault universe; the phase targets its neuron faults. */
  faults: readonly Fault[];
  /** Seed of the Monte-Carlo good chips. */
  seed?: number;
  /** Largest good-chip failure probability per vector (default 1e-3). */
  failBound?: number;
  /** Monte-Carlo good chips per guard-band population (default 64; more give a tighter estimate). */
  chips?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Stop looking for more vectors after this long, ms (default: no limit). */
  budgetMs?: number;
}

export interface KeptNeuronVector {
  id: string;
  family: NeuronFamily;
  detects: number;
  goodFailProbability: number;
}

export interface NeuronPhase {
  steps: (ArrayStep | ProgramVector)[];
  kept: KeptNeuronVector[];
  /** Neuron faults targeted and detected (collapsed counts). */
  targeted: number;
  detected: number;
  /** Classes of detected neuron faults the kept vectors tell apart: after the detection pass and at the end. */
  distinguishable: { afterDetection: number; final: number };
  /** Ids of the neuron faults no kept vector detects (nominal chip). */
  undetected: string[];
  /** Why each of them was left: no candidate detects it, or the best one that does fails too many good chips. */
  undetectedReasons: Record<string, string>;
  /** Candidates tried, and rejected by the guard band. */
  tried: number;
  rejectedByGuardBand: number;
  /** The search stopped at the time budget rather than running out of candidates. */
  budgetReached: boolean;
  /** Good-chip failure probabilities of the kept vectors (for the program's yield estimate). */
  goodFailProbabilities: number[];
}

const turn = async (signal?: AbortSignal) => {
  await new Promise((r) => setImmediate(r));
  if (signal?.aborted) throw new InterruptedError();
};

/** Build the neuron phase (yields between candidates, so Ctrl-C is seen within one candidate). */
export async function buildNeuronPhase(o: NeuronPhaseInput): Promise<NeuronPhase> {
  const { net, loaded } = o;
  if (net.layers.length > 2) {
    throw new InputError(`${loaded.bench.id}: the neuron phase writes test weights for chips of one or two layers; this chip has ${net.layers.length} (drop "neuron" from --phases)`);
  }
  const timing = timingRangeOf(loaded.bench);
  const targets = o.faults.filter((f) => f.site.kind === "neuron");
  const steps: (ArrayStep | ProgramVector)[] = [];
  const kept: KeptNeuronVector[] = [];
  const goodFailProbabilities: number[] = [];
  /** Per target: the kept vectors that detect it (its signature over the phase). */
  const signature = targets.map(() => "");
  const isDetected = (i: number) => signature[i] !== "";
  /** Per target: candidates that detect it on the nominal chip, and the smallest good-chip failure among them. */
  const seen = new Int32Array(targets.length);
  const bestFail = new Float64Array(targets.length).fill(Infinity);
  let tried = 0;
  let rejected = 0;
  const tick = loaded.bench.timing.tickPs;
  const t0 = performance.now();
  let budgetReached = false;
  const overBudget = () => (budgetReached ||= o.budgetMs !== undefined && performance.now() - t0 > o.budgetMs);

  /** Targets a candidate detects (no drop), at the band the good chips need; null when the guard band rejects it or it adds nothing. */
  async function tryCandidate(cand: NeuronCandidate, useful: (hits: ReadonlySet<number>) => boolean): Promise<boolean> {
    await turn(o.signal);
    tried++;
    const stimulus = candidateStimulus({ pattern: planPattern(net, cand.plan), windows: planWindows(net, cand.plan), iwPs: cand.plan.iwPs, lwPs: cand.plan.lwPs });
    const id = `np${kept.length}`;
    const probe: FaultSimVector = { id: `${id}.v`, stimulus, toleranceBandPs: 500, timingResolutionPs: tick };
    const hitsAt = (band: number) => {
      const r = faultEngines.fast.run(cand.net, targets, [{ ...probe, toleranceBandPs: band }], { drop: true, proveUndetectable: false });
      return new Set(r.outcomes.flatMap((x, i) => (x.cls === "DT" ? [i] : [])));
    };
    const first = hitsAt(probe.toleranceBandPs);
    if (!useful(first)) return false;
    // the good chips of the written network must pass it (one tolerance band for the vector)
    const gb = evaluateGuardBand(createGuardBand(cand.net, loaded.bench, { seed: o.seed ?? 1, failBound: o.failBound ?? DEFAULT_FAIL_BOUND, tickPs: tick, chips: o.chips }), stimulus);
    for (const i of first) {
      seen[i]++;
      bestFail[i] = Math.min(bestFail[i], gb.goodFailProbability);
    }
    if (!gb.accepted) {
      rejected++;
      return false;
    }
    // re-grade with the band the good chips need: a wider band may hide a small shift
    const hits = gb.toleranceBandPs === probe.toleranceBandPs ? hitsAt(probe.toleranceBandPs) : hitsAt(gb.toleranceBandPs);
    if (!useful(hits)) return false;
    steps.push(...planWrites(net, cand.plan, id));
    steps.push({
      id: probe.id,
      phase: "neuron",
      iwPs: cand.plan.iwPs,
      lwPs: cand.plan.lwPs,
      windows: stimulus.windows,
      repetitions: 1,
      pattern: planPattern(net, cand.plan),
      expected: goodResponse(cand.net, { stimulus }).observed,
      toleranceBandPs: gb.toleranceBandPs,
    });
    kept.push({ id: probe.id, family: cand.family, detects: [...hits].filter((i) => !isDetected(i)).length, goodFailProbability: gb.goodFailProbability });
    goodFailProbabilities.push(gb.goodFailProbability);
    for (const i of hits) signature[i] += `${probe.id} `;
    return true;
  }

  // pass 1 (detection): keep a candidate that detects a target nothing kept detects
  for (const cand of neuronCandidates(net, timing)) {
    if (targets.every((_, i) => isDetected(i)) || overBudget()) break;
    if (await tryCandidate(cand, (hits) => [...hits].some((i) => !isDetected(i)))) {
      o.onProgress?.(`neuron phase: ${kept.length} vector(s) [${cand.family}], ${signature.filter(Boolean).length}/${targets.length} neuron faults detected (${tried} candidates tried)`);
    }
  }
  // pass 2 (diagnosis): keep a candidate that splits detected targets the kept vectors cannot tell apart
  const distinctAfterPass1 = new Set(signature.filter(Boolean)).size;
  for (const cand of neuronCandidates(net, timing)) {
    if (overBudget()) break;
    const groups = new Map<string, number[]>();
    signature.forEach((sg, i) => sg && groups.set(sg, [...(groups.get(sg) ?? []), i]));
    if ([...groups.values()].every((g) => g.length === 1)) break;
    const splits = (hits: ReadonlySet<number>) => [...groups.values()].some((g) => g.length > 1 && g.some((i) => hits.has(i)) && g.some((i) => !hits.has(i)));
    if (await tryCandidate(cand, splits)) {
      o.onProgress?.(`neuron phase: ${kept.length} vector(s) [${cand.family}, diagnostic], ${new Set(signature.filter(Boolean)).size} distinguishable classes of detected neuron faults (${tried} candidates tried)`);
    }
  }
  const remaining = targets.filter((_, i) => !isDetected(i));
  const bound = o.failBound ?? DEFAULT_FAIL_BOUND;
  const undetectedReasons: Record<string, string> = {};
  targets.forEach((f, i) => {
    if (isDetected(i)) return;
    undetectedReasons[f.id] =
      seen[i] === 0
        ? `neuron phase: none of the ${tried} test-weight candidates tried detects it on the nominal chip${budgetReached ? " (stopped at the time budget)" : ""}`
        : `neuron phase: ${seen[i]} test-weight candidate(s) detect it on the nominal chip, but the best fails ${bestFail[i].toExponential(1)} of good chips (bound ${bound}; docs/neuron-phase.md)`;
  });
  const distinguishable = { afterDetection: distinctAfterPass1, final: new Set(signature.filter(Boolean)).size };
  return { steps, kept, distinguishable, targeted: targets.length, detected: targets.length - remaining.length, undetected: remaining.map((f) => f.id), undetectedReasons, tried, rejectedByGuardBand: rejected, budgetReached, goodFailProbabilities };
}
