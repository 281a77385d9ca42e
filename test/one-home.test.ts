/**
 * One rule, one home (issue 9, "registries drive behaviour"): each rule or default below
 * is written in exactly the files listed, and every other place imports it. A new
 * repeat fails here with the file that wrote it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/run-cli.ts";

const srcDir = join(repoRoot, "src");
const files = (readdirSync(srcDir, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts") && !f.includes("generated"))
  .map((f) => ({ path: relative(repoRoot, join(srcDir, f)).split("\\").join("/"), text: readFileSync(join(srcDir, f), "utf8") }));

/** Files whose code (comments aside) matches `pattern`. */
function writers(pattern: RegExp): string[] {
  const code = (t: string) => t.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return files.filter((f) => pattern.test(code(f.text))).map((f) => f.path).sort();
}

/** `pending`: files still allowed to repeat the rule while another change moves them. */
const rules: { rule: string; pattern: RegExp; homes: string[]; pending?: string[] }[] = [
  { rule: "PD credit default", pattern: /pdCredit\s*\?\?\s*[0-9]/, homes: [] },
  { rule: "PD credit value", pattern: /PD_CREDIT = /, homes: ["src/faultsim/coverage.ts"] },
  { rule: "Wilson score formula", pattern: /z2 \/ \(2 \* /, homes: ["src/stats/binomial-confidence.ts"] },
  { rule: "one-sided 90 % quantile", pattern: /1\.2816/, homes: ["src/stats/binomial-confidence.ts"] },
  { rule: "decision wrong-call bound default", pattern: /(alpha|beta|decisionBound)\s*\?\?\s*[0-9]/, homes: [] },
  { rule: "guard-band fail bound default", pattern: /failBound\s*\?\?\s*[0-9]/, homes: [] },
  { rule: "target coverage default", pattern: /targetCoveragePercent\s*\?\?\s*[0-9]/, homes: [] },
  { rule: "decision rules listed by id", pattern: /rule === "(single|fixed|sprt)"|case "sprt"/, homes: [] },
  { rule: "timing resolution default", pattern: /[Rr]esolutionPs\s*\?\?\s*[0-9]/, homes: [] },
  { rule: "fault site kind → simulator site kind", pattern: /s\.add\("cell/, homes: [] },
  {
    rule: "observable outputs (observe: all)",
    pattern: /observe === "all"/,
    homes: ["src/formats/observable-outputs.ts"],
    // The targets still count their own outputs: issue 9 item 3 (one simulated chip) moves them onto this rule.
    pending: ["src/targets/board-emulator.ts", "src/targets/sim-target.ts"],
  },
];

describe("one home per rule", () => {
  for (const r of rules)
    it(r.rule, () => {
      expect(writers(r.pattern).filter((p) => !r.pending?.includes(p))).toEqual(r.homes);
    });
});
