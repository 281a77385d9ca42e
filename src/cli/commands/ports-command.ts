/**
 * `snn-atpg ports`: list the serial ports a board or instrument could sit on.
 *
 *   snn-atpg ports          # path, manufacturer, serial number, USB ids
 *   snn-atpg ports --json
 *
 * Exit 0 when the system enumerated its ports (even if there are none); exit 3 when it
 * cannot (e.g. `udevadm` missing on Linux) — the message says why, and the serial-looking
 * device nodes found under /dev (including /dev/pts pseudo-terminals) are printed so a
 * path can still be passed with --port.
 */
import type { Command } from "commander";
import { listSerialPorts, type PortListingDeps } from "../../transports/serial-port-listing.ts";
import type { CliContext, CommandDefinition } from "../cli-context.ts";
import { exitCodes } from "../exit-codes.ts";

export async function runPorts(o: { json?: boolean }, ctx: CliContext, deps: PortListingDeps = {}): Promise<void> {
  const r = await listSerialPorts(deps);
  if (!r.enumerated) ctx.setExit(exitCodes.benchError);
  if (o.json) {
    ctx.out(JSON.stringify(r));
    if (!r.enumerated) ctx.err(`error: ${r.problem}`);
    return;
  }
  if (r.enumerated) {
    if (r.ports.length === 0) ctx.out("no serial ports found");
    for (const p of r.ports) {
      const usb = p.vendorId ? ` usb ${p.vendorId}:${p.productId ?? "?"}` : "";
      ctx.out(`${p.path}${p.manufacturer ? `  ${p.manufacturer}` : ""}${p.serialNumber ? `  s/n ${p.serialNumber}` : ""}${usb}`);
    }
    return;
  }
  ctx.err(`error: ${r.problem}.`);
  ctx.err("Pass the port path directly with --port (for example /dev/ttyUSB0); on Debian/Ubuntu `apt-get install udev` enables listing.");
  if (r.deviceNodes.length === 0) {
    ctx.err("No serial-looking device nodes were found under /dev either.");
    return;
  }
  ctx.err("Serial-looking device nodes under /dev (not verified to be ports):");
  for (const n of r.deviceNodes) ctx.out(n);
}

export const portsCommand: CommandDefinition = {
  name: "ports",
  register(program: Command, ctx: CliContext) {
    program
      .command("ports")
      .description(
        "List serial ports with the serial library. When the system cannot enumerate them (on Linux the " +
          "library needs udevadm), say so, exit 3, and print the serial-looking device nodes under /dev " +
          "(ttyS*, ttyUSB*, ttyACM*, /dev/serial/by-id/*, /dev/pts/*) so a path can be given with --port.",
      )
      .option("--json", "print one JSON object: { enumerated, ports, problem?, deviceNodes }")
      .addHelpText(
        "after",
        "\nExit codes: 0 listed (possibly none), 3 the system cannot enumerate serial ports.\n" +
          "\nExamples:\n  snn-atpg ports\n  snn-atpg ports --json",
      )
      .action((o: { json?: boolean }) => runPorts(o, ctx));
  },
};
