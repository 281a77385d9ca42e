/**
 * What every merge of part files checks, whatever the campaign: the parts agree on
 * everything that makes them one campaign (the kind's key: tool version, bench, options …),
 * and every shard 0 … N−1 is there exactly once. A mismatched, missing or duplicated
 * shard is a MergeError naming the file and line (exit 2).
 *
 *   checkMatchingParts(parts, (h) => ({ "tool version": h.tool, "testbench (sha256)": h.testbench.sha256 }));
 *   checkUnitOwnership(parts, (r) => r.faultId, …)   // each unit in its own shard, once
 */
import { InputError } from "../formats/errors.ts";
import { inShard, type Shard } from "../faultsim/fault-shard.ts";

/** The parts do not make one campaign: mismatched, missing or duplicated shards (exit 2). */
export class MergeError extends InputError {}

/** The least a part is: its file and a header with the shard. */
export interface ShardPart<H extends { shard: Shard } = { shard: Shard }> {
  file: string;
  header: H;
}

/** Check the parts are the shards of one campaign (equal `keyOf` texts), each exactly once. */
export function checkMatchingParts<H extends { shard: Shard }>(parts: readonly ShardPart<H>[], keyOf: (h: H) => Record<string, string>): void {
  if (parts.length === 0) throw new MergeError("merge: give the part files (e.g. snn-atpg merge out/part-*.jsonl)");
  const first = parts[0];
  const ref: Record<string, string> = { ...keyOf(first.header), "shard count": String(first.header.shard.count) };
  for (const p of parts.slice(1)) {
    const key = { ...keyOf(p.header), "shard count": String(p.header.shard.count) };
    for (const [what, v] of Object.entries(key)) {
      if (v !== ref[what]) throw new MergeError(`${p.file}:1: ${what} differs from ${first.file}:1 (${v} vs ${ref[what]}); merge only the parts of one campaign`);
    }
  }
  const count = first.header.shard.count;
  const byIndex = new Map<number, string>();
  for (const p of parts) {
    const seen = byIndex.get(p.header.shard.index);
    if (seen) throw new MergeError(`${p.file}:1: shard ${p.header.shard.index}/${count} is also ${seen}; give each shard once`);
    byIndex.set(p.header.shard.index, p.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) throw new MergeError(`merge: shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} missing (have ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(", ")}); run them, or wait for them to finish`);
}

/**
 * The parts' records by unit id, each checked to belong to its part's shard and to occur
 * once; `expected` (every unit id of the whole campaign, in order) must all be there.
 */
export function recordsByUnit<R>(parts: readonly (ShardPart & { records: readonly R[] })[], idOf: (r: R) => string, expected: readonly string[], what: string): Map<string, R> {
  const at = new Map<string, { r: R; file: string; line: number }>();
  for (const p of parts) {
    p.records.forEach((r, k) => {
      const id = idOf(r);
      const line = k + 2;
      if (!inShard(id, p.header.shard)) throw new MergeError(`${p.file}:${line}: ${what} ${id} does not belong to shard ${p.header.shard.index}/${p.header.shard.count}`);
      const dup = at.get(id);
      if (dup) throw new MergeError(`${p.file}:${line}: ${what} ${id} is also in ${dup.file}:${dup.line}`);
      at.set(id, { r, file: p.file, line });
    });
  }
  const out = new Map<string, R>();
  for (const id of expected) {
    const e = at.get(id);
    if (!e) throw new MergeError(`merge: ${what} ${id} is in no part (its shard, ${parts.find((p) => inShard(id, p.header.shard))?.file ?? "?"}, is incomplete); run that shard again`);
    out.set(id, e.r);
    at.delete(id);
  }
  const extra = at.values().next().value;
  if (extra) throw new MergeError(`${extra.file}:${extra.line}: ${what} ${idOf(extra.r)} is not one of this campaign's`);
  return out;
}
