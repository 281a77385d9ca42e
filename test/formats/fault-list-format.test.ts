/**
 * The fault-list file read back: ids one per line, `#` comments and blank lines
 * skipped, line numbers kept for messages; a line with two words or a list with no id
 * is refused naming the line. Expected values are read off the texts by hand.
 */
import { describe, expect, it } from "vitest";
import { parseFaultList } from "../../src/formats/fault-list-format.ts";
import { FormatError } from "../../src/formats/format-error.ts";
import { selectFaults } from "../../src/faults/fault-selection.ts";

describe("parseFaultList", () => {
  it("keeps ids and their line numbers, skipping comments, blanks, a BOM and CRLF", () => {
    const text = "\uFEFF# header\r\n\r\ndead-synapse@l0.r1.c0  # ND: reason # with hashes\r\n   slow-to-leak@l0.n0\r\n";
    expect(parseFaultList(text, "f.faults")).toEqual([
      { id: "dead-synapse@l0.r1.c0", line: 3 },
      { id: "slow-to-leak@l0.n0", line: 4 },
    ]);
  });

  it("refuses two words on a line, naming file and line", () => {
    expect(() => parseFaultList("# x\ndead-synapse@l0.r1.c0 ND\n", "f.faults")).toThrow(FormatError);
    expect(() => parseFaultList("# x\ndead-synapse@l0.r1.c0 ND\n", "f.faults")).toThrow(/^f\.faults: at line 2: expected one fault id per line .*found "dead-synapse@l0\.r1\.c0 ND"/);
  });

  it("refuses a list without ids", () => {
    expect(() => parseFaultList("# only a header\n\n", "f.faults")).toThrow(/f\.faults: at line 3: expected at least one fault id, found only comments and blank lines/);
  });
});

describe("selectFaults", () => {
  const faults = [{ id: "a@1" }, { id: "b@1", equivalents: ["b@2", "b@3"] }, { id: "c@1" }];
  it("picks representatives in universe order, once, also through an equivalent", () => {
    const s = selectFaults(faults, ["c@1", "b@3", "a@1", "b@1", "x@9"]);
    expect(s.faults.map((f) => f.id)).toEqual(["a@1", "b@1", "c@1"]);
    expect(s.unknown).toEqual([4]);
  });
});
