/**
 * Merging: the mentions that are one entity. Wire copy introduces a person once by full name
 * and uses the surname after (AP Stylebook, "names"; Reuters Handbook, "second reference"), so a
 * surname, a given name or an honorific form joins the person introduced with it; a shorter form
 * of an organisation's name joins the organisation; a dotted acronym ("N.A.T.O.") joins its
 * undotted form and an international body's acronym its full name; a parenthesised acronym after
 * a name ("… Authority (ABC)") is its alias. Headline-case runs only link to what the body introduced.
 */
import { lookupCountry } from '../countries.js';
import { FUNCTION_WORDS, HONORIFICS, NAME_PARTICLES, NAME_SUFFIXES, ORG_KEYWORDS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import {
  addMention,
  chunkText,
  countryEntity,
  countryMentionKind,
  createEntity,
  fold,
  isGivenName,
  persons,
  pickCountry,
  tokenAtOrAfter,
  type EntityDoc,
  type EntityDraft,
} from './doc.js';
import { FEMALE_HONORIFICS, MALE_HONORIFICS, ORG_ACRONYMS } from './lexicon.js';
import { genderFromWord } from './roles.js';

/**
 * The known person a short reference points to: a surname ("Zakharova"), the part of a name
 * after the given name ("dela Paz"), else a given name. Of several with that surname, the
 * first introduced before `before` (the story's principal), else the first at all.
 * @param words the reference's words as written
 * @param before offset of the reference
 */
export function personByShort(d: EntityDoc, words: string[], before: number): EntityDraft | null {
  const key = fold(words.join(' '));
  const people = persons(d);
  const cands = people.filter((p) => p.surname === key || (p.nameTokens.length > 1 && fold(p.nameTokens.slice(1).join(' ')) === key));
  const known = cands.filter((p) => p.mentions[0]!.start < before);
  const pool = known.length ? known : cands;
  if (pool.length) return pool[0]!;
  const byGiven = people.filter((p) => p.given === key);
  return byGiven[0] ?? null;
}

/**
 * The organisation or place whose longer name starts or ends with these words ("Carris" for
 * "Carris Metropolitana", "Authority" never: a bare keyword is no short form).
 * @param words lowercase words of the short form
 */
export function orgByShort(d: EntityDoc, words: string[]): EntityDraft | null {
  const key = fold(words.join(' '));
  return (
    // a prefix that opens with a given name is the person the body is named after ("Eric Trump" of the Eric Trump Foundation)
    d.ents.find((e) => (e.type === 'organization' || e.type === 'place') && e.nameTokens.length > words.length && ((fold(e.nameTokens.slice(0, words.length).join(' ')) === key && !(words.length >= 2 && isGivenName(words[0]!))) || fold(e.nameTokens.slice(-words.length).join(' ')) === key) && !ORG_KEYWORDS.has(key)) ??
    null
  );
}

/**
 * Creates or finds the person named by `toks` and records the mention. Honorifics are dropped
 * from the name (kept as an alias, and as a gender cue); a suffix ("Jr.") is kept apart; the
 * surname starts at a particle ("de la Cruz"). A one-word name that is a known surname is that
 * person's short mention; the same full name (or given name, surname and suffix) is the same
 * person, and a full name after a surname-only introduction completes it.
 * @returns the person, or null when `toks` hold nothing but honorifics
 */
export function findOrCreatePerson(d: EntityDoc, toks: Token[]): EntityDraft | null {
  let lows = toks.map((t) => t.base.toLowerCase());
  const hon = lows.filter((w) => HONORIFICS.has(w));
  const coreToks = toks.filter((t) => !HONORIFICS.has(t.base.toLowerCase()));
  lows = coreToks.map((t) => t.base.toLowerCase());
  if (!coreToks.length) return null;
  const suffixIdx = lows.findIndex((w, k) => k > 0 && NAME_SUFFIXES.has(w));
  const suffix = suffixIdx > 0 ? lows[suffixIdx]!.replace(/\.$/, '') : null;
  const nameLows = suffixIdx > 0 ? lows.slice(0, suffixIdx) : lows;
  const partIdx = nameLows.findIndex((w, k) => NAME_PARTICLES.has(w) && k < nameLows.length - 1);
  const surnameStart = partIdx >= 0 ? partIdx : nameLows.length - 1;
  const surname = fold(nameLows.slice(surnameStart).join(' '));
  const given = surnameStart > 0 ? fold(nameLows[0]!) : null;
  const first = toks[0]!;
  if (surnameStart === 0) {
    const p = personByShort(d, coreToks.map((t) => t.base), first.start);
    if (p) {
      addMention(d, p, toks, 'short');
      return p;
    }
  }
  const people = persons(d);
  const same = people.find((p) => p.surname === surname && (given === null || p.given === null || p.given === given) && (p.suffix ?? null) === suffix);
  const same2 = same ?? (given === null ? people.find((p) => p.surname === surname) : undefined);
  if (same2) {
    addMention(d, same2, toks, given && same2.given === null ? 'name' : 'short');
    if (given && same2.given === null) {
      same2.given = given;
      same2.name = chunkText(d.text, coreToks);
    }
    return same2;
  }
  const name = chunkText(d.text, coreToks);
  const p = createEntity(d, name, 'person', { nameTokens: nameLows, surname, given, suffix });
  addMention(d, p, toks, 'name');
  if (hon.length) p.aliases.add(chunkText(d.text, toks));
  for (const h of hon) genderFromWord(p, h);
  if (suffix === 'jr' || suffix === 'sr') {
    p.gender = 'male';
    p.seniority = suffix === 'sr' ? 'elder' : 'younger';
  }
  return p;
}

/**
 * The organisation an acronym token names: an international body's full name ("UN" → United
 * Nations), an organisation already known by it, or a new one named by the undotted form
 * ("N.A.T.O." is NATO). Records the mention (kind `alias` for a dotted or expanded form).
 */
export function acronymEntity(d: EntityDoc, t: Token): EntityDraft {
  const bare = t.base.replace(/\./g, '');
  const full = ORG_ACRONYMS[bare];
  const known = full ? d.ents.find((e) => e.name === full) : d.ents.find((e) => (e.aliases.has(bare) || e.name === bare) && e.type === 'organization');
  const e = known ?? createEntity(d, full ?? bare, 'organization', { nameTokens: [bare.toLowerCase()] });
  addMention(d, e, [t], full || bare !== t.base ? 'alias' : 'name');
  return e;
}

/**
 * A parenthesised acronym right after a name ("the Atlantic Ports Authority (APA)") is an alias
 * of it, and a short mention.
 * @param last the name's last token
 */
export function parentheticalAcronym(d: EntityDoc, e: EntityDraft, last: Token): void {
  const { tokens } = d;
  const paren = tokens[last.i + 1]?.text === '(' && tokens[last.i + 3]?.text === ')' ? tokens[last.i + 2] : undefined;
  if (paren && /^\p{Lu}{2,8}$/u.test(paren.base)) {
    e.aliases.add(paren.base);
    d.tokenEntity[paren.i] = e.id;
    e.mentions.push({ start: paren.start, end: paren.end, text: paren.base, kind: 'short', sentence: paren.sentence });
  }
}

/**
 * A headline-case run ("Ortega Says Lisbon Tram Fares Will Rise"): mentions of countries (not
 * capitals) and of people and organisations the body introduced, nothing new; except a known
 * given name with a surname ("… Donald Trump Says …"), a person even in a headline.
 */
export function linkKnown(d: EntityDoc, toks: Token[]): void {
  const { tokenEntity } = d;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (d.skip(t.start) || tokenEntity[t.i]) continue;
    const country = lookupCountry(t.base);
    if (country.length && country[0]!.kind !== 'metonym') {
      const hit = pickCountry(d, country);
      addMention(d, countryEntity(d, hit), [t], countryMentionKind(hit));
      continue;
    }
    // the longest run from k that is a known person's full name or surname, or an organisation's name
    for (let e = toks.length; e > k; e--) {
      const run = toks.slice(k, e);
      const key = fold(run.map((x) => x.base).join(' '));
      const known = d.ents.find((x) => (x.type === 'person' || x.type === 'organization') && (fold(x.name) === key || (x.type === 'person' && x.surname === key)));
      if (known) {
        addMention(d, known, run, fold(known.name) === key ? 'name' : 'short');
        k = e - 1;
        break;
      }
    }
    const next = toks[k + 1];
    if (!tokenEntity[t.i] && next && isGivenName(t.lower) && !FUNCTION_WORDS.has(next.lower) && !d.lowerVocab.has(next.lower) && !isGivenName(next.lower) && !t.possessive) {
      findOrCreatePerson(d, [t, next]);
      k++;
    }
  }
}

