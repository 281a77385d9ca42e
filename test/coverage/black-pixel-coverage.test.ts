/**
 * Exact coverage of the shipped black-pixel-4x1 fixture programs, derived by hand
 * below, then checked against the tool (both engines).
 *
 * The bench (seed 000): 4 cells, all R_L; k driven inputs give a neuron current of
 * ≈ 27.1, 54.1, 81.2, 108.1 µA (k = 1..4; the simulator's ladder, cf. table III).
 * Neuron: I_c = 71 µA, g = 0.0154623 /(µA·ns), τ = 30 ns, θ = 1; a window is IW 1 ns
 * + LW 9 ns. With drive u = g·(I − I_c)·τ, one integrate window adds a = u·(1 − e^(−1/τ))
 * and the peak decays by d = e^(−10/τ) to the next peak, so the peak after n windows
 * is a·(1 + d + … + d^(n−1)) and the neuron fires in the first window where it reaches 1.
 *
 * Good chip (τ = 30: 1 − e^(−1/30) = 0.0328, d = 0.7165):
 *   k ≤ 2: I < I_c, never driven, never fires.
 *   k = 3: u = 4.73, a = 0.155, peak < a/(1 − d) = 0.547 < 1: never fires.
 *   k = 4: u = 17.21, a = 0.564; peaks 0.564, 0.968, 1.258 → fires in window 3 (index 2), 20518 ps.
 * So in black-pixel-all16 only p1111 has a spike, and only p1111 can detect a fault
 * that removes or moves it. Per fault, on p1111 (3 windows, tolerance 500 ps):
 *   dead-neuron            spike missing                                        → DT (p1111)
 *   slow-to-integrate ×0.5 a = 0.282, 3-window peak 0.282·2.230 = 0.629 < 1     → DT (missing)
 *   fast-to-integrate ×1.5 a = 0.846, peak 0.846·1.7165 = 1.45 in window 2      → DT (moved to window 2)
 *   slow-to-leak τ×3       a = 51.6·0.0110 = 0.571, d = 0.895: 1.081 in window 2 → DT (moved)
 *   fast-to-leak τ×0.3     u = 5.16, a = 0.543, d = 0.329: 3-window peak 0.781  → DT (missing)
 *   dead-synapse ×4        3 cells conduct ≈ 81.2 µA: the k = 3 case, no spike  → DT ×4
 *   resistive-open 50 kΩ   every write-path site (seg0 ≡ r0.series, r1..r3.series, seg1..seg3)
 *                          is above its minimum detectable R (one cell behind: 16 kΩ, two: ~4 kΩ,
 *                          all four: ~1 kΩ; seed 000 table IV) → DT ×8 (7 representatives);
 *                          the four .read sites carry no write current → UD ×4
 *   retention-flip         no weight-0 cell on this bench → 0 faults
 * No other pattern detects anything: its good response is silent and every fault but
 * FIF and SLF only lowers the drive; FIF at k = 3 peaks below 0.2325/(1 − 0.7165) = 0.82,
 * SLF at k = 3 reaches only 0.157·(1 + 0.895 + 0.801) = 0.42 in 3 windows.
 * Totals: 21 faults (20 collapsed): DT 17, UD 4 → FC = 17/21 = 80.95 %, TC = 17/17 = 100 %.
 *
 * black-pixel-three-inputs (the four 3-of-4 patterns, 12 windows each): the good chip
 * never fires (k = 3 above). Only slow-to-leak raises the drive enough: τ = 90 ns gives
 * a = 0.0154623·10.13·90·(1 − e^(−1/90)) = 0.156 and d = e^(−10/90) = 0.895, peak
 * a·(1 − dⁿ)/(1 − d) ≥ 1 for n ≥ 10.1 → a spike in window 11 (index 10) < 12 → DT on the
 * first vector (p0111x12). Everything else: ND (FIF: peak < 0.82), read opens UD.
 * Totals: DT 1, ND 16, UD 4 → FC = 1/21 = 4.76 %, TC = 1/17 = 5.88 %.
 */
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

const all16 = "fixtures/coverage/black-pixel-all16.json";
const only1111 = "fixtures/coverage/black-pixel-1111.json";
const threeInputs = "fixtures/coverage/black-pixel-three-inputs.json";

