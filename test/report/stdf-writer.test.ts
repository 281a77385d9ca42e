/**
 * STDF V4 writer, read back with an independent record walker written from the STDF V4
 * specification (not from the writer): it follows REC_LEN/REC_TYP/REC_SUB, decodes every
 * field of the records we emit, checks each record is consumed exactly, and checks order.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeStdf, StdfInputError, writeStdf, type StdfRunInput } from "../../src/report/stdf-writer.ts";
import { stdfText } from "../../src/report/stdf-text.ts";

/** Minimal little-endian STDF V4 reader. */
class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, private end: number) {}
  u1() { return this.buf.readUInt8(this.pos++); }
  u2() { const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  i2() { const v = this.buf.readInt16LE(this.pos); this.pos += 2; return v; }
  u4() { const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  i4() { const v = this.buf.readInt32LE(this.pos); this.pos += 4; return v; }
  r4() { const v = this.buf.readFloatLE(this.pos); this.pos += 4; return v; }
  c1() { return String.fromCharCode(this.u1()); }
  cn() { const n = this.u1(); const s = this.buf.toString("latin1", this.pos, this.pos + n); this.pos += n; return s; }
  bn() { const n = this.u1(); this.pos += n; return n; }
  dn() {
    const bits = this.u2();
    const set: number[] = [];
    for (let i = 0; i < bits; i++) if (this.buf[this.pos + (i >> 3)] & (1 << (i & 7))) set.push(i);
    this.pos += Math.ceil(bits / 8);
    return { bits, set };
  }
  kxu2(k: number) { return Array.from({ length: k }, () => this.u2()); }
  kxn1(k: number) { this.pos += Math.ceil(k / 2); }
  done() { return this.pos === this.end; }
}

const names: Record<string, string> = { "15,10": "PTR", "0,10": "FAR", "1,10": "MIR", "1,20": "MRR", "1,30": "PCR", "1,40": "HBR", "1,50": "SBR", "1,60": "PMR", "5,10": "PIR", "5,20": "PRR", "10,30": "TSR", "15,20": "FTR" };

type Rec = { name: string; len: number; f: Record<string, unknown> };

function walk(buf: Buffer): Rec[] {
  const recs: Rec[] = [];
  let pos = 0;
  while (pos < buf.length) {
    expect(buf.length - pos, "truncated header").toBeGreaterThanOrEqual(4);
    const len = buf.readUInt16LE(pos);
    const name = names[`${buf[pos + 2]},${buf[pos + 3]}`] ?? `?${buf[pos + 2]},${buf[pos + 3]}`;
    const r = new Reader(buf, pos + 4 + len);
    r.pos = pos + 4;
    const f: Record<string, unknown> = {};
    switch (name) {
      case "FAR": f.CPU_TYPE = r.u1(); f.STDF_VER = r.u1(); break;
      case "MIR": {
        f.SETUP_T = r.u4(); f.START_T = r.u4(); f.STAT_NUM = r.u1(); f.MODE_COD = r.c1(); f.RTST_COD = r.c1(); f.PROT_COD = r.c1();
        f.BURN_TIM = r.u2(); f.CMOD_COD = r.c1();
        for (const k of ["LOT_ID", "PART_TYP", "NODE_NAM", "TSTR_TYP", "JOB_NAM", "JOB_REV", "SBLOT_ID", "OPER_NAM", "EXEC_TYP", "EXEC_VER", "TEST_COD", "TST_TEMP", "USER_TXT", "AUX_FILE", "PKG_TYP", "FAMLY_ID", "DATE_COD", "FACIL_ID", "FLOOR_ID", "PROC_ID", "OPER_FRQ", "SPEC_NAM", "SPEC_VER", "FLOW_ID", "SETUP_ID", "DSGN_REV", "ENG_ID", "ROM_COD", "SERL_NUM", "SUPR_NAM"]) f[k] = r.cn();
        break;
      }
      case "PMR": f.PMR_INDX = r.u2(); f.CHAN_TYP = r.u2(); f.CHAN_NAM = r.cn(); f.PHY_NAM = r.cn(); f.LOG_NAM = r.cn(); f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); break;
      case "PIR": f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); break;
      case "FTR": {
        f.TEST_NUM = r.u4(); f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.TEST_FLG = r.u1(); f.OPT_FLAG = r.u1();
        f.CYCL_CNT = r.u4(); f.REL_VADR = r.u4(); f.REPT_CNT = r.u4(); f.NUM_FAIL = r.u4(); f.XFAIL_AD = r.i4(); f.YFAIL_AD = r.i4(); f.VECT_OFF = r.i2();
        const rtn = r.u2(); const pgm = r.u2(); f.RTN_ICNT = rtn; f.PGM_ICNT = pgm;
        r.kxu2(rtn); r.kxn1(rtn); r.kxu2(pgm); r.kxn1(pgm);
        f.FAIL_PIN = r.dn();
        for (const k of ["VECT_NAM", "TIME_SET", "OP_CODE", "TEST_TXT", "ALARM_ID", "PROG_TXT", "RSLT_TXT"]) f[k] = r.cn();
        f.PATG_NUM = r.u1(); f.SPIN_MAP = r.dn();
        break;
      }
      case "PTR": {
        f.TEST_NUM = r.u4(); f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.TEST_FLG = r.u1(); f.PARM_FLG = r.u1(); f.RESULT = r.r4();
        f.TEST_TXT = r.cn(); f.ALARM_ID = r.cn(); f.OPT_FLAG = r.u1();
        f.RES_SCAL = r.buf.readInt8(r.pos++); f.LLM_SCAL = r.buf.readInt8(r.pos++); f.HLM_SCAL = r.buf.readInt8(r.pos++);
        f.LO_LIMIT = r.r4(); f.HI_LIMIT = r.r4(); f.UNITS = r.cn(); f.C_RESFMT = r.cn(); f.C_LLMFMT = r.cn(); f.C_HLMFMT = r.cn(); f.LO_SPEC = r.r4(); f.HI_SPEC = r.r4();
        break;
      }
      case "PRR": {
        f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.PART_FLG = r.u1(); f.NUM_TEST = r.u2(); f.HARD_BIN = r.u2(); f.SOFT_BIN = r.u2();
        f.X_COORD = r.i2(); f.Y_COORD = r.i2(); f.TEST_T = r.u4(); f.PART_ID = r.cn(); f.PART_TXT = r.cn(); f.PART_FIX = r.bn();
        break;
      }
      case "TSR": {
        f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.TEST_TYP = r.c1(); f.TEST_NUM = r.u4(); f.EXEC_CNT = r.u4(); f.FAIL_CNT = r.u4(); f.ALRM_CNT = r.u4();
        f.TEST_NAM = r.cn(); f.SEQ_NAME = r.cn(); f.TEST_LBL = r.cn(); f.OPT_FLAG = r.u1();
        f.TEST_TIM = r.r4(); f.TEST_MIN = r.r4(); f.TEST_MAX = r.r4(); f.TST_SUMS = r.r4(); f.TST_SQRS = r.r4();
        break;
      }
      case "HBR": case "SBR": f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.BIN_NUM = r.u2(); f.BIN_CNT = r.u4(); f.BIN_PF = r.c1(); f.BIN_NAM = r.cn(); break;
      case "PCR": f.HEAD_NUM = r.u1(); f.SITE_NUM = r.u1(); f.PART_CNT = r.u4(); f.RTST_CNT = r.u4(); f.ABRT_CNT = r.u4(); f.GOOD_CNT = r.u4(); f.FUNC_CNT = r.u4(); break;
      case "MRR": f.FINISH_T = r.u4(); f.DISP_COD = r.c1(); f.USR_DESC = r.cn(); f.EXC_DESC = r.cn(); break;
      default: throw new Error(`unexpected record ${name} at byte ${pos}`);
    }
    expect(r.done(), `${name} at byte ${pos}: fields use ${r.pos - pos - 4} of REC_LEN ${len} bytes`).toBe(true);
    recs.push({ name, len, f });
    pos += 4 + len;
  }
  expect(pos).toBe(buf.length);
  return recs;
}

