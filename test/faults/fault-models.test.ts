/**
 * Fault models are data: every shipped file validates and says what the issue asks
 * (origin with a seed, site kind, parameters with unit/default/range, perturbation);
 * a model that exists only in fixtures/fault-models/ is loaded, enumerated, collapsed
 * and simulated with no code change; bad files give located errors.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError, NotFoundError } from "../../src/formats/format-error.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { defaultFaultModelDir, enumerateFaults, loadFaultModels, parseParamAssignments, resolveModelParams } from "../../src/faults/index.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { compileNetwork, patternEvents } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const fixtureDir = join(repoRoot, "fixtures", "fault-models");

describe("shipped fault models", () => {
  const models = loadFaultModels();

  it("are the eight of the issue, each with origin, site kind, parameters and a perturbation", () => {
    expect(models.map((m) => m.id)).toEqual([
      "dead-neuron",
      "dead-synapse",
      "fast-to-integrate",
      "fast-to-leak",
      "resistive-open",
      "retention-flip",
      "slow-to-integrate",
      "slow-to-leak",
    ]);
    for (const m of models) {
      const raw = JSON.parse(readFileSync(m.file, "utf8"));
      expect(raw.$schema, m.file).toBe("../schemas/fault-model.schema.json");
      expect(m.model.origin.seeds.length, m.id).toBeGreaterThan(0);
      expect(m.model.perturbation.length, m.id).toBeGreaterThan(0);
      for (const p of Object.values(m.model.parameters)) {
        expect(p.unit.length).toBeGreaterThan(0);
        expect(p.default).toBeGreaterThanOrEqual(p.range[0]);
      }
    }
  });

  it("defaults: SIF ×0.5 and FIF ×1.5 on the gain, SLF ×3 and FLF ×0.3 on τ, opens 50 kΩ, flips only on weight-0 cells", () => {
    const params = Object.fromEntries(models.map((m) => [m.id, resolveModelParams(m)]));
    expect(params["slow-to-integrate"]).toEqual({ gainFactor: 0.5 });
    expect(params["fast-to-integrate"]).toEqual({ gainFactor: 1.5 });
    expect(params["slow-to-leak"]).toEqual({ leakFactor: 3 });
    expect(params["fast-to-leak"]).toEqual({ leakFactor: 0.3 });
    expect(params["resistive-open"]).toEqual({ resistanceOhms: 50000 });
    const rf = models.find((m) => m.id === "retention-flip")!;
    expect(rf.model.appliesTo.weights).toEqual([0]);
    expect(rf.model.occurrence?.constants).toEqual({ tau0Ns: 1 });
    expect(models.find((m) => m.id === "resistive-open")!.siteKinds).toEqual(["line-segment", "cell-internal"]);
  });

  it("unknown ids are a NotFoundError naming the known ones", () => {
    expect(() => loadFaultModels(undefined, ["dead-synapse", "nope"])).toThrow(NotFoundError);
    expect(() => loadFaultModels(undefined, ["nope"])).toThrow(/known models: dead-neuron, dead-synapse/);
  });
});

describe("a fault model that exists only in fixtures/ needs no code", () => {
  const models = loadFaultModels([defaultFaultModelDir, fixtureDir]);
  const loaded = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
  const net = compileNetwork(loaded.bench);

  it("is loaded from the fixture directory (and is not shipped)", () => {
    expect(readdirSync(defaultFaultModelDir)).not.toContain("stuck-at-parallel.json");
    expect(models.map((m) => m.id)).toContain("stuck-at-parallel");
    expect(models.map((m) => m.id)).toContain("threshold-unreachable");
  });

  it("a storage-less stuck-at-P collapses onto a storage-less flip on weight-0 cells, never onto the storage fault, and is UD on weight-1 cells", () => {
    const pick = models.filter((m) => m.id === "stuck-at-parallel" || m.id === "retention-flip");
    const zeros = net.layers.reduce((s, l) => s + l.weights.filter((w) => w === 0).length, 0);
    const cells = net.layers.reduce((s, l) => s + l.weights.length, 0);
    // retention-flip has a storage behaviour (a weak cell that flips over a pause): a march tells it from stuck-at-P
    const u = enumerateFaults(net, loaded.bench, pick);
    expect(u.counts.byModel["retention-flip"]).toEqual({ uncollapsed: zeros, collapsed: zeros });
    expect(u.counts.byModel["stuck-at-parallel"]).toEqual({ uncollapsed: cells, collapsed: cells });
    // without it, the two are the same "set weight 1" on the same cell: identical-effect merges them
    const plainFlip = pick.map((m) => (m.id === "retention-flip" ? { ...m, model: { ...m.model, storage: undefined } } : m));
    const v = enumerateFaults(net, loaded.bench, plainFlip);
    expect(v.counts.byModel["retention-flip"]).toEqual({ uncollapsed: zeros, collapsed: zeros });
    expect(v.counts.byModel["stuck-at-parallel"]).toEqual({ uncollapsed: cells, collapsed: cells - zeros });
    const flip = v.faults.find((f) => f.modelId === "retention-flip")!;
    expect(flip.equivalents).toEqual([flip.id.replace("retention-flip", "stuck-at-parallel")]);
    const onOne = u.faults.filter((f) => f.modelId === "stuck-at-parallel" && !f.equivalents);
    const r = faultEngines.fast.run(net, onOne, [{ id: "v", stimulus: { iwPs: 1000, lwPs: 9000, windows: 2, events: patternEvents(["1".repeat(16)], 2, 1000, 9000) }, toleranceBandPs: 500 }], { analysis: u.analysis });
    const ud = r.outcomes.filter((o) => o.cls === "UD");
    expect(ud).toHaveLength(cells - zeros);
    for (const o of ud) expect(o.reason).toMatch(/weight already has the faulty value/);
  });

  it("an unreachable threshold collapses onto dead-neuron (silent-neuron rule)", () => {
    const u = enumerateFaults(net, loaded.bench, models.filter((m) => m.id === "dead-neuron" || m.id === "threshold-unreachable"));
    expect(u.counts.byModel["threshold-unreachable"]).toEqual({ uncollapsed: 12, collapsed: 0 });
    expect(u.counts.rules.find((r) => r.rule === "silent-neuron")!.merged).toBe(12);
    // …but a threshold only ×1.01 is not silent, so nothing collapses.
    const mild = enumerateFaults(net, loaded.bench, models.filter((m) => m.id === "dead-neuron" || m.id === "threshold-unreachable"), {
      params: { "threshold-unreachable": { thresholdFactor: 1.01 } },
    });
    expect(mild.counts.byModel["threshold-unreachable"]).toEqual({ uncollapsed: 12, collapsed: 12 });
  });
});

describe("bad fault-model files give located errors", () => {
  const write = (obj: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "snn-fm-"));
    writeFileSync(join(dir, `${(obj as { id: string }).id}.json`), JSON.stringify(obj));
    return dir;
  };
  const base = { schemaVersion: 1, title: "t", origin: { description: "d", seeds: ["000"] }, siteKind: "neuron" };

  it("a parameter reference that does not exist", () => {
    const dir = write({ ...base, id: "bad-ref", perturbation: [{ quantity: "leakTauNs", op: "scale", value: "{leak}" }] });
    expect(() => loadFaultModels(dir)).toThrow(/bad-ref\.json: at perturbation\[0\]\.value: expected a parameter defined in "parameters" \(none defined\)/);
  });

  it("a default outside its range", () => {
    const dir = write({ ...base, id: "bad-range", parameters: { f: { unit: "1", default: 5, range: [0, 1], description: "x" } }, perturbation: [{ quantity: "leakTauNs", op: "scale", value: "{f}" }] });
    expect(() => loadFaultModels(dir)).toThrow(/at parameters\.f\.default: expected a default inside range \[0, 1\]/);
  });

  it("a directory without model files, and a file given as the directory", () => {
    const empty = mkdtempSync(join(tmpdir(), "snn-fm-"));
    expect(() => loadFaultModels(empty)).toThrow(/snn-fm-\w+: no fault-model files \(\*\.json\) in this directory/);
    const file = join(empty, "x.txt");
    writeFileSync(file, "");
    expect(() => loadFaultModels(file)).toThrow(/x\.txt: cannot read fault-model directory \(it is a file; give the folder/);
  });

  it("a wrong literal names the value it must be", () => {
    const dir = write({ ...base, schemaVersion: "1", id: "bad-version", perturbation: [{ quantity: "dead", op: "set", value: 1 }] });
    expect(() => loadFaultModels(dir)).toThrow(/bad-version\.json: at schemaVersion: expected 1, found string "1"$/);
  });

  it("an id that is not the file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-fm-"));
    writeFileSync(join(dir, "a.json"), JSON.stringify({ ...base, id: "b", perturbation: [{ quantity: "dead", op: "set", value: 1 }] }));
    expect(() => loadFaultModels(dir)).toThrow(FormatError);
    expect(() => loadFaultModels(dir)).toThrow(/a\.json: at id: expected "a" \(the file name\), found "b"/);
  });

  it("parameter assignments are parsed with units and checked", () => {
    expect(parseParamAssignments(["resistive-open.resistanceOhms=16k", "slow-to-leak.leakFactor=2.5"])).toEqual({
      "resistive-open": { resistanceOhms: 16000 },
      "slow-to-leak": { leakFactor: 2.5 },
    });
    expect(parseParamAssignments(["resistive-open.resistanceOhms=inf"])["resistive-open"].resistanceOhms).toBe(Infinity);
    const sif = loadFaultModels(undefined, ["slow-to-integrate"])[0];
    expect(() => resolveModelParams(sif, { gainFactor: 1.2 })).toThrow(/outside the model's range \[0\.01, 0\.99\]/);
  });
});
