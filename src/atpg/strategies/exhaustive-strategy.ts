/**
 * Exhaustive strategy for tiny benches: every first-layer pattern (2^rows, rows ≤ 12),
 * each applied in every window, for every window count up to `maxWindows`, with the
 * nominal timing and with the bench's extreme timings. Guard band and fault dropping as
 * for any strategy; what no vector detects is AU with the reason "exhaustive set
 * exhausted" (the set is exhaustive over patterns, not over timings).
 *
 *   snn-atpg generate black-pixel-4x1 --strategy exhaustive -o all.json
 */
import { InputError } from "../../formats/errors.ts";
import type { AtpgStrategy } from "../atpg-strategy.ts";

/** Largest first layer the exhaustive strategy accepts. */
export const exhaustiveMaxRows = 12;

/** A bench too wide for exhaustive enumeration. */
export class ExhaustiveTooLargeError extends InputError {
  constructor(rows: number) {
    super(`--strategy exhaustive enumerates 2^rows patterns; this bench has ${rows} first-layer rows (at most ${exhaustiveMaxRows}); use --strategy targeted`);
    this.name = "ExhaustiveTooLargeError";
  }
}

export const exhaustiveStrategy: AtpgStrategy = {
  id: "exhaustive",
  title: "every input pattern × window count × extreme timings (tiny benches)",
  run(ctx) {
    const rows = ctx.net.layers[0].rows;
    if (rows > exhaustiveMaxRows) throw new ExhaustiveTooLargeError(rows);
    const t = ctx.timing;
    const timings = [t.nominal, { iwPs: t.iwPs[0], lwPs: t.lwPs[1] }, { iwPs: t.iwPs[1], lwPs: t.lwPs[0] }];
    const total = timings.length * ctx.settings.maxWindows * (1 << rows);
    let done = 0;
    for (const tm of timings) {
      for (let k = 1; k <= ctx.settings.maxWindows; k++) {
        for (let p = 1; p < 1 << rows && ctx.budgetLeft(); p++) {
          const bits = Array.from({ length: rows }, (_, r) => ((p >> r) & 1 ? "1" : "0")).join("");
          ctx.offer({ pattern: [bits], windows: k, iwPs: tm.iwPs, lwPs: tm.lwPs, targets: [], origin: "exhaustive" });
          ctx.progress("exhaustive", ++done, total);
        }
      }
    }
    for (const i of ctx.remaining()) ctx.giveUp(i, "AU", "no vector of the exhaustive pattern set detects it");
  },
};
