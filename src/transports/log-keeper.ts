/**
 * The `! LOG` lines (or unsolicited instrument lines) a target saw during one
 * application, bounded: the first and the last `limits.logLines / 2` lines are kept, each
 * cut to `limits.logLineChars` characters, and the rest only counted. A chatty or hostile
 * board (200 × 1 KB lines per FIRE made an 8.7 MB datalog for 43 vectors) can then
 * neither fill the host's memory nor the datalog.
 *
 *   const k = new LogKeeper();
 *   k.push("temperature 31.5C");
 *   const { logs, logsOmitted } = k.drain();   // ["temperature 31.5C"], 0
 */
import { limits } from "../formats/limits.ts";

export class LogKeeper {
  private first: string[] = [];
  private last: string[] = [];
  private omitted = 0;
  private readonly head: number;
  private readonly tail: number;

  constructor(keep = limits.logLines.max, private readonly chars = limits.logLineChars.max) {
    this.head = Math.ceil(keep / 2);
    this.tail = keep - this.head;
  }

  push(line: string): void {
    const cut = line.length > this.chars ? `${line.slice(0, this.chars - 1)}…` : line;
    if (this.first.length < this.head) this.first.push(cut);
    else {
      this.last.push(cut);
      if (this.last.length > this.tail) {
        this.last.shift();
        this.omitted++;
      }
    }
  }

  /** The kept lines in order and how many were dropped since the last drain; starts afresh. */
  drain(): { logs: string[]; logsOmitted: number } {
    const out = { logs: [...this.first, ...this.last], logsOmitted: this.omitted };
    this.first = [];
    this.last = [];
    this.omitted = 0;
    return out;
  }
}