const start = Date.UTC(2025, 0, 15, 9, 30, 0);
const run: StdfRunInput = {
  lotId: "LOT-42",
  partType: "black-pixel-4x1",
  dutId: "chip-7",
  programName: "black-pixel-4x1-all16.json",
  programRevision: "3f2a9c",
  startTime: start,
  finishTime: start + 2_500,
  outputs: 3,
  vectors: [
    { id: "v-1111", number: 1, pass: true, failingOutputs: [] },
    { id: "v-1110", number: 2, pass: false, failingOutputs: [2, 0], repetitions: 5 },
    { id: "v-0000", number: 7, pass: true, failingOutputs: [] },
  ],
};

const dir = mkdtempSync(join(tmpdir(), "stdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeStdf", () => {
  const path = join(dir, "run.stdf");
  writeStdf(run, path);
  const recs = walk(readFileSync(path));

  it("writes FAR, MIR, PMRs, PIR, one FTR per vector, PRR, TSRs, HBR, SBR, PCR, MRR in that order", () => {
    expect(recs.map((r) => r.name)).toEqual(["FAR", "MIR", "PMR", "PMR", "PMR", "PIR", "FTR", "FTR", "FTR", "PRR", "TSR", "TSR", "TSR", "HBR", "SBR", "PCR", "MRR"]);
  });

  it("FAR says little-endian (CPU_TYPE 2) STDF V4; MIR carries lot, part, program and times", () => {
    expect(recs[0].f).toEqual({ CPU_TYPE: 2, STDF_VER: 4 });
    const mir = recs[1].f;
    expect(mir.LOT_ID).toBe("LOT-42");
    expect(mir.PART_TYP).toBe("black-pixel-4x1");
    expect(mir.JOB_NAM).toBe("black-pixel-4x1-all16.json");
    expect(mir.JOB_REV).toBe("3f2a9c");
    expect(mir.START_T).toBe(start / 1000);
    expect(recs.at(-1)!.f.FINISH_T).toBe(start / 1000 + 2);
  });

  it("FTRs carry test number, pass/fail in TEST_FLG bit 7 and the failing pins as PMR indexes", () => {
    const ftrs = recs.filter((r) => r.name === "FTR").map((r) => r.f);
    expect(ftrs.map((f) => f.TEST_NUM)).toEqual([1, 2, 7]);
    expect(ftrs.map((f) => (f.TEST_FLG as number) & 0x80)).toEqual([0, 0x80, 0]);
    expect(ftrs[1].NUM_FAIL).toBe(2);
    expect(ftrs[1].REPT_CNT).toBe(5);
    expect((ftrs[1].OPT_FLAG as number) & 0x08).toBe(0); // NUM_FAIL valid
    expect((ftrs[1].OPT_FLAG as number) & 0xc0).toBe(0xc0); // reserved bits set
    expect((ftrs[0].OPT_FLAG as number) & 0x04).toBe(0x04); // REPT_CNT not recorded there
    const pins = recs.filter((r) => r.name === "PMR").map((r) => r.f);
    const failingNames = (ftrs[1].FAIL_PIN as { set: number[] }).set.map((i) => pins.find((p) => p.PMR_INDX === i)?.CHAN_NAM);
    expect(failingNames).toEqual(["out0", "out2"]);
    expect((ftrs[0].FAIL_PIN as { bits: number }).bits).toBe(0);
    expect(ftrs.map((f) => f.VECT_NAM)).toEqual(["v-1111", "v-1110", "v-0000"]);
  });

  it("PRR fails the part into the fail bin; PIR/PRR pair on head 1 site 1", () => {
    const pir = recs.find((r) => r.name === "PIR")!.f;
    const prr = recs.find((r) => r.name === "PRR")!.f;
    expect(pir).toEqual({ HEAD_NUM: 1, SITE_NUM: 1 });
    expect([prr.HEAD_NUM, prr.SITE_NUM]).toEqual([1, 1]);
    expect((prr.PART_FLG as number) & 0x08).toBe(0x08);
    expect((prr.PART_FLG as number) & 0x04).toBe(0);
    expect([prr.HARD_BIN, prr.SOFT_BIN]).toEqual([2, 2]);
    expect(prr.NUM_TEST).toBe(3);
    expect(prr.PART_ID).toBe("chip-7");
    expect(prr.TEST_T).toBe(2500);
  });

  it("TSRs count executions and failures per test; summaries agree with the part", () => {
    const tsr = recs.filter((r) => r.name === "TSR").map((r) => r.f);
    expect(tsr.map((f) => [f.TEST_NUM, f.TEST_TYP, f.EXEC_CNT, f.FAIL_CNT])).toEqual([[1, "F", 1, 0], [2, "F", 1, 1], [7, "F", 1, 0]]);
    const hbr = recs.find((r) => r.name === "HBR")!.f;
    expect([hbr.BIN_NUM, hbr.BIN_CNT, hbr.BIN_PF]).toEqual([2, 1, "F"]);
    const pcr = recs.find((r) => r.name === "PCR")!.f;
    expect([pcr.PART_CNT, pcr.GOOD_CNT]).toEqual([1, 0]);
  });

  it("a passing part goes to the pass bin", () => {
    const pass = walk(encodeStdf({ ...run, vectors: run.vectors.filter((v) => v.pass) }));
    const prr = pass.find((r) => r.name === "PRR")!.f;
    expect([(prr.PART_FLG as number) & 0x08, prr.HARD_BIN]).toEqual([0, 1]);
    expect(pass.find((r) => r.name === "PCR")!.f.GOOD_CNT).toBe(1);
  });

  it("one PTR per expected spike before its vector's FTR: measured time, limits expected +/- tolerance in seconds, shown in ns", () => {
    // v1 expects out0 at 21,900 ps (tolerance 500 ps) and measured it at 22,000 ps: inside
    // [21,400, 22,400] ps → pass; its out1 spike at 5,000 ps never came → fail, RESULT invalid.
    const withSpikes: StdfRunInput = {
      ...run,
      vectors: [
        { id: "v1", number: 1, pass: false, failingOutputs: [1], spikeTimes: [
          { output: 0, window: 2, expectedPs: 21_900, tolerancePs: 500, measuredPs: 22_000 },
          { output: 1, window: 0, expectedPs: 5_000, tolerancePs: 500, measuredPs: null },
        ] },
        { id: "v2", number: 2, pass: false, failingOutputs: [0], spikeTimes: [{ output: 0, window: 0, expectedPs: 1_000, tolerancePs: 100, measuredPs: 1_250 }] },
      ],
    };
    const recs2 = walk(encodeStdf(withSpikes));
    expect(recs2.map((r) => r.name).slice(5, 11)).toEqual(["PIR", "PTR", "PTR", "FTR", "PTR", "FTR"]);
    const ptrs = recs2.filter((r) => r.name === "PTR").map((r) => r.f);
    expect(ptrs.map((f) => f.TEST_NUM)).toEqual([1_000_001_000, 1_000_001_001, 1_000_002_000]);
    expect(ptrs.map((f) => f.TEST_FLG)).toEqual([0x00, 0x82, 0x80]); // pass; fail + no result; fail (250 ps late > 100 ps)
    // R*4 holds ~7 significant digits: 22 ns to within 5e-15 s
    expect(ptrs[0].RESULT).toBeCloseTo(22_000e-12, 14);
    expect(ptrs[0].LO_LIMIT).toBeCloseTo(21_400e-12, 14);
    expect(ptrs[0].HI_LIMIT).toBeCloseTo(22_400e-12, 14);
    expect([ptrs[0].UNITS, ptrs[0].RES_SCAL, ptrs[0].LLM_SCAL, ptrs[0].HLM_SCAL, ptrs[0].PARM_FLG]).toEqual(["s", 9, 9, 9, 0xc0]);
    expect((ptrs[0].OPT_FLAG as number) & 0xf1).toBe(0); // scale and both limits valid
    expect(ptrs[0].TEST_TXT).toBe("v1 out0 spike time, window 3");
  });

  it("rejects duplicate test numbers and failing outputs beyond the run's outputs", () => {
    expect(() => encodeStdf({ ...run, vectors: [run.vectors[0], { ...run.vectors[2], number: 1 }] })).toThrow(StdfInputError);
    expect(() => encodeStdf({ ...run, outputs: 2 })).toThrow(/fails output 2 but the run has 2/);
  });

  it("dut ids beyond Latin-1 or 255 characters: folded or '?', never a NUL, cut only with a reported change (issue 11 item 10)", () => {
    // "Ā" is U+0100: written byte by byte it was 0x00, a NUL inside PART_ID.
    const prr = (dutId: string) => walk(encodeStdf({ ...run, dutId })).find((r) => r.name === "PRR")!.f.PART_ID as string;
    expect(prr("Ānode-芯片")).toBe("Anode-??");
    expect(prr("x".repeat(300))).toBe("x".repeat(255));
    expect(stdfText("Ānode-芯片")).toEqual({ text: "Anode-??", changes: ["1 accented character(s) written without their accents", '2 character(s) outside printable Latin-1 written as "?"'] });
    expect(stdfText("x".repeat(300)).changes).toEqual(["cut from 300 to 255 characters"]);
    expect(stdfText("chip-7 µ°").changes).toEqual([]); // Latin-1 as it is
  });
});
