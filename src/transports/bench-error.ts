/**
 * Typed errors of the bench and its links: anything that goes wrong between the host
 * and the device (port, board, instrument, timeout). The CLI maps them to exit code 3
 * (`exitCode` property); messages name the port and the command so a test engineer
 * knows where to look.
 *
 *   throw new PortError("/dev/ttyUSB0: serial port closed unexpectedly (unplugged?)");
 */

/** Base of every bench / infrastructure error (exit code 3). */
export class BenchError extends Error {
  /** Exit code the CLI uses (3 = bench or infrastructure error). */
  readonly exitCode: number = 3;
  constructor(message: string) {
    super(message);
    this.name = "BenchError";
  }
}

/** The port cannot be opened, was closed underneath us, or reported an I/O error. */
export class PortError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "PortError";
  }
}

/** No valid reply within the allowed attempts (board silent, link too noisy). */
export class ReplyTimeoutError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "ReplyTimeoutError";
  }
}

/** The device answered something the protocol does not allow (malformed payload, wrong version). */
export class ProtocolError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The board refused a command with `ERR <CODE>` that must not be resent (SYNTAX, RANGE, UNKNOWN, UNSUPPORTED). */
export class BoardRefusedError extends BenchError {
  /** Protocol error code, e.g. `RANGE`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "BoardRefusedError";
    this.code = code;
  }
}

/** The device does not fit the program (input / output counts, missing feature). */
export class BenchSetupError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "BenchSetupError";
  }
}

/** The user interrupted the run (Ctrl-C); everything finished was flushed first (exit code 130). */
export class InterruptedError extends Error {
  readonly exitCode: number = 130;
  constructor(message = "interrupted by the user (Ctrl-C)") {
    super(message);
    this.name = "InterruptedError";
  }
}
