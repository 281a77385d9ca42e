/**
 * Write a calibration into a testbench: the raw bench JSON with the top-level `neuron`
 * replaced by the calibrated parameters, a new id and a provenance note, validated
 * against the testbench schema (and its cross-field checks) before it is returned.
 *
 *   const { json, bench } = calibratedTestbench(rawJson, "tb.json", calibration);
 *   writeFileSync("tb-calibrated.json", json);
 */
import { parseTestbench } from "../formats/testbench-loader.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { NeuronCalibration } from "./neuron-calibration.ts";

const round = (v: number, digits = 6) => Number(v.toPrecision(digits));

/** Layer overrides that would shadow calibrated fields (they are left as they are). */
export function shadowedOverrides(bench: Testbench): string[] {
  const keys = ["criticalCurrentUa", "gainPerUaNs", "leakTauNs", "threshold", "sigmoidWidth", "model", "restLevel", "switchDelayNs"];
  const out: string[] = [];
  bench.layers.forEach((l, i) => {
    for (const k of keys) if (l.neuron && k in l.neuron) out.push(`layers[${i}].neuron.${k}`);
  });
  return out;
}

/**
 * The calibrated bench as JSON text and validated data. `schemaRef` replaces `$schema`
 * (pass the path of schemas/testbench.schema.json relative to where the file is written).
 */
export function calibratedTestbench(
  raw: Record<string, unknown>,
  file: string,
  cal: NeuronCalibration,
  schemaRef?: string,
): { json: string; bench: Testbench } {
  const p = cal.params;
  const oldNeuron = (raw.neuron ?? {}) as Record<string, unknown>;
  const neuron: Record<string, unknown> = {
    model: p.model,
    criticalCurrentUa: round(p.criticalCurrentUa),
    gainPerUaNs: round(p.gainPerUaNs),
    leakTauNs: round(p.leakTauNs),
    threshold: p.threshold,
    sigmoidWidth: round(p.sigmoidWidth),
    ...(p.restLevel !== undefined ? { restLevel: round(p.restLevel) } : {}),
    ...(p.switchDelayNs !== undefined ? { switchDelayNs: round(p.switchDelayNs) } : {}),
  };
  if (oldNeuron.seed !== undefined) neuron.seed = oldNeuron.seed;
  const note =
    `Neuron calibrated to device ${cal.deviceId} by \`snn-atpg calibrate\` at IW ${cal.iwPs} ps / LW ${cal.lwPs} ps: ` +
    `device I50 ${cal.curves.bench.fit.midpointUa.toFixed(1)} µA at IW, ${(cal.agreement.spikeAgreement * 100).toFixed(1)} % ` +
    `spike/no-spike agreement over ${cal.agreement.trains} random pulse trains.`;
  const out: Record<string, unknown> = {
    ...raw,
    ...(schemaRef !== undefined ? { $schema: schemaRef } : {}),
    id: `${String(raw.id)}-${cal.deviceId}`,
    title: `${String(raw.title)} — neuron calibrated to ${cal.deviceId}`,
    notes: raw.notes ? `${String(raw.notes)} ${note}` : note,
    neuron,
  };
  const json = `${JSON.stringify(out, null, 2)}\n`;
  return { json, bench: parseTestbench(json, file) };
}
