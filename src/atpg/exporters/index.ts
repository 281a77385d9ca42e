/**
 * Program exporters, keyed by id (`--stil`, `--vcd`).
 *
 *   await exporters.vcd.write(header, program.vectors, { inputs: 4, outputs: 1 }, sink);
 */
import type { ProgramExporter } from "./exporter.ts";
import { stilExporter } from "./stil-exporter.ts";
import { vcdExporter } from "./vcd-exporter.ts";

export const exporters = {
  stil: stilExporter,
  vcd: vcdExporter,
} as const satisfies Record<string, ProgramExporter>;

export type ExporterId = keyof typeof exporters;
export type { ExportContext, ProgramExporter } from "./exporter.ts";
export { waveformTableName } from "./stil-exporter.ts";
export { spikePulsePs, vcdId } from "./vcd-exporter.ts";
