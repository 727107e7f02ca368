/**
 * Country lookup built from the maintained `world-countries` package (names, ISO codes,
 * alternative spellings, demonyms, capitals), plus a few newsroom short forms and
 * institutional metonyms from `lexicon.ts`. Forms are matched case-sensitively on their
 * normalised surface: dots removed from all-caps abbreviations ("U.S." → "US"), "the"
 * dropped ("the Democratic Republic of the Congo" ≈ "Democratic Republic of Congo").
 */
import worldCountries from 'world-countries';
import { COUNTRY_ADJECTIVES, COUNTRY_SHORT_FORMS, INSTITUTION_METONYMS } from './lexicon.js';

/** How a surface form relates to its country. */
export type CountryFormKind = 'name' | 'alias' | 'demonym' | 'metonym';

/** One country candidate for a form. */
export interface CountryHit {
  code: string;
  name: string;
  kind: CountryFormKind;
}

interface CountryRecord {
  cca2: string;
  name: { common: string; official: string };
  altSpellings: string[];
  capital?: string[];
  demonyms?: { eng?: { m: string; f: string } };
  independent?: boolean | null;
}

/** Normalises a surface form for lookup: NFC, dotted caps joined, "the" dropped, lowercased, spaces collapsed. */
export function normForm(s: string): string {
  return s
    .normalize('NFC')
    .replace(/\b((?:\p{Lu}\.){2,})/gu, (m) => m.replace(/\./g, ''))
    .replace(/[’']s$/u, '')
    .replace(/\bthe\s+/gi, '')
    .replace(/[-\s]+/g, ' ')
    .trim()
    .toLowerCase();
}

let table: Map<string, CountryHit[]> | null = null;
const names = new Map<string, string>();

/** Canonical English short names used as entity names (the package's common names, a few expanded). */
const DISPLAY_NAME: Record<string, string> = { CD: 'Democratic Republic of Congo', CG: 'Republic of the Congo' };

function build(): Map<string, CountryHit[]> {
  const t = new Map<string, CountryHit[]>();
  const add = (form: string, hit: CountryHit): void => {
    const k = normForm(form);
    if (k.length < 2) return;
    const list = t.get(k) ?? [];
    if (!list.some((h) => h.code === hit.code)) list.push(hit);
    t.set(k, list);
  };
  const data = worldCountries as unknown as CountryRecord[];
  for (const c of data) {
    const name = DISPLAY_NAME[c.cca2] ?? c.name.common;
    names.set(c.cca2, name);
    add(name, { code: c.cca2, name, kind: 'name' });
    add(c.name.common, { code: c.cca2, name, kind: 'name' });
    add(c.name.official, { code: c.cca2, name, kind: 'alias' });
    for (const a of c.altSpellings) {
      // Two-letter ISO codes other than the newsroom's usual UK/US are not used in copy ("BE", "CL").
      if (/^[A-Z]{2}$/.test(a) && !/^(UK|US)$/.test(a)) continue;
      if (!/^[\p{Script=Latin}\s.,'’-]+$/u.test(a)) continue;
      add(a, { code: c.cca2, name, kind: 'alias' });
    }
    const dem = c.demonyms?.eng;
    if (dem) {
      add(dem.m, { code: c.cca2, name, kind: 'demonym' });
      add(dem.f, { code: c.cca2, name, kind: 'demonym' });
    }
    for (const cap of c.capital ?? []) {
      add(cap, { code: c.cca2, name, kind: 'metonym' });
      const short = cap.replace(/\s+D\.?C\.?$/, '');
      if (short !== cap) add(short, { code: c.cca2, name, kind: 'metonym' });
    }
  }
  for (const [form, code] of Object.entries(COUNTRY_SHORT_FORMS)) add(form, { code, name: names.get(code) ?? code, kind: /ine$/.test(form) ? 'demonym' : 'alias' });
  for (const [form, code] of Object.entries(COUNTRY_ADJECTIVES)) add(form, { code, name: names.get(code) ?? code, kind: 'demonym' });
  for (const [form, code] of Object.entries(INSTITUTION_METONYMS)) add(form, { code, name: names.get(code) ?? code, kind: 'metonym' });
  bySovereignty(t, data);
  return t;
}

/**
 * Looks up a surface form ("French", "U.S.", "Paris", "Kremlin").
 * @returns candidate countries (usually one; "Congolese" gives two), or [] when it is not a country form
 */
export function lookupCountry(form: string): CountryHit[] {
  table ??= build();
  return table.get(normForm(form)) ?? [];
}

/** Sovereign states first: "French" is France before the French Southern Lands, "American" the United States. */
function bySovereignty(t: Map<string, CountryHit[]>, data: CountryRecord[]): void {
  const independent = new Set(data.filter((c) => c.independent).map((c) => c.cca2));
  for (const list of t.values()) list.sort((a, b) => Number(independent.has(b.code)) - Number(independent.has(a.code)));
}

/** Canonical display name for an ISO alpha-2 code ("GB" → "United Kingdom"). */
export function countryName(code: string): string {
  table ??= build();
  return names.get(code) ?? code;
}
