/**
 * A one-line progress bar for stderr (the CLI decides whether to show it: only on a
 * TTY and never with --json).
 *
 *   renderProgressBar(30, 64, "vectors")  // "\r[#########.....................] 30/64 vectors  47 %"
 */
export function renderProgressBar(done: number, total: number, unit: string, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(f * width);
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${unit}  ${Math.round(100 * f)} %`;
}
