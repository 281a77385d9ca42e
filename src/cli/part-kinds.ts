/**
 * The kinds of part file `merge` joins, one registry: the header `format` a kind's parts
 * carry, the merge options its report uses, and how its parts become the report of one
 * unsharded run. Adding a shardable campaign is one entry here (and its part format).
 *
 *   const kind = partKindOf("out/part-0.jsonl");   // by the first part's header
 *   await kind.merge(files, options, ctx);
 */
import { coveragePartFormat } from "../formats/coverage-part-format.ts";
import { dictionaryPartFormat } from "../formats/dictionary-part-format.ts";
import { lifetimePartFormat } from "../formats/lifetime-part-format.ts";
import { jsonPieces } from "../report/json-stream.ts";
import { cachedDictionary, defaultDictionaryCacheDir, storeDictionary } from "../faultsim/dictionary-cache.ts";
import { partFormatOf } from "../formats/part-file-format.ts";
import type { CoverageRunMetadata } from "../report/coverage-html.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import { mergedCriticality } from "./coverage-criticality.ts";
import { joinParts, partEffects, readMatchingParts } from "./coverage-parts.ts";
import { emitCoverage, prepareCoverage, type CoverageOutputOptions } from "./coverage-run.ts";
import { dictionaryCampaignKey, mergeDictionaryParts, partDictionaryOptions, readDictionaryPart } from "./dictionary-parts.ts";
import { emitLifetime } from "./lifetime-output.ts";
import { lifetimeCampaignKey, mergeLifetimeParts, readLifetimePart } from "./lifetime-parts.ts";
import { checkMatchingParts, MergeError } from "./part-merge.ts";

/** Every option of `merge`; each kind reads the ones it lists. */
export interface MergeOptions extends CoverageOutputOptions {
  svg?: string;
  floor?: number;
  cacheDir?: string;
}

/** Options that only some kinds' reports have (given to another kind: a located error). */
export const kindSpecificOptions = { html: "--html", faultsOut: "--faults-out", all: "--all", svg: "--svg", floor: "--floor", cacheDir: "--cache-dir" } as const;

export interface PartKind {
  /** The header's `format`. */
  format: string;
  /** The kind-specific options its report reads. */
  options: readonly (keyof typeof kindSpecificOptions)[];
  merge(files: readonly string[], o: MergeOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void>;
}

export const partKinds = {
  coverage: {
    format: coveragePartFormat,
    options: ["html", "faultsOut", "all"],
    async merge(files, o, ctx, run) {
      const parts = readMatchingParts(files);
      const h = parts[0].header;
      const campaign = { engine: h.campaign.engine, drop: h.campaign.drop, pdCredit: h.campaign.pdCredit, ...h.campaign.universe };
      // The bench and program as the shards named them (the same paths an unsharded run reports).
      const prep = await prepareCoverage(h.testbench.file, h.program.file, campaign, ctx, false);
      const result = joinParts(parts, prep);
      const effects = h.criticality ? partEffects(parts, prep) : null;
      const crit = h.criticality ? mergedCriticality(prep, result, h.criticality, (id) => effects!.get(id), h.campaign.pdCredit) : undefined;
      await emitCoverage(prep, result, { ...campaign, ...o }, ctx, run, crit);
    },
  },
  lifetime: {
    format: lifetimePartFormat,
    options: ["svg", "floor"],
    async merge(files, o, ctx) {
      if (o.floor !== undefined && !(o.floor > 0 && o.floor <= 1)) throw new OptionError(`--floor is an accuracy as a fraction in (0, 1] (e.g. 0.85 for 85 %), got ${o.floor}`);
      const parts = files.map(readLifetimePart);
      checkMatchingParts(parts, lifetimeCampaignKey);
      const { header, result } = mergeLifetimeParts(parts);
      emitLifetime(result, { ...o, years: header.campaign.years }, ctx);
    },
  },
  dictionary: {
    format: dictionaryPartFormat,
    options: ["cacheDir"],
    async merge(files, o, ctx) {
      const parts = files.map(readDictionaryPart);
      checkMatchingParts(parts, dictionaryCampaignKey);
      const d = await partDictionaryOptions(parts[0], o.cacheDir ?? defaultDictionaryCacheDir());
      const dictionary = mergeDictionaryParts(parts, d);
      const { file } = cachedDictionary(d);
      const notCached = storeDictionary(file, dictionary);
      if (notCached) ctx.err(`warning: the merged fault dictionary was not cached (${notCached}); snn-atpg diagnose will build it again`);
      // in pieces: a bnn-size dictionary is past V8's string limit as one JSON text
      if (o.json) {
        for (const piece of jsonPieces(dictionary as unknown as Record<string, unknown>)) {
          ctx.out(piece);
          await ctx.drained?.(); // a slow reader holds the printing back (cli-context.ts)
        }
      } else ctx.out(`fault dictionary: ${dictionary.faults.length} detectable of ${dictionary.universe.collapsed} collapsed faults (${dictionary.models.length} models), from ${parts.length} parts; ${notCached ? "not cached" : `cached as ${file} for snn-atpg diagnose`}`);
    },
  },
} as const satisfies Record<string, PartKind>;

/** The kind of the parts, by the first one's header. */
export function partKindOf(file: string): PartKind {
  const format = partFormatOf(file);
  const kind = Object.values(partKinds).find((k) => k.format === format);
  if (!kind) throw new MergeError(`${file}:1: format "${format}" is not a part file merge knows (${Object.values(partKinds).map((k) => k.format).join(", ")})`);
  return kind;
}
