/**
 * Freeze a plain JSON-like record recursively: result records (universe counts,
 * coverage) are frozen so no sink can alter what another sink reads.
 *
 *   const r = deepFreeze({ total: { all: 3 } });  Object.isFrozen(r.total) === true
 */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
