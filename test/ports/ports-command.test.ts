/**
 * `snn-atpg ports`: listing, and the clear failure when the system cannot enumerate ports
 * (SerialPort.list() needs udevadm on Linux; containers often lack it).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPorts } from "../../src/cli/commands/ports-command.ts";
import type { CliContext } from "../../src/cli/cli-context.ts";
import { listSerialPorts } from "../../src/transports/serial-port-listing.ts";

function fakeCtx() {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const ctx: CliContext = { out: (l) => out.push(l), err: (l) => err.push(l), stderrIsTty: false, setExit: (c) => (code = c), signal: new AbortController().signal, runCli: async () => 0 };
  return { ctx, out, err, code: () => code };
}

const udevMissing = () => Promise.reject(Object.assign(new Error("spawn udevadm ENOENT"), { code: "ENOENT", syscall: "spawn udevadm", path: "udevadm" }));
const fakeDev = (dir: string) => (({ "/dev": ["tty0", "tty1", "ttyS0", "ttyUSB3", "null", "ptmx"], "/dev/pts": ["0", "7", "ptmx"] }) as Record<string, string[]>)[dir] ?? [];

describe("snn-atpg ports", () => {
  it("udevadm missing: exit 3, a message naming udevadm and the way out, and the /dev scan as a fallback", async () => {
    const f = fakeCtx();
    await runPorts({}, f.ctx, { list: udevMissing, readdir: fakeDev });
    expect(f.code()).toBe(3);
    expect(f.err.join("\n")).toMatch(/cannot enumerate serial ports: .*udevadm.* not installed/);
    expect(f.err.join("\n")).toMatch(/--port/);
    expect(f.out).toEqual(["/dev/ttyS0", "/dev/ttyUSB3", "/dev/pts/0", "/dev/pts/7"]); // no virtual consoles, no ptmx
  });

  it("an enumerating system: exit 0 and one line per port with its USB ids", async () => {
    const f = fakeCtx();
    const list = async () => [{ path: "/dev/ttyUSB0", manufacturer: "FTDI", serialNumber: "A1B2", vendorId: "0403", productId: "6001" }];
    await runPorts({}, f.ctx, { list, readdir: fakeDev });
    expect(f.code()).toBe(0);
    expect(f.out).toEqual(["/dev/ttyUSB0  FTDI  s/n A1B2 usb 0403:6001"]);
  });

  it("on this machine: the real listing is consistent with its exit code, and a fresh PTY shows up in the /dev scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ports-"));
    const link = join(dir, "pty");
    const socat = spawn("socat", [`pty,raw,echo=0,link=${link}`, `pty,raw,echo=0,link=${link}b`], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !existsSync(link); i++) await new Promise((r) => setTimeout(r, 20));
      const pts = realpathSync(link);
      const r = await listSerialPorts();
      expect(r.deviceNodes).toContain(pts);
      const f = fakeCtx();
      await runPorts({ json: true }, f.ctx);
      const j = JSON.parse(f.out[0]);
      expect(j.enumerated).toBe(r.enumerated);
      if (j.enumerated) expect(f.code()).toBe(0);
      else {
        expect(f.code()).toBe(3);
        expect(j.problem).toMatch(/cannot enumerate serial ports/);
      }
    } finally {
      socat.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
