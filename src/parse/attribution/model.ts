/**
 * Ranking model: a linear scorer over the candidates' binary features (a conditional logit,
 * as in discriminative speaker attribution: O'Keefe et al., "A Sequence Labelling Approach to
 * Quote Attribution", EMNLP 2012; Pareti, "Attribution", 2015). The candidate with the highest
 * score speaks; the "nobody" candidate competes like any other. Weights are learned from real
 * news by `npm run train:attribution` (scripts/train/attribution.ts) and committed in
 * model/attribution.json; the same data always gives the same weights.
 */
import fs from 'node:fs';
import { z } from 'zod';

/** A learned linear model: feature name → weight. */
export interface RankingModel {
  weights: ReadonlyMap<string, number>;
  /** What it was trained on (for reports). */
  trainedOn: string;
}

/** The committed weights file's shape. */
export const ModelFileSchema = z.object({
  model: z.literal('attribution-ranker'),
  version: z.number().int().positive(),
  trainedOn: z.string(),
  features: z.record(z.string(), z.number().finite()),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** Where the committed model lives. */
export const DEFAULT_MODEL_URL = new URL('./model/attribution.json', import.meta.url);

let loaded: RankingModel | null | undefined;

/**
 * The committed model, loaded once per process (on first use). Null when the file is missing
 * or malformed — the attribution stage then takes the most precise sieve's proposal.
 */
export function defaultModel(): RankingModel | null {
  if (loaded === undefined) {
    try {
      loaded = readModel(fs.readFileSync(DEFAULT_MODEL_URL, 'utf8'));
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * Parses a model file's text.
 * @throws Error (zod or JSON) when the text is not a model file
 */
export function readModel(json: string): RankingModel {
  const file = ModelFileSchema.parse(JSON.parse(json));
  return { weights: new Map(Object.entries(file.features)), trainedOn: file.trainedOn };
}

/** Serialises weights as a model file: features sorted by name, weights rounded to 6 decimals (stable diffs). */
export function writeModel(weights: ReadonlyMap<string, number>, trainedOn: string): string {
  const features: Record<string, number> = {};
  for (const k of [...weights.keys()].sort()) {
    const w = Math.round(weights.get(k)! * 1e6) / 1e6;
    if (w !== 0) features[k] = w;
  }
  const file: ModelFile = { model: 'attribution-ranker', version: 1, trainedOn, features };
  return JSON.stringify(file, null, 1) + '\n';
}

/** Score of one candidate: the sum of its features' weights (unknown features weigh 0). */
export function scoreOf(model: RankingModel, features: readonly string[]): number {
  let s = 0;
  for (const f of features) s += model.weights.get(f) ?? 0;
  return s;
}
