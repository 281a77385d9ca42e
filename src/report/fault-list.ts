/**
 * Fault-list sink (as Tessent's `write_faults`): the faults a coverage run left
 * undetected, one fault id per line, each with its class and reason as a `#` comment,
 * after a commented header saying which bench, program and tool made it.
 *
 *   # snn-atpg 0.1.0 coverage of out/bp.json on black-pixel-4x1: 9 fault(s) not detected (ND 9)
 *   dead-synapse@l0.r1.c0  # ND: no vector changes the response: …
 *
 * Ids are the collapsed representatives the report lists (their equivalents follow
 * them). UD faults are left out by default: they are proved undetectable, so no test
 * can target them.
 */
import type { CoverageReport, FaultReportEntry } from "../faultsim/coverage-report.ts";

/** Classes a fault list holds unless told otherwise. */
export const undetectedClasses = ["ND", "AU", "PD"] as const;

/** The fault-list text of a coverage report, with the faults of the given classes. */
export function faultListText(r: CoverageReport, toolVersion: string, classes: readonly string[] = undetectedClasses): string {
  const faults: FaultReportEntry[] = r.faults.filter((f) => classes.includes(f.cls));
  const byClass = classes.map((c) => `${c} ${faults.filter((f) => f.cls === c).length.toLocaleString("en-US")}`).join(", ");
  const oneLine = (s: string) => s.replace(/\s+/g, " ");
  return [
    `# ${toolVersion} coverage of ${oneLine(r.program.file)} on ${r.testbench.id} (testbench sha256 ${r.testbench.sha256}): ${faults.length.toLocaleString("en-US")} fault(s) not detected (${byClass})`,
    "# one fault id per line; text after # is a comment (class: reason)",
    ...faults.map((f) => `${f.id}  # ${f.cls}${f.reason ? `: ${oneLine(f.reason)}` : ""}${f.classSize > 1 ? ` (+${f.classSize - 1} equivalent)` : ""}`),
    "",
  ].join("\n");
}
