// The job pool's worker module when running from the TypeScript sources (tsx, vitest):
// registers the tsx loader in this thread once (execArgv `--import tsx` does not reach a
// worker's modules on Node 20), then hands each task to the default export of the .ts
// task module the task names (`module`, a file: URL). From the build, job-pool.ts points
// the pool at dist/<bundle>.js instead and this file is not used.
import { register } from "tsx/esm/api";

register();

export default async function runTask(message) {
  const task = await import(message.module);
  return task.default(message);
}
