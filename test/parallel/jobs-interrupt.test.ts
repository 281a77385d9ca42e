/**
 * Ctrl-C stops a pool within a second: a real SIGINT to `node bin/snn-atpg.js` while
 * two pool threads run a device curve that would take minutes (10⁶ LLG trials — the --trials limit — at each of 9
 * currents) ends the process with exit 130 in under 1 s.
 */
import { afterAll, describe, expect, it } from "vitest";
import { killSpawned, spawnCli } from "../bench/spawn-cli.ts";

afterAll(killSpawned);

describe("Ctrl-C cancels the job pool", () => {
  it("device switching --jobs 2: exit 130 within 1 s of SIGINT", async () => {
    const cli = spawnCli(["device", "switching", "seed002-she-eb20", "--pulse-ps", "500", "--current-ua", "40:80:5", "--trials", "1000000", "--jobs", "2"]);
    await new Promise((r) => setTimeout(r, 3000)); // threads started and busy
    expect(cli.child.exitCode).toBeNull(); // still running: the interrupt is what ends it
    const sentAt = performance.now();
    cli.child.kill("SIGINT");
    const { code, stderr } = await cli.done;
    const tookMs = performance.now() - sentAt;
    expect(code, stderr).toBe(130);
    expect(tookMs).toBeLessThan(1000);
    expect(stderr).toMatch(/interrupt/i);
  }, 30_000);
});
