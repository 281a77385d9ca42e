/**
 * Output files named on the command line (-o, --svg, --csv): checked before a long run
 * starts, written with a clear message instead of a stack trace when the path is bad.
 *
 *   checkOutputPath(o.svg, "--svg");   …measure…   writeOutputFile(o.svg, svg, "--svg");
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { OptionError } from "./cli-context.ts";

/** Throw an OptionError (exit 2) unless `path`'s folder exists and `path` is not a folder. */
export function checkOutputPath(path: string | undefined, option: string): void {
  if (path === undefined) return;
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new OptionError(`${option} ${path}: folder ${dir} does not exist (create it first)`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new OptionError(`${option} ${path}: is a folder, give a file name`);
}

/** Write an output file; a failure becomes an OptionError naming the option and the reason. */
export function writeOutputFile(path: string, text: string, option: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new OptionError(`${option} ${path}: cannot write (${code})`);
  }
}
