/**
 * `--shard i/N --out part.jsonl` (and `--shard-count N` for a cluster's array index), the
 * one way every shardable command (coverage, lifetime) picks its slice: the flag, else
 * Kubernetes' JOB_COMPLETION_INDEX or Slurm's SLURM_ARRAY_TASK_ID when --out is given.
 *
 *   addShardOptions(cmd, "a hash of the fault id");
 *   const shard = shardOf(o, process.env);   // null: an ordinary run
 */
import type { Command } from "commander";
import { parseShard, shardFromEnv, type Shard } from "../faultsim/fault-shard.ts";
import { OptionError, parsePositiveIntOption } from "./cli-context.ts";

export interface ShardOptions {
  shard?: string;
  shardCount?: number;
  out?: string;
}

/** Add --shard, --shard-count and --out; `picks` says what the hash is of. */
export function addShardOptions(cmd: Command, picks: string, unit: string): Command {
  return cmd
    .option("--shard <i/N>", `run only shard i of N (0-based; ${picks} picks its ${unit}) and write them to --out (default on a cluster: JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)`)
    .option("--shard-count <n>", "the number of shards when the index comes from the cluster (Kubernetes: the Job's completions; Slurm: SLURM_ARRAY_TASK_COUNT)", parsePositiveIntOption("--shard-count", "3"))
    .option("--out <part.jsonl>", `write this shard's per-${unit.replace(/s$/, "")} results as a part file (JSON Lines with a header) for snn-atpg merge`);
}

/** The shard this run is: --shard, else the cluster's array index (Kubernetes, Slurm) when --out is given, else none. */
export function shardOf(o: ShardOptions, env: NodeJS.ProcessEnv): Shard | null {
  let shard: Shard | null;
  if (o.shard !== undefined) {
    shard = parseShard(o.shard);
    if (o.shardCount !== undefined && o.shardCount !== shard.count) throw new OptionError(`--shard ${o.shard} and --shard-count ${o.shardCount} disagree about the count; give one of them`);
  } else shard = o.out ? (shardFromEnv(env, o.shardCount) ?? { index: 0, count: o.shardCount ?? 1 }) : null;
  if (shard && !o.out) throw new OptionError(`--shard ${shard.index}/${shard.count}: a shard writes its results to a part file: add --out part-${shard.index}.jsonl (then snn-atpg merge the parts)`);
  return shard;
}
