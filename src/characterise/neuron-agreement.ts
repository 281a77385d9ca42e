/**
 * Agreement between a behavioural neuron and the device model: random pulse trains at
 * a window timing run on the macrospin (several trials each, spread over a runner), and
 * any behavioural model scored against the device's majority outcome per train.
 *
 *   const run = await runDeviceTrains(constants, runner, { seed: 1, iwPs: 1000, lwPs: 9000, maxAmplitudeUa: 70 });
 *   scoreAgreement(run, "stochastic-lif-she", params).spikeAgreement   // 0.97
 *
 * Trains: `windowsPerTrain` windows (default 3), each with probability 0.75 a write pulse
 * of amplitude uniform in [0, maxAmplitudeUa]. A train agrees when the behavioural
 * neuron's majority outcome (spike somewhere / no spike) equals the device's majority
 * over an odd number of trials; the first-spike window and the mean |ΔP| are reported too.
 */
import type { DeviceConstants } from "../sim/device/device-constants.ts";
import { llgParamsOf, type LlgOptions } from "../sim/device/llg-solver.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { neuronModels, type NeuronModelId } from "../sim/neuron/neuron-registry.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import type { PulseTrain, TrainCounts } from "./train-kernel.ts";
import type { DeviceJobRunner } from "./worker-pool.ts";

/** What an agreement check needs besides the timing. */
export interface AgreementOptions extends LlgOptions {
  seed: number;
  /** Random trains (default 300). */
  trains?: number;
  /** Coding windows per train (default 3). */
  windowsPerTrain?: number;
  /** Device trials per train, odd (default 25). */
  trialsPerTrain?: number;
}

export interface CalibrationAgreement {
  /** Behavioural model scored. */
  model: NeuronModelId;
  trains: number;
  windowsPerTrain: number;
  trialsPerTrain: number;
  maxAmplitudeUa: number;
  /** Fraction of trains where the majority spike / no-spike outcomes agree. */
  spikeAgreement: number;
  /** Fraction where the majority first-spike window (or none) agrees too. */
  firstWindowAgreement: number;
  /** Mean |P_device(spike) − P_behavioural(spike)| over the trains. */
  meanProbabilityGap: number;
  /** Up to five disagreeing trains, for the report. */
  disagreements: { amplitudesUa: number[]; deviceSpikeProbability: number; behaviouralSpikeProbability: number }[];
}

/** The behavioural neuron's probability of spiking somewhere in a train. */
export function behaviouralSpikeProbability(
  model: NeuronModelId,
  params: NeuronParams,
  amplitudesUa: readonly number[],
  iwPs: number,
  lwPs: number,
  seed: number,
  samples: number,
): { probability: number; firstWindow: number } {
  const m = neuronModels[model];
  const runs = m.stochastic ? samples : 1;
  let spikes = 0;
  const first = amplitudesUa.map(() => 0);
  for (let s = 0; s < runs; s++) {
    const rng = m.stochastic ? createRng(mixSeed(seed, s)) : null;
    let x = 0;
    for (let w = 0; w < amplitudesUa.length; w++) {
      const a = m.step({ x }, amplitudesUa[w], params, iwPs / 1000, rng);
      if (a.firedAtNs !== null) {
        spikes++;
        first[w]++;
        break;
      }
      const b = m.step(a.state, 0, params, lwPs / 1000, rng);
      if (b.firedAtNs !== null) {
        spikes++;
        first[w]++;
        break;
      }
      x = b.state.x;
    }
  }
  const best = first.reduce((bi, v, i) => (v > first[bi] ? i : bi), 0);
  return { probability: spikes / runs, firstWindow: spikes * 2 > runs ? best : -1 };
}

function deviceOutcome(c: TrainCounts, trials: number): { probability: number; firstWindow: number } {
  const spikes = trials - c.none;
  const best = c.firstSpike.reduce((bi, v, i) => (v > c.firstSpike[bi] ? i : bi), 0);
  return { probability: spikes / trials, firstWindow: spikes * 2 > trials ? best : -1 };
}

