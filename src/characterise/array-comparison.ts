/**
 * Cell-technology comparison for the array phase (seed 003: single- vs double-barrier MTJ
 * arrays): what a test engineer choosing a bit-cell asks of the memory test, for the same
 * program budget (the same march tests) on each bench —
 *
 *   senseWindowUa    I_P − I_AP of a READ of layer 0's bottom row, nominal (the window a
 *                    sense amplifier's offset must fit in; read-sense.ts)
 *   marginSigma      the READ margin of the weakest good cell in σ of the bench's variation,
 *                    and the estimated good-chip READ failure (array-phase.ts)
 *   minOpenOhms      the smallest open the program's READs catch, per site class — in
 *                    series with a cell (`.series`), in its read path (`.read`), and the
 *                    column segment nearest the sense input (every READ of the column
 *                    crosses it) — found by bisection on the resistance with the fast READ
 *                    grader (array-grader.ts), at layer 0, column 0, row 0
 *   coverage         FC/TC of the array-phase program over the memory-test universe
 *
 *   const rows = await compareArrays([smtj, dmtj], { march: ["march-c-minus-retention"] });
 *
 * With a midpoint-reference READ the reference tracks the read voltage, so the smallest
 * open that flips a P cell depends on resistances only: R = 1/G_mid − R_P,path with G_mid
 * the conductance midpoint of the P and AP branches (docs/seed003-arrays.md).
 */
import { buildArrayPhase } from "../atpg/array-phase.ts";
import { buildPhasedProgram } from "../atpg/phased-program.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { gradeArraySteps, type ArrayStep } from "../faultsim/array-grader.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { compileNetwork, highOhms, mtjOhms, type CompiledNetwork } from "../sim/compile.ts";
import { readVoltageOf, senseCurrentUa } from "../sim/read-sense.ts";

export type OpenSiteClass = "series" | "read" | "segment";

export interface ArrayComparison {
  bench: string;
  rLowOhms: number;
  rHighOhms: number;
  readVoltageV: number;
  readScheme: string;
  senseWindowUa: number;
  marginSigma: { p: number; ap: number };
  readYieldLoss: number;
  /** Smallest detectable open per site class, Ω (null: none up to 100 MΩ). */
  minOpenOhms: Record<OpenSiteClass, number | null>;
  steps: number;
  coverage: { faults: number; faultCoverage: number; testCoverage: number };
}

const sites = (net: CompiledNetwork): Record<OpenSiteClass, string> => ({
  series: "l0.r0.c0.series",
  read: "l0.r0.c0.read",
  segment: `l0.c0.seg${net.layers[0].rows - 1}`,
});

/** Smallest open resistance at `site` that some READ of `steps` catches (bisection on ln R to 0.1 %). */
export function minDetectableOpen(loaded: LoadedTestbench, net: CompiledNetwork, site: string, steps: readonly ArrayStep[]): number | null {
  const [open] = loadFaultModels(undefined, ["resistive-open"]);
  const caught = (ohms: number) => {
    const { faults } = enumerateFaults(net, loaded.bench, [open], { collapse: false, sites: [site], params: { "resistive-open": { resistanceOhms: ohms } } });
    return faults.length > 0 && gradeArraySteps(net, faults, steps, "fast")[0].detected;
  };
  let lo = 10;
  let hi = 1e8;
  if (!caught(hi)) return null;
  if (caught(lo)) return lo;
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (caught(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export type ReadSchemeKind = "midpoint-reference" | "self-reference";

/** The bench with its device read by another scheme (self-reference: the known state P, Jeong et al. 2003). */
export function withReadScheme(loaded: LoadedTestbench, kind: ReadSchemeKind): LoadedTestbench {
  const readScheme = kind === "self-reference" ? { kind, knownBit: 1 as const } : { kind };
  return { ...loaded, bench: { ...loaded.bench, device: { ...loaded.bench.device, readScheme } } };
}

/** The comparison row of one bench (read as the bench declares). */
export async function compareArray(loaded: LoadedTestbench, o: { march: readonly string[]; signal?: AbortSignal; onProgress?: (line: string) => void }): Promise<ArrayComparison> {
  const net = compileNetwork(loaded.bench);
  const d = loaded.bench.device;
  const l0 = net.layers[0];
  const bottom = l0.rows - 1;
  // the nominal sense currents of a P and an AP cell in the bottom row of column 0
  const senseOf = (w: number) => senseCurrentUa({ ...l0, cellOhms: Float64Array.from(l0.cellOhms, (v, i) => (i === bottom ? mtjOhms(net.device, w) + (v - mtjOhms(net.device, l0.weights[i])) : v)) }, bottom, 0, readVoltageOf(net));
  o.onProgress?.(`${loaded.bench.id}: array phase`);
  const phase = buildArrayPhase(net, loaded.bench, o.march);
  const minOpenOhms = {} as Record<OpenSiteClass, number | null>;
  for (const [cls, site] of Object.entries(sites(net)) as [OpenSiteClass, string][]) minOpenOhms[cls] = minDetectableOpen(loaded, net, site, phase.steps);
  o.onProgress?.(`${loaded.bench.id}: coverage of the array phase`);
  const universe = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, undefined, { arrayTests: true }), { collapse: true });
  const p = await buildPhasedProgram({ loaded, net, faults: universe.faults, analysis: universe.analysis, spike: null, marchIds: o.march, signal: o.signal });
  return {
    bench: loaded.bench.id,
    rLowOhms: d.rLowOhms,
    rHighOhms: highOhms(d),
    readVoltageV: readVoltageOf(net),
    readScheme: phase.readScheme,
    senseWindowUa: senseOf(1) - senseOf(0),
    marginSigma: phase.marginSigma,
    readYieldLoss: phase.readYieldLoss,
    minOpenOhms,
    steps: phase.steps.length,
    coverage: { faults: p.coverage.total.all, faultCoverage: p.coverage.total.faultCoverage, testCoverage: p.coverage.total.testCoverage },
  };
}
