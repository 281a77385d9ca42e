/**
 * The fault dictionary cache: a built dictionary kept on disk, keyed by program, bench and
 * fault-model hashes (`dictionaryKey`), so `diagnose` of the next failing chip of the same
 * program reads it instead of building it again (minutes on a large bench).
 *
 * The file is JSON Lines (src/formats/fault-dictionary-format.ts): a header line, then one
 * line per fault, written a megabyte at a time and read a line at a time — never one string
 * the size of the dictionary (as one JSON text a bnn-size dictionary passed V8's ~512 MB
 * string limit, and was silently not cached). Writes go to a temporary file beside the
 * cache file, are synced and renamed: a concurrent reader never sees half a file. Caching is
 * an optimisation: a failed write loses nothing the command reports, and says why.
 *
 *   const c = cachedDictionary(o);                          // { file, dictionary | null, models }
 *   const problem = storeDictionary(c.file, dictionary);    // null, or why it was not cached
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileLines } from "../formats/file-lines.ts";
import { dictionaryFaultSchema, dictionaryHeaderSchema } from "../formats/fault-dictionary-format.ts";
import type { LoadedFaultModel } from "../faults/index.ts";
import { buildDictionary, defaultDictionaryModels, dictionaryKey, type DictionaryFault, type DictionaryOptions, type FaultDictionary } from "./fault-dictionary.ts";

/** Default cache directory: $XDG_CACHE_HOME/snn-atpg/dictionaries (or ~/.cache/…). */
export function defaultDictionaryCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : tmpdir());
  return join(base, "snn-atpg", "dictionaries");
}

/** Characters gathered before one write to the cache file. */
export const CACHE_PIECE_CHARS = 1 << 20;

/** The dictionary as cache-file lines: the header (with the fault count), then each fault. */
export function* dictionaryLines(d: FaultDictionary): Generator<string> {
  const { faults, ...rest } = d;
  yield JSON.stringify({ ...rest, faultCount: faults.length });
  for (const f of faults) yield JSON.stringify(f);
}

/** Read a cache file: the dictionary, or null when it is damaged, cut short or of another version. */
export function readDictionaryFile(file: string): FaultDictionary | null {
  try {
    const lines = fileLines(file);
    let r = lines.next();
    if (r.done) return null;
    const header = dictionaryHeaderSchema.parse(JSON.parse(r.value));
    const faults: DictionaryFault[] = [];
    for (r = lines.next(); !r.done; r = lines.next()) faults.push(dictionaryFaultSchema.parse(JSON.parse(r.value)));
    if (r.value.tailBytes > 0 || faults.length !== header.faultCount) return null;
    const { faultCount: _count, ...rest } = header;
    return { ...rest, faults };
  } catch {
    return null; // a damaged or foreign cache file is rebuilt
  }
}

/** Where this program's dictionary is cached, and the cached dictionary when it is there and current. */
export function cachedDictionary(o: DictionaryOptions): { models: LoadedFaultModel[] | readonly LoadedFaultModel[]; file: string | null; dictionary: FaultDictionary | null } {
  const models = o.models ?? defaultDictionaryModels(o.program);
  const key = dictionaryKey(o.program, o.bench, models);
  const dir = o.cacheDir === undefined ? defaultDictionaryCacheDir() : o.cacheDir;
  const file = dir === null ? null : join(dir, `${o.bench.bench.id}-${key.slice(0, 24)}.jsonl`);
  if (file && existsSync(file)) {
    const d = readDictionaryFile(file);
    if (d && d.key === key) return { models, file, dictionary: d };
  }
  return { models, file, dictionary: null };
}

/**
 * Cache a dictionary (atomic: concurrent runs never read half a file). Returns null when
 * it was cached (or `file` is null: caching off), else why not — the caller says so; an
 * unwritable cache directory or a full disk is not an error of the command.
 */
export function storeDictionary(file: string | null, dictionary: FaultDictionary, lines: Iterable<string> = dictionaryLines(dictionary)): string | null {
  if (!file) return null;
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(tmp, "w");
    let piece = "";
    for (const line of lines) {
      piece += `${line}\n`;
      if (piece.length >= CACHE_PIECE_CHARS) (writeAll(fd, piece), (piece = ""));
    }
    if (piece) writeAll(fd, piece);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
    return null;
  } catch (err) {
    try {
      if (fd !== null) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {
      // nothing was created where nothing can be (a path through a file)
    }
    return `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}

/** The cached dictionary of this program and bench, built (and cached) when missing or stale; `notCached` says why a built one was not kept. */
export function loadOrBuildDictionary(o: DictionaryOptions): { dictionary: FaultDictionary; cached: boolean; file: string | null; notCached: string | null } {
  const c = cachedDictionary(o);
  if (c.dictionary) return { dictionary: c.dictionary, cached: true, file: c.file, notCached: null };
  const dictionary = buildDictionary({ ...o, models: c.models });
  return { dictionary, cached: false, file: c.file, notCached: storeDictionary(c.file, dictionary) };
}
