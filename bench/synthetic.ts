/**
 * A synthetic news archive for the scale benchmark: story `n` of an archive is generated from a
 * seeded PRNG, so every run writes the same archive. Each story has a headline, a dateline, 3–6
 * named people out of ~3,600 invented ones (first × last name pools) with roles, 1–2 real countries
 * (names from world-countries), direct quotes with speech cues, amounts, and a publication time;
 * an archive of N stories spans N / STORIES_PER_DAY days, as a busy desk's would.
 * `loadArchive` ingests them into any `ArticleIndex` through the real ingest path (parse pool included).
 * (bench/ingest-corpus.ts generates the other synthetic set, files on disk with revisions, for the
 * folder-ingest benchmark; both draw from its seeded PRNG.)
 */
import countries from 'world-countries';
import { prng } from './ingest-corpus.js';
import type { ArticleIndex, ArticleInput } from '../src/index/types.js';
import { ingestStories } from '../src/ingest/bulk.js';
import { resolveParseWorkers } from '../src/ingest/parse-pool.js';

/** Stories a day in the generated archive. */
export const STORIES_PER_DAY = 100;
/** When the generated archive starts (UTC). */
export const ARCHIVE_START = Date.UTC(2022, 0, 1, 6, 0, 0);

const FIRST = ['Anja', 'Bram', 'Carla', 'Dario', 'Elin', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kaia', 'Lucas', 'Mira', 'Nils', 'Olga', 'Pavel', 'Rosa', 'Sami', 'Tove', 'Umar', 'Vera', 'Wim', 'Yara', 'Zeno', 'Alma', 'Bruno', 'Cleo', 'Dmitri', 'Esme', 'Felix', 'Gaia', 'Henrik', 'Ida', 'Jorge', 'Kira', 'Leon', 'Maren', 'Nadia', 'Oskar', 'Petra', 'Quentin', 'Ronja', 'Silas', 'Thea', 'Ulla', 'Viktor', 'Wanda', 'Xavier', 'Yusuf', 'Zora', 'Amara', 'Benedikt', 'Cosima', 'Dag', 'Edda', 'Fabian', 'Gunnar', 'Hedda', 'Ivo', 'Juna'];
const LAST = ['Aalto', 'Brenner', 'Castell', 'Dunmore', 'Eklund', 'Falk', 'Garrow', 'Halvorsen', 'Ibarra', 'Jansen', 'Kovacs', 'Lindqvist', 'Marchetti', 'Novak', 'Okonjo', 'Petrov', 'Quill', 'Rasmussen', 'Sandoval', 'Tamsin', 'Ulvaeus', 'Varela', 'Westergaard', 'Yilmaz', 'Zeller', 'Abernathy', 'Bjork', 'Corvin', 'Delacroix', 'Esposito', 'Fenwick', 'Gallo', 'Hartley', 'Iversen', 'Jaeger', 'Kowalczyk', 'Larsen', 'Moreau', 'Nakamura', 'Oyelaran', 'Pellegrini', 'Quintana', 'Rossi', 'Stroud', 'Takahashi', 'Ueda', 'Vasquez', 'Whitlock', 'Yamada', 'Zoric', 'Achebe', 'Borg', 'Cardenas', 'Dahl', 'Engstrom', 'Ferreira', 'Grieg', 'Holm', 'Ilves', 'Juhl'];
const ROLES = ['finance minister', 'mayor', 'union leader', 'chief executive', 'spokeswoman for the port authority', 'economist', 'health minister', 'opposition leader', 'police chief', 'central bank governor', 'energy regulator', 'school principal'];
const PLACES = ['PORT ELLIS', 'WESTHAVEN', 'KESTREL BAY', 'NORTHAM', 'VALMORA', 'LONDON', 'NAIROBI', 'OSAKA', 'LIMA', 'OSLO', 'TUNIS', 'HANOI'];
const TOPICS = ['rail strike', 'harbour expansion', 'energy prices', 'flood defences', 'school funding', 'fishing quotas', 'housing plan', 'water rationing', 'bridge repairs', 'tax reform', 'hospital waiting lists', 'grain exports'];
const CUES = ['said', 'told reporters', 'said in a statement', 'warned', 'added'];
const COUNTRIES = (countries as unknown as { name: { common: string }; independent?: boolean }[]).filter((c) => c.independent).map((c) => c.name.common).slice(0, 120);

/** The name of invented person `i` (0 ≤ i < FIRST × LAST). */
export function personName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}
/** How many distinct people the archive draws from. */
export const PEOPLE = FIRST.length * LAST.length;

