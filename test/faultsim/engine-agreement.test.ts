/**
 * The fast and the reference engine must classify every fault the same way (class,
 * first vector, first possible vector, detecting vectors) on random benches (1 and 2
 * layers, binary and multi-level weights, deterministic and stochastic neurons,
 * outputs-only or all observable, single-ended or — every third case — read
 * differentially against a reference column), random vectors and every fault model — the shipped
 * ones and the fixture-only ones — with random resistive-open values (including ∞)
 * and random drop / collapse settings. The fast path must really run — each fault class
 * (model × site kind) on the path its plan promises, from the per-path counts of the
 * campaign record (line opens on the O(1) segment update, synapse faults and in-cell
 * series opens on the O(1) cell update, neuron faults on the neuron path) — and every
 * fault the analysis proves undetectable must stay undetected by the reference engine
 * when it simulates it anyway. The fast engine's per-output shortcut (compareTrains) must
 * give the verdict of the response rule (compareSpikes) on random trains.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultFaultModelDir, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { compareSpikes, compareTrains, faultEngines, verdictOf } from "../../src/faultsim/index.ts";
import { createRng } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

const models = loadFaultModels([defaultFaultModelDir, join(repoRoot, "fixtures", "fault-models")]);

describe("fast engine agrees with the reference engine", () => {
  it("on 200 random cases across every fault model", () => {
    const cases = 200;
    let faultsCompared = 0;
    let fastPath = 0;
    const classes = { DT: 0, PD: 0, ND: 0, UD: 0, AU: 0 };
    const modelsSeen = new Set<string>();
    let twoLayer = 0;
    let stochastic = 0;
    const differential = { cases: 0, twoLayer: 0, fastPath: 0, DT: 0, UD: 0 };
    const expectedPath: Record<string, string> = { cell: "cell", "cell-series": "cell", segment: "segment", neuron: "neuron" };
    const pathRan: Record<string, number> = { cell: 0, segment: 0, neuron: 0, batched: 0, column: 0, general: 0 };
    for (let k = 0; k < cases; k++) {
      const rng = createRng(1000 + k);
      const referenceWeight = k % 3 === 2 ? [0.5, 0.3, 0.7][Math.floor(k / 3) % 3] : undefined;
      const { bench, net } = randomBench(rng, { referenceWeight });
      if (referenceWeight !== undefined) {
        expect(net.layers.every((l) => l.reference?.weight === referenceWeight)).toBe(true);
        differential.cases++;
        if (net.layers.length === 2) differential.twoLayer++;
      }
      if (net.layers.length === 2) twoLayer++;
      if (bench.neuron.model === "stochastic-lif-she") stochastic++;
      const vectors = randomVectors(rng, net, 1 + Math.floor(rng.next() * 4));
      const r = rng.next();
      const resistanceOhms = r < 0.2 ? Number.POSITIVE_INFINITY : 1000 + 99000 * rng.next();
      const universe = enumerateFaults(net, bench, models, { collapse: rng.next() < 0.7, params: { "resistive-open": { resistanceOhms } } });
      const drop = rng.next() < 0.6;
      const ref = faultEngines.reference.run(net, universe.faults, vectors, { drop });
      const fast = faultEngines.fast.run(net, universe.faults, vectors, { drop });
      expect(fast.outcomes.length).toBe(universe.faults.length);
      for (let i = 0; i < universe.faults.length; i++) {
        const a = ref.outcomes[i];
        const b = fast.outcomes[i];
        const what = `case ${k}, ${a.faultId}`;
        expect(b.faultId, what).toBe(a.faultId);
        expect(b.cls, what).toBe(a.cls);
        expect(b.firstVector, what).toBe(a.firstVector);
        expect(b.firstPossibleVector, what).toBe(a.firstPossibleVector);
        expect(b.detectingVectors, what).toEqual(a.detectingVectors);
        expect(b.detectedVectors, what).toEqual(a.detectedVectors);
        classes[a.cls]++;
        if (referenceWeight !== undefined && (a.cls === "DT" || a.cls === "UD")) differential[a.cls]++;
        modelsSeen.add(universe.faults[i].modelId);
      }
      expect(fast.evaluations).toBe(ref.evaluations);
      // Per fault class: which path answered it.
      const byClass = new Map<string, typeof universe.faults>();
      for (const f of universe.faults) byClass.set(`${f.modelId}/${f.site.kind}`, [...(byClass.get(`${f.modelId}/${f.site.kind}`) ?? []), f]);
      for (const [name, fs] of byClass) {
        const r = faultEngines.fast.run(net, fs, vectors, { drop, analysis: universe.analysis });
        const p = r.pathEvaluations!;
        expect(Object.values(p).reduce((a, b) => a + b, 0), `case ${k}, ${name}: paths sum to the evaluations`).toBe(r.evaluations);
        if (r.evaluations === 0) continue; // every fault of the class proved UD (in-cell read opens)
        const path = expectedPath[fs[0].site.kind];
        const own = p[path] + (path === "neuron" ? 0 : p.batched);
        expect(own, `case ${k}, ${name} on the ${path} path`).toBe(r.evaluations);
        for (const key of Object.keys(pathRan)) pathRan[key] += p[key];
      }
      faultsCompared += universe.faults.length;
      fastPath += fast.fastPathEvaluations;
      if (referenceWeight !== undefined) differential.fastPath += fast.fastPathEvaluations;
      // Soundness of the UD proofs: simulated anyway, a UD fault is never even possibly detected.
      const ud = universe.faults.filter((_, i) => ref.outcomes[i].cls === "UD");
      if (ud.length > 0) {
        const raw = faultEngines.reference.run(net, ud, vectors, { drop: false, proveUndetectable: false });
        for (const o of raw.outcomes) expect(o.cls, `case ${k}: ${o.faultId} was proved UD (${ud.find((f) => f.id === o.faultId)})`).toBe("ND");
      }
    }
    expect(faultsCompared).toBeGreaterThan(10_000);
    expect(fastPath).toBeGreaterThan(0);
    for (const path of ["cell", "segment", "neuron", "batched"]) expect(pathRan[path], `some evaluations on the ${path} path`).toBeGreaterThan(0);
    expect(pathRan.column + pathRan.general, "single-element faults never re-solve or re-simulate").toBe(0);
    expect(twoLayer).toBeGreaterThan(cases / 4);
    expect(stochastic).toBeGreaterThan(cases / 10);
    expect([...modelsSeen].sort()).toEqual(models.map((m) => m.id).filter((id) => modelsSeen.has(id)).sort());
    expect(modelsSeen.size).toBe(models.length);
    for (const cls of ["DT", "PD", "ND", "UD"] as const) expect(classes[cls], `some ${cls} faults`).toBeGreaterThan(0);
    // The differential cases are real: two-layer ones (cone updates see the reference move), fast path, detections, UD proofs checked.
    expect(differential.cases).toBeGreaterThan(cases / 4);
    expect(differential.twoLayer).toBeGreaterThan(cases / 12);
    expect(differential.fastPath).toBeGreaterThan(0);
    expect(differential.DT).toBeGreaterThan(0);
    expect(differential.UD).toBeGreaterThan(0);
  });

  it("the fast engine's compareTrains gives compareSpikes' verdict on 5000 random train pairs", () => {
    const rng = createRng(77);
    const T = 10_000;
    const train = () => {
      const t: { window: number; timePs: number }[] = [];
      for (let w = 0; w < 6; w++) if (rng.next() < 0.5) t.push({ window: w, timePs: w * T + Math.floor(rng.next() * 3000) });
      return t;
    };
    const seen = [0, 0, 0];
    for (let k = 0; k < 5000; k++) {
      const good = train();
      // same windows with each spike moved by up to ± 700 ps, or by up to ± 10 ps (often below the resolution), or another train
      const r = rng.next();
      const move = (ps: number) => good.map((s) => ({ window: s.window, timePs: s.timePs + Math.round((rng.next() - 0.5) * 2 * ps) }));
      const faulty = r < 0.33 ? move(700) : r < 0.5 ? move(10) : train();
      const band = { toleranceBandPs: 500, timingResolutionPs: 1 + Math.floor(rng.next() * 20) };
      const spikes = (t: typeof good) => t.map((s) => ({ output: 3, ...s }));
      const kernel = verdictOf(compareSpikes(spikes(good), spikes(faulty), band));
      expect(compareTrains(good, faulty, band.toleranceBandPs, band.timingResolutionPs), `case ${k}`).toBe(kernel);
      seen[kernel]++;
    }
    for (const v of [0, 1, 2]) expect(seen[v], `verdict ${v} occurs`).toBeGreaterThan(100);
  });
});
