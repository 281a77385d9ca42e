/**
 * A one-line progress bar for stderr. The CLI shows it only on a TTY and never with
 * --json, and redraws it in place (cursor up + clear line before each update).
 *
 *   renderProgressBar(30, 64, "vectors")  // "[##############................] 30/64 vectors  47 %"
 */
export function renderProgressBar(done: number, total: number, unit: string, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(f * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${unit}  ${Math.round(100 * f)} %`;
}

/** Prefix that moves the cursor up one line and clears it, to redraw a bar printed with a newline. */
export const redrawPrefix = "\u001b[1A\u001b[2K";
