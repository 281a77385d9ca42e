/**
 * The registry of CLI commands, in the order `--help` lists them.
 * Adding a command: write src/cli/commands/<name>-command.ts and add it here.
 */
import type { CommandDefinition } from "./cli-context.ts";
import { simulateCommand } from "./commands/simulate-command.ts";
import { demoCommand } from "./commands/demo-command.ts";
import { sweepOpenCommand } from "./commands/sweep-open-command.ts";
import { retentionCommand } from "./commands/retention-command.ts";
import { compareArraysCommand } from "./commands/compare-arrays-command.ts";
import { calibrateLayersCommand } from "./commands/calibrate-layers-command.ts";
import { lifetimeCommand } from "./commands/lifetime-command.ts";
import { portsCommand } from "./commands/ports-command.ts";
import { runCommand } from "./commands/run-command.ts";
import { emulateCommand } from "./commands/emulate-command.ts";
import { diagnoseCommand } from "./commands/diagnose-command.ts";
import { emulateScpiCommand } from "./commands/emulate-scpi-command.ts";
import { deviceCommand } from "./commands/device-command.ts";
import { calibrateCommand } from "./commands/calibrate-command.ts";
import { generateCommand } from "./commands/generate-command.ts";
import { faultsCommand } from "./commands/faults-command.ts";
import { coverageCommand } from "./commands/coverage-command.ts";
import { mergeCommand } from "./commands/merge-command.ts";
import { ternaryCoverageCommand } from "./commands/ternary-coverage-command.ts";

export const commands: readonly CommandDefinition[] = [demoCommand, simulateCommand, sweepOpenCommand, retentionCommand, lifetimeCommand, portsCommand, runCommand, emulateCommand, diagnoseCommand, emulateScpiCommand, deviceCommand, calibrateCommand, generateCommand, faultsCommand, coverageCommand, mergeCommand, compareArraysCommand, calibrateLayersCommand, ternaryCoverageCommand];
