/** Types of scripts/dist-freshness.mjs. */
export function distState(root: string): "fresh" | "stale" | "missing";
