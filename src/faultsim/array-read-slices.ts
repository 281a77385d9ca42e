/**
 * The array phase's READ grading over the job pool: a fault's READ outcome depends on
 * that fault alone (array-grader.ts), so the universe is cut into slices graded on pool
 * threads (`arrayRead` in characterise/campaign-jobs.ts) and joined in fault order — the
 * same outcomes as grading in one thread, for any number of threads.
 *
 * The faults travel as two Int32 per fault (`[model << 8 | kind << 4 | layer, col << 16 | row]`,
 * row = segment index for a segment, −1 for a neuron; 55 MB for bnn's 6.9 M faults,
 * copied once per thread) plus the resolved models once; a thread rebuilds each fault of
 * its slice as a SiteFault as it grades it. An outcome comes back as the index of the
 * first failing step (−1: not detected).
 *
 *   const spec = await arrayReadSpec(bench, faults, steps, signal); // null: not universe faults
 *   const first = arrayReadSlice(spec, net, 0, 1000);          // a thread: faults 0..999
 *   const outcomes = arrayOutcomes(first, steps);
 */
import type { Fault } from "../faults/fault.ts";
import { SiteFault, type ResolvedFaultModel } from "../faults/site-fault.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { sharedArray } from "../parallel/shared-value.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import type { Site } from "../sim/sites.ts";
import { createArrayGrader, type ArrayStep } from "./array-grader.ts";

const kinds = ["neuron", "cell", "cell-series", "cell-read", "segment"] as const satisfies readonly Site["kind"][];

/** What every thread of a READ grading receives (plain data: shared once). */
export interface ArrayReadSpec {
  bench: Testbench;
  steps: ArrayStep[];
  models: ResolvedFaultModel[];
  /** Two Int32 per fault (see the header). */
  code: Int32Array;
}

/**
 * Encode `faults` for the pool, or null when one is not a universe fault or does not fit
 * the code. The code lives on a SharedArrayBuffer (threads read it in place), and the
 * walk — 0.9 s over bnn's universe at load 4 — gives Ctrl-C a checkpoint.
 */
export async function arrayReadSpec(bench: Testbench, faults: readonly Fault[], steps: ArrayStep[], signal?: AbortSignal): Promise<ArrayReadSpec | null> {
  const code = sharedArray("Int32Array", 2 * faults.length);
  const models: ResolvedFaultModel[] = [];
  const index = new Map<ResolvedFaultModel, number>();
  for (let i = 0; i < faults.length; i++) {
    if ((i & 0xffff) === 0) await checkpoint(signal);
    const f = faults[i];
    if (!(f instanceof SiteFault)) return null;
    let m = index.get(f.resolved);
    if (m === undefined) {
      m = models.length;
      models.push(f.resolved);
      index.set(f.resolved, m);
    }
    const s = f.site;
    const row = s.kind === "neuron" ? 0xffff : s.kind === "segment" ? s.index : s.row;
    if (m > 0x7fff || s.layer > 15 || s.col > 0x7fff || row > 0xffff) return null;
    code[2 * i] = (m << 8) | (kinds.indexOf(s.kind) << 4) | s.layer;
    code[2 * i + 1] = (s.col << 16) | row;
  }
  return { bench, steps, models, code };
}

function faultAt(spec: ArrayReadSpec, i: number): SiteFault {
  const a = spec.code[2 * i];
  const b = spec.code[2 * i + 1];
  const kind = kinds[(a >> 4) & 0xf];
  const layer = a & 0xf;
  const col = b >>> 16;
  const row = b & 0xffff;
  const site: Site = kind === "neuron" ? { kind, layer, col } : kind === "segment" ? { kind, layer, col, index: row } : { kind, layer, row, col };
  return new SiteFault(spec.models[a >>> 8], site);
}

/** The first failing step of faults [start, end) (−1: not detected), with the fast READ engine; `grader` reuses a thread's step index. */
export function arrayReadSlice(spec: ArrayReadSpec, net: CompiledNetwork, start: number, end: number, grader = createArrayGrader(net, spec.steps)): number[] {
  const out = new Array<number>(end - start);
  for (let i = start; i < end; i++) out[i - start] = grader(faultAt(spec, i), "fast").firstIndex;
  return out;
}
