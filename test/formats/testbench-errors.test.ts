/**
 * A malformed testbench exits 2 with a message naming the file and the place (JSON
 * path, or line and column for broken JSON) — never a stack trace.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const dir = "fixtures/testbench-errors";

describe("malformed testbenches", () => {
  it.each([
    ["wrong-type.json", /wrong-type\.json: at timing\.iwPs: expected number, found string "1ns"/],
    ["missing-field.json", /missing-field\.json: at device\.writeVoltageV: expected number, found nothing/],
    ["unknown-key.json", /unknown-key\.json: at layers\[0\]: .*unknown key\(s\) "colz"/],
    ["matrix-shape.json", /matrix-shape\.json: at layers\[0\]\.weights: expected 4 rows, found 3 rows/],
    ["bad-json.json", /bad-json\.json: at line \d+ column \d+: expected valid JSON/],
  ])("%s → exit 2, located message", (file, message) => {
    const r = runCli(["simulate", `${dir}/${file}`, "--pattern", "1111"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe("");
  });

  it("a missing file exits 2 and says where shipped benches are", () => {
    const r = runCli(["simulate", "no-such-bench.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-bench\.json: cannot read testbench \(ENOENT\)/);
  });

  it("a bad flag value exits 2 naming the flag", () => {
    const r = runCli(["simulate", "black-pixel-4x1", "--pattern", "11x1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pattern expects 4 bits/);
  });

  it("an unknown site exits 2 and lists the site id forms", () => {
    const r = runCli(["simulate", "black-pixel-4x1", "--open", "rop9=1000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown site "rop9": site ids look like/);
  });
});
