/**
 * Shards of a fault universe: a deterministic slice by a hash of the fault id, so every
 * machine of a cluster job picks its faults with no coordination, the slices are
 * disjoint and cover the universe, and a fault stays in its shard whatever else the
 * universe holds. The hash is 32-bit FNV-1a over the id's UTF-16 code units.
 *
 *   const s = parseShard("1/3");                            // { index: 1, count: 3 }
 *   const mine = faults.filter((f) => inShard(f.id, s));   // about a third of them
 */
import { InputError } from "../formats/errors.ts";

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/** 32-bit FNV-1a of a string. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Whether a fault belongs to a shard. */
export function inShard(faultId: string, shard: Shard): boolean {
  return shard.count === 1 || fnv1a32(faultId) % shard.count === shard.index;
}

/** A shard index or count that does not make sense. */
export class ShardError extends InputError {}

function checked(index: number, count: number, source: string): Shard {
  if (!Number.isInteger(count) || count < 1) throw new ShardError(`${source}: the shard count must be a whole number ≥ 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new ShardError(`${source}: the shard index must be a whole number from 0 to ${count - 1}, got ${index}`);
  return { index, count };
}

/** Parse `--shard i/N` (0-based index). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`--shard expects INDEX/COUNT with a 0-based index (e.g. --shard 0/3), got "${text}"`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

/**
 * The shard of a cluster array task, from its environment: Kubernetes Indexed Jobs set
 * JOB_COMPLETION_INDEX (0-based); Slurm job arrays set SLURM_ARRAY_TASK_ID (made 0-based
 * with SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT. The count comes from `count`
 * (a flag) first. Null when neither scheduler's index is set.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv, count?: number): Shard | null {
  if (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== "") {
    if (count === undefined) throw new ShardError("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the shard count: pass --shard-count N (the Job's completions)");
    return checked(Number(env.JOB_COMPLETION_INDEX), count, "JOB_COMPLETION_INDEX");
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== "") {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const n = count ?? (env.SLURM_ARRAY_TASK_COUNT ? Number(env.SLURM_ARRAY_TASK_COUNT) : undefined);
    if (n === undefined) throw new ShardError("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: pass --shard-count N");
    return checked(Number(env.SLURM_ARRAY_TASK_ID) - min, n, `SLURM_ARRAY_TASK_ID ${env.SLURM_ARRAY_TASK_ID} (minus SLURM_ARRAY_TASK_MIN ${min})`);
  }
  return null;
}