/**
 * "Mr Marsh" when the text has a Linda Marsh and her son Callum Marsh: a surname with an
 * honorific goes to the person of that surname whose gender fits (from roles such as "son"),
 * and gives its gender to the person it lands on.
 */
export function relinkByHonorific(d: EntityDoc): void {
  const people = persons(d);
  const { tokens, tokenEntity } = d;
  const want = (w: string): 'male' | 'female' | null => (MALE_HONORIFICS.has(w) ? 'male' : FEMALE_HONORIFICS.has(w) ? 'female' : null);
  for (const e of people) {
    for (const m of [...e.mentions]) {
      const g = want(m.text.split(/\s+/)[0]!.toLowerCase());
      if (!g || m.kind === 'name') continue;
      if (e.gender === g) continue;
      const others = people.filter((o) => o !== e && o.surname && o.surname === e.surname);
      const target = others.find((o) => o.gender === g) ?? (e.gender && e.gender !== g ? others.find((o) => o.gender === null) : undefined);
      if (target) {
        e.mentions.splice(e.mentions.indexOf(m), 1);
        target.mentions.push(m);
        target.gender ??= g;
        for (let z = tokenAtOrAfter(tokens, m.start); z < tokens.length && tokens[z]!.end <= m.end; z++) tokenEntity[z] = target.id;
      } else if (!e.gender) e.gender = g;
    }
  }
}
