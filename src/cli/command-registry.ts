/**
 * The registry of CLI commands, in the order `--help` lists them.
 * Adding a command: write src/cli/commands/<name>-command.ts and add it here.
 */
import type { CommandDefinition } from "./cli-context.ts";
import { simulateCommand } from "./commands/simulate-command.ts";
import { demoCommand } from "./commands/demo-command.ts";

export const commands: readonly CommandDefinition[] = [demoCommand, simulateCommand];
