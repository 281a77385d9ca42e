/**
 * Quote a command the tool prints for copy-paste so a POSIX shell reads back exactly the
 * arguments meant: plain words stay as they are, anything else is single-quoted (a single
 * quote inside becomes '\'').
 *
 *   shellCommand(["snn-atpg", "diagnose", "p.json", "my run.jsonl"])   // snn-atpg diagnose p.json 'my run.jsonl'
 */

/** One argument, quoted when the shell would otherwise split or expand it. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** A whole command line, each argument quoted as needed. */
export const shellCommand = (args: readonly string[]): string => args.map(shellQuote).join(" ");
