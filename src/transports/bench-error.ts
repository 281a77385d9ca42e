/**
 * Typed errors of the links between the host and the device (port, board, instrument,
 * timeout), all `BenchError`s (`formats/errors.ts`); messages name the port and the
 * command so a test engineer knows where to look.
 *
 *   throw new PortError("/dev/ttyUSB0: serial port closed unexpectedly (unplugged?)");
 */
import { BenchError } from "../formats/errors.ts";

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
