/**
 * When exported files (STIL, VCD, reports) say they were written: SOURCE_DATE_EPOCH
 * (the reproducible-builds convention) when set, else now.
 *
 *   SOURCE_DATE_EPOCH=1700000000 → 2023-11-14T22:13:20Z
 */
import { OptionError } from "./cli-context.ts";

export function exportDate(env: NodeJS.ProcessEnv = process.env): Date {
  const e = env.SOURCE_DATE_EPOCH;
  if (e === undefined || e === "") return new Date();
  if (!/^\d+$/.test(e)) throw new OptionError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (e.g. 1700000000), got "${e}"`);
  return new Date(Number(e) * 1000);
}
