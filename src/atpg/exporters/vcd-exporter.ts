/**
 * VCD (IEEE 1364 value change dump) export: the program as waveforms for GTKWave —
 * one wire per input row (its write pulses), one per observable output (the expected
 * spikes, as short pulses), a `reset` wire pulsed at the start of every vector (PROTOCOL.md
 * RESET) and an integer `vector` with the vector's index. Timescale 1 ps; vectors
 * follow one another, repetitions are drawn once. The values at #0 are dumped once, as
 * they are after the first vector starts (no zero-width 0→1 glitch at time 0), and
 * `$date` is the export time (or SOURCE_DATE_EPOCH, via ExportContext.date).
 *
 *   snn-atpg generate black-pixel-4x1 -o p.json --vcd p.vcd && gtkwave p.vcd
 */
import type { TextSink } from "../../formats/program-stream-writer.ts";
import type { ExportContext, ProgramExporter } from "./exporter.ts";
import { vectorEvents } from "../../formats/program-loader.ts";

/** Width of an expected-spike pulse in the dump, ps. */
export const spikePulsePs = 100;

/** VCD identifier codes: printable ASCII 33..126, shortest first. */
export function vcdId(n: number): string {
  let s = "";
  let k = n;
  do {
    s += String.fromCharCode(33 + (k % 94));
    k = Math.floor(k / 94) - 1;
  } while (k >= 0);
  return s;
}

export const vcdExporter: ProgramExporter = {
  id: "vcd",
  title: "VCD waveforms (GTKWave)",
  extension: ".vcd",
  async write(header, vectors, ctx: ExportContext, sink: TextSink) {
    const w = (s: string) => sink.write(s);
    const inId = (i: number) => vcdId(i);
    const outId = (o: number) => vcdId(ctx.inputs + o);
    const resetId = vcdId(ctx.inputs + ctx.outputs);
    const vecId = vcdId(ctx.inputs + ctx.outputs + 1);
    await w(`$date ${(ctx.date ?? new Date()).toISOString()} $end\n`);
    await w(`$comment snn-atpg test program for ${header.testbench.id} (sha256 ${header.testbench.sha256}) $end\n`);
    await w(`$version ${ctx.toolVersion ?? "snn-atpg"} $end\n`);
    await w("$timescale 1ps $end\n");
    await w("$scope module chip $end\n");
    for (let i = 0; i < ctx.inputs; i++) await w(`$var wire 1 ${inId(i)} in${i} $end\n`);
    for (let o = 0; o < ctx.outputs; o++) await w(`$var wire 1 ${outId(o)} out${o}_expected $end\n`);
    await w(`$var wire 1 ${resetId} reset $end\n`);
    await w(`$var integer 32 ${vecId} vector $end\n`);
    await w("$upscope $end\n$enddefinitions $end\n");
    // Initial values; the first vector's changes at #0 replace them inside $dumpvars.
    const initial = new Map<string, string>();
    for (let i = 0; i < ctx.inputs; i++) initial.set(inId(i), "0");
    for (let o = 0; o < ctx.outputs; o++) initial.set(outId(o), "0");
    initial.set(resetId, "0");
    initial.set(vecId, "b0 ");
    let dumped = false;
    const dumpvars = async (atZero: Map<string, string> | undefined) => {
      await w("#0\n$dumpvars\n");
      for (const [id, val] of initial) await w(`${atZero?.get(id) ?? val}${id}\n`);
      await w("$end\n");
      dumped = true;
    };
    const tick = ctx.tickPs ?? 10;
    let offset = 0;
    let index = 0;
    let lastTime = 0;
    for await (const v of vectors) {
      // value changes by time; a pulse that ends where another starts keeps the wire high
      const changes = new Map<number, Map<string, string>>();
      const set = (t: number, id: string, val: string) => {
        const m = changes.get(t) ?? new Map<string, string>();
        if (!(val === "0" && m.get(id) === "1")) m.set(id, val);
        changes.set(t, m);
      };
      set(offset, resetId, "1");
      set(offset + tick, resetId, "0");
      set(offset, vecId, `b${(index + 1).toString(2)} `);
      for (const e of vectorEvents(v)) {
        set(offset + e.timePs, inId(e.input), "1");
        set(offset + e.timePs + v.iwPs, inId(e.input), "0");
      }
      for (const s of v.expected) {
        set(offset + s.timePs, outId(s.output), "1");
        set(offset + s.timePs + spikePulsePs, outId(s.output), "0");
      }
      if (!dumped) {
        await dumpvars(changes.get(0));
        changes.delete(0);
      }
      for (const t of [...changes.keys()].sort((a, b) => a - b)) {
        if (t !== lastTime) await w(`#${t}\n`);
        lastTime = t;
        for (const [id, val] of changes.get(t)!) await w(`${val}${id}\n`);
      }
      offset += v.windows * (v.iwPs + v.lwPs);
      index++;
    }
    if (!dumped) await dumpvars(undefined);
    if (offset !== lastTime) await w(`#${offset}\n`);
    await sink.end?.();
  },
};
