/**
 * Typed errors for data files (testbenches, fault models, programs, instrument profiles).
 *
 * A `FormatError` always names the file, the place inside it (a JSON path such as
 * `layers[0].rows`, or `line 3 column 7` for a parse error), what was expected and
 * what was found, so the CLI can print one line a test engineer can act on.
 *
 *   throw new FormatError({ file: "tb.json", where: "timing.iwPs", expected: "integer", found: '"1ns"' });
 *
 * All of them are `InputError`s (`./errors.ts`).
 */

import { InputError } from "./errors.ts";

/** Fields of a located data-file error. */
export interface FormatErrorParams {
  /** Path of the file as the user gave it. */
  file: string;
  /** JSON path (`layers[0].weights`) or text position (`line 3 column 7`). */
  where: string;
  /** What the format requires at that place. */
  expected: string;
  /** What the file holds there (short, JSON-ish). */
  found: string;
  /** Optional hint on how to fix it. */
  hint?: string;
}

/** A data file that is not valid JSON or does not match its schema. */
export class FormatError extends InputError {
  readonly file: string;
  readonly where: string;
  readonly expected: string;
  readonly found: string;
  readonly hint?: string;

  constructor(p: FormatErrorParams) {
    super(
      `${p.file}: at ${p.where}: expected ${p.expected}, found ${p.found}` + (p.hint ? ` (${p.hint})` : ""),
    );
    this.name = "FormatError";
    this.file = p.file;
    this.where = p.where;
    this.expected = p.expected;
    this.found = p.found;
    this.hint = p.hint;
  }
}

/** Several located problems in one file; the message lists the first few. */
export class FormatErrors extends InputError {
  readonly errors: FormatError[];
  constructor(errors: FormatError[]) {
    const shown = errors.slice(0, 5).map((e) => e.message);
    const more = errors.length > 5 ? [`... and ${errors.length - 5} more`] : [];
    super([...shown, ...more].join("\n"));
    this.name = "FormatErrors";
    this.errors = errors;
  }
}

/** A reference to something that does not exist (unknown site id, fault model id, file). */
export class NotFoundError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}
