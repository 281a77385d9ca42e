#!/usr/bin/env node
// Entry point of the snn-atpg command. Runs the build (dist/main.js: `npm run build`,
// made by `npm ci`) so no TypeScript is compiled at start-up. Without a build, or in a
// checkout whose src/ changed after it, it runs the sources through tsx instead (a
// slower start, always current) and says so on stderr.
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { distState } from "../scripts/dist-freshness.mjs";

// The young generation is collected by this thread alone, not with V8's helper threads: the
// simulations allocate short-lived spike records at a high rate, and handing each of ~900 small
// scavenges to helpers cost more than it saved — and with --jobs 2 one thread's helpers took
// the other thread's core. bnn-mnist criticality, 13,160 faults (2026-12-04): --jobs 1
// 24.7 → 22.6 s, --jobs 2 15.2 → 14.1 s (README, Scale). Read by V8 at every scavenge.
setFlagsFromString("--no-parallel-scavenge");

const root = new URL("../", import.meta.url);
const state = distState(fileURLToPath(root));
let entry = new URL("dist/main.js", root).href;
if (state !== "fresh") {
  process.stderr.write(`note: ${state === "missing" ? "no build in dist/" : "dist/ is older than src/"}; running the TypeScript sources (slower start; npm run build)\n`);
  const { register } = await import("tsx/esm/api");
  register();
  entry = new URL("src/cli/main.ts", root).href;
}
const { main } = await import(entry);
const code = await main(process.argv);
process.exitCode = code;
// Interrupted (Ctrl-C): end now rather than tear a multi-GB heap down object by object (about
// 2 s after a full bnn coverage report); every record was written and fsynced, stdout and
// stderr are synchronous on files, terminals and (on Linux) pipes.
if (code === 130) process.exit(code);
