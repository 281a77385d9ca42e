/**
 * The sliced campaigns of the heavy commands, one registry: each kind names the plain
 * spec its pool task receives (shared once, parallel/shared-value.ts) and the handler
 * that computes units [start, end) of it on a thread, reusing what the thread built
 * from the spec before (the compiled chip, the good responses, the fault universe).
 * The in-process commands call the same unit functions, so results never depend on
 * where — or on how many threads — they ran.
 *
 *   const r = await runSliced(pool, campaignTask, "retention", shareValue(spec), retentionUnits(spec));
 *
 * | kind        | unit                              | result per unit                |
 * | ----------- | --------------------------------- | ------------------------------ |
 * | openSweep   | one (site, timing) open sweep     | OpenSweepResult                |
 * | retention   | one trial of one layer            | cumulative flips per step      |
 * | lifetime    | one trial of one curve (listed)   | accuracy and flips per step    |
 * | chipColumns | one hidden column of a digit chip | its current and spikes by image |
 * | criticality | one fault                         | FaultEffect                    |
 * | criticalityPrepare | one per thread: the good chip built early (before the faults are known) | none |
 * | criticalityGood | the good chip (one unit, over the criticality spec already shared) | GoodChip |
 * | arrayRead   | one fault of a program's universe | its first failing READ (−1)    |
 * | dictionary  | one fault of the universe (or of  | failing vectors and signatures |
 * |             | a shard's list, `only`)           |                                |
 * | warm        | none: the thread starts and loads this module while the caller does serial work (warmPool) |
 *
 * chipColumns and criticality share one compiled chip per thread (chipOf): the first only
 * reads it, the second puts every fault back (withPerturbations).
 */
import { chipImages, createGoodColumns, type ChipImages, type GoodColumn } from "../classifier/chip-classifier.ts";
import { unpackSpikeLists, type PackedSpikeLists } from "../sim/spike-lists.ts";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { createArrayGrader } from "../faultsim/array-grader.ts";
import { arrayReadSlice, type ArrayReadSpec } from "../faultsim/array-read-slices.ts";
import { dictionaryFailing, dictionaryPlan, type DictionaryOptions } from "../faultsim/fault-dictionary.ts";
import type { TimingBand } from "../faultsim/response-rule.ts";
import { perThread, perThreadKeyed, readShared, type Shared } from "../parallel/shared-value.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import { criticalityBench, faultEffect, type CriticalityBench, type CriticalityFault, type FaultEffect, type GoodChip } from "./criticality.ts";
import { lifetimeBench, lifetimeTrial, type LifetimeTrial, type LifetimeTrialSpec } from "./lifetime.ts";
import { sweepOpen, type OpenSweepOptions, type OpenSweepResult } from "./open-sweep.ts";
import { retentionTrialCounts, type RetentionTrialSpec } from "./retention.ts";

/** What each kind's task receives (shared) and gives per unit. */
export interface CampaignKinds {
  openSweep: { spec: { bench: Testbench; cases: OpenSweepOptions[] }; unit: OpenSweepResult };
  retention: { spec: RetentionTrialSpec; unit: number[] };
  lifetime: { spec: { bench: Testbench; set: DigitSet; trial: LifetimeTrialSpec; units: number[] }; unit: LifetimeTrial };
  chipColumns: { spec: { bench: Testbench; set: DigitSet; imagesKey?: string }; unit: GoodColumn };
  criticality: { spec: CriticalitySpec; unit: FaultEffect };
  /** The good chip built in a thread while the command still walks and grades (no unit result). */
  criticalityPrepare: { spec: CriticalityGoodSpec; unit: never };
  /** Over the criticality spec already shared (runSharedCampaign): the thread's good chip, built for its faults. */
  criticalityGood: { spec: CriticalitySpec; unit: GoodChip };
  dictionary: { spec: Omit<DictionaryOptions, "cacheDir"> & { only?: number[] }; unit: Record<string, string[]> };
  arrayRead: { spec: ArrayReadSpec; unit: number };
  warm: { spec: null; unit: never };
}

