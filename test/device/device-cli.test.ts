/**
 * The `device` and `calibrate` commands end to end: outputs, files they write, worker
 * threads from a real `node bin/snn-atpg.js` process, and bad input → exit 2 with a
 * message naming the place and the fix.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { runMain } from "../helpers/run-main.ts";

const cli = (...args: string[]) => runMain(args);

const tmp = mkdtempSync(join(tmpdir(), "snn-device-cli-"));

describe("snn-atpg device info", () => {
  it("prints the derived constants and the barrier against the published one", async () => {
    const r = await cli("device", "info", "seed002-she-eb20");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/energy barrier E_B .* = 21\.\d+ k_BT \(published 20 k_BT, 6\.\d %\)/);
    expect(r.stdout).toMatch(/critical current \(T = 0\)\s+14\.\d+ µA charge/);
    expect(r.stdout).toMatch(/leak time constant\s+38\d\.\d ps/);
  });
});

describe("snn-atpg device switching", () => {
  it("measures a curve with confidence intervals (--json) and writes a plot (--svg)", async () => {
    const svg = join(tmp, "curve.svg");
    const r = await cli("device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--current-ua", "30:90:30", "--trials", "40", "--workers", "1", "--json", "--svg", svg);
    expect(r.code).toBe(0);
    const curve = JSON.parse(r.stdout);
    expect(curve.points.map((p: { currentUa: number }) => p.currentUa)).toEqual([30, 60, 90]);
    expect(curve.points[0].probability).toBeLessThan(curve.points[2].probability);
    for (const p of curve.points) expect(p.ciLow).toBeLessThanOrEqual(p.probability);
    expect(curve.threads).toBe(1);
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    expect(text).toMatch(/Switching probability/);
  });

  it("runs worker threads from the installed entry point (bin/snn-atpg.js) and prints the table", () => {
    const r = spawnSync(
      process.execPath,
      ["bin/snn-atpg.js", "device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--current-ua", "40:80:20", "--trials", "60", "--workers", "2"],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 thread\(s\)/);
    expect(r.stdout).toMatch(/^\s+80\.00\s+\d+\/60 /m);
    expect(r.stdout).toMatch(/published: 50 % at 71 µA/);
  });
});

describe("snn-atpg device trace", () => {
  it("is deterministic at T = 0 and summarises every pulse", async () => {
    const args = ["device", "trace", "seed002-she-eb20", "--pulses", "45:300:700x3", "--temperature-k", "0", "--json"];
    const a = await cli(...args);
    const b = await cli(...args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const tr = JSON.parse(a.stdout);
    expect(tr.pulses.map((p: { startPs: number }) => p.startPs)).toEqual([0, 700, 1400]);
    // sub-threshold pulses close together integrate: each pulse climbs higher (seed 002 fig. 2)
    expect(tr.pulses[1].peakBarrierFraction).toBeGreaterThan(tr.pulses[0].peakBarrierFraction);
    expect(tr.pulses[2].peakBarrierFraction).toBeGreaterThan(tr.pulses[1].peakBarrierFraction);
    expect(tr.switched).toBe(false);
  });

  it("writes every sample as CSV", async () => {
    const csv = join(tmp, "trace.csv");
    const r = await cli("device", "trace", "seed002-she-eb20", "--pulses", "60:500@100", "--duration-ps", "1000", "--sample-ps", "50", "--csv", csv);
    expect(r.code).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0]).toBe("timePs,currentUa,mx,my,mz,barrierFraction");
    expect(lines.length).toBe(1 + 21);
  });
});

describe("snn-atpg calibrate", () => {
  it("writes a calibrated testbench that validates and reports the agreement", async () => {
    const out = join(tmp, "tb-calibrated.json");
    const r = await cli("calibrate", "seed002-she-eb20", "--testbench", "black-pixel-4x1", "-o", out, "--trials", "40", "--trains", "20", "--trials-per-train", "3", "--workers", "2");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/agreement over 20 random trains/);
    expect(r.stdout).toMatch(new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    const { bench } = loadTestbench(out);
    expect(bench.id).toBe("black-pixel-4x1-seed002-she-eb20");
    expect(bench.neuron.leakTauNs).toBeCloseTo(0.387, 3);
  });
});

describe("bad input", () => {
  const cases: [string, string[], RegExp][] = [
    ["unknown device", ["device", "info", "no-such-device"], /no-such-device: no such device file .*shipped: .*seed002-she-eb20/],
    ["schema error in a device file", ["device", "info", "fixtures/device-cli/bad-damping.json"], /bad-damping\.json: at freeLayer\.damping: expected number/],
    ["device without a stable state", ["device", "info", "fixtures/device-cli/round-no-anisotropy.json"], /at freeLayer: expected an in-plane easy axis/],
    ["reversed current range", ["device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--current-ua", "90:30:10"], /--current-ua expects FROM:TO:STEP/],
    ["time step above 1 ps", ["device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--time-step-ps", "2"], /--time-step-ps must be in \(0, 1\]/],
    ["malformed pulse list", ["device", "trace", "seed002-she-eb20", "--pulses", "60uA"], /--pulses expects comma-separated AMP:WIDTH@START/],
    ["even trials per train", ["calibrate", "seed002-she-eb20", "--testbench", "black-pixel-4x1", "--trials-per-train", "4"], /--trials-per-train must be odd/],
    // Missing folders are created; a folder that cannot be created (a file is in the way) is an error.
    ["output folder that cannot be created", ["calibrate", "seed002-she-eb20", "--testbench", "black-pixel-4x1", "-o", "package.json/tb.json"], /--output package\.json\/tb\.json: .*package\.json is a file, not a folder; choose another path/],
    ["plot into a folder that cannot be created", ["device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--svg", "package.json/p.svg"], /--svg package\.json\/p\.svg: .*package\.json is a file, not a folder/],
    ["unknown neuron model", ["calibrate", "seed002-she-eb20", "--testbench", "black-pixel-4x1", "--model", "hh"], /--model must be one of lif-she, stochastic-lif-she/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name} → exit 2 with a located message`, async () => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    });
  }

  it("a missing required option → exit 2 (commander)", async () => {
    const r = await cli("device", "switching", "seed002-she-eb20");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pulse-ps/);
  });
});
