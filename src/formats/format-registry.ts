/**
 * Registry of published file formats: name → zod schema. `npm run gen` writes
 * schemas/<name>.schema.json and src/formats/generated/<name>.ts for each entry;
 * test/generated-files.test.ts fails when they drift.
 */
import { datalogRecordSchema } from "./datalog-format.ts";
import { deviceFileSchema } from "./device-format.ts";
import { faultModelSchema } from "./fault-model-format.ts";
import { instrumentProfileSchema } from "./instrument-profile-format.ts";
import { marchTestSchema } from "./march-test-format.ts";
import { programHeaderSchema, programSchema, programStepSchema } from "./program-format.ts";
import { testbenchSchema } from "./testbench-format.ts";
import { ternaryProgramSchema } from "./ternary-program-format.ts";
import { partRecordSchema } from "./part-kinds-format.ts";

export const formats = {
  testbench: { schema: testbenchSchema, typeName: "TestbenchFile", title: "snn-atpg testbench" },
  "fault-model": { schema: faultModelSchema, typeName: "FaultModelFile", title: "snn-atpg fault model" },
  program: { schema: programSchema, typeName: "ProgramFile", title: "snn-atpg test program" },
  "program-header": { schema: programHeaderSchema, typeName: "ProgramHeaderLine", title: "snn-atpg test program, JSON Lines header" },
  "program-vector": { schema: programStepSchema, typeName: "ProgramVectorLine", title: "snn-atpg test program, JSON Lines step (spike vector, write, read or pause)" },
  "instrument-profile": { schema: instrumentProfileSchema, typeName: "InstrumentProfileFile", title: "snn-atpg instrument profile" },
  "datalog-record": { schema: datalogRecordSchema, typeName: "DatalogRecordLine", title: "snn-atpg bench datalog, one JSON Lines record" },
  device: { schema: deviceFileSchema, typeName: "DeviceFile", title: "snn-atpg MTJ spin-Hall neuron device" },
  "march-test": { schema: marchTestSchema, typeName: "MarchTestFile", title: "snn-atpg march test algorithm" },
  "ternary-program": { schema: ternaryProgramSchema, typeName: "TernaryProgramFile", title: "snn-atpg ternary-array test program (Hou et al. ITC 2022)" },
  "part-record": { schema: partRecordSchema, typeName: "PartRecordLine", title: "snn-atpg shard part file (coverage or lifetime --shard i/N --out), one JSON Lines record" },
} as const;

export type FormatName = keyof typeof formats;
