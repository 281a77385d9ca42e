/**
 * STIL (IEEE 1450-1999) export: the program as cycle-based ATE patterns.
 *
 *   snn-atpg generate black-pixel-4x1 -o p.json --stil p.stil
 *
 * One `Signals` entry per input row (`in0` …), observable output (`out0` …) and a
 * `reset` input, `SignalGroups` `inputs` / `outputs`, one `WaveformTable` per distinct
 * (IW, LW) with the coding window as the period, the write pulse as the input waveform
 * (0/1 = no pulse / pulse of IW: D, or U from 0 to IW), `reset` as a one-tick pulse at
 * the start of a window (1 in the first window of every vector: PROTOCOL.md RESET, the
 * neurons return to rest — the same pulse the VCD draws), and the outputs strobed at
 * the end of the window: each output's spike is latched, the strobe reads the latch
 * (H = the neuron fired at least once in this window, L = it did not) and clears it.
 * The spike time and its tolerance band are in the vector's `Ann`. Then `PatternBurst`
 * / `PatternExec`, and one `V` per window; repetitions become a `Loop`. The coverage
 * summary and the strobe's meaning are `Ann`s in the header.
 *
 * The file is 7-bit ASCII (STIL parsers reject anything else): `±` is written `+/-`.
 */
import type { ProgramHeader, ProgramVector } from "../../formats/program-format.ts";
import type { TextSink } from "../../formats/program-stream-writer.ts";
import { windowInputBits, windowOutputBits, type ExportContext, type ProgramExporter } from "./exporter.ts";

/** Name of the waveform table of a timing. */
export function waveformTableName(iwPs: number, lwPs: number): string {
  return `wft_iw${iwPs}_lw${lwPs}`;
}

/** ASCII spellings of the non-ASCII characters our texts use; anything else becomes "?". */
const asciiSpellings: Record<string, string> = { "±": "+/-", "µ": "u", "·": "*", "−": "-", "—": "--", "–": "-", "…": "...", "Ω": "ohm", "→": "->" };

/** Text made safe for a STIL file: 7-bit ASCII only. */
export function stilAscii(s: string): string {
  return s.replace(/[^\x00-\x7f]/g, (ch) => asciiSpellings[ch] ?? "?");
}

/** Text for an `Ann {* … *}`: ASCII, and no premature `*}`. */
function annText(s: string): string {
  return stilAscii(s).replace(/\*\}/g, "* }");
}

/** What an output strobe reads, stated in the file for whoever loads it. */
export const strobeAnn =
  "outputs: each output's spike is latched; the strobe at the end of every window (period - 1 tick) reads and clears the latch: H = the neuron fired at least once in this window, L = it did not. reset: a 1-tick pulse at the start of the first window of every vector returns every neuron to rest (PROTOCOL.md RESET).";

function coverageAnn(h: ProgramHeader): string {
  const c = (h.metadata as { coverage?: { total: { all: number; DT: number; PD: number; UD: number; AU: number; ND: number; testCoveragePercent: number; faultCoveragePercent: number }; byModel: Record<string, { testCoveragePercent: number; all: number }> } }).coverage;
  if (!c) return "coverage: not recorded in the program";
  const models = Object.entries(c.byModel)
    .map(([m, v]) => `${m} ${v.testCoveragePercent}% of ${v.all}`)
    .join("; ");
  return `coverage: test ${c.total.testCoveragePercent}% fault ${c.total.faultCoveragePercent}% (DT ${c.total.DT}, PD ${c.total.PD}, UD ${c.total.UD}, AU ${c.total.AU}, ND ${c.total.ND} of ${c.total.all}); by model: ${models}`;
}

async function collect(vectors: Iterable<ProgramVector> | AsyncIterable<ProgramVector>): Promise<ProgramVector[]> {
  const out: ProgramVector[] = [];
  for await (const v of vectors) out.push(v);
  return out;
}