/** Random pulse trains: per window, with probability 0.75 a pulse of amplitude uniform in [0, max]. */
export function randomTrains(count: number, windows: number, maxAmplitudeUa: number, seed: number): PulseTrain[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, index) => ({
    index,
    amplitudesUa: Array.from({ length: windows }, () => (rng.next() < 0.75 ? Math.round(rng.next() * maxAmplitudeUa * 100) / 100 : 0)),
  }));
}

/** Device-model outcomes of random trains at a timing (the expensive half of an agreement check). */
export interface DeviceTrainRun {
  iwPs: number;
  lwPs: number;
  maxAmplitudeUa: number;
  trialsPerTrain: number;
  trains: PulseTrain[];
  counts: TrainCounts[];
  seed: number;
}

/** Run random trains (they depend only on `seed`) on the device model, spread over the runner. */
export async function runDeviceTrains(
  c: DeviceConstants,
  runner: DeviceJobRunner,
  o: AgreementOptions & { iwPs: number; lwPs: number; maxAmplitudeUa: number },
): Promise<DeviceTrainRun> {
  const nTrains = o.trains ?? 300;
  const trialsPerTrain = o.trialsPerTrain ?? 25;
  const trains = randomTrains(nTrains, o.windowsPerTrain ?? 3, o.maxAmplitudeUa, mixSeed(o.seed, 3));
  const setup = { params: llgParamsOf(c, o), iwPs: o.iwPs, lwPs: o.lwPs, relaxationTauNs: c.relaxationTauNs, seed: mixSeed(o.seed, 4), trials: trialsPerTrain };
  const block = Math.max(1, Math.ceil(nTrains / (runner.size * 4)));
  const jobs: PulseTrain[][] = [];
  for (let i = 0; i < nTrains; i += block) jobs.push(trains.slice(i, i + block));
  const counts = (await Promise.all(jobs.map((t) => runner.run("trains", { setup, trains: t })))).flat();
  counts.sort((a, b) => a.index - b.index);
  return { iwPs: o.iwPs, lwPs: o.lwPs, maxAmplitudeUa: o.maxAmplitudeUa, trialsPerTrain, trains, counts, seed: o.seed };
}

/** Score a behavioural neuron against device train outcomes: majority spike / no-spike per train. */
export function scoreAgreement(run: DeviceTrainRun, model: NeuronModelId, params: NeuronParams): CalibrationAgreement {
  let agree = 0;
  let agreeWindow = 0;
  let gap = 0;
  const disagreements: CalibrationAgreement["disagreements"] = [];
  for (const cnt of run.counts) {
    const train = run.trains[cnt.index];
    const dev = deviceOutcome(cnt, run.trialsPerTrain);
    const beh = behaviouralSpikeProbability(model, params, train.amplitudesUa, run.iwPs, run.lwPs, mixSeed(run.seed, 5, cnt.index), 256);
    const same = dev.probability > 0.5 === beh.probability > 0.5;
    if (same) agree++;
    else if (disagreements.length < 5) {
      disagreements.push({ amplitudesUa: train.amplitudesUa, deviceSpikeProbability: dev.probability, behaviouralSpikeProbability: beh.probability });
    }
    if (same && dev.firstWindow === beh.firstWindow) agreeWindow++;
    gap += Math.abs(dev.probability - beh.probability);
  }
  const n = run.counts.length;
  return {
    model,
    trains: n,
    windowsPerTrain: run.trains[0]?.amplitudesUa.length ?? 0,
    trialsPerTrain: run.trialsPerTrain,
    maxAmplitudeUa: run.maxAmplitudeUa,
    spikeAgreement: agree / n,
    firstWindowAgreement: agreeWindow / n,
    meanProbabilityGap: gap / n,
    disagreements,
  };
}

/** Spike/no-spike agreement of one behavioural neuron with the device model (both halves). */
export async function checkAgreement(
  c: DeviceConstants,
  runner: DeviceJobRunner,
  model: NeuronModelId,
  params: NeuronParams,
  o: AgreementOptions & { iwPs: number; lwPs: number; maxAmplitudeUa: number },
): Promise<CalibrationAgreement> {
  return scoreAgreement(await runDeviceTrains(c, runner, o), model, params);
}
