#!/usr/bin/env node
// Entry point of the snn-atpg command. Runs the build (dist/main.js: `npm run build`,
// made by `npm ci`) so no TypeScript is compiled at start-up. Without a build, or in a
// checkout whose src/ changed after it, it runs the sources through tsx instead (a
// slower start, always current) and says so on stderr.
import { fileURLToPath } from "node:url";
import { distState } from "../scripts/dist-freshness.mjs";
import { applyRuntimeFlags } from "../scripts/runtime-flags.mjs";

// V8 settings (young generation collected by the allocating thread alone): scripts/runtime-flags.mjs
applyRuntimeFlags();

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
// 2 s after a full bnn coverage report); every record was written and fsynced. Output to a
// pipe is asynchronous on Node 20 (megabytes may still be queued): it gets half a second to drain.
if (code === 130) {
  await Promise.all([process.stdout, process.stderr].map((s) => drainedWithin(s, 500)));
  process.exit(code);
}

/** Resolves when what was written to `stream` before is taken (an empty write's callback: "drain" fires only past the high-water mark), or after `ms`. */
function drainedWithin(stream, ms) {
  if (!stream.writableLength || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stream.write("", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
