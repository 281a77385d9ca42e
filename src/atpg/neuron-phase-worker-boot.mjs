// Worker-thread entry of a neuron-phase job: registers the TypeScript loader (as
// bin/snn-atpg.js does for the CLI), then runs src/atpg/neuron-phase-worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./neuron-phase-worker.ts");
