/**
 * Coverage of a ternary-array program: grade a bench's fault universe with one engine
 * and count DT / PD / ND per fault model. Coverage is Hou et al.'s figure, detected over
 * all faults (DT / all); PD is reported beside it, never credited.
 *
 *   const c = ternaryCoverage(bench, program, loadFaultModels(houFaultModelDir), "fast");
 *   c.total.coveragePercent   // 100 for Hou's 90·N algorithm
 */
import type { TernaryProgram } from "../formats/ternary-program-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { LoadedFaultModel } from "../faults/fault-model-loader.ts";
import { enumerateTernaryFaults } from "../faults/ternary-faults.ts";
import { ternaryEngines, type TernaryCampaignResult, type TernaryEngineId } from "./ternary-engines.ts";

/** Counts of one group of faults. */
export interface TernaryCounts {
  all: number;
  DT: number;
  PD: number;
  ND: number;
  /** 100 · DT / all. */
  coveragePercent: number;
}

export interface TernaryCoverage {
  byModel: Record<string, TernaryCounts>;
  total: TernaryCounts;
  result: TernaryCampaignResult;
}

function counts(cls: readonly string[]): TernaryCounts {
  const n = (k: string) => cls.filter((c) => c === k).length;
  const all = cls.length;
  return { all, DT: n("DT"), PD: n("PD"), ND: n("ND"), coveragePercent: all === 0 ? 0 : (100 * n("DT")) / all };
}

/** Grade every fault of `models` on the bench with `engine` and count. */
export function ternaryCoverage(tb: Testbench, program: TernaryProgram, models: readonly LoadedFaultModel[], engine: TernaryEngineId = "fast"): TernaryCoverage {
  const faults = enumerateTernaryFaults(tb, models);
  const result = ternaryEngines[engine].run(tb, program, faults);
  const byModelCls = new Map<string, string[]>(models.map((m) => [m.id, []]));
  result.outcomes.forEach((o, i) => byModelCls.get(faults[i].model.id)!.push(o.cls));
  return {
    byModel: Object.fromEntries([...byModelCls].map(([id, cls]) => [id, counts(cls)])),
    total: counts(result.outcomes.map((o) => o.cls)),
    result,
  };
}
