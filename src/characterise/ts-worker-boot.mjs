// Worker-thread entry for TypeScript worker modules: registers the tsx loader in this
// thread (execArgv `--import tsx` does not reach worker entries on Node 20), then loads
// the module named by workerData.module (a file: URL). Used by worker-pool.ts.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
