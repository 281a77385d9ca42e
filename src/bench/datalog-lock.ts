/**
 * Datalog lock: one run owns a datalog for its whole length. The lock is a file
 * `<datalog>.lock` created with O_EXCL holding the owner's pid, host and start time;
 * a second run on the same datalog is refused naming the holder, and a lock left by a
 * dead process is reported with the fix (delete the lock file) — never taken silently.
 *
 *   const lock = lockDatalog("run.jsonl");   // throws DatalogLockedError when held
 *   try { …run… } finally { lock.release(); }
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { InputError } from "../formats/errors.ts";

/** The datalog is locked by another run (or a stale lock is in the way). */
export class DatalogLockedError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "DatalogLockedError";
  }
}

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface DatalogLock {
  readonly file: string;
  release(): void;
}

export const lockFileOf = (datalog: string) => `${datalog}.lock`;

/** A process on this host with this pid exists (EPERM: it exists but is not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(lockFile, "utf8")) as Partial<LockHolder>;
    return typeof h.pid === "number" && typeof h.host === "string" ? { pid: h.pid, host: h.host, startedAt: String(h.startedAt ?? "?") } : null;
  } catch {
    return null;
  }
}

function refusal(datalog: string, lockFile: string): DatalogLockedError {
  const h = readHolder(lockFile);
  if (h === null) {
    return new DatalogLockedError(`${datalog}: locked by ${lockFile}, which does not name its owner; if no run uses ${datalog}, delete ${lockFile} and rerun`);
  }
  const who = `pid ${h.pid} on host ${h.host}, started ${h.startedAt}`;
  if (h.host === hostname() && !alive(h.pid)) {
    return new DatalogLockedError(`${datalog}: stale lock ${lockFile} left by a run that is no longer running (${who}); check the datalog is not in use, then delete ${lockFile} and rerun`);
  }
  return new DatalogLockedError(`${datalog}: in use by another run (${who}); wait for it to finish or use another --datalog (if that run is gone, delete ${lockFile})`);
}

/** Take the lock on `datalog` for this process; released by `release()` or, as a backstop, at process exit. */
export function lockDatalog(datalog: string): DatalogLock {
  const lockFile = lockFileOf(datalog);
  let fd: number;
  try {
    fd = openSync(lockFile, "wx");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw refusal(datalog, lockFile);
    // No folder: there is no datalog to contend for; opening the datalog itself reports it.
    if (code === "ENOENT") return { file: lockFile, release: () => {} };
    throw new DatalogLockedError(`${datalog}: cannot create the lock file ${lockFile} (${code ?? (err as Error).message}); choose a --datalog in a writable folder`);
  }
  try {
    writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() })}\n`);
  } catch (err) {
    closeSync(fd);
    rmSync(lockFile, { force: true });
    throw new DatalogLockedError(`${datalog}: cannot write the lock file ${lockFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  closeSync(fd);
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener("exit", release);
    rmSync(lockFile, { force: true });
  };
  process.once("exit", release);
  return { file: lockFile, release };
}
