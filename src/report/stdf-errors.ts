/**
 * The STDF writer's errors: a run the format cannot hold (bad input, exit 2) and a file
 * that could not be written (the bench's infrastructure, exit 3).
 *
 *   throw new StdfInputError("vector v1: test number 4294967296 is not an integer in 0..4294967295");
 */
import { BenchError, InputError } from "../formats/errors.ts";

/** A run record the format cannot hold (exit 2). */
export class StdfInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "StdfInputError";
  }
}

/** The file could not be written (an infrastructure error). */
export class StdfWriteError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "StdfWriteError";
  }
}
