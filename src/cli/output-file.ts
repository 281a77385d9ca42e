/**
 * Output files named on the command line (-o, --svg, --csv): checked before a long run
 * starts, written with a clear message instead of a stack trace when the path is bad.
 *
 *   checkOutputPath(o.svg, "--svg");   …measure…   writeOutputFile(o.svg, svg, "--svg");
 *   await writeOutputFileInPieces(o.html, html, "--html", () => checkpoint(signal));  // large: Ctrl-C between pieces
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { OptionError } from "./cli-context.ts";

/** The nearest existing ancestor of `dir` (or `dir` itself) when it is a file, else null. */
function fileInTheWay(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return statSync(d).isDirectory() ? null : d;
    if (dirname(d) === d) return null;
  }
}

/** Create `path`'s folder if needed; throw an OptionError (exit 2) when that fails or `path` is a folder. */
export function checkOutputPath(path: string | undefined, option: string): void {
  if (path === undefined) return;
  const dir = dirname(resolve(path));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const inTheWay = code === "EEXIST" || code === "ENOTDIR" ? fileInTheWay(dir) : null;
    if (inTheWay) throw new OptionError(`${option} ${path}: ${inTheWay} is a file, not a folder; choose another path or move that file`);
    throw new OptionError(`${option} ${path}: cannot create folder ${dir} (${code ?? (err as Error).message})`);
  }
  if (!statSync(dir).isDirectory()) throw new OptionError(`${option} ${path}: ${dir} is not a folder`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new OptionError(`${option} ${path}: is a folder, give a file name`);
}

/**
 * Like checkOutputPath, for an output written beside and renamed into place (`generate`):
 * an existing device, pipe or socket (`-o /dev/full`) would be replaced by a plain file,
 * or never receive the data — refused.
 */
export function checkReplaceablePath(path: string | undefined, option: string): void {
  checkOutputPath(path, option);
  if (path !== undefined && existsSync(path) && !statSync(path).isFile()) {
    throw new OptionError(`${option} ${path}: is a device or special file, not a regular file; the output is written to a new file and renamed into place, so give a file path`);
  }
}

/** Write an output file; a failure becomes an OptionError naming the option and the reason. */
export function writeOutputFile(path: string, text: string, option: string): void {
  checkOutputPath(path, option);
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new OptionError(`${option} ${path}: cannot write (${code})`);
  }
}

/** Characters per piece of writeOutputFileInPieces (a few ms of writing each). */
export const OUTPUT_PIECE_CHARS = 1 << 20;

/**
 * Write a large output file a piece at a time, awaiting `between` after each (a Ctrl-C
 * checkpoint: a report of hundreds of MB took seconds in one synchronous write). It is
 * written beside the path and renamed into place once whole and flushed, so whatever
 * stops it (Ctrl-C, a full disk) leaves no cut-off file and an earlier file untouched.
 * A device or pipe given as the path (`--html /dev/full`) is written in place: never
 * replaced by a renamed file. A failed write is an OptionError naming the option; what
 * `between` throws is rethrown.
 */
export async function writeOutputFileInPieces(path: string, text: string, option: string, between: () => Promise<void>): Promise<void> {
  checkOutputPath(path, option);
  const special = existsSync(path) && !statSync(path).isFile();
  const tmp = special ? path : join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | null = null;
  const failed = (err: unknown) => new OptionError(`${option} ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  try {
    try {
      fd = openSync(tmp, "w");
    } catch (err) {
      throw failed(err);
    }
    for (let at = 0; at < text.length; at += OUTPUT_PIECE_CHARS) {
      try {
        writeSync(fd, text.slice(at, at + OUTPUT_PIECE_CHARS));
      } catch (err) {
        throw failed(err);
      }
      await between();
    }
    try {
      if (!special) fsyncSync(fd);
      closeSync(fd);
      fd = null;
      if (!special) renameSync(tmp, path);
    } catch (err) {
      throw failed(err);
    }
  } catch (err) {
    if (fd !== null) closeSync(fd);
    if (!special) rmSync(tmp, { force: true });
    throw err;
  }
}
