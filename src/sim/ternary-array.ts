/**
 * A ternary synapse array at the potential level (Hou et al., ITC 2022,
 * kwhou/snn_fault_simulator `snn_model.py`): rows × cols synapses, each a differential
 * pair of 1T1R cells holding w ∈ {−1, 0, +1}; the neuron of column c, with only row r
 * spiking, changes its potential by the synapse's dV every tick.
 *
 *   WRITE w to (r, c):  dV(r, c) ← uniform draw from the band of w (good-chip variation),
 *                       unless a cell-write perturbation says otherwise (a fault);
 *   spike row r for n ticks:  v ← V_R; each tick v ← v + dV(r, c); fire when v ≥ V_th
 *                       (polarity up, Hou's SWP 0) or v ≤ V_th (down, SWP 1), then v ← V_R.
 *
 * The neuron is the leak-free `integrate-and-fire` model (exact running sum, so k·dV
 * exactly on the threshold fires at tick k) with x = s·(v − V_R), θ = s·(V_th − V_R),
 * drive s·dV, s = +1 up / −1 down; one tick is one step of unit length and unit gain.
 * θ must be > 0 (a threshold beyond V_R in the polarity's direction).
 *
 * A draw is a function of (bench seed, write number, row, column) only, so two
 * simulations that apply the same writes see the same good cells whatever else they
 * compute — the fast fault engine replays only the cells a fault touches.
 *
 *   const chip = createTernaryArray(bench);
 *   writeAll(chip, 1);
 *   spikeRowColumn(chip, 0, 0, 41, { thresholdPotential: 500, polarity: "up" })  // → first-spike tick etc.
 */
import { InputError } from "../formats/errors.ts";
import type { TernaryArraySpec, Testbench } from "../formats/testbench-format.ts";
import { integrateAndFireStep } from "./neuron/integrate-and-fire-neuron.ts";
import type { NeuronParams, NeuronState } from "./neuron/neuron-model.ts";
import { expandWeights } from "./compile.ts";
import { createRng, mixSeed } from "./rng.ts";

/** A written synapse value. */
export type TernaryValue = -1 | 0 | 1;

/** Tester-set neuron settings (Hou's VTH and SWP). */
export interface TernaryNeuronSetting {
  /** V_th, in the potential units of the bench's V_R and bands. */
  thresholdPotential: number;
  /** up = fire when v ≥ V_th (SWP 0); down = fire when v ≤ V_th (SWP 1). */
  polarity: "up" | "down";
}

/**
 * What a fault does to a cell write: the dV the cell holds after writing `value`, given
 * the good chip's draw (return `drawn` to behave normally).
 */
export type CellWriteRule = (row: number, col: number, value: TernaryValue, drawn: number) => number;

/** The live state of one ternary array chip. */
export interface TernaryArray {
  readonly rows: number;
  readonly cols: number;
  readonly spec: TernaryArraySpec;
  /** dV per tick of each synapse, index r·cols + c. */
  readonly dv: Float64Array;
  /** Last written value of each synapse. */
  readonly written: Int8Array;
  /** Writes applied so far (the mission weights are write 0). */
  writes: number;
  /** The neuron setting in force. */
  neuron: TernaryNeuronSetting;
  /** A fault's write rule (absent: good chip). */
  readonly rule?: CellWriteRule;
}

/** The band of a written value. */
export function bandOf(spec: TernaryArraySpec, value: TernaryValue): readonly [number, number] {
  return value === 1 ? spec.dvBands.plus : value === -1 ? spec.dvBands.minus : spec.dvBands.zero;
}

/** The good chip's dV for write number `write` of `value` to (row, col). */
export function drawDv(spec: TernaryArraySpec, write: number, row: number, col: number, value: TernaryValue): number {
  const [lo, hi] = bandOf(spec, value);
  return lo + (hi - lo) * createRng(mixSeed(spec.seed, write, row, col)).next();
}

/** A bench's ternary array spec and its one layer, checked (located errors). */
export function ternaryLayout(tb: Testbench): { spec: TernaryArraySpec; rows: number; cols: number } {
  const spec = tb.ternaryArray;
  if (!spec) throw new InputError(`${tb.id}: not a ternary array (add a ternaryArray block: differential-pair synapses and their dV bands)`);
  if (tb.layers.length !== 1) throw new InputError(`${tb.id}: layers: a ternary array bench has one layer (got ${tb.layers.length})`);
  if (tb.neuron.model !== "integrate-and-fire") throw new InputError(`${tb.id}: neuron.model: a ternary array integrates without leak — "integrate-and-fire" (got "${tb.neuron.model}")`);
  return { spec, rows: tb.layers[0].rows, cols: tb.layers[0].cols };
}

/** The bench's default neuron setting: V_th = V_R + neuron.threshold, polarity up. */
export function defaultNeuronSetting(tb: Testbench): TernaryNeuronSetting {
  return { thresholdPotential: ternaryLayout(tb).spec.restingPotential + tb.neuron.threshold, polarity: "up" };
}

