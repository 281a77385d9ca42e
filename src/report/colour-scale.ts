/**
 * Sequential colour scale for heat maps: viridis (van der Walt & Smith, matplotlib
 * 2015) — perceptually uniform, ordered in lightness, and readable with the common
 * colour-vision deficiencies and in greyscale. Nine published stops, linear RGB
 * interpolation between them.
 *
 *   viridis(0)    // "#440154" (dark purple)      viridis(1)  // "#fde725" (yellow)
 *   countColour(1, 4) // "#fde725": the fewest undetected faults are the lightest
 */

/** matplotlib's viridis at t = 0, 1/8, …, 1. */
const stops = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"] as const;

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const hex2 = (v: number) => Math.round(v).toString(16).padStart(2, "0");

/** The viridis colour at t in [0, 1] (clamped), as #rrggbb. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const f = x - k;
  const a = rgb(stops[k]);
  const b = rgb(stops[k + 1]);
  return `#${a.map((v, i) => hex2(v + (b[i] - v) * f)).join("")}`;
}

/**
 * Colour of a count 1 … max on a white background (0 is drawn as no colour): viridis
 * reversed, so a lone undetected fault is light yellow and the worst bin dark purple.
 */
export function countColour(count: number, max: number): string {
  return viridis(max > 1 ? 1 - (count - 1) / (max - 1) : 0);
}
