/**
 * Dictionary parts for cluster runs: one shard's faults of a program's fault dictionary
 * (`diagnose <program> --shard i/N --out part-i.jsonl`, formats/dictionary-part-format.ts),
 * and the merge of every shard's part into the dictionary one unsharded build makes — the
 * same faults, failing vectors and signatures, since each fault is graded on its own —
 * which `merge` stores in the dictionary cache, where `diagnose` finds it.
 *
 *   await writeDictionaryPart("part-0.jsonl", { program, programFile, bench }, { index: 0, count: 3 }, jobs);
 *   const dictionary = mergeDictionaryParts(parts);   // after checkMatchingParts
 */
import { dictionaryFailingOnPool } from "../characterise/campaign-runs.ts";
import { dictionaryPartKind, type DictionaryPartHeader, type DictionaryPartRecord } from "../formats/dictionary-part-format.ts";
import { partText, readPartFile, type PartFile } from "../formats/part-file-format.ts";
import { loadProgram } from "../formats/program-loader.ts";
import { programHash } from "../formats/program-hash.ts";
import { programLayoutOf } from "../formats/program-stream-writer.ts";
import { loadProgramStreamed } from "../formats/program-stream-reader.ts";
import { toolVersionString } from "../formats/tool-version.ts";
import { inShard, type Shard } from "../faultsim/fault-shard.ts";
import { assembleDictionary, dictionaryKey, dictionaryUniverse, type DictionaryOptions, type FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { loadProgramBench } from "./bench-file.ts";
import { withStoppablePool } from "./jobs-option.ts";
import { writeOutputFile } from "./output-file.ts";
import { MergeError, recordsByUnit } from "./part-merge.ts";

export type DictionaryPart = PartFile<DictionaryPartHeader, DictionaryPartRecord, { kind: "end"; faults: number; elapsedMs: number }>;

export const readDictionaryPart = (file: string): DictionaryPart => readPartFile(file, dictionaryPartKind);

/** Grade this shard's faults (on `jobs` pool threads, one with --jobs 1) and write them as a part; returns the fault count. */
export async function writeDictionaryPart(file: string, o: DictionaryOptions, shard: Shard, jobs: number, signal?: AbortSignal): Promise<{ faults: number; of: number }> {
  const t0 = Date.now();
  const u = dictionaryUniverse(o);
  const only = u.universe.faults.flatMap((f, i) => (inShard(f.id, shard) ? [i] : []));
  const opts = { ...o, models: u.models };
  // on a pool thread even with --jobs 1: Ctrl-C terminates it (in this thread it is one synchronous pass)
  const failing = await withStoppablePool(jobs, only.length, (pool) => dictionaryFailingOnPool(pool, opts, only, signal));
  const header: DictionaryPartHeader = {
    kind: "header",
    format: dictionaryPartKind.format,
    schemaVersion: 1,
    tool: toolVersionString,
    testbench: { id: o.bench.bench.id, file: o.bench.file, sha256: o.bench.sha256 },
    program: { file: o.programFile, sha256: programHash(o.program) },
    key: dictionaryKey(o.program, o.bench, u.models),
    models: u.models.map((m) => m.id),
    universe: { collapsed: u.universe.faults.length },
    shard,
  };
  const records = only.map((i, k) => ({ faultId: u.universe.faults[i].id, failing: failing[k] }));
  writeOutputFile(file, partText(header, records, { faults: records.length, elapsedMs: Date.now() - t0 }), "--out");
  return { faults: only.length, of: u.universe.faults.length };
}

/** The header fields that must agree between parts. */
export function dictionaryCampaignKey(h: DictionaryPartHeader): Record<string, string> {
  return {
    "tool version": h.tool,
    "testbench (sha256)": `${h.testbench.id} ${h.testbench.sha256}`,
    "program (sha256)": h.program.sha256,
    "dictionary key (program, bench, fault models)": h.key,
    "universe size": String(h.universe.collapsed),
  };
}

/** The dictionary options of the parts: the program and bench read again from their paths, checked against the header. */
export async function partDictionaryOptions(part: DictionaryPart, cacheDir: string | null): Promise<DictionaryOptions> {
  const h = part.header;
  const program = programLayoutOf(h.program.file) === "jsonl" ? await loadProgramStreamed(h.program.file) : loadProgram(h.program.file);
  if (programHash(program) !== h.program.sha256) throw new MergeError(`${part.file}:1: the program ${h.program.file} has changed since the parts were made`);
  const bench = loadProgramBench(program, h.program.file, h.testbench.file);
  if (bench.sha256 !== h.testbench.sha256) throw new MergeError(`${part.file}:1: the testbench ${h.testbench.file} has changed since the parts were made (sha256 ${bench.sha256}, the parts say ${h.testbench.sha256})`);
  if (h.tool !== toolVersionString) throw new MergeError(`${part.file}:1: the parts were made by ${h.tool}, this is ${toolVersionString}; merge with the version that made them`);
  return { program, programFile: h.program.file, bench, cacheDir };
}

/** Join matching parts (checkMatchingParts) into the dictionary of one unsharded build; its build time is the parts' sum. */
export function mergeDictionaryParts(parts: readonly DictionaryPart[], o: DictionaryOptions): FaultDictionary {
  const u = dictionaryUniverse(o);
  const h = parts[0].header;
  if (dictionaryKey(o.program, o.bench, u.models) !== h.key) throw new MergeError(`${parts[0].file}:1: the fault models have changed since the parts were made (dictionary key differs); merge with the models that made them`);
  const byId = recordsByUnit(parts, (r) => r.faultId, u.universe.faults.map((f) => f.id), "fault");
  const failing = u.universe.faults.map((f) => byId.get(f.id)!.failing);
  return assembleDictionary(u, failing, parts.reduce((s, p) => s + p.end.elapsedMs, 0));
}
