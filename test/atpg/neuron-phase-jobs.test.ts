/**
 * `generate --jobs N`: the neuron phase grades its test-weight candidates on pool threads,
 * several ahead of its decisions, and decides in candidate order — so the phase (kept
 * vectors, their steps, bands and failure estimates, the reasons for what it leaves) is
 * the one the in-thread search builds, for N = 1, 2 and 3 (N grades in flight on one
 * three-thread pool, 2N sent ahead), and with each candidate's guard-band chips simulated in
 * slices on the pool (poolChipGrader, what `generate --jobs N` runs). The pool's thread ids are asserted, so a silent
 * in-thread fallback cannot pass. Small: mlp-16x8x4, its dead-neuron targets,
 * 8 Monte-Carlo chips at a 5 % bound.
 *
 * By hand, the usefulness rule a grade computed ahead relies on: pass 1 — a candidate helps
 * when it detects an undetected target; pass 2 — when it splits a group of targets the kept
 * vectors fail alike (group {0, 1} split by hits {0}; not by {0, 1}, nor by a singleton's hit).
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isUseful, type CandidateGrader } from "../../src/atpg/neuron-candidate-grade.ts";
import { jobGradeContext, poolCandidateGrader, poolChipGrader } from "../../src/atpg/neuron-candidate-pool.ts";
import { buildNeuronPhase } from "../../src/atpg/neuron-phase.ts";
import { runNeuronPhaseJob } from "../../src/atpg/neuron-phase-job.ts";
import { neuronPhaseTargets } from "../../src/atpg/neuron-phase-targets.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { shareValue } from "../../src/parallel/shared-value.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const job = { benchFile: join(repoRoot, "testbenches", "mlp-16x8x4.json"), modelIds: ["dead-neuron"], settings: { seed: 1, failBound: 0.05, chips: 8 } };
const pool = createJobPool(3);
afterAll(() => pool.close());

/** At most `n` grades in flight on the pool: --jobs n's concurrency, without starting a second pool (thread start-up from the sources is the cost of this file). */
function limited(grader: CandidateGrader, n: number): CandidateGrader {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (cand, state) => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await grader(cand, state);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

describe("the neuron phase on the job pool", () => {
  it("usefulness: pass 1 needs an undetected hit, pass 2 a split group", () => {
    const detected = { pass: 1 as const, groupOf: Int32Array.from([0, -1, 0]) };
    expect(isUseful(detected, [0, 2])).toBe(false);
    expect(isUseful(detected, [1])).toBe(true);
    const groups = { pass: 2 as const, groupOf: Int32Array.from([0, 0, 1, -1]) };
    expect(isUseful(groups, [0])).toBe(true);
    expect(isUseful(groups, [0, 1])).toBe(false);
    expect(isUseful(groups, [2, 3])).toBe(false);
  });

  it("keeps the same vectors for --jobs 1, 2 and 3", async () => {
    const single = await runNeuronPhaseJob({ ...job, jobs: 1 });
    expect(single.kept.length).toBeGreaterThan(0);
    expect(single.tried).toBeGreaterThan(single.kept.length); // some candidates are graded and dropped: the order matters
    const { loaded, net, faults } = neuronPhaseTargets(job);
    const grader = poolCandidateGrader(pool, shareValue(job));
    for (const jobs of [2, 3]) {
      const pooled = await buildNeuronPhase({ ...job.settings, loaded, net, faults, grader: limited(grader, jobs), lookahead: 2 * jobs });
      expect(pooled).toEqual(single);
    }
    // one level finer: the candidates' guard-band chips in slices on the pool, folded in chip order
    const { targets } = neuronPhaseTargets(job);
    const chipGraded = await buildNeuronPhase({ ...job.settings, loaded, net, faults, grader: poolChipGrader(pool, shareValue(job), jobGradeContext(job, loaded.bench, targets)), lookahead: 3 });
    expect(chipGraded).toEqual(single);
    expect(pool.threadIds.size).toBe(3);
    expect(pool.threadIds.has(0)).toBe(false);
  }, 180_000);

  it("--neuron-candidates: decides exactly that many candidates, the same for every N, and a 1 ms time budget does not cut it", async () => {
    const full = await runNeuronPhaseJob({ ...job, jobs: 1 });
    const k = full.tried - 2; // fewer than the whole search takes, so the bound is what stops it
    expect(k).toBeGreaterThan(0);
    const settings = { ...job.settings, maxCandidates: k, budgetMs: 1 };
    const single = await runNeuronPhaseJob({ ...job, settings, jobs: 1 });
    expect(single.tried).toBe(k);
    expect(single.budgetReached).toBe(true);
    const { loaded, net, faults } = neuronPhaseTargets(job);
    const grader = poolCandidateGrader(pool, shareValue({ ...job, settings }));
    for (const jobs of [2, 3]) {
      let sent = 0;
      const counted: CandidateGrader = (cand, state) => (sent++, grader(cand, state));
      const pooled = await buildNeuronPhase({ ...settings, loaded, net, faults, grader: limited(counted, jobs), lookahead: 2 * jobs });
      expect(pooled).toEqual(single);
      // nothing graded ahead past the limit; only the queue pass 1 drops when every target is detected (2N + 1 grades) is wasted
      expect(sent).toBeLessThanOrEqual(k + 2 * jobs + 1);
    }
  }, 120_000);

  it("generate lists --jobs and --neuron-candidates", async () => {
    expect((await runMain(["generate", "--help"])).stdout).toMatch(/--neuron-candidates <n>/);
    expect((await runMain(["generate", "--help"])).stdout).toMatch(/--jobs <n>/);
  });
});
