/**
 * Load a testbench file (validated) plus the checks a schema cannot express:
 * explicit weight matrices must match rows × cols, consecutive layers must chain,
 * every site alias must name a real site, a referenced weight file must exist, match its
 * sha256 and hold a layer of the right shape (its path is made absolute here, relative
 * to the testbench), regions must name existing columns at most once, and a neuron
 * has no leak (`leakTauNs: null`) exactly when its model is the leak-free
 * integrate-and-fire (per layer, after the layer's override).
 *
 *   const tb = loadTestbench("testbenches/black-pixel-4x1.json");
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { canonicalHash } from "./canonical-hash.ts";
import { FormatError, NotFoundError } from "./format-error.ts";
import { parseJsonText, validateData } from "./load-json.ts";
import { testbenchSchema, type Testbench } from "./testbench-format.ts";
import { readWeightFile } from "./weight-file.ts";

/** A testbench with where it came from and its content hash. */
export interface LoadedTestbench {
  bench: Testbench;
  file: string;
  /** Canonical sha256 of the bench content (keys sorted, `$schema` dropped); programs record it. */
  sha256: string;
}

/** Cross-field checks; throws a located FormatError. */
export function checkTestbench(tb: Testbench, file: string): void {
  tb.layers.forEach((layer, i) => {
    checkLeak(tb, i, file);
    if (Array.isArray(layer.weights)) {
      if (layer.weights.length !== layer.rows) {
        throw new FormatError({ file, where: `layers[${i}].weights`, expected: `${layer.rows} rows`, found: `${layer.weights.length} rows` });
      }
      layer.weights.forEach((row, r) => {
        if (row.length !== layer.cols) {
          throw new FormatError({ file, where: `layers[${i}].weights[${r}]`, expected: `${layer.cols} columns`, found: `${row.length} columns` });
        }
      });
    }
    const ws = layer.weights;
    if (!Array.isArray(ws) && ws.generator === "file") {
      const where = `layers[${i}].weights`;
      if (!isAbsolute(ws.file)) ws.file = resolve(dirname(file), ws.file);
      const fl = readWeightFile(ws.file, ws.sha256, { file, where: `${where}.sha256` });
      const l = fl[ws.layer];
      if (!l) throw new FormatError({ file, where: `${where}.layer`, expected: `a layer index below ${fl.length} (layers in ${ws.file})`, found: String(ws.layer) });
      if (l.rows !== layer.rows || l.cols !== layer.cols) {
        throw new FormatError({ file, where: `${where}.layer`, expected: `a ${layer.rows}×${layer.cols} layer`, found: `${l.rows}×${l.cols} in ${ws.file}` });
      }
    }
    const seen = new Set<number>();
    (layer.regions ?? []).forEach((reg, g) =>
      reg.columns.forEach((c, k) => {
        const where = `layers[${i}].regions[${g}].columns[${k}]`;
        if (c >= layer.cols) throw new FormatError({ file, where, expected: `a column below ${layer.cols}`, found: String(c) });
        if (seen.has(c)) throw new FormatError({ file, where, expected: "a column in no other region", found: `${c} again` });
        seen.add(c);
      }),
    );
    if (i > 0 && layer.rows !== tb.layers[i - 1].cols) {
      throw new FormatError({
        file,
        where: `layers[${i}].rows`,
        expected: `${tb.layers[i - 1].cols} (the column count of layers[${i - 1}])`,
        found: String(layer.rows),
      });
    }
  });
  const t = tb.timing;
  if (t.iwRangePs && (t.iwRangePs[0] > t.iwPs || t.iwRangePs[1] < t.iwPs)) {
    throw new FormatError({ file, where: "timing.iwRangePs", expected: `a range containing iwPs ${t.iwPs}`, found: JSON.stringify(t.iwRangePs) });
  }
  if (t.lwRangePs && (t.lwRangePs[0] > t.lwPs || t.lwRangePs[1] < t.lwPs)) {
    throw new FormatError({ file, where: "timing.lwRangePs", expected: `a range containing lwPs ${t.lwPs}`, found: JSON.stringify(t.lwRangePs) });
  }
}

/** leakTauNs null ⇔ model integrate-and-fire, on the layer's merged neuron spec. */
function checkLeak(tb: Testbench, i: number, file: string): void {
  const o = tb.layers[i].neuron ?? {};
  const model = o.model ?? tb.neuron.model;
  const tau = o.leakTauNs !== undefined ? o.leakTauNs : tb.neuron.leakTauNs;
  const where = o.leakTauNs !== undefined ? `layers[${i}].neuron.leakTauNs` : "neuron.leakTauNs";
  if (model === "integrate-and-fire" && tau !== null) {
    throw new FormatError({ file, where, expected: `null (model integrate-and-fire has no leak; layer ${i})`, found: String(tau) });
  }
  if (model !== "integrate-and-fire" && tau === null) {
    throw new FormatError({ file, where, expected: `a positive time constant in ns, or model "integrate-and-fire" for a leak-free neuron (layer ${i} uses ${model})`, found: "null" });
  }
}

/** Parse + validate testbench text (used for files and for embedded defaults). */
export function parseTestbench(text: string, file: string): Testbench {
  const tb = validateData(testbenchSchema, parseJsonText(text, file), file);
  checkTestbench(tb, file);
  return tb;
}

/** Read, validate and hash a testbench file. */
export function loadTestbench(file: string): LoadedTestbench {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new NotFoundError(
      `${file}: cannot read testbench (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); shipped benches are in testbenches/`,
    );
  }
  const text = bytes.toString("utf8");
  const bench = parseTestbench(text, file);
  return { bench, file, sha256: testbenchHash(JSON.parse(text)) };
}

/** Canonical hash of a testbench's raw JSON content. */
export function testbenchHash(raw: unknown): string {
  return canonicalHash(raw);
}
