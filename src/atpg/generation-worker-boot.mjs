// Worker-thread entry of a generation job: registers the TypeScript loader (as
// bin/snn-atpg.js does for the CLI), then runs src/atpg/generation-worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./generation-worker.ts");