/** A chip holding the bench's mission weights (write 0), with an optional fault write rule. */
export function createTernaryArray(tb: Testbench, rule?: CellWriteRule): TernaryArray {
  const { spec, rows, cols } = ternaryLayout(tb);
  const w = expandWeights(tb.layers[0]); // column-major, as every layer
  const chip: TernaryArray = { rows, cols, spec, dv: new Float64Array(rows * cols), written: new Int8Array(rows * cols), writes: 0, neuron: defaultNeuronSetting(tb), ...(rule ? { rule } : {}) };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = w[c * rows + r];
      if (x !== -1 && x !== 0 && x !== 1) throw new InputError(`${tb.id}: layers[0].weights[${r}][${c}] = ${x}: a ternary synapse holds −1, 0 or 1`);
      writeCell(chip, r, c, x as TernaryValue);
    }
  }
  chip.writes = 1;
  return chip;
}

function writeCell(chip: TernaryArray, r: number, c: number, value: TernaryValue): void {
  const drawn = drawDv(chip.spec, chip.writes, r, c, value);
  chip.dv[r * chip.cols + c] = chip.rule ? chip.rule(r, c, value, drawn) : drawn;
  chip.written[r * chip.cols + c] = value;
}

/** WRITE `value` to every synapse (Hou's `W d`); one write number for the whole array. */
export function writeAll(chip: TernaryArray, value: TernaryValue): void {
  for (let r = 0; r < chip.rows; r++) for (let c = 0; c < chip.cols; c++) writeCell(chip, r, c, value);
  chip.writes++;
}

/** Neuron parameters for one tick of unit length: drive = s·dV, θ = s·(V_th − V_R). */
export function tickParams(spec: TernaryArraySpec, n: TernaryNeuronSetting): { params: NeuronParams; sign: 1 | -1 } {
  const sign = n.polarity === "up" ? 1 : -1;
  const threshold = sign * (n.thresholdPotential - spec.restingPotential);
  if (!(threshold > 0)) {
    throw new InputError(`threshold potential ${n.thresholdPotential} with polarity ${n.polarity}: V_th must lie ${sign > 0 ? "above" : "below"} V_R = ${spec.restingPotential}`);
  }
  return { params: { criticalCurrentUa: 0, gainPerUaNs: 1, leakTauNs: Number.POSITIVE_INFINITY, threshold }, sign };
}

/**
 * Ticks (from 0) at which column `col`'s neuron fires when only row `row` spikes for
 * `ticks` ticks of constant dV `dv` (starting from V_R).
 */
export function firingTicks(dv: number, ticks: number, params: NeuronParams, sign: 1 | -1): number[] {
  const out: number[] = [];
  let state: NeuronState = { x: 0, carry: 0 };
  for (let t = 0; t < ticks; t++) {
    const r = integrateAndFireStep(state, sign * dv, params, 1);
    state = r.state;
    if (r.firedAtNs !== null) out.push(t);
  }
  return out;
}

/** The first tick (from 0) at which a constant dV `dv` fires within `ticks` ticks, or null (stops at the first spike). */
export function firstFiringTick(dv: number, ticks: number, params: NeuronParams, sign: 1 | -1): number | null {
  let state: NeuronState = { x: 0, carry: 0 };
  for (let t = 0; t < ticks; t++) {
    const r = integrateAndFireStep(state, sign * dv, params, 1);
    if (r.firedAtNs !== null) return t;
    state = r.state;
  }
  return null;
}

/** Firing ticks of column `col` when row `row` spikes alone for `ticks` ticks. */
export function spikeRowColumn(chip: TernaryArray, row: number, col: number, ticks: number, n: TernaryNeuronSetting = chip.neuron): number[] {
  const { params, sign } = tickParams(chip.spec, n);
  return firingTicks(chip.dv[row * chip.cols + col], ticks, params, sign);
}

/**
 * Run the chip for `rowsByTick.length` ticks from V_R, rows `rowsByTick[t]` spiking at
 * tick t (a row listed twice counts twice): each column's neuron integrates the sum of
 * their dV. Returns the firing ticks, by tick then column. One row alone for n ticks
 * fires where `spikeRowColumn` says.
 */
export function fireTicks(chip: TernaryArray, rowsByTick: readonly (readonly number[])[], n: TernaryNeuronSetting = chip.neuron): { col: number; tick: number }[] {
  const { params, sign } = tickParams(chip.spec, n);
  const states: NeuronState[] = Array.from({ length: chip.cols }, () => ({ x: 0, carry: 0 }));
  const out: { col: number; tick: number }[] = [];
  rowsByTick.forEach((rows, t) => {
    for (let c = 0; c < chip.cols; c++) {
      let drive = 0;
      for (const r of rows) drive += chip.dv[r * chip.cols + c];
      const step = integrateAndFireStep(states[c], sign * drive, params, 1);
      states[c] = step.state;
      if (step.firedAtNs !== null) out.push({ col: c, tick: t });
    }
  });
  return out;
}
