/**
 * The root of every error snn-atpg throws on purpose, and the three kinds of failure
 * a user can act on. It sits at the bottom layer so that every folder may derive from
 * it; the classes say *what* went wrong and never how the process ends — only
 * `src/cli/exit-codes.ts` maps a kind to an exit code (with `instanceof`).
 *
 *   SnnAtpgError          anything else we throw on purpose (a broken invariant: exit 70)
 *   ├── InputError        bad input a user can fix: file, flag, site or model id
 *   ├── BenchError        the bench or its infrastructure: port, board, instrument, worker, disk
 *   └── InterruptedError  the user stopped the run (Ctrl-C) after everything finished was flushed
 *
 *   throw new InputError("--windows 0: give a whole number of windows ≥ 1");
 *
 * A test (test/cli/error-root.test.ts) fails when an error class in `src/` does not
 * derive from `SnnAtpgError`, or when code outside `src/cli/` ends the process.
 */

/** Base of every error class in snn-atpg. */
export class SnnAtpgError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Base class of every error a user can cause by handing us bad input. */
export class InputError extends SnnAtpgError {}

/** Base of every bench / infrastructure error: anything between the host and the device, or the host's own resources. */
export class BenchError extends SnnAtpgError {}

/** The user interrupted the run (Ctrl-C); everything finished was flushed first. */
export class InterruptedError extends SnnAtpgError {
  constructor(message = "interrupted by the user (Ctrl-C)") {
    super(message);
  }
}
