/**
 * What `diagnose` needs of a datalog, folded while it streams past: the observed
 * signature of each failing spike vector (fault-diagnosis.ts), the failing READ steps
 * (array-diagnosis.ts), and counts. Passing records are counted and dropped, so memory
 * grows with the failures, never with the length of the run.
 *
 *   const fold = foldDatalogForDiagnosis("chip-7.jsonl");
 *   fold.vectorCount; fold.spikeFailed; diagnose(dict, fold.observed);
 */
import type { DatalogStep } from "../formats/datalog-format.ts";
import { scanDatalog, type DatalogScan } from "./datalog-reader.ts";
import { addObserved, type ObservedSignature } from "./fault-diagnosis.ts";

export interface DiagnosisFold extends DatalogScan {
  /** Spike-vector records seen. */
  vectorCount: number;
  /** Whether any spike vector failed. */
  spikeFailed: boolean;
  /** Per failing spike vector, its signature items. */
  observed: ObservedSignature;
  /** Failing READ steps (the rest of the step records are dropped). */
  failingReads: DatalogStep[];
}

export function foldDatalogForDiagnosis(file: string): DiagnosisFold {
  const observed: ObservedSignature = {};
  const failingReads: DatalogStep[] = [];
  let vectorCount = 0;
  const scan = scanDatalog(file, (rec) => {
    if (rec.type === "vector") {
      vectorCount++;
      addObserved(observed, rec);
    } else if (rec.kind === "read" && rec.verdict === "fail") failingReads.push(rec);
  });
  return { ...scan, vectorCount, spikeFailed: Object.keys(observed).length > 0, observed, failingReads };
}
