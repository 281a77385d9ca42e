/**
 * The `! LOG` lines (or instrument messages) of one vector, bounded per vector (issue 11
 * item 9): a vector of 10,000 repetitions could otherwise keep 16 lines for each. Over
 * all its repetitions, in order, the first `limits.logLines / 2` lines and the last
 * `limits.logLines / 2` are kept; every repetition's record keeps the kept lines it saw
 * and counts the rest in `logsOmitted` (lines the transport already dropped within one
 * application count there too), so kept + omitted is what each repetition saw.
 *
 *   const vl = new VectorLogs();
 *   vl.add(0, ["a", "b"]);  vl.add(1, ["c"], 3);
 *   vl.linkFor(1)   // { logs: ["c"], logsOmitted: 3 }  (with the default 16 kept)
 */
import { limits } from "../formats/limits.ts";

interface Seen {
  rep: number;
  line: string;
}

export class VectorLogs {
  private readonly head: Seen[] = [];
  private tail: Seen[] = [];
  /** Lines seen per repetition (kept or not). */
  private readonly seen: number[] = [];
  private readonly headSize: number;
  private readonly tailSize: number;

  constructor(keep = limits.logLines.max) {
    this.headSize = Math.ceil(keep / 2);
    this.tailSize = keep - this.headSize;
  }

  /** The lines of repetition `rep` in the order seen, and how many more the transport saw but dropped. */
  add(rep: number, lines: readonly string[], omitted = 0): void {
    this.seen[rep] = (this.seen[rep] ?? 0) + lines.length + omitted;
    for (const line of lines) {
      if (this.head.length < this.headSize) this.head.push({ rep, line });
      else {
        this.tail.push({ rep, line });
        if (this.tail.length > this.tailSize) this.tail = this.tail.slice(1);
      }
    }
  }

  /** What repetition `rep`'s record keeps: its kept lines, and the count of the others. */
  linkFor(rep: number): { logs: string[]; logsOmitted?: number } {
    const logs = [...this.head, ...this.tail].filter((s) => s.rep === rep).map((s) => s.line);
    const omitted = (this.seen[rep] ?? 0) - logs.length;
    return omitted > 0 ? { logs, logsOmitted: omitted } : { logs };
  }
}
