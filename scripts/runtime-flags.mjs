// The V8 settings snn-atpg runs with, set at the start of the process (before any heavy
// work; V8 reads them at every collection). Shared by bin/snn-atpg.js and the benchmark
// runner (benchmarks/run-benchmarks.ts), so a benchmark measures what the command does.
//
// The young generation is collected by the allocating thread alone, not with V8's helper
// threads: the simulations allocate short-lived spike records at a high rate, and handing
// each of ~900 small scavenges to helpers cost more than it saved — and with --jobs 2 one
// thread's helpers took the other thread's core. bnn-mnist criticality, 13,160 faults
// (2026-12-04): --jobs 1 24.7 → 22.6 s, --jobs 2 15.2 → 14.1 s (README, Scale).
//
//   applyRuntimeFlags();
import { setFlagsFromString } from "node:v8";

export const RUNTIME_FLAGS = ["--no-parallel-scavenge"];

export function applyRuntimeFlags() {
  for (const f of RUNTIME_FLAGS) setFlagsFromString(f);
}
