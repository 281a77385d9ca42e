/**
 * STDF V4 writer: one bench run (one DUT) as a binary Standard Test Data Format file
 * that yield tools load (little-endian, CPU_TYPE 2).
 *
 * Records, in order:
 *   FAR  MIR  PMR×outputs  PIR  (PTR×expected spikes  FTR)×vectors  PRR  TSR×vectors  HBR  SBR  PCR  MRR
 * One FTR per vector (TEST_NUM = vector number, pass/fail in TEST_FLG bit 7, failing
 * outputs as a FAIL_PIN bitmap over PMR indexes, VECT_NAM/TEST_TXT = vector id). Before
 * it, one PTR per expected spike: RESULT = the measured spike time (s, shown in ns:
 * RES_SCAL 9), limits = expected ± tolerance (inclusive, PARM_FLG bits 6–7), TEST_FLG
 * bit 1 when no spike came on that output in that window; TEST_NUM = 1,000,000,000 +
 * 1000 × vector number + k (k-th expected spike), so yield tools see margins. The PRR
 * carries the part's hard/soft bin; TSRs (HEAD_NUM 255: summary) count executions and
 * failures per test; HBR/SBR/PCR give the bin and part summary most tools expect.
 * Output o is pin PMR_INDX o + 1 (STDF indexes start at 1), so FAIL_PIN bit o + 1.
 *
 *   writeStdf({ lotId: "L1", partType: "black-pixel-4x1", dutId: "chip-7", programName: "bp.json",
 *               startTime: Date.now(), finishTime: Date.now(), outputs: 1,
 *               vectors: [{ id: "v1", number: 1, pass: false, failingOutputs: [0] }] }, "run.stdf");
 *
 * The input is a frozen, JSON-serialisable run record (`StdfRunInput`); the bench
 * executor maps its datalog records to it — this writer never reads the executor.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { StdfInputError, StdfWriteError } from "./stdf-errors.ts";
import { RecordBody } from "./stdf-records.ts";

export { StdfInputError, StdfWriteError } from "./stdf-errors.ts";
export { stdfRecordTypes } from "./stdf-records.ts";

/** One expected spike and the spike measured for it (one PTR). */
export interface StdfSpikeTime {
  /** Observable output (PROTOCOL.md numbering). */
  output: number;
  /** Coding window of the expected spike. */
  window: number;
  /** Expected spike time from the vector's start, ps. */
  expectedPs: number;
  /** Half-width of the pass band, ps (limits = expected ± tolerance). */
  tolerancePs: number;
  /** Measured spike time on that output in that window (nearest to expected), ps; null = none came. */
  measuredPs: number | null;
}

/** TEST_NUM of the k-th spike-time PTR of a vector. */
export function spikeTimeTestNumber(vectorNumber: number, k: number): number {
  return 1_000_000_000 + 1000 * vectorNumber + k;
}

/** Result of one vector (one FTR). */
export interface StdfVectorResult {
  /** Vector id from the program (VECT_NAM, TEST_TXT, TEST_NAM). */
  id: string;
  /** Test number, unique within the run, 0..4294967295 (TEST_NUM). */
  number: number;
  pass: boolean;
  /** Observable outputs (PROTOCOL.md numbering) whose response was wrong. */
  failingOutputs: number[];
  /** Repetitions applied (REPT_CNT); omitted = not recorded. */
  repetitions?: number;
  /** Spike-time measurements, one PTR each (at most 1000 per vector). */
  spikeTimes?: StdfSpikeTime[];
}

/** A frozen bench run, as the STDF writer takes it. */
export interface StdfRunInput {
  lotId: string;
  /** Part type (PART_TYP): the testbench id is a good choice. */
  partType: string;
  /** DUT id (PART_ID). */
  dutId: string;
  /** Program name (JOB_NAM). */
  programName: string;
  /** Program revision (JOB_REV), e.g. its sha256 prefix. */
  programRevision?: string;
  /** Start and finish of the run: Date or ms since the epoch. */
  startTime: Date | number;
  finishTime: Date | number;
  /** Number of observable outputs (one PMR each); default: 1 + the highest failing output, or 0. */
  outputs?: number;
  /** Output names (CHAN_NAM/LOG_NAM); default out0, out1, … */
  outputNames?: string[];
  vectors: StdfVectorResult[];
  /** Bins; defaults: pass → 1, fail → 2 (hard and soft). */
  passBin?: number;
  failBin?: number;
  /** Testing ended abnormally (bench error, interrupt): PRR PART_FLG bit 2. */
  aborted?: boolean;
  /** Tester identity (TSTR_TYP, NODE_NAM); defaults "snn-atpg". */
  testerType?: string;
  nodeName?: string;
  operatorName?: string;
  /** MODE_COD: P production, E engineering, D development, …; default "P". */
  modeCode?: string;
  /** EXEC_VER, e.g. the snn-atpg version. */
  execVersion?: string;
}

const seconds = (t: Date | number): number => Math.floor((typeof t === "number" ? t : t.getTime()) / 1000) >>> 0;
const millis = (t: Date | number): number => (typeof t === "number" ? t : t.getTime());

