/**
 * Where snn-atpg keeps what it can rebuild (fault dictionaries, the MNIST digits as typed
 * arrays): $XDG_CACHE_HOME/snn-atpg/…, else ~/.cache/snn-atpg/…, else the temp dir.
 * Everything there is an optimisation: deleting it loses nothing.
 *
 *   toolCacheDir("dictionaries")   // ~/.cache/snn-atpg/dictionaries
 */
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export function toolCacheDir(...sub: string[]): string {
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : tmpdir());
  return join(base, "snn-atpg", ...sub);
}
