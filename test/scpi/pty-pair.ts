/**
 * A real pseudo-terminal pair made with socat, for SCPI tests: what one end writes,
 * the other reads, through the kernel's tty layer and the real `serialport` package.
 *
 *   const pty = await openPtyPair();   // { instruments: "/tmp/…/i", host: "/tmp/…/h" }
 *   …; await pty.close();
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PtyPair {
  /** End the emulated instruments serve on. */
  instruments: string;
  /** End the host (target) opens. */
  host: string;
  close(): Promise<void>;
}

export async function openPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), "scpi-pty-"));
  const instruments = join(dir, "i");
  const host = join(dir, "h");
  const socat = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${instruments}`, `pty,raw,echo=0,link=${host}`], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => socat.once("exit", () => resolve()));
  for (let i = 0; i < 250 && !(existsSync(instruments) && existsSync(host)); i++) await new Promise((r) => setTimeout(r, 20));
  if (!existsSync(instruments) || !existsSync(host)) {
    socat.kill();
    throw new Error("socat did not create the pseudo-terminal pair within 5 s (is socat installed?)");
  }
  return {
    instruments,
    host,
    async close() {
      socat.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