function check(input: StdfRunInput): number {
  const numbers = new Set<number>();
  let maxOut = -1;
  for (const v of input.vectors) {
    if (!Number.isInteger(v.number) || v.number < 0 || v.number > 0xffffffff) {
      throw new StdfInputError(`vector ${v.id}: test number ${v.number} is not an integer in 0..4294967295`);
    }
    if (numbers.has(v.number)) throw new StdfInputError(`vector ${v.id}: test number ${v.number} is used twice`);
    numbers.add(v.number);
    const spikes = v.spikeTimes ?? [];
    if (spikes.length > 1000) throw new StdfInputError(`vector ${v.id}: ${spikes.length} expected spikes; the spike-time test numbers hold 1000 per vector`);
    for (let k = 0; k < spikes.length; k++) {
      const n = spikeTimeTestNumber(v.number, k);
      if (n > 0xffffffff || numbers.has(n)) throw new StdfInputError(`vector ${v.id}: spike-time test number ${n} is ${n > 0xffffffff ? "above 4294967295" : "used twice"}`);
      numbers.add(n);
    }
    for (const o of v.failingOutputs) {
      if (!Number.isInteger(o) || o < 0) throw new StdfInputError(`vector ${v.id}: failing output ${o} is not a non-negative integer`);
      maxOut = Math.max(maxOut, o);
    }
  }
  const outputs = input.outputs ?? maxOut + 1;
  if (maxOut >= outputs) throw new StdfInputError(`a vector fails output ${maxOut} but the run has ${outputs} output(s)`);
  if (outputs > 32766) throw new StdfInputError(`${outputs} outputs: STDF pin indexes stop at 32767`);
  return outputs;
}

/** What the records before the first vector and after the last need of a run (all of StdfRunInput but its vectors and end). */
export type StdfRunHead = Omit<StdfRunInput, "vectors" | "finishTime" | "aborted">;

/** FAR, MIR, a PMR per output, PIR: the records before the first vector. */
export function stdfHeadBytes(input: StdfRunHead, outputs: number): Buffer {
  const tester = input.testerType ?? "snn-atpg";
  const out: Buffer[] = [];
  out.push(new RecordBody().u1(2).u1(4).record("FAR"));
  const mir = new RecordBody()
    .u4(seconds(input.startTime))
    .u4(seconds(input.startTime))
    .u1(1)
    .c1(input.modeCode ?? "P")
    .c1(" ")
    .c1(" ")
    .u2(65535)
    .c1(" ")
    .cn(input.lotId)
    .cn(input.partType)
    .cn(input.nodeName ?? tester)
    .cn(tester)
    .cn(input.programName)
    .cn(input.programRevision ?? "")
    .cn("")
    .cn(input.operatorName ?? "")
    .cn("snn-atpg")
    .cn(input.execVersion ?? "");
  for (let i = 0; i < 20; i++) mir.cn(""); // TEST_COD … SUPR_NAM
  out.push(mir.record("MIR"));
  for (let o = 0; o < outputs; o++) {
    const name = input.outputNames?.[o] ?? `out${o}`;
    out.push(new RecordBody().u2(o + 1).u2(0).cn(name).cn(name).cn(name).u1(1).u1(1).record("PMR"));
  }
  out.push(new RecordBody().u1(1).u1(1).record("PIR"));
  return Buffer.concat(out);
}

/** A PTR per expected spike, then the FTR: one vector's records. */
export function stdfVectorBytes(v: StdfVectorResult, outputs: number): Buffer {
  const out: Buffer[] = [];
  const sec = (ps: number) => ps * 1e-12;
  (v.spikeTimes ?? []).forEach((t, k) => {
    const lo = t.expectedPs - t.tolerancePs;
    const hi = t.expectedPs + t.tolerancePs;
    const pass = t.measuredPs !== null && t.measuredPs >= lo && t.measuredPs <= hi;
    out.push(
      new RecordBody()
        .u4(spikeTimeTestNumber(v.number, k))
        .u1(1)
        .u1(1)
        .u1((pass ? 0 : 0x80) | (t.measuredPs === null ? 0x02 : 0)) // bit 1: RESULT not valid (no spike)
        .u1(0xc0) // LO_LIMIT ≤ RESULT ≤ HI_LIMIT passes
        .r4(sec(t.measuredPs ?? 0))
        .cn(`${v.id} out${t.output} spike time, window ${t.window + 1}`)
        .cn("")
        .u1(0x0e) // scales and limits valid; no LO_SPEC / HI_SPEC
        .i1(9)
        .i1(9)
        .i1(9)
        .r4(sec(lo))
        .r4(sec(hi))
        .cn("s")
        .cn("")
        .cn("")
        .cn("")
        .r4(0)
        .r4(0)
        .record("PTR"),
    );
  });
  const optFlag = 0xc0 | 0x01 | 0x02 | 0x10 | 0x20 | (v.repetitions === undefined ? 0x04 : 0); // NUM_FAIL (and REPT_CNT) valid
  const failing = [...new Set(v.failingOutputs)].sort((a, b) => a - b);
  out.push(
    new RecordBody()
      .u4(v.number)
      .u1(1)
      .u1(1)
      .u1(v.pass ? 0x00 : 0x80)
      .u1(optFlag)
      .u4(0) // CYCL_CNT
      .u4(0) // REL_VADR
      .u4(v.repetitions ?? 0)
      .u4(failing.length)
      .i4(0)
      .i4(0)
      .i2(0)
      .u2(0) // RTN_ICNT
      .u2(0) // PGM_ICNT
      .dn(failing.map((o) => o + 1), failing.length ? outputs + 1 : 0)
      .cn(v.id)
      .cn("")
      .cn("")
      .cn(v.id)
      .cn("")
      .cn("")
      .cn(v.pass ? "pass" : `fail: outputs ${failing.join(",")}`)
      .u1(255) // PATG_NUM: none
      .dn([], 0)
      .record("FTR"),
  );
  return Buffer.concat(out);
}

