/**
 * Exit codes of every snn-atpg command (documented in --help and the README).
 *
 *   0   success / all vectors passed
 *   1   the device under test failed
 *   2   bad input: malformed file, flag, site or model id (message names the place)
 *   3   bench / infrastructure error: port, board, instrument, timeout
 *   70  internal error (a bug: please report it with the printed stack)
 *   130 interrupted (Ctrl-C) after flushing everything already measured
 */
export const exitCodes = {
  ok: 0,
  deviceFailed: 1,
  badInput: 2,
  benchError: 3,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodeHelp = `Exit codes:
  0    success (run: every vector passed)
  1    the device under test failed
  2    bad input (file, flag, site or model id); the message names the place and the fix
  3    bench or infrastructure error (port, board, instrument, timeout)
  70   internal error (a bug)
  130  interrupted; every finished result was flushed first`;
