/**
 * Seeded link noise for the board emulator (`snn-atpg emulate --noise RATE`): before
 * each reply, with probability RATE, one disturbance — the reply is corrupted (one
 * byte changed, so its checksum fails), dropped, delayed past the host's timeout, or
 * replaced by `ERR BUSY` (the command is then not executed) — and, with probability
 * RATE, an unsolicited `! LOG` line is sent first.
 *
 *   const noise = createBoardNoise({ rate: 0.05, seed: 7, delayMs: 1200 });
 *   noise.next()  // { disturbance: "none" | "corrupt" | "drop" | "delay" | "busy", log: boolean }
 */
import { createRng } from "../sim/rng.ts";

export type Disturbance = "none" | "corrupt" | "drop" | "delay" | "busy";

export interface BoardNoiseOptions {
  /** Probability of a disturbance per reply, and of a log line per reply (0..1). */
  rate: number;
  seed: number;
  /** How long a delayed reply is held back, ms. */
  delayMs: number;
}

export interface BoardNoise {
  readonly delayMs: number;
  /** Draw the fate of the next reply. */
  next(): { disturbance: Disturbance; log: boolean };
  /** Corrupt a framed line: change one byte before the checksum. */
  corrupt(line: string): string;
  /** A plausible board log message. */
  logText(): string;
}

const kinds: Disturbance[] = ["corrupt", "drop", "delay", "busy"];
const logs = ["temperature 31.5C", "pll locked", "fifo high-water 12", "vref trim 0.998", "heartbeat"];

export function createBoardNoise(o: BoardNoiseOptions): BoardNoise {
  const rng = createRng(o.seed);
  return {
    delayMs: o.delayMs,
    next() {
      const disturbance = rng.next() < o.rate ? kinds[Math.floor(rng.next() * kinds.length)] : "none";
      const log = rng.next() < o.rate;
      return { disturbance, log };
    },
    corrupt(line) {
      const star = line.lastIndexOf("*");
      const end = star > 0 ? star : line.length;
      const i = Math.floor(rng.next() * end);
      const c = line.charCodeAt(i);
      const replacement = String.fromCharCode(c === 0x51 ? 0x52 : 0x51); // 'Q' or 'R': differs, so the XOR changes
      return line.slice(0, i) + replacement + line.slice(i + 1);
    },
    logText() {
      return logs[Math.floor(rng.next() * logs.length)];
    },
  };
}
