/**
 * The shipped cluster manifests, checked offline (nothing here talks to a cluster): the
 * Kubernetes Indexed Job and the Slurm array give every shard index once, with the
 * count the tool is told, write the part files the merge step reads, and set the
 * variables snn-atpg reads (fault-shard.ts shardFromEnv) — checked by feeding the
 * environment each scheduler gives its tasks to that same function.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import { shardFromEnv } from "../../src/faultsim/fault-shard.ts";
import { repoRoot } from "../helpers/run-cli.ts";

interface Container {
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  args?: string[];
  command?: string[];
  image?: string;
}
interface JobDoc {
  kind: string;
  metadata: { name: string };
  spec: { completionMode?: string; completions: number; parallelism?: number; template: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

describe("deploy/kubernetes/coverage-job.yaml", () => {
  const docs = loadAll(readFileSync(join(repoRoot, "deploy", "kubernetes", "coverage-job.yaml"), "utf8")) as JobDoc[];
  const shardJob = docs.find((d) => d.metadata.name === "snn-atpg-coverage")!;
  const mergeJob = docs.find((d) => d.metadata.name === "snn-atpg-coverage-merge")!;
  const shard = shardJob.spec.template.spec.containers[0];
  const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name);
  const shards = Number(envOf(shard, "SHARDS")?.value);

  it("is an Indexed Job with one completion per shard, all running at once", () => {
    expect(docs.map((d) => d.kind)).toEqual(["Job", "Job"]);
    expect(shardJob.spec.completionMode).toBe("Indexed");
    expect(shards).toBe(3);
    expect(shardJob.spec.completions).toBe(shards);
    expect(shardJob.spec.parallelism).toBe(shards);
  });

  it("runs coverage with the index the Job controller sets and the count it is told, writing part-<index>.jsonl", () => {
    expect(envOf(shard, "JOB_COMPLETION_INDEX")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const args = shard.args!;
    expect(args[0]).toBe("coverage");
    expect(args[args.indexOf("--shard-count") + 1]).toBe("$(SHARDS)");
    expect(args[args.indexOf("--out") + 1]).toBe("/data/parts/part-$(JOB_COMPLETION_INDEX).jsonl");
    expect(args).not.toContain("--shard"); // the index comes from the environment
    for (let i = 0; i < shards; i++) expect(shardFromEnv({ JOB_COMPLETION_INDEX: String(i) }, shards)).toEqual({ index: i, count: shards });
  });

  it("merges only after every part is complete, from the same folder", () => {
    const wait = mergeJob.spec.template.spec.initContainers![0];
    expect(Number(envOf(wait, "SHARDS")?.value)).toBe(shards);
    expect(wait.command!.join(" ")).toMatch(/\/data\/parts\/part-\$i\.jsonl.*"kind":"end"/s);
    const merge = mergeJob.spec.template.spec.containers[0];
    expect(merge.args!.join(" ")).toMatch(/snn-atpg\.js merge \/data\/parts\/part-\*\.jsonl/);
    expect(merge.image).toBe(shard.image);
  });
});

describe("deploy/slurm", () => {
  const array = readFileSync(join(repoRoot, "deploy", "slurm", "coverage.sbatch"), "utf8");
  const merge = readFileSync(join(repoRoot, "deploy", "slurm", "merge.sbatch"), "utf8");
  const submit = readFileSync(join(repoRoot, "deploy", "slurm", "submit.sh"), "utf8");

  it("an array 0..N−1 whose tasks the tool maps to shards 0..N−1 of N, and a merge of N parts after all succeeded", () => {
    const m = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(array)!;
    const [lo, hi] = [Number(m[1]), Number(m[2])];
    const n = hi - lo + 1;
    expect(n).toBe(3);
    for (let id = lo; id <= hi; id++) {
      // what Slurm sets in each task of the array
      expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(lo), SLURM_ARRAY_TASK_COUNT: String(n) })).toEqual({ index: id - lo, count: n });
    }
    expect(array).toMatch(/coverage \S+ \S+ --out "parts\/part-\$\{SLURM_ARRAY_TASK_ID\}\.jsonl"/);
    expect(Number(/^SHARDS=(\d+)$/m.exec(merge)![1])).toBe(n);
    expect(merge).toMatch(/merge "\$\{parts\[@\]\}"/);
    expect(submit).toMatch(/sbatch --dependency="afterok:\$\{jid%%;\*\}" "\$here\/merge\.sbatch"/);
  });
});

describe("Dockerfile", () => {
  it("installs with npm ci (which builds dist/) and runs the tool", () => {
    const d = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    expect(d).toMatch(/^FROM node:20/m);
    expect(d).toMatch(/^RUN npm ci/m);
    expect(d).toMatch(/^ENTRYPOINT \["node", "\/opt\/snn-atpg\/bin\/snn-atpg\.js"\]$/m);
    for (const dir of ["src", "bin", "scripts", "testbenches", "fault-models"]) expect(d).toMatch(new RegExp(`^COPY ${dir} `, "m"));
  });
});
