/**
 * `snn-atpg demo`: the default job (`npm start`) on the built-in bench, no hardware.
 * For now: simulate the seed 000 reference circuit for every input pattern.
 */
import type { Command } from "commander";
import type { CliContext, CommandDefinition } from "../cli-context.ts";
import { runSimulate } from "./simulate-command.ts";

export const demoCommand: CommandDefinition = {
  name: "demo",
  register(program: Command, ctx: CliContext) {
    program
      .command("demo")
      .summary("the default job on the built-in bench (what `npm start` runs)")
      .action(() => {
        for (const p of ["1000", "1100", "1110", "1111"]) {
          ctx.out(`--- pattern ${p}`);
          runSimulate("black-pixel-4x1", { pattern: p, windows: 3, open: [] }, ctx);
        }
      });
  },
};
