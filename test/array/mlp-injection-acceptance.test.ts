/**
 * Issue 10's mlp-16x8x4 acceptance, measured: a program with a neuron and an array phase,
 * 200 single faults drawn (seeded) from the uncollapsed universe of every shipped model,
 * each injected into the sim target.
 *   - The bench and the fault grader agree fault by fault: a fault `coverage` grades DT
 *     fails the run, any other passes it (so the escapes are exactly the faults the
 *     program's coverage report lists as not detected — none is a surprise).
 *   - On every failing device the injected fault is among the top-scored candidates of
 *     the combined diagnosis (READ bitmap + failing spike vectors) in ≥ 95 % of the runs.
 * Not asserted, because it does not hold (docs/neuron-phase.md): 0 escapes. The neuron
 * faults whose ln-drive change is below ~3σ of the good chips' spread (fast-to-integrate,
 * the leak faults on this bench) have no vector the guard band keeps.
 */
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnoseArray, faultsFailingReads } from "../../src/bench/array-diagnosis.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { combineDiagnoses } from "../../src/bench/combined-diagnosis.ts";
import { diagnose } from "../../src/bench/fault-diagnosis.ts";
import { buildDictionary } from "../../src/faultsim/fault-dictionary.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { storageFaultOf } from "../../src/faults/site-fault.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createRng } from "../../src/sim/rng.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-mlp-accept-"));
const file = join(dir, "mlp-na.jsonl");
const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(loaded.bench);

describe("mlp-16x8x4: 200 injected single faults against a neuron + array program", () => {
  it("bench verdicts equal the grader's, and the diagnosis ranks the injected fault first in ≥ 95 % of failing devices", async () => {
    const g = await runMain(["generate", "mlp-16x8x4", "--phases", "neuron,array", "-o", file, "--json"]);
    expect(g.code, g.stderr).toBe(0);
    const cov = await runMain(["coverage", "mlp-16x8x4", file, "--json", "--all"]);
    expect(cov.code, cov.stderr).toBe(0);
    // every uncollapsed fault gets its class's grade
    const graded = new Map<string, string>();
    for (const f of JSON.parse(cov.stdout).faults as { id: string; cls: string; equivalents?: string[] }[]) for (const id of [f.id, ...(f.equivalents ?? [])]) graded.set(id, f.cls);
    const program = loadProgram(file);
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: false });
    const dict = buildDictionary({ program, programFile: file, bench: loaded, models: loadFaultModels(undefined, undefined, { arrayTests: true }) });
    const rng = createRng(2026);
    let failing = 0;
    let first = 0;
    const disagreements: string[] = [];
    for (let k = 0; k < 200; k++) {
      const f = faults[Math.floor(rng.next() * faults.length)];
      const target = createSimTarget({ bench: loaded.bench, perturbations: f.perturbations, storage: storageFaultOf(f) });
      const r = await executeProgram({ program, programFile: file, bench: loaded, target, targetLabel: "sim", dutId: "d" });
      const failed = r.footer.verdict === "fail";
      if (failed !== (graded.get(f.id) === "DT")) disagreements.push(`${f.id}: bench ${r.footer.verdict}, grader ${graded.get(f.id)}`);
      if (!failed) continue;
      failing++;
      const a = diagnoseArray(program, file, loaded, r.steps, 20);
      const s = r.vectors.some((v) => v.verdict === "fail") ? diagnose(dict, r.vectors, { limit: 20 }) : null;
      const sites = a.failingReads.length === 0 ? (s?.groups ?? []).flatMap((grp) => grp.members.map((m) => m.siteId)) : [];
      const ranked = combineDiagnoses(a, s, faultsFailingReads(program, file, loaded, sites), 50);
      const top = ranked[0]?.score ?? -1;
      if (ranked.some((c) => c.score === top && (c.faultId === f.id || c.equivalents.includes(f.id)))) first++;
    }
    expect(disagreements).toEqual([]);
    expect(failing).toBeGreaterThan(150);
    expect(first / failing).toBeGreaterThanOrEqual(0.95);
    // the program file is what was measured
    expect(readFileSync(file, "utf8").length).toBeGreaterThan(0);
  }, 600_000);
});
