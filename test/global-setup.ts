/**
 * Vitest global setup: the tests that spawn `bin/snn-atpg.js` must run the build users
 * run, so rebuild dist/ when it is missing or older than src/ (esbuild, under a second).
 */
import { join } from "node:path";
import { buildDist } from "../scripts/build.mjs";
import { distState } from "../scripts/dist-freshness.mjs";

export default async function setup(): Promise<void> {
  if (distState(join(import.meta.dirname, "..")) !== "fresh") await buildDist();
}
