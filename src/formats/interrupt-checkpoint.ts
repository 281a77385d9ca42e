/**
 * Interrupt checkpoints for long loops on the main thread. Ctrl-C reaches Node as an
 * event-loop callback, so a loop that never gives the event loop a turn never sees its
 * AbortSignal raised (a 10,000-vector run on the sim target used to finish all of them).
 * `checkpoint` throws InterruptedError once the signal is raised, and every `everyMs`
 * (default 50 ms) of busy time it yields one macrotask turn so the signal can arrive.
 *
 *   for (const v of vectors) { await checkpoint(signal); measure(v); }
 *
 * A turn costs a few microseconds, and is taken at most 20 times a second by default.
 */
import { InterruptedError } from "./errors.ts";

let lastTurnMs = performance.now();

/** One event-loop turn (setImmediate: after pending I/O and signal callbacks). */
export const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Throw InterruptedError when `signal` is raised; give the event loop a turn when `everyMs` passed since the last. */
export async function checkpoint(signal: AbortSignal | undefined, everyMs = 50): Promise<void> {
  if (signal?.aborted) throw new InterruptedError();
  const now = performance.now();
  if (now - lastTurnMs < everyMs) return;
  lastTurnMs = now;
  await eventLoopTurn();
  if (signal?.aborted) throw new InterruptedError();
}

/**
 * Long passes written once as step generators (`function* …Steps`, yielding every few
 * ten thousand items) run to their end by one of these: `drainSteps` in one go (tests,
 * small inputs), `drainStepsAsync` awaiting `pause` (a Ctrl-C checkpoint) at each yield.
 */
export function drainSteps<R>(steps: Generator<unknown, R>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** drainSteps with `pause` awaited at every yield; a pause that throws (Ctrl-C) runs the generator's clean-up. */
export async function drainStepsAsync<R>(steps: Generator<unknown, R>, pause: () => Promise<void>): Promise<R> {
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      await pause();
    }
  } finally {
    steps.return(undefined as never);
  }
}
