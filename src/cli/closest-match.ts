/**
 * The closest of a few known names to one the user mistyped, by edit distance
 * (Levenshtein: insertions, deletions and substitutions each cost 1), for "did you
 * mean" hints on ids that commander does not know about (bench ids, fault ids).
 *
 *   editDistance("black-pixl-4x1", "black-pixel-4x1")                   // 1
 *   closestMatch("mlp-16x8", ["black-pixel-4x1", "mlp-16x8x4"])        // "mlp-16x8x4"
 */

/** Levenshtein distance between two strings (case-sensitive). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `name` (first in `candidates` order on a tie), or undefined
 * when even the nearest needs more edits than half the name's length — a guess that
 * far off would mislead more than help. A candidate that `name` begins (`mlp` for
 * `mlp-16x8x4`) wins when it is the only one.
 */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const extending = candidates.filter((c) => name.length > 0 && c.startsWith(name));
  if (extending.length === 1) return extending[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}
