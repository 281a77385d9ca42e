/**
 * Progress of a long command, phase by phase, on stderr (issue 12): every phase that
 * lasts longer than `minMs` (default 1 s) names itself — a short run leaves nothing. On a
 * terminal the current phase is one line redrawn in place with done/total, a bar and an
 * ETA (at most 10 redraws a second), kept with its time when it lasted past `minMs` and
 * erased otherwise; without a terminal (a log, CI) such a phase prints one line, and
 * nothing more, so a log stays short — from its first `update` past `minMs`, or from a
 * timer when the thread is free (waiting on workers).
 *
 *   const p = phaseProgress(ctx);
 *   p.phase("building the report", faults.length, "faults");
 *   for (…) p.update(done);
 *   p.end();   // "  building the report: 3,662,238/3,662,238 faults  100 %  (4.1 s)"
 *
 * Without a terminal: "  building the report … (38.2 s)", when the phase started, since the command started.
 */
import { renderProgressBar } from "../report/progress-bar.ts";
import type { CliContext } from "./cli-context.ts";

export interface PhaseProgress {
  /** Start a phase (ending the one before); `total` in `unit`s when it is known. */
  phase(name: string, total?: number, unit?: string): void;
  /** Work done in the current phase (and its total, when it changes). */
  update(done: number, total?: number): void;
  /** End the current phase (a terminal keeps its last line, with the phase's time). */
  end(): void;
}

/** Redraw the current line: carriage return, clear the line. */
const clearLine = "\r\u001b[2K";
const redrawEveryMs = 100;

/** "12 s", "3 min 05 s": an ETA a person reads at a glance. */
export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** One progress line of a phase on a terminal: name, bar, done/total, percent, ETA once it can be estimated. */
export function progressLine(name: string, done: number, total: number | undefined, unit: string, elapsedMs: number): string {
  if (total === undefined || total <= 0) return `  ${name} … ${formatEta(elapsedMs)}`;
  const bar = renderProgressBar(done, total, unit, 20).replace(/(\d+)\/(\d+)/, (_, d: string, t: string) => `${Number(d).toLocaleString("en-US")}/${Number(t).toLocaleString("en-US")}`);
  const eta = done > 0 && done < total && elapsedMs >= 500 ? `  ETA ${formatEta((elapsedMs / done) * (total - done))}` : "";
  return `  ${name}: ${bar}${eta}`;
}

export interface PhaseProgressOptions {
  /** Print nothing (e.g. a terminal bar under --json). */
  quiet?: boolean;
  /** Show a phase once it has lasted this long (ms; default 1000; 0: every phase at once). */
  minMs?: number;
}

export function phaseProgress(ctx: Pick<CliContext, "err" | "errRaw" | "stderrIsTty">, o: PhaseProgressOptions = {}): PhaseProgress {
  const started = performance.now();
  const minMs = o.minMs ?? 1000;
  const write = ctx.errRaw ?? ((s: string) => void process.stderr.write(s));
  let name: string | null = null;
  let total: number | undefined;
  let unit = "";
  let done = 0;
  let phaseStart = 0;
  let drawnAt = -Infinity;
  let shown = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = (now: number) => {
    drawnAt = now;
    write(`${clearLine}${progressLine(name!, done, total, unit, now - phaseStart)}`);
  };
  /** Name the phase (once): the first line without a terminal, the first draw on one. */
  const show = (now: number) => {
    if (shown || o.quiet || name === null) return;
    shown = true;
    if (ctx.stderrIsTty) draw(now);
    else ctx.err(`  ${name} … (${((phaseStart - started) / 1000).toFixed(1)} s)`);
  };
  const end = () => {
    clearTimeout(timer);
    if (shown && ctx.stderrIsTty && name !== null) {
      const now = performance.now();
      draw(now);
      write(now - phaseStart < minMs ? clearLine : `  (${((now - phaseStart) / 1000).toFixed(1)} s)\n`);
    }
    name = null;
    shown = false;
  };
  return {
    phase(n, t, u = "") {
      end();
      name = n;
      total = t;
      unit = u;
      done = 0;
      phaseStart = performance.now();
      if (o.quiet) return;
      // a terminal line costs nothing to redraw (a phase shorter than minMs is erased at its end); a log line stays
      if (minMs <= 0 || ctx.stderrIsTty) show(phaseStart);
      else (timer = setTimeout(() => show(performance.now()), minMs)).unref();
    },
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      if (o.quiet || name === null) return;
      const now = performance.now();
      if (!shown && now - phaseStart >= minMs) show(now);
      else if (shown && ctx.stderrIsTty && now - drawnAt >= redrawEveryMs) draw(now);
    },
    end,
  };
}