async function json(args: string[]) {
  const r = await runMain([...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("black-pixel-4x1 fixture programs: hand-derived coverage", () => {
  it("all 16 patterns × 3 windows: DT 17, UD 4 of 21 (FC 80.95 %, TC 100 %), all first detected by p1111", async () => {
    for (const engine of ["fast", "reference"]) {
      const r = await json(["coverage", "black-pixel-4x1", all16, "--engine", engine]);
      const t = r.coverage.total;
      expect({ all: t.all, DT: t.DT, PD: t.PD, ND: t.ND, UD: t.UD, AU: t.AU }).toEqual({ all: 21, DT: 17, PD: 0, ND: 0, UD: 4, AU: 0 });
      expect(t.faultCoverage).toBeCloseTo(17 / 21, 12);
      expect(t.testCoverage).toBe(1);
      expect(r.coverage.collapsed).toMatchObject({ all: 20, DT: 16, UD: 4 });
      const byModel = Object.fromEntries(Object.entries(r.coverage.byModel).map(([k, v]) => [k, [(v as { all: number }).all, (v as { DT: number }).DT]]));
      expect(byModel).toEqual({
        "dead-neuron": [1, 1],
        "dead-synapse": [4, 4],
        "fast-to-integrate": [1, 1],
        "fast-to-leak": [1, 1],
        "resistive-open": [12, 8],
        "retention-flip": [0, 0],
        "slow-to-integrate": [1, 1],
        "slow-to-leak": [1, 1],
      });
      for (const f of r.faults) {
        if (f.cls === "DT") expect(f.firstVector, f.id).toBe("p1111");
        else expect(f.site, f.id).toMatch(/\.read$/);
      }
      // Cumulative coverage is flat at 0 until the 16th vector, then jumps to the final value.
      expect(r.cumulative.map((p: { faultCoverage: number }) => p.faultCoverage).slice(0, 15)).toEqual(new Array(15).fill(0));
      expect(r.cumulative[15].faultCoverage).toBeCloseTo(17 / 21, 12);
    }
  });

  it("the seed 000 test alone (1111 × 3 windows) is worth exactly as much as all 16 patterns", async () => {
    const r = await json(["coverage", "black-pixel-4x1", only1111]);
    expect(r.coverage.total).toMatchObject({ all: 21, DT: 17, UD: 4, ND: 0 });
    expect(r.program.vectors).toBe(1);
  });

  it("three-of-four patterns × 12 windows detect only slow-to-leak", async () => {
    const r = await json(["coverage", "black-pixel-4x1", threeInputs]);
    expect(r.coverage.total).toMatchObject({ all: 21, DT: 1, PD: 0, ND: 16, UD: 4 });
    expect(r.coverage.total.faultCoverage).toBeCloseTo(1 / 21, 12);
    expect(r.coverage.total.testCoverage).toBeCloseTo(1 / 17, 12);
    const dt = r.faults.filter((f: { cls: string }) => f.cls === "DT");
    expect(dt.map((f: { id: string; firstVector: string }) => [f.id, f.firstVector])).toEqual([["slow-to-leak@l0.n0", "p0111x12"]]);
  });

  it("a 100 Ω open at rop3 only moves the spike within the 500 ps band: PD, credited by --pd-credit", async () => {
    // Series with all four cells: I = 108.1 → 107.06 µA, a = 0.564 → 0.548. Start of window 3:
    // x0 = a·(1 + d)·e^(−9/30) = 0.717 → 0.697; crossing t* = −τ·ln((u − 1)/(u − x0)) = 0.514 → 0.573 ns:
    // the spike moves ≈ +55 ps (simulator: 20518 → 20572 ps), above the 10 ps tick, inside the band.
    const args = ["coverage", "black-pixel-4x1", all16, "--sites", "rop3", "--param", "resistive-open.resistanceOhms=100"];
    const half = await json(args);
    expect(half.faults).toMatchObject([{ id: "resistive-open@l0.c0.seg3:100", cls: "PD", firstVector: "p1111" }]);
    expect(half.coverage.total.faultCoverage).toBe(0.5);
    const full = await json([...args, "--pd-credit", "1"]);
    expect(full.coverage.total.faultCoverage).toBe(1);
    expect(full.coverage.formulas.faultCoverage).toBe("FC = (DT + 1·PD) / all");
  });

  it("terminal output: table by model, the formulas with the numbers, UD reasons", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", threeInputs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^slow-to-leak\s+1\s+1\s+0\s+0\s+0\s+0\s+100\.00 %\s+100\.00 %$/m);
    expect(r.stdout).toMatch(/^total\s+21\s+1\s+0\s+16\s+0\s+4\s+4\.76 %\s+5\.88 %$/m);
    expect(r.stdout).toContain("FC = (DT + 0.5·PD) / all = (1 + 0.5·0) / 21 = 4.76 %");
    expect(r.stdout).toContain("TC = (DT + 0.5·PD) / (all − UD) = (1 + 0.5·0) / (21 − 4) = 5.88 %");
    expect(r.stdout).toMatch(/not detected \(ND\/AU\) and possibly detected \(PD\): 15 representative\(s\)/);
    expect(r.stdout).toMatch(/ND  dead-neuron@l0\.n0/);
    expect(r.stdout).toMatch(/4 × an in-cell \.read path carries no write current/);
    expect(r.stderr).toBe(""); // no progress bar when stderr is not a TTY
    const few = await runMain(["coverage", "black-pixel-4x1", threeInputs, "--limit", "3"]);
    expect(few.stdout).toMatch(/first 3 \(--all lists every one\)/);
    expect(few.stdout.split("\n").filter((l) => /^ {2}ND {2}/.test(l))).toHaveLength(3);
  });

  it("--no-drop keeps simulating and lists every detecting vector", async () => {
    // Each 3-of-4 pattern gives 81.1–81.3 µA, so the slow leak reaches 1 by window 11 in every one of them.
    for (const engine of ["fast", "reference"]) {
      const r = await json(["coverage", "black-pixel-4x1", threeInputs, "--models", "slow-to-leak", "--no-drop", "--engine", engine]);
      expect(r.engine.drop).toBe(false);
      expect(r.engine.evaluations).toBe(4);
      expect(r.faults[0].detectingVectors).toEqual(["p0111x12", "p1011x12", "p1101x12", "p1110x12"]);
      const dropped = await json(["coverage", "black-pixel-4x1", threeInputs, "--models", "slow-to-leak", "--engine", engine]);
      expect(dropped.engine.evaluations).toBe(1);
    }
  });
});
