/**
 * `--jobs N`, the one parallelism flag of every heavy command: how many worker threads
 * of the job pool (parallel/job-pool.ts) run the work; default: the parallelism the OS
 * reports. Older names stay as aliases — `--threads` (coverage) and `--workers`
 * (device, calibrate) — hidden from --help.
 *
 *   addJobsOption(cmd, "--threads");            // in register(), or in a chain:
 *   .addOption(jobsFlag()).addOption(jobsAliasFlag("--workers"))
 *   const jobs = jobsOption(o);                  // in the action: a number ≥ 1
 */
import { Option, type Command } from "commander";
import { createJobPool, defaultJobs, type JobPool } from "../parallel/job-pool.ts";
import { OptionError } from "./cli-context.ts";

/** The old flag names `--jobs` replaces. */
export type JobsAlias = "--threads" | "--workers";

/** What the options object holds after parsing. */
export interface JobsOptions {
  jobs?: string;
  threads?: string;
  workers?: string;
}

/** The `--jobs <n>` option (for `.addOption` in a chain). */
export function jobsFlag(): Option {
  return new Option("--jobs <n>", `worker threads (default: ${defaultJobs()}, the cores available; results do not depend on it)`);
}

/** An old name of `--jobs`, hidden from --help. */
export function jobsAliasFlag(alias: JobsAlias): Option {
  return new Option(`${alias} <n>`, "old name of --jobs").hideHelp();
}

/** Add `--jobs <n>` (and the hidden old name) to a command. */
export function addJobsOption(cmd: Command, alias?: JobsAlias): Command {
  cmd.addOption(jobsFlag());
  if (alias) cmd.addOption(jobsAliasFlag(alias));
  return cmd;
}

/** The flag given, its name and raw value (the last one wins if both are given). */
function given(o: JobsOptions): { name: string; raw: string } | null {
  if (o.jobs !== undefined) return { name: "--jobs", raw: o.jobs };
  if (o.threads !== undefined) return { name: "--threads", raw: o.threads };
  if (o.workers !== undefined) return { name: "--workers", raw: o.workers };
  return null;
}

/**
 * The number of jobs asked for (≥ 1). `allowZero`: the device commands' old
 * `--workers 0` (run in this thread) stays valid and returns 0.
 */
export function jobsOption(o: JobsOptions, opts: { allowZero?: boolean } = {}): number {
  const g = given(o);
  if (!g) return defaultJobs();
  const n = Number(g.raw);
  const min = opts.allowZero ? 0 : 1;
  if (!Number.isInteger(n) || n < min) throw new OptionError(`${g.name} expects a whole number of worker threads ≥ ${min} (e.g. ${g.name} 2), got "${g.raw}"`);
  return n;
}

/**
 * Fewest faults worth a thread, from the environment (`SNN_ATPG_MIN_FAULTS_PER_JOB`):
 * a tuning knob, and how the tests run the small shipped benches on real threads.
 * Unset: the campaign's default (faultsim/parallel-campaign.ts MIN_FAULTS_PER_JOB).
 */
export function minFaultsPerJobFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SNN_ATPG_MIN_FAULTS_PER_JOB;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new OptionError(`SNN_ATPG_MIN_FAULTS_PER_JOB expects a whole number ≥ 1, got "${raw}" (unset it for the default)`);
  return n;
}

/**
 * Run `work` on a job pool of min(jobs, units) threads, or — with one job or one unit —
 * in this thread (`null`: the command calls the in-process function, which computes the
 * same units). The pool is closed afterwards.
 */
export async function withJobPool<T>(jobs: number, units: number, work: (pool: JobPool | null) => Promise<T>): Promise<T> {
  const n = Math.min(jobs, units);
  if (n <= 1) return work(null);
  const pool = createJobPool(n);
  try {
    return await work(pool);
  } finally {
    await pool.close();
  }
}

/**
 * Run `work` on a job pool of min(jobs, units) threads — at least one, even for `--jobs 1`:
 * for work that is one synchronous pass of minutes in this thread (the fault dictionary of a
 * large bench), which neither Ctrl-C nor SIGTERM can stop there, while a pool thread is
 * terminated at once. The pool is closed afterwards.
 */
export async function withStoppablePool<T>(jobs: number, units: number, work: (pool: JobPool) => Promise<T>): Promise<T> {
  const pool = createJobPool(Math.max(1, Math.min(jobs, units)));
  try {
    return await work(pool);
  } finally {
    await pool.close();
  }
}
