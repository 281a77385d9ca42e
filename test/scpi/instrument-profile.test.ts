/**
 * Instrument profiles: the shipped ones validate and map what their titles say; the
 * checks a schema cannot express give located errors; and the burst planner refuses
 * stimuli a pulse generator channel cannot make.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/formats/format-error.ts";
import { loadInstrumentProfile, parseInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import { patternEvents } from "../../src/sim/stimulus.ts";
import { fillTemplate, planBursts, scpiSeconds, ScpiStimulusError } from "../../src/targets/scpi-target.ts";
import { templatePattern } from "../../src/targets/scpi-emulator.ts";

const generic = () => structuredClone(loadInstrumentProfile("instruments/generic-scpi-bench.json").profile) as Record<string, any>;

describe("shipped instrument profiles", () => {
  it("every instruments/*.json validates with its $schema and schemaVersion", () => {
    const files = readdirSync("instruments").filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const p = loadInstrumentProfile(`instruments/${f}`);
      expect(p.profile.$schema).toBe("../schemas/instrument-profile.schema.json");
      expect(p.rows.length).toBeGreaterThan(0);
    }
  });

  it("the 81160A + 53230A profile maps rows 0–3 onto two 2-channel generators and output 0 onto the counter", () => {
    const p = loadInstrumentProfile("instruments/keysight-81160a-53230a.json");
    expect(p.rows).toEqual([
      { instrument: "pg1", channel: 1 },
      { instrument: "pg1", channel: 2 },
      { instrument: "pg2", channel: 1 },
      { instrument: "pg2", channel: 2 },
    ]);
    expect(p.outputs).toEqual([{ instrument: "cnt", channel: 1 }]);
  });
});

describe("profile checks beyond the schema", () => {
  const fails = (data: unknown, where: RegExp) => {
    let err: unknown = null;
    try {
      parseInstrumentProfile(data, "x.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).where).toMatch(where);
    expect((err as Error).message).toMatch(/^x\.json: at /);
  };

  it("several instruments on one port need an addressing adapter", () => {
    const p = generic();
    p.instruments.second = structuredClone(p.instruments.bench);
    fails(p, /^connection\.addressing$/);
  });

  it("an idnExample that its own idnPattern rejects", () => {
    const p = generic();
    p.instruments.bench.idnExample = "ACME,OTHER,1,1";
    fails(p, /instruments\.bench\.idnExample/);
  });

  it("a placeholder an operation does not have", () => {
    const p = generic();
    p.instruments.bench.commands.outputOn = "OUTP{channel} ON;:PULS:WIDT {widthS}";
    fails(p, /instruments\.bench\.commands\.outputOn/);
  });

  it("a row mapped onto an instrument that does not exist, and a channel mapped twice", () => {
    const p = generic();
    p.rows = [{ instrument: "nope", channels: [1] }];
    fails(p, /^rows\[0\]\.instrument$/);
    const q = generic();
    q.rows = [{ instrument: "bench", channels: [1, 2, 1] }];
    fails(q, /^rows$/);
  });
});

describe("templates and bursts", () => {
  it("seconds are written exactly and templates round-trip through the emulator's patterns", () => {
    expect(scpiSeconds(1000)).toBe("1000E-12");
    const line = fillTemplate(":PULS:WIDT{channel} {widthS}", { channel: 2, widthS: scpiSeconds(1200) });
    expect(line).toBe(":PULS:WIDT2 1200E-12");
    const t = templatePattern(":PULS:WIDT{channel} {widthS}");
    const m = t.re.exec(line.toLowerCase())!;
    expect(t.names).toEqual(["channel", "widthS"]);
    expect([Number(m[1]), Math.round(Number(m[2]) * 1e12)]).toEqual([2, 1200]);
  });

  it("a constant pattern becomes one burst per active row at the window period", () => {
    const b = planBursts({ events: patternEvents(["1101"], 3, 1000, 9000), windows: 3 }, 4, 1000, 9000);
    expect(b).toEqual([{ delayPs: 0, count: 3 }, { delayPs: 0, count: 3 }, null, { delayPs: 0, count: 3 }]);
  });

  it("a row that skips a window and resumes cannot be one burst: refused, naming the row", () => {
    const events = patternEvents(["1000", "0000", "1000"], 3, 1000, 9000);
    expect(() => planBursts({ events, windows: 3 }, 4, 1000, 9000)).toThrow(ScpiStimulusError);
    expect(() => planBursts({ events, windows: 3 }, 4, 1000, 9000)).toThrow(/row 0: events at 0, 20000 ps are not one burst/);
  });
});
