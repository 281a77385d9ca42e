/** Types of scripts/build.mjs. */
export function buildDist(): Promise<void>;
