/**
 * After attribution: a capitalised run taken for a person while the text was read stays one
 * only with support, and the drafts become the public `Entity` shape.
 */
import { countryName, lookupCountry } from '../countries.js';
import { genderOfGivenName } from '../given-names.js';
import { ORG_KEYWORDS, PRE_TITLE_HEADS, ROLE_HEADS } from '../lexicon.js';
import { lookupPlace } from '../places.js';
import type { Entity } from '../types.js';
import { fold, isGivenName, type EntityDraft } from './doc.js';
import { GROUP_PLURALS, NEVER_NAME, ORG_APPOSITIVE } from './lexicon.js';

/** Head noun of a role phrase: its last word before a preposition ("tram operator for the city" → "operator"). */
const headOf = (r: string): string => r.toLowerCase().split(/\s+(?:of|for|at|in|with|to|on)\s+/)[0]!.trim().split(/\s+/).pop() ?? '';

/** Party words used as titles of people in US copy ("Indiana Democrat", "Wisconsin Republican"). */
const PARTY_WORDS = new Set(['democrat', 'democratic', 'republican', 'gop', 'independent', 'libertarian', 'congressman', 'congresswoman', 'committeeman', 'committeewoman']);

/**
 * True when a run is built only of titles, party words, organisation words and place names, with
 * no given name: "Texas Congressman", "Florida Senator", "Alabama Democratic Governor",
 * "Department", "Committee". That is a description of a person, not a name.
 */
function titleOnly(words: string[]): boolean {
  const lows = words.map((w) => w.toLowerCase().replace(/[’']s$/, ''));
  if (isGivenName(lows[0]!)) return false;
  const titled = lows.some((w) => ROLE_HEADS.has(w) || PRE_TITLE_HEADS.has(w) || PARTY_WORDS.has(w) || ORG_KEYWORDS.has(w));
  return titled && words.every((w, k) => {
    const l = lows[k]!;
    return ROLE_HEADS.has(l) || PRE_TITLE_HEADS.has(l) || PARTY_WORDS.has(l) || ORG_KEYWORDS.has(l) || /^(senior|national|state|former|deputy|chief|federal|general)$/.test(l) || lookupCountry(w).length > 0 || !!lookupPlace(w) || !!lookupPlace(words.slice(k, k + 2).join(' ')) || (k > 0 && !!lookupPlace(words.slice(k - 1, k + 1).join(' ')));
  });
}

/**
 * Keeps the person type only where the text supports it. A capitalised run is taken for a
 * person while the text is read; at the end it stays one when something shows a person: a
 * known given name, a title or role, a gender cue (Mr/Ms, spokeswoman, a resolved pronoun),
 * an initial or suffix in the name, a description or pronoun resolved to it, or speech
 * attributed to it. Otherwise it is retyped `other` ("Social Security", "Super Tuesday",
 * "Presumptive Democratic"); a run ending in a plural of people ("Muslim Americans") is a group;
 * a name whose only descriptions are a company's ("Carris, the city's tram operator") is an organisation.
 * @param speakers ids of the entities that speak in the article's quotes
 */
export function confirmPersons(drafts: EntityDraft[], speakers: ReadonlySet<string>): void {
  for (const d of drafts) {
    if (d.type !== 'person') continue;
    const words = d.name.split(/\s+/);
    const lows = words.map((w) => w.toLowerCase());
    const group = GROUP_PLURALS.has(lows[lows.length - 1]!);
    const junk = lows.every((w) => NEVER_NAME.has(w)) || (NEVER_NAME.has(lows[0]!) && words.length > 1 && !isGivenName(lows[1] ?? '')) || titleOnly(words) || lows.includes('war');
    const supported =
      (!!d.given && genderOfGivenName(d.given) !== null) ||
      d.roles.length > 0 ||
      d.gender !== null ||
      speakers.has(d.id) ||
      d.mentions.some((m) => m.kind === 'pronoun' || m.kind === 'description') ||
      words.some((w) => /^\p{Lu}\.$/u.test(w)) ||
      d.suffix !== null ||
      d.seniority !== null ||
      d.personCue === true;
    const orgRoles = d.roles.length > 0 && d.roles.every((r) => ORG_APPOSITIVE.has(headOf(r)));
    if (orgRoles && !(d.given && genderOfGivenName(d.given))) {
      d.type = 'organization';
      d.id = d.id.replace(/^person:/, 'organization:');
      d.roles = [];
    } else if (group || junk || !supported) {
      d.type = 'other';
      d.id = d.id.replace(/^person:/, 'other:');
    }
  }
}

/**
 * Converts drafts to the public `Entity` shape: entities without mentions dropped, mentions in
 * text order, aliases without the canonical name (deduplicated by folded form), a country named
 * by its canonical English name.
 */
export function finishEntities(drafts: EntityDraft[]): Entity[] {
  return drafts
    .filter((d) => d.mentions.length > 0)
    .map((d) => {
      const mentions = [...d.mentions].sort((a, b) => a.start - b.start);
      const aliases = [...d.aliases].filter((a) => fold(a) !== fold(d.name));
      const out: Entity = {
        id: d.id,
        name: d.type === 'country' && d.countryCode ? countryName(d.countryCode) : d.name,
        type: d.type,
        aliases: [...new Map(aliases.map((a) => [fold(a), a])).values()],
        roles: d.roles,
        affiliation: [...d.affiliation],
        gender: d.gender,
        mentions,
      };
      if (d.countryCode) out.countryCode = d.countryCode;
      return out;
    });
}
