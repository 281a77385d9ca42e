/**
 * Ctrl-C while a command enumerates a fault universe (issue 11 item 6): the async
 * enumeration gives the caller a turn after every column, so an interrupt checkpoint
 * there stops it within one column's time (bnn-784x1024x10: 1,034 columns), and the
 * result is the same as the synchronous enumeration's when nothing stops it.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, enumerateFaultsAsync, loadFaultModels } from "../../src/faults/index.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(loaded.bench);
const models = loadFaultModels();

describe("interruptible fault enumeration", () => {
  it("pauses once per column (8 + 4 on mlp-16x8x4) and equals the synchronous universe", async () => {
    let pauses = 0;
    const u = await enumerateFaultsAsync(net, loaded.bench, models, { collapse: true }, async () => void pauses++);
    expect(pauses).toBe(8 + 4);
    const sync = enumerateFaults(net, loaded.bench, models, { collapse: true });
    expect(u.faults.map((f) => f.id)).toEqual(sync.faults.map((f) => f.id));
    expect(u.counts).toEqual(sync.counts);
  });

  it("an interrupt at a pause stops the walk there: no further column is visited", async () => {
    let pauses = 0;
    const stop = enumerateFaultsAsync(net, loaded.bench, models, { collapse: true }, async () => {
      if (++pauses === 3) throw new InterruptedError();
    });
    await expect(stop).rejects.toBeInstanceOf(InterruptedError);
    expect(pauses).toBe(3);
  });
});
