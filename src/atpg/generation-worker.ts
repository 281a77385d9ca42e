/**
 * The worker thread of a generation job (generation-job.ts): runs the job, posts
 * progress (at most every 100 ms per phase, plus every phase change) and the result,
 * or the error with its name and exit code.
 *
 *   new Worker(workerEntry(import.meta.url, "generation-worker", "./generation-worker-boot.mjs"), { workerData: job })
 */
import { parentPort, workerData } from "node:worker_threads";
import { errorKindOf, runGenerationJob, type GenerationJob, type GenerationMessage } from "./generation-job.ts";

const post = (m: GenerationMessage) => parentPort!.postMessage(m);
let lastPhase = "";
let lastPost = 0;
try {
  const output = runGenerationJob(workerData as GenerationJob, (phase, done, total) => {
    const now = performance.now();
    if (phase === lastPhase && now - lastPost < 100 && done < total) return;
    lastPhase = phase;
    lastPost = now;
    post({ kind: "progress", phase, done, total });
  });
  post({ kind: "result", output });
} catch (err) {
  const e = err as Error;
  post({ kind: "error", errorKind: errorKindOf(err), name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack ?? "" });
}
