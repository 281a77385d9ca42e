/**
 * The job-pool task of the sliced campaigns (campaign-jobs.ts): units [start, end) of
 * one kind, computed by the same handlers whatever thread runs them.
 *
 *   pool.run(campaignTask, { kind: "retention", spec, start: 0, end: 8 })
 */
import { defineTask } from "../parallel/job-pool.ts";
import type { SliceJob } from "../parallel/sliced-run.ts";
import { campaignHandlers, type CampaignKind } from "./campaign-jobs.ts";

export default defineTask((job: SliceJob<CampaignKind>) => (campaignHandlers[job.kind] as (s: unknown, a: number, b: number) => unknown)(job.spec, job.start, job.end));
