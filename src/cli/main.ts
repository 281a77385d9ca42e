/**
 * The snn-atpg command line: builds the commander program from the command registry
 * (loading only the module of the command being run),
 * runs it, and maps typed errors to messages and exit codes. The only place that
 * decides how the process ends.
 *
 *   const code = await main(["node", "snn-atpg", "simulate", "testbenches/black-pixel-4x1.json", "--pattern", "1111"]);
 */
import { Command, CommanderError } from "commander";
import { toolInfo } from "../formats/tool-version.ts";
import type { CliContext } from "./cli-context.ts";
import { commands } from "./command-registry.ts";
import { exitCodeHelp, exitCodeOf, exitCodes } from "./exit-codes.ts";

/** The command an argument vector names (`help <command>` names its command), if any: the first word after the program's own options. */
export function commandNameIn(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/** Signals that stop a command: Ctrl-C, `kill`, a closed terminal. */
const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export async function main(argv: string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let exit: number = exitCodes.ok;
  const controller = new AbortController();
  // A closed pipe (`snn-atpg --help | head`) is not an error worth a stack trace; another write error
  // (a full disk under `> file`) ends the command with the infrastructure code and a one-line message:
  // on the process's own streams at once (guardProcessStreams), on a caller's streams (tests) by
  // stopping the command as Ctrl-C would and returning that code.
  let writeFailed = false;
  guardProcessStreams();
  const onWriteError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || writeFailed) return;
    writeFailed = true;
    if (stderr.writable) stderr.write(writeFailedMessage(err));
    controller.abort();
  };
  // a caller's streams: errors routed to this command while it runs (a nested runCli routes them to itself, then back)
  const callerStreams = [...new Set<NodeJS.WritableStream>([stdout, stderr])].filter((s) => s !== process.stdout && s !== process.stderr);
  const unroute = callerStreams.map((s) => routeStreamErrors(s, onWriteError));
  // The first Ctrl-C (or SIGTERM / SIGHUP) asks the command to stop after flushing what is
  // finished; a second one stops at once. process.exit still runs the "exit" listeners, so
  // a datalog lock is released and every record already written stays whole (each is
  // written and fsynced in one synchronous call, never cut by a signal handler).
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (++signals === 1) {
      controller.abort();
      return;
    }
    stderr.write(`\n${name} again: stopping at once (finished records are kept; an STDF or report not yet written is not)\n`);
    process.exit(exitCodes.interrupted);
  };
  for (const s of stopSignals) process.on(s, onSignal);
  const ctx: CliContext = {
    out: (line) => stdout.write(`${line}\n`),
    drained: () => drained(stdout, controller.signal),
    err: (line) => stderr.write(`${line}\n`),
    errRaw: (text) => stderr.write(text),
    stderrIsTty: Boolean((stderr as NodeJS.WriteStream).isTTY),
    setExit: (code) => {
      exit = code;
    },
    signal: controller.signal,
    argv,
    runCli: (args) => main(["node", "snn-atpg", ...args], io),
  };
  const program = new Command("snn-atpg")
    .description(
      "Test generation, bench testing and fault coverage for MTJ spiking-neural-network chips.\n" +
        "Start with: snn-atpg demo   (generate → coverage → emulated bench run on the built-in bench)",
    )
    .version(toolInfo.version)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\n${exitCodeHelp}`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  // Only the command being run is loaded; the others are listed for --help and "Did you mean".
  const wanted = commandNameIn(argv);
  for (const c of commands) {
    if (c.name === wanted) {
      (await c.load()).register(program, ctx);
      program.commands.find((sub) => sub.name() === c.name)?.summary(c.summary);
    } else program.command(c.name).summary(c.summary);
  }
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  const code = await runProgram();
  // a write fails on a later tick than the write: wait until what was written to a caller's stream is taken (or failed)
  await Promise.all(callerStreams.map((s) => new Promise((resolve) => (s.writable ? s.write("", () => resolve(undefined)) : resolve(undefined)))));
  for (const u of unroute) u();
  return writeFailed ? exitCodes.benchError : code;

  async function runProgram(): Promise<number> {
    try {
      await program.parseAsync(argv);
      return exit;
    } catch (err) {
      if (writeFailed) return exitCodes.benchError; // stopped because its output could not be written (said above)
      if (err instanceof CommanderError) {
        if (err.exitCode === 0) return 0; // --help, --version
        return exitCodes.badInput; // commander already printed the message
      }
      const code = exitCodeOf(err);
      if (code !== exitCodes.internal) {
        ctx.err(`error: ${(err as Error).message}`);
        return code;
      }
      ctx.err(`internal error: ${(err as Error)?.stack ?? String(err)}`);
      return code;
    } finally {
      for (const s of stopSignals) process.removeListener(s, onSignal);
    }
  }
}

/** Per caller stream: one permanent "error" listener that calls the handler of the command running now (none: the error is ignored). */
const streamRoutes = new WeakMap<NodeJS.WritableStream, ((err: NodeJS.ErrnoException) => void) | undefined>();

function routeStreamErrors(s: NodeJS.WritableStream, handler: (err: NodeJS.ErrnoException) => void): () => void {
  if (!streamRoutes.has(s)) s.on("error", (err: NodeJS.ErrnoException) => streamRoutes.get(s)?.(err));
  const before = streamRoutes.get(s);
  streamRoutes.set(s, handler);
  return () => streamRoutes.set(s, before);
}

const writeFailedMessage = (err: NodeJS.ErrnoException) => `error: writing the output failed (${err.code ?? err.message}); what was printed before is incomplete\n`;

let guarded = false;
/** Once per process (not per command: runCli runs several): stdout and stderr errors other than EPIPE end the process with exit 3 and one line. */
function guardProcessStreams(): void {
  if (guarded) return;
  guarded = true;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") return;
    try {
      process.stderr.write(writeFailedMessage(err));
    } finally {
      process.exit(exitCodes.benchError);
    }
  };
  process.stdout.on("error", onError);
  process.stderr.on("error", onError);
}

/** Resolves when `out` wants no more waiting: its buffer drained, or it closed or failed, or the command is interrupted. */
function drained(out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  const s = out as NodeJS.WritableStream & { writableNeedDrain?: boolean; destroyed?: boolean };
  if (!s.writableNeedDrain || s.destroyed || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      s.off("drain", done);
      s.off("close", done);
      s.off("error", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    s.on("drain", done);
    s.on("close", done);
    s.on("error", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