/** The vector's TSR (HEAD_NUM 255: the summary after the part). */
export function stdfTsrBytes(v: Pick<StdfVectorResult, "id" | "number" | "pass">, programName: string): Buffer {
  return (
    new RecordBody()
      .u1(255)
      .u1(255)
      .c1("F")
      .u4(v.number)
      .u4(1)
      .u4(v.pass ? 0 : 1)
      .u4(0)
      .cn(v.id)
      .cn(programName)
      .cn("")
      .u1(0xff) // no TEST_TIM / MIN / MAX / SUMS / SQRS
      .r4(0)
      .r4(0)
      .r4(0)
      .r4(0)
      .r4(0)
      .record("TSR")
  );
}

/** How the run ended: what the PRR and the summary records say. */
export interface StdfRunEnd {
  vectors: number;
  partFailed: boolean;
  aborted: boolean;
  startTime: Date | number;
  finishTime: Date | number;
}

/** The PRR: the part's flags, test count, bin, test time. */
export function stdfPartBytes(input: Pick<StdfRunInput, "dutId" | "passBin" | "failBin">, end: StdfRunEnd): Buffer {
  const bin = end.partFailed ? (input.failBin ?? 2) : (input.passBin ?? 1);
  const partFlag = (end.partFailed ? 0x08 : 0) | (end.aborted ? 0x04 : 0);
  const testMs = Math.max(0, millis(end.finishTime) - millis(end.startTime));
  return (
    new RecordBody()
      .u1(1)
      .u1(1)
      .u1(partFlag)
      .u2(Math.min(end.vectors, 65535))
      .u2(bin)
      .u2(bin)
      .i2(-32768)
      .i2(-32768)
      .u4(Math.min(testMs, 0xffffffff))
      .cn(input.dutId)
      .cn("")
      .bnEmpty()
      .record("PRR")
  );
}

/** HBR, SBR, PCR, MRR: the records after the TSRs. */
export function stdfSummaryBytes(input: Pick<StdfRunInput, "passBin" | "failBin">, end: StdfRunEnd): Buffer {
  const partFailed = end.partFailed;
  const bin = partFailed ? (input.failBin ?? 2) : (input.passBin ?? 1);
  const out: Buffer[] = [];
  const binName = partFailed ? "fail" : "pass";
  const pf = partFailed ? "F" : "P";
  out.push(new RecordBody().u1(255).u1(255).u2(bin).u4(1).c1(pf).cn(binName).record("HBR"));
  out.push(new RecordBody().u1(255).u1(255).u2(bin).u4(1).c1(pf).cn(binName).record("SBR"));
  out.push(new RecordBody().u1(255).u1(255).u4(1).u4(0).u4(end.aborted ? 1 : 0).u4(partFailed ? 0 : 1).u4(1).record("PCR"));
  out.push(new RecordBody().u4(seconds(end.finishTime)).c1(" ").cn("").cn(end.aborted ? "aborted" : "").record("MRR"));
  return Buffer.concat(out);
}

/** Encode a run as STDF V4 bytes (the records in the order of the module header; stdf-stream.ts writes the same bytes as the run goes). */
export function encodeStdf(input: StdfRunInput): Buffer {
  const outputs = check(input);
  const end: StdfRunEnd = { vectors: input.vectors.length, partFailed: input.vectors.some((v) => !v.pass), aborted: input.aborted ?? false, startTime: input.startTime, finishTime: input.finishTime };
  return Buffer.concat([
    stdfHeadBytes(input, outputs),
    ...input.vectors.map((v) => stdfVectorBytes(v, outputs)),
    stdfPartBytes(input, end),
    ...input.vectors.map((v) => stdfTsrBytes(v, input.programName)),
    stdfSummaryBytes(input, end),
  ]);
}

/** Write a run as an STDF V4 file. */
export function writeStdf(records: StdfRunInput, path: string): void {
  const bytes = encodeStdf(records);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  } catch (err) {
    throw new StdfWriteError(`${path}: cannot write STDF file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
