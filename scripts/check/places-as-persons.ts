/**
 * Lists places the parser typed as persons: every entity of type `person` whose whole name is a
 * country (its name or an alias in the country data: "Georgia", "Britain"), a first-level
 * subdivision ("Arizona", "North Carolina", "Gujarat") or a gazetteer city ("San Bernardino"),
 * from the tables the parser itself uses (src/parse/countries.ts, src/parse/places.ts).
 *
 *   npm run --silent check:places -- FILE.txt...          parses the story files itself
 *   npm run --silent check:places -- --jsonl PARSE.jsonl  reads `cli parse --jsonl` output ('-' = stdin)
 *
 * Prints one line per hit (file, name, what the name is) and a count; exit code 1 when there is
 * any hit, 2 on bad usage or unreadable input. A hit is not always wrong ("Carson" is a surname
 * and a city): read the list before changing the parser.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { lookupCountry } from '../../src/parse/countries.js';
import { parseArticle } from '../../src/parse/index.js';
import { lookupPlace } from '../../src/parse/places.js';

const USAGE = 'usage: check:places FILE.txt... | check:places --jsonl PARSE.jsonl|-\n';

/** The part of a `parse --jsonl` line this check reads (contract: ../shared/contracts/parse-json.md). */
const LineSchema = z.union([
  z.object({ file: z.string(), entities: z.array(z.object({ name: z.string(), type: z.string() }).passthrough()) }).passthrough(),
  z.object({ file: z.string(), error: z.string() }),
]);

/** One person entity whose name is a place. */
export interface PlaceAsPerson {
  file: string;
  name: string;
  /** What the name is: `country`, `subdivision` or `city`. */
  is: 'country' | 'subdivision' | 'city';
}

/** What a person's name is, if it is a country, subdivision or city; else null. */
export function placeKind(name: string): PlaceAsPerson['is'] | null {
  if (lookupCountry(name).some((h) => h.kind === 'name' || h.kind === 'alias')) return 'country';
  const place = lookupPlace(name);
  return place ? place.kind : null;
}

/**
 * The places typed as persons in a list of parses.
 * @param parses file and entities of each parse
 */
export function placesAsPersons(parses: Iterable<{ file: string; entities: { name: string; type: string }[] }>): PlaceAsPerson[] {
  const out: PlaceAsPerson[] = [];
  for (const p of parses) {
    for (const e of p.entities) {
      if (e.type !== 'person') continue;
      const is = placeKind(e.name);
      if (is) out.push({ file: p.file, name: e.name, is });
    }
  }
  return out;
}

/** Reads `parse --jsonl` lines; a line that does not fit the contract is an error naming its line number. */
export function readJsonl(text: string): { file: string; entities: { name: string; type: string }[] }[] {
  const out: { file: string; entities: { name: string; type: string }[] }[] = [];
  text.split('\n').forEach((line, k) => {
    if (!line.trim()) return;
    const parsed = LineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${k + 1}: not a parse --jsonl line (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
    if ('entities' in parsed.data) out.push({ file: parsed.data.file, entities: parsed.data.entities });
  });
  return out;
}

function main(args: string[]): number {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    process.stderr.write(USAGE);
    return 2;
  }
  let parses: { file: string; entities: { name: string; type: string }[] }[];
  try {
    if (args[0] === '--jsonl') {
      if (args.length !== 2) {
        process.stderr.write(USAGE);
        return 2;
      }
      parses = readJsonl(fs.readFileSync(args[1] === '-' ? 0 : args[1]!, 'utf8'));
    } else {
      parses = args.map((file) => ({ file, entities: parseArticle(fs.readFileSync(file, 'utf8')).entities }));
    }
  } catch (err) {
    process.stderr.write(`check:places: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const hits = placesAsPersons(parses);
  for (const h of hits) process.stdout.write(`${h.file}\t${h.name}\t${h.is}\n`);
  const by = (k: PlaceAsPerson['is']) => hits.filter((h) => h.is === k).length;
  process.stdout.write(`${hits.length} place${hits.length === 1 ? '' : 's'} typed as persons in ${parses.length} parses (country ${by('country')}, subdivision ${by('subdivision')}, city ${by('city')})\n`);
  return hits.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
