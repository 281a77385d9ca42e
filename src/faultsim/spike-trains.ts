/**
 * One neuron's spike train (at most one spike per coding window, by time) and the two
 * equalities the fast engine needs: exact (a tester could see any difference) and by
 * windows only (all a later layer sees: spikes drive it at the next window's start).
 *
 *   sameWindows([{ window: 2, timePs: 20518 }], [{ window: 2, timePs: 20572 }])  // true
 */
export type SpikeTrain = { window: number; timePs: number }[];

export function sameTrain(a: SpikeTrain, b: SpikeTrain): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].window !== b[i].window || a[i].timePs !== b[i].timePs) return false;
  return true;
}

export function sameWindows(a: SpikeTrain, b: SpikeTrain): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].window !== b[i].window) return false;
  return true;
}
