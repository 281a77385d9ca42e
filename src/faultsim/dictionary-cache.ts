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
import { toolCacheDir } from "../formats/cache-dir.ts";
import { dirname, join } from "node:path";
import { fileLines } from "../formats/file-lines.ts";
import { drainSteps, drainStepsAsync } from "../formats/interrupt-checkpoint.ts";
import { dictionaryFaultSchema, dictionaryHeaderSchema } from "../formats/fault-dictionary-format.ts";
import type { LoadedFaultModel } from "../faults/index.ts";
import { buildDictionary, defaultDictionaryModels, dictionaryKey, type DictionaryFault, type DictionaryOptions, type FaultDictionary } from "./fault-dictionary.ts";

/** Default cache directory: $XDG_CACHE_HOME/snn-atpg/dictionaries (or ~/.cache/…). */
export function defaultDictionaryCacheDir(): string {
  return toolCacheDir("dictionaries");
}

/** Characters gathered before one write to the cache file. */
export const CACHE_PIECE_CHARS = 1 << 20;

/** The dictionary as cache-file lines: the header (with the fault count), then each fault. */
export function* dictionaryLines(d: FaultDictionary): Generator<string> {
  const { faults, ...rest } = d;
  yield JSON.stringify({ ...rest, faultCount: faults.length });
  for (const f of faults) yield JSON.stringify(f);
}

/** Lines read or faults written between two yields of the cache's generators (a Ctrl-C checkpoint in the async drivers). */
const LINES_PER_TURN = 16_384;

/** Read a cache file a line at a time, yielding now and then: the dictionary, or null when it is damaged, cut short or of another version. */
function* readLines(file: string): Generator<void, FaultDictionary | null> {
  let lines: ReturnType<typeof fileLines>;
  try {
    lines = fileLines(file);
  } catch {
    return null;
  }
  try {
    let r = lines.next();
    if (r.done) return null;
    const header = dictionaryHeaderSchema.parse(JSON.parse(r.value));
    const faults: DictionaryFault[] = [];
    for (r = lines.next(); !r.done; r = lines.next()) {
      faults.push(dictionaryFaultSchema.parse(JSON.parse(r.value)));
      if (faults.length % LINES_PER_TURN === 0) yield;
    }
    if (r.value.tailBytes > 0 || faults.length !== header.faultCount) return null;
    const { faultCount: _count, ...rest } = header;
    return { ...rest, faults };
  } catch {
    return null; // a damaged or foreign cache file is rebuilt
  } finally {
    lines.return(undefined as never); // closes the file when stopped early
  }
}

/** Read a cache file: the dictionary, or null when it is damaged, cut short or of another version. */
export function readDictionaryFile(file: string): FaultDictionary | null {
  return drainSteps(readLines(file));
}

/** readDictionaryFile with `pause` (a Ctrl-C checkpoint) every few thousand lines: a bnn-size cache is seconds of parsing. */
export function readDictionaryFileAsync(file: string, pause: () => Promise<void>): Promise<FaultDictionary | null> {
  return drainStepsAsync(readLines(file), pause);
}

type CachedDictionary = { models: LoadedFaultModel[] | readonly LoadedFaultModel[]; file: string | null; dictionary: FaultDictionary | null };

/** Where this program's dictionary is cached (null: caching off), under which key, with which models. */
function cacheLocation(o: DictionaryOptions): { models: LoadedFaultModel[] | readonly LoadedFaultModel[]; key: string; file: string | null } {
  const models = o.models ?? defaultDictionaryModels(o.program);
  const key = dictionaryKey(o.program, o.bench, models);
  const dir = o.cacheDir === undefined ? defaultDictionaryCacheDir() : o.cacheDir;
  return { models, key, file: dir === null ? null : join(dir, `${o.bench.bench.id}-${key.slice(0, 24)}.jsonl`) };
}

/** Where this program's dictionary is cached, and the cached dictionary when it is there and current. */
export function cachedDictionary(o: DictionaryOptions): CachedDictionary {
  const { models, key, file } = cacheLocation(o);
  const d = file && existsSync(file) ? readDictionaryFile(file) : null;
  return { models, file, dictionary: d && d.key === key ? d : null };
}

/** cachedDictionary, reading with `pause` (a Ctrl-C checkpoint) every few thousand lines. */
export async function cachedDictionaryAsync(o: DictionaryOptions, pause: () => Promise<void>): Promise<CachedDictionary> {
  const { models, key, file } = cacheLocation(o);
  const d = file && existsSync(file) ? await readDictionaryFileAsync(file, pause) : null;
  return { models, file, dictionary: d && d.key === key ? d : null };
}

/** Write the cache file beside `file` and rename it over; yields after each piece. Returns why it was not cached, or null. */
function* storeLines(file: string, lines: Iterable<string>): Generator<void, string | null> {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | null = null;
  let stored = false;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(tmp, "w");
    let piece = "";
    for (const line of lines) {
      piece += `${line}\n`;
      if (piece.length >= CACHE_PIECE_CHARS) {
        writeAll(fd, piece);
        piece = "";
        yield;
      }
    }
    if (piece) writeAll(fd, piece);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
    stored = true;
    return null;
  } catch (err) {
    return `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  } finally {
    if (!stored) {
      try {
        if (fd !== null) closeSync(fd);
        rmSync(tmp, { force: true });
      } catch {
        // nothing was created where nothing can be (a path through a file)
      }
    }
  }
}

/**
 * Cache a dictionary (atomic: concurrent runs never read half a file). Returns null when
 * it was cached (or `file` is null: caching off), else why not — the caller says so; an
 * unwritable cache directory or a full disk is not an error of the command.
 */
export function storeDictionary(file: string | null, dictionary: FaultDictionary, lines: Iterable<string> = dictionaryLines(dictionary)): string | null {
  return file ? drainSteps(storeLines(file, lines)) : null;
}

/** storeDictionary with `pause` (a Ctrl-C checkpoint) after each megabyte; an interrupted write leaves no file. */
export function storeDictionaryAsync(file: string | null, dictionary: FaultDictionary, pause: () => Promise<void>): Promise<string | null> {
  return file ? drainStepsAsync(storeLines(file, dictionaryLines(dictionary)), pause) : Promise.resolve(null);
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