/** `columnUa` and `hidden`: the good chip's hidden column currents (image-major) and spikes (by image), from chipColumns, so a thread does not simulate them again. */
type CriticalitySpec = CriticalityGoodSpec & { faults: CriticalityFault[] };
/** What a thread's good chip (CriticalityBench) is built from; `benchKey` names it, so a prepare task's bench serves the later criticality spec. */
export type CriticalityGoodSpec = { bench: Testbench; set: DigitSet; images?: number; band?: TimingBand; columnUa?: Float64Array; hidden?: PackedSpikeLists; benchKey: string; imagesKey?: string };

export type CampaignKind = keyof CampaignKinds;
export type CampaignSpecOf<K extends CampaignKind> = CampaignKinds[K]["spec"];
export type CampaignUnitOf<K extends CampaignKind> = CampaignKinds[K]["unit"];

type Handler<K extends CampaignKind> = (spec: Shared<CampaignSpecOf<K>>, start: number, end: number) => CampaignUnitOf<K>[] | Promise<CampaignUnitOf<K>[]>;

/** The chip of a bench, compiled once per thread for the kinds that leave it as they found it. */
let chip: { key: string; net: CompiledNetwork } | null = null;
function chipOf(bench: Testbench): CompiledNetwork {
  const key = JSON.stringify(bench);
  if (chip?.key !== key) chip = { key, net: compileNetwork(bench) };
  return chip.net;
}

/** The good chip a thread scores faults against, built once per shared criticality spec. */
function criticalityBenchOf(shared: Shared<CriticalityGoodSpec>): CriticalityBench {
  const s = readShared(shared);
  // a copy of the currents: the bench refreshes a faulty column's in it, which must never reach another thread
  return perThreadKeyed(s.benchKey, "criticality-bench", () => {
    const net = chipOf(s.bench);
    const count = Math.min(s.images ?? s.set.count, s.set.count);
    return criticalityBench(net, s.set, s, s.columnUa?.slice(), s.hidden && unpackSpikeLists(s.hidden), imagesOf(net, s.set, count, s.imagesKey));
  });
}

/** The per-image inputs of a set on this thread's chip: once per `key` (the run's chipColumns and criticality specs name the same set and chip with it), else derived anew. */
function imagesOf(net: CompiledNetwork, set: DigitSet, count: number, key: string | undefined): ChipImages {
  return key === undefined ? chipImages(net, set, count) : perThreadKeyed(key, "chip-images", () => chipImages(net, set, count));
}

const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

export const campaignHandlers: { [K in CampaignKind]: Handler<K> } = {
  openSweep(shared, start, end) {
    const s = readShared(shared);
    const net = perThread(shared, "net", () => compileNetwork(s.bench));
    return s.cases.slice(start, end).map((c) => sweepOpen(net, c));
  },
  retention(shared, start, end) {
    const s = readShared(shared);
    return range(start, end).map((u) => retentionTrialCounts(s, u));
  },
  async lifetime(shared, start, end) {
    const s = readShared(shared);
    const b = await perThread(shared, "bench", () => lifetimeBench(compileNetwork(s.bench), s.set, s.trial));
    const out: LifetimeTrial[] = [];
    for (const u of s.units.slice(start, end)) out.push((await lifetimeTrial(b, s.trial, u))!);
    return out;
  },
  chipColumns(shared, start, end) {
    const s = readShared(shared);
    const net = perThread(shared, "net", () => chipOf(s.bench));
    const column = perThread(shared, "columns", () => createGoodColumns(net, s.set, s.set.count, imagesOf(net, s.set, s.set.count, s.imagesKey)));
    return range(start, end).map(column);
  },
  criticality(shared, start, end) {
    const b = criticalityBenchOf(shared);
    return readShared(shared).faults.slice(start, end).map((f) => faultEffect(b, f));
  },
  criticalityPrepare(shared) {
    criticalityBenchOf(shared);
    return [];
  },
  criticalityGood(shared) {
    return [criticalityBenchOf(shared).good];
  },
  arrayRead(shared, start, end) {
    const s = readShared(shared);
    const net = perThread(shared, "net", () => compileNetwork(s.bench));
    return arrayReadSlice(s, net, start, end, perThread(shared, "grader", () => createArrayGrader(net, s.steps)));
  },
  warm: () => [],
  dictionary(shared, start, end) {
    const p = perThread(shared, "plan", () => dictionaryPlan({ ...readShared(shared), cacheDir: null }));
    return dictionaryFailing(p, start, end, readShared(shared).only);
  },
};