export const stilExporter: ProgramExporter = {
  id: "stil",
  title: "STIL (IEEE 1450) cycle-based patterns",
  extension: ".stil",
  async write(header, vectorSource, ctx: ExportContext, sink: TextSink) {
    // Waveform tables must precede the patterns: one pass to find the timings (programs
    // that stream from disk can be exported by reading them twice; ATPG output fits in memory).
    const vectors = Array.isArray(vectorSource) ? (vectorSource as ProgramVector[]) : await collect(vectorSource);
    const tick = ctx.tickPs ?? 10;
    const ins = Array.from({ length: ctx.inputs }, (_, i) => `in${i}`);
    const outs = Array.from({ length: ctx.outputs }, (_, i) => `out${i}`);
    const timings = new Map<string, { iwPs: number; lwPs: number }>();
    for (const v of vectors) timings.set(waveformTableName(v.iwPs, v.lwPs), { iwPs: v.iwPs, lwPs: v.lwPs });
    const w = (s: string) => sink.write(s);
    await w("STIL 1.0;\n\n");
    await w("Header {\n");
    await w(`  Title "${stilAscii(`snn-atpg test program for ${header.testbench.id}`).replace(/"/g, "'")}";\n`);
    await w(`  Source "${stilAscii(ctx.toolVersion ?? "snn-atpg")}; testbench sha256 ${header.testbench.sha256}";\n`);
    await w(`  Ann {* ${annText(coverageAnn(header))} *}\n`);
    await w(`  Ann {* ${annText(strobeAnn)} *}\n`);
    await w("}\n\n");
    await w("Signals {\n");
    for (const s of ins) await w(`  ${s} In;\n`);
    for (const s of outs) await w(`  ${s} Out;\n`);
    await w("  reset In;\n");
    await w("}\n\n");
    await w("SignalGroups {\n");
    await w(`  inputs = '${ins.join("+")}';\n`);
    await w(`  outputs = '${outs.join("+")}';\n`);
    await w("}\n\n");
    await w("Timing {\n");
    for (const [name, t] of [...timings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const period = t.iwPs + t.lwPs;
      await w(`  WaveformTable ${name} {\n`);
      await w(`    Period '${period}ps';\n`);
      await w("    Waveforms {\n");
      await w(`      inputs { 01 { '0ps' D/U; '${t.iwPs}ps' D; } }\n`);
      await w(`      reset { 01 { '0ps' D/U; '${tick}ps' D; } }\n`);
      await w(`      outputs { LHX { '0ps' X; '${period - tick}ps' L/H/X; } }\n`);
      await w("    }\n");
      await w("  }\n");
    }
    await w("}\n\n");
    await w("PatternBurst burst {\n  PatList { program; }\n}\n\n");
    await w("PatternExec {\n  PatternBurst burst;\n}\n\n");
    await w("Pattern program {\n");
    for (const v of vectors) {
      const spikes = v.expected.map((e) => `out${e.output}@${e.timePs}ps`).join(" ") || "none";
      const tol = v.toleranceBandPs ?? header.timingTolerancePs;
      await w(`  Ann {* vector ${annText(v.id)}: ${v.windows} window(s), expected spikes ${spikes} (tolerance +/-${tol}ps) *}\n`);
      await w(`  W ${waveformTableName(v.iwPs, v.lwPs)};\n`);
      const reps = v.repetitions ?? 1;
      const indent = reps > 1 ? "    " : "  ";
      if (reps > 1) await w(`  Loop ${reps} {\n`);
      for (let win = 0; win < v.windows; win++) {
        const o = windowOutputBits(v, win, ctx.outputs).replace(/0/g, "L").replace(/1/g, "H");
        await w(`${indent}V { reset = ${win === 0 ? 1 : 0}; inputs = ${windowInputBits(v, win, ctx.inputs)}; outputs = ${o}; }\n`);
      }
      if (reps > 1) await w("  }\n");
    }
    await w("}\n");
    await sink.end?.();
  },
};
