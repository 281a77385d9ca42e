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
import { neuronCandidates, type NeuronFamily } from "./neuron-candidates.ts";
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
  /** Ids of the neuron faults no kept vector detects (nominal chip). */
  undetected: string[];
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
  let remaining = targets;
  const steps: (ArrayStep | ProgramVector)[] = [];
  const kept: KeptNeuronVector[] = [];
  const goodFailProbabilities: number[] = [];
  let tried = 0;
  let rejected = 0;
  const tick = loaded.bench.timing.tickPs;
  const t0 = performance.now();
  let budgetReached = false;
  for (const cand of neuronCandidates(net, timing)) {
    if (remaining.length === 0) break;
    if (o.budgetMs !== undefined && performance.now() - t0 > o.budgetMs) {
      budgetReached = true;
      break;
    }
    await turn(o.signal);
    tried++;
    const k = kept.length;
    const stimulus = candidateStimulus({ pattern: planPattern(net, cand.plan), windows: planWindows(net, cand.plan), iwPs: cand.plan.iwPs, lwPs: cand.plan.lwPs });
    const id = `np${k}`;
    const probe: FaultSimVector = { id: `${id}.v`, stimulus, toleranceBandPs: 500, timingResolutionPs: tick };
    const run = faultEngines.fast.run(cand.net, remaining, [probe], { drop: true, proveUndetectable: false });
    const dbg = (what: string) => process.env.NP_DEBUG && console.error(what, cand.family, `a${cand.plan.active} p${cand.plan.pulses} s${cand.plan.spacing} iw${cand.plan.iwPs} lw${cand.plan.lwPs} ones${cand.plan.hiddenOnes.join(",")} out${JSON.stringify(cand.plan.outputRows)}`);
    const hit = new Set(run.outcomes.flatMap((x, i) => (x.cls === "DT" ? [i] : [])));
    if (hit.size === 0) {
      dbg("nohit");
      continue;
    }
    // the good chips of the written network must pass it (one tolerance band for the vector)
    const gb = evaluateGuardBand(createGuardBand(cand.net, loaded.bench, { seed: o.seed ?? 1, failBound: Number(process.env.NP_BOUND ?? o.failBound ?? DEFAULT_FAIL_BOUND), tickPs: tick, chips: Number(process.env.NP_CHIPS ?? 64) }), stimulus);
    dbg(`hit ${hit.size} pfail ${gb.goodFailProbability.toExponential(1)}`);
    if (!gb.accepted) {
      rejected++;
      continue;
    }
    // re-grade with the band the good chips need: a wider band may hide a small shift
    const banded = gb.toleranceBandPs === probe.toleranceBandPs ? run : faultEngines.fast.run(cand.net, remaining, [{ ...probe, toleranceBandPs: gb.toleranceBandPs }], { drop: true, proveUndetectable: false });
    const detected = new Set(banded.outcomes.flatMap((x, i) => (x.cls === "DT" ? [i] : [])));
    if (detected.size === 0) continue;
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
    kept.push({ id: probe.id, family: cand.family, detects: detected.size, goodFailProbability: gb.goodFailProbability });
    goodFailProbabilities.push(gb.goodFailProbability);
    remaining = remaining.filter((_, i) => !detected.has(i));
    o.onProgress?.(`neuron phase: ${kept.length} vector(s) [${cand.family}], ${targets.length - remaining.length}/${targets.length} neuron faults detected (${tried} candidates tried)`);
  }
  return { steps, kept, targeted: targets.length, detected: targets.length - remaining.length, undetected: remaining.map((f) => f.id), tried, rejectedByGuardBand: rejected, budgetReached, goodFailProbabilities };
}
