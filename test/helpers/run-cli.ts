/**
 * Run the real CLI entry (`node bin/snn-atpg.js …`) as a child process and capture
 * its exit code and output — what a user would see.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