/** Story `n` of the archive, as a source would deliver it (publication time included). */
export function archiveStory(n: number): ArticleInput {
  const r = prng(n * 2654435761 + 7);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // People cluster: a story's people come from a neighbourhood, so speakers recur across stories.
  const base = Math.floor(r() * PEOPLE);
  const people = Array.from({ length: 3 + Math.floor(r() * 4) }, (_, i) => personName((base + i * 37) % PEOPLE));
  const roles = people.map(() => pick(ROLES));
  const place = pick(PLACES);
  const topic = pick(TOPICS);
  const country = pick(COUNTRIES);
  const other = pick(COUNTRIES);
  const amount = 10 + Math.floor(r() * 990);
  const paras = [
    `${place} — ${people[0]}, the ${roles[0]}, said on Tuesday that the ${topic} would cost ${amount} million dollars, as talks with ${country} stalled for a ${2 + Math.floor(r() * 8)}th week.`,
    `“We cannot keep asking families to wait for the ${topic},” ${people[0]} ${pick(CUES)}.`,
    `${people[1]}, the ${roles[1]}, disagreed. “The figures from ${country} do not add up, and ${other} has already walked away,” ${people[1]} ${pick(CUES)}.`,
    `Officials said ${Math.floor(r() * 5000) + 100} people had signed a petition about the ${topic} in story ${n}, up ${(r() * 30).toFixed(1)} percent on last month.`,
  ];
  for (let i = 2; i < people.length; i++) {
    paras.push(`“This is a test of trust between ${country} and its neighbours,” said ${people[i]}, the ${roles[i]}, adding that a vote was due within ${2 + Math.floor(r() * 10)} days.`);
  }
  const publishedAt = new Date(ARCHIVE_START + Math.floor((n / STORIES_PER_DAY) * 86_400_000) + Math.floor(r() * 3_600_000));
  const headline = `${people[0]!.split(' ')[1]} warns ${topic} costs will rise as ${country} talks stall (${n})`;
  return {
    text: `${headline}\n\n${paras.join('\n\n')}\n`,
    guid: `synthetic:${n}`,
    publishedAt: publishedAt.toISOString(),
    source: 'synthetic',
  };
}

/** Figures of one `loadArchive` run. */
export interface LoadResult {
  stories: number;
  seconds: number;
  storiesPerSecond: number;
  failed: number;
  /** Parse workers used (0: parsed in the ingesting thread). */
  workers: number;
}

/**
 * Ingests stories `[from, to)` of the archive into `index` the way every source is ingested
 * (`ingestStories`: validation, parsing in the worker pool, writes in story order). `setNow`
 * receives each story's publication time just before it is written (give the index a clock that
 * reads it, so ingestion times spread over the archive's days as they would in a live newsroom).
 * @param workers parse workers (default as the config's: cores − 1 on more than one core)
 */
export async function loadArchive(
  index: ArticleIndex,
  from: number,
  to: number,
  setNow?: (at: Date) => void,
  onProgress?: (done: number) => void,
  workers?: number,
): Promise<LoadResult> {
  const t0 = performance.now();
  let done = 0;
  const summary = await ingestStories(index, archiveStories(from, to), {
    ...(workers !== undefined ? { parseWorkers: workers } : {}),
    beforeCommit: (input) => setNow?.(new Date(input.publishedAt!)),
    onItem: () => {
      done++;
      if (onProgress && done % 1000 === 0) onProgress(done);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { stories: to - from, seconds, storiesPerSecond: (to - from) / seconds, failed: summary.failed.length, workers: workers ?? resolveParseWorkers() };
}

/** Stories `[from, to)` of the archive, generated as they are pulled. */
export function* archiveStories(from: number, to: number): Generator<ArticleInput> {
  for (let n = from; n < to; n++) yield archiveStory(n);
}
