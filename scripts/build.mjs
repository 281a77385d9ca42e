// Build the snn-atpg command once (esbuild, ~0.5 s) so it starts without compiling
// TypeScript on every run: `npm run build`, run by `prepare` on `npm ci`.
//
//   dist/main.js              the CLI (bin/snn-atpg.js loads it when it is fresh)
//   dist/fault-sim-task.js    job-pool task: a slice of a fault-simulation campaign
//   dist/device-task.js       job-pool task: device characterisation kernels
//   dist/generation-task.js   job-pool task of `generate` (ATPG off the main thread, so Ctrl-C stops it)
//   dist/neuron-phase-task.js job-pool task: the neuron phase of `generate --phases neuron,…`
//   dist/candidate-grade-task.js job-pool task: one neuron-phase candidate graded (generate --jobs)
//   dist/campaign-task.js     job-pool task: slices of sweep-open, retention, lifetime, criticality, the dictionary build
//   dist/chunk-*.js           code they share
//
// Every output sits at the top of dist/, one folder below the package root, like
// src/package-root.ts: that is how packageRoot and the job pool's task modules find files from both.
// serialport (a native addon) stays external; pure-JS dependencies are bundled, which
// halves start-up (one file to compile instead of hundreds to resolve). tinypool stays
// external too: it starts its threads from its own entry file in node_modules. zod's error
// messages in 40 languages are left out: the tool speaks English (zod's default).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Replace zod's table of every locale with English only (the one zod installs by default). */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (a) => (a.importer.includes(`${"/"}zod${"/"}`) ? { path: "zod-locales", namespace: "zod-english-only" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "zod-english-only" }, () => ({ contents: 'export { default as en } from "zod/v4/locales/en.js";', resolveDir: root, loader: "js" }));
  },
};

/** Bundle src/ into dist/ (the whole folder is replaced). */
export async function buildDist() {
  const outdir = join(root, "dist");
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: "src/cli/main.ts",
      "fault-sim-task": "src/faultsim/fault-sim-task.ts",
      "device-task": "src/characterise/device-task.ts",
      "generation-task": "src/atpg/generation-task.ts",
      "neuron-phase-task": "src/atpg/neuron-phase-task.ts",
      "campaign-task": "src/characterise/campaign-task.ts",
      "candidate-grade-task": "src/atpg/candidate-grade-task.ts",
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["serialport", "@serialport/*", "tinypool"],
    // Whitespace and syntax only: names stay, so an internal error's stack stays readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundled CommonJS dependencies (commander) call require(): give the ESM bundle one.
    banner: { js: 'import { createRequire as __snnCreateRequire } from "node:module"; const require = __snnCreateRequire(import.meta.url);' },
    plugins: [zodEnglishOnly],
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildDist();
