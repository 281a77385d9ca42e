// Worker-thread entry of parallel fault simulation: registers the TypeScript loader
// (as bin/snn-atpg.js does for the CLI), then runs src/faultsim/fault-sim-worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./fault-sim-worker.ts");
