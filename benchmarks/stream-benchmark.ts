/**
 * Streamed programs (issue 11 item 7): `snn-atpg run` of a 10⁶-vector `.jsonl` program
 * on the sim target, with peak resident memory (GNU time's "Maximum resident set size")
 * and wall time. The program is the fixture black-pixel-4x1 program's vectors repeated
 * with fresh ids, written to a temp dir. Goal: peak RSS ≤ 300 MB (a loaded program took
 * 4.4 KB per vector, 4.4 GB).
 *
 *   npm run bench -- stream                  # 10⁶ vectors
 *   STREAM_VECTORS=100000 npm run bench -- stream
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";

const root = join(import.meta.dirname, "..");

/** Write `n` vectors (the fixture's, cycled, ids s1…sn) as a JSON Lines program. */
export async function writeLongProgram(file: string, n: number): Promise<void> {
  const { vectors, ...header } = JSON.parse(readFileSync(join(root, "fixtures/bench/black-pixel-4x1.program.json"), "utf8")) as { vectors: { id: string }[]; $schema?: string };
  delete header.$schema;
  const out = createWriteStream(file);
  out.write(`${JSON.stringify(header)}\n`);
  for (let i = 0; i < n; i++) {
    const line = `${JSON.stringify({ ...vectors[i % vectors.length], id: `s${i + 1}` })}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export default async function streamBenchmark(): Promise<void> {
  const n = Number(process.env.STREAM_VECTORS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "snn-stream-"));
  try {
    const file = join(dir, "long.jsonl");
    await writeLongProgram(file, n);
    console.log(`program: ${n.toLocaleString("en-US")} vectors, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB (${file})`);
    // plain, then with the STDF streamed beside it (it held every record until 2026-12-04: 553 MB at 2·10⁵ vectors)
    for (const extra of [[], ["--stdf", join(dir, "long.stdf")]]) {
      const t = performance.now();
      const r = spawnSync("/usr/bin/time", ["-v", process.execPath, join(root, "bin/snn-atpg.js"), "run", file, "--no-diagnose", ...extra], { encoding: "utf8", maxBuffer: 1 << 28 });
      const s = (performance.now() - t) / 1000;
      const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
      const summary = r.stdout.trim().split("\n").filter((l) => !l.startsWith("stdf:")).pop();
      const stdf = extra.length ? `, STDF ${(statSync(extra[1]).size / 2 ** 20).toFixed(0)} MiB` : "";
      console.log(`run --target sim${extra.length ? " --stdf" : ""}: exit ${r.status}, ${s.toFixed(1)} s wall, peak RSS ${(rssKb / 1024).toFixed(0)} MiB (goal ≤ 300 MB)${stdf}`);
      console.log(`  ${summary}`);
      if (r.status !== 0) console.log(r.stderr.split("\n").slice(0, 5).join("\n"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
