/**
 * Entity stage: finds people, countries, organisations and places, merges their mentions
 * (full name, surname, possessive, acronym, demonym, capital-as-metonym) and reads the
 * roles the text gives them (pre-titles such as "French President Emmanuel Macron",
 * appositives such as "Maria Zakharova, spokeswoman for the Russian Foreign Ministry," and
 * "Northgate’s manager, Rui Fonseca,"), affiliations and gender cues.
 *
 * Rules follow wire-copy conventions: a person is introduced once with full name (and
 * usually a title or appositive) and referred to by surname afterwards (AP Stylebook,
 * "names"; Reuters Handbook, "second reference").
 */
import { countryName, lookupCountry, type CountryHit } from './countries.js';
import { genderOfGivenName } from './given-names.js';
import { lookupPlace } from './places.js';
import {
  FEMALE_WORDS,
  FUNCTION_WORDS,
  HONORIFICS,
  LOCATIVE_PREPS,
  MALE_WORDS,
  NEWS_OUTLETS,
  NAME_PARTICLES,
  NAME_SUFFIXES,
  ORG_KEYWORDS,
  PLACE_KEYWORDS,
  PRE_TITLE_HEADS,
  ROLE_HEADS,
  TITLE_MODIFIERS,
} from './lexicon.js';
import { firstWhere } from './search.js';
import { INVISIBLE, type Token } from './tokens.js';
import { CUE_FORMS } from './lexicon.js';
import type { Entity, EntityType, Mention, MentionKind } from './types.js';

/** International bodies usually written as acronyms, with their full names. */
const ORG_ACRONYMS: Record<string, string> = {
  EU: 'European Union',
  UN: 'United Nations',
  AU: 'African Union',
  IMF: 'International Monetary Fund',
  WHO: 'World Health Organization',
  WTO: 'World Trade Organization',
};

/** Nouns an organisation owns ("the club's players", "the firm's shares"): their owner is not a person. */
const ORG_OWNED = new Set(['shares', 'stock', 'board', 'headquarters', 'employees', 'staff', 'workforce', 'players', 'squad', 'fans', 'supporters', 'customers', 'investors', 'shareholders', 'directors', 'profits', 'revenue', 'chairman', 'chairwoman', 'owners', 'stadium', 'factory', 'factories', 'plant', 'subsidiary', 'brand', 'editor', 'newsroom', 'reporters', 'members']);

/** Nouns before a proper name that mark it as an organisation ("the radio station Onda Llevant"). */
const ORG_PRENOUNS = new Set(['station', 'newspaper', 'broadcaster', 'firm', 'company', 'group', 'fund', 'brokerage', 'bank', 'club', 'agency', 'network', 'channel', 'magazine', 'website', 'outlet', 'daily', 'weekly', 'paper', 'insurer', 'lender', 'carrier', 'airline', 'startup', 'union', 'party', 'charity', 'tabloid']);
/** Keywords that allow "of"/"for" inside a name ("Central Bank of Chile", "Democratic Republic of Congo"). */
const OF_KEYWORDS = new Set([...ORG_KEYWORDS, ...PLACE_KEYWORDS, 'republic', 'kingdom', 'states', 'emirates', 'force', 'forces', 'minister', 'secretary', 'ministry', 'department', 'bank', 'university', 'museum', 'court']);
const COMPANY_WORDS = new Set(['inc.', 'inc', 'ltd.', 'ltd', 'llc', 'plc', 'corp.', 'corp', 'corporation', 'company', 'systems', 'mining', 'holdings', 'industries', 'group', 'technologies', 'labs', 'motors', 'airlines', 'energy', 'petroleum', 'capital', 'partners', 'bancorp']);
const WEEKDAYS_MONTHS = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept\.|oct\.|nov\.|dec\.)$/;

/** A mutable entity while the stage runs. */
export interface EntityDraft {
  id: string;
  name: string;
  type: EntityType;
  aliases: Set<string>;
  roles: string[];
  affiliation: Set<string>;
  gender: 'female' | 'male' | null;
  countryCode?: string;
  mentions: Mention[];
  /** Lowercase name tokens without honorifics and suffixes; for people the last is the surname's last word. */
  nameTokens: string[];
  /** Lowercase surname (may contain particles: "de la cruz"). */
  surname: string | null;
  given: string | null;
  suffix: string | null;
  /** Lowercase head nouns a description can use for it ("minister", "director", "ministry", "company"). */
  heads: Set<string>;
  /** Spans of the role phrases, for affiliation resolution. */
  roleSpans: { start: number; end: number; text: string }[];
  company: boolean;
  /** Whether it was given an explicit relation making it the older/younger of a family ("father", "son", "Sr."). */
  seniority: 'elder' | 'younger' | null;
}

/** Result of the entity stage. */
export interface EntityStage {
  entities: EntityDraft[];
  /** Entity id for each token that is part of a name mention (index = token index). */
  tokenEntity: (string | undefined)[];
}

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Lowercase without diacritics, for comparing names ("Larrañaga" = "larranaga"). */
export const fold = (s: string): string => s.replace(INVISIBLE, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

interface Chunk {
  toks: Token[];
  /** Lowercase determiner or prenoun right before the chunk, for context. */
}

const isNameWord = (t: Token): boolean => t.word && t.cap;

/** Splits the tokens into maximal runs of capitalised words (with name particles and "of" inside names). */
function chunks(tokens: Token[]): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const positional = t.initial && FUNCTION_WORDS.has(t.lower) && t.text !== t.text.toUpperCase();
    let pe = i;
    while (tokens[pe] && tokens[pe]!.word && !tokens[pe]!.cap && NAME_PARTICLES.has(tokens[pe]!.lower) && pe - i < 3) pe++;
    const afterParticles = tokens[pe];
    const particleStart = pe > i && !(tokens[i - 1]?.cap && tokens[i - 1]!.word) && afterParticles && isNameWord(afterParticles) && afterParticles.start - tokens[pe - 1]!.end <= 1 && !FUNCTION_WORDS.has(afterParticles.lower);
    if (particleStart) {
      const run: Token[] = tokens.slice(i, pe + 1);
      let j = pe + 1;
      while (j < tokens.length && isNameWord(tokens[j]!) && !run[run.length - 1]!.possessive && tokens[j]!.start - tokens[j - 1]!.end <= 1) run.push(tokens[j++]!);
      out.push({ toks: run });
      i = j;
      continue;
    }
    if (!isNameWord(t) || positional) {
      i++;
      continue;
    }
    const run: Token[] = [t];
    let j = i + 1;
    while (j < tokens.length) {
      const prev = run[run.length - 1]!;
      if (prev.possessive || prev.sentence !== tokens[j]!.sentence) break;
      const u = tokens[j]!;
      if (u.start - prev.end > 1) break; // punctuation or line break between
      if (isNameWord(u) && !(FUNCTION_WORDS.has(u.lower) && u.lower !== 'the')) {
        if (u.lower === 'the') break;
        run.push(u);
        j++;
        continue;
      }
      // Name particles and suffixes: "de la Cruz", "van Rensburg", "Hollis III", "Whitcombe Jr.".
      if (u.word && NAME_PARTICLES.has(u.lower)) {
        let k = j;
        while (k < tokens.length && tokens[k]!.word && NAME_PARTICLES.has(tokens[k]!.lower) && tokens[k]!.start - tokens[k - 1]!.end <= 1) k++;
        const next = tokens[k];
        if (next && isNameWord(next) && next.start - tokens[k - 1]!.end <= 1) {
          for (let q = j; q <= k; q++) run.push(tokens[q]!);
          j = k + 1;
          continue;
        }
        break;
      }
      // "of" / "for" / "and" inside organisation, place and country names.
      const keywordAhead = (): boolean => {
        for (let q = j + 1; q < tokens.length && q <= j + 5 && tokens[q]!.word && (tokens[q]!.cap || tokens[q]!.lower === 'the'); q++) if (ORG_KEYWORDS.has(tokens[q]!.lower)) return true;
        return false;
      };
      // ... but a person's name ends before its "of" phrase: "Corinne Abell of the Harbor Gazette".
      const personSoFar = !run.some((r) => OF_KEYWORDS.has(r.lower)) && run.length >= 2 && isGivenName(run[0]!.lower) && !ORG_KEYWORDS.has(run[run.length - 1]!.lower);
      if (u.word && (u.lower === 'of' || u.lower === 'for' || u.lower === 'and') && !personSoFar && (run.some((r) => OF_KEYWORDS.has(r.lower)) || keywordAhead())) {
        let k = j + 1;
        if (tokens[k]?.lower === 'the' && u.lower === 'of') k++;
        const next = tokens[k];
        if (next && isNameWord(next) && next.sentence === u.sentence && !(u.lower === 'and' && lookupCountry(next.base).length)) {
          for (let q = j; q <= k; q++) run.push(tokens[q]!);
          j = k + 1;
          continue;
        }
      }
      break;
    }
    out.push({ toks: run });
    i = j;
  }
  return out;
}

const chunkText = (text: string, toks: Token[]): string => {
  const last = toks[toks.length - 1]!;
  return text.slice(toks[0]!.start, last.possessive ? last.end - 2 : last.end).replace(INVISIBLE, '');
};

/** Words whose lowercase form also appears in the text in lowercase (so a capitalised occurrence may be positional). */
function lowercaseVocabulary(text: string): Set<string> {
  const v = new Set<string>();
  for (const m of text.matchAll(/(?<![\p{L}])\p{Ll}[\p{L}’'-]*/gu)) v.add(m[0]);
  return v;
}

/**
 * Runs the entity stage.
 * @param text article text
 * @param tokens all tokens of the body
 * @param titleTokens tokens of the headline (mentions there are linked but never introduce people)
 */
export function findEntities(text: string, tokens: Token[], skip: (at: number) => boolean = () => false): EntityStage {
  const lowerVocab = lowercaseVocabulary(text);
  const ents: EntityDraft[] = [];
  const byId = new Map<string, EntityDraft>();
  const tokenEntity: (string | undefined)[] = new Array(tokens.length);

  const create = (name: string, type: EntityType, extra: Partial<EntityDraft> = {}): EntityDraft => {
    let id = `${type}:${slug(name) || 'x'}`;
    while (byId.has(id) && byId.get(id)!.name !== name) id += '-2';
    const existing = byId.get(id);
    if (existing) return existing;
    const e: EntityDraft = {
      id, name, type, aliases: new Set(), roles: [], affiliation: new Set(), gender: null, mentions: [], nameTokens: [],
      surname: null, given: null, suffix: null, heads: new Set(), roleSpans: [], company: false, seniority: null, ...extra,
    };
    ents.push(e);
    byId.set(id, e);
    return e;
  };
  const mention = (e: EntityDraft, toks: Token[], kind: MentionKind, surface?: string): void => {
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    const end = last.possessive ? last.end - 2 : last.end;
    const t = surface ?? text.slice(first.start, end);
    e.mentions.push({ start: first.start, end, text: t, kind, sentence: first.sentence });
    if (fold(t) !== fold(e.name)) e.aliases.add(t.replace(INVISIBLE, ''));
    for (const x of toks) tokenEntity[x.i] = e.id;
  };

  const countryEntity = (hit: CountryHit): EntityDraft => {
    const e = create(hit.name, 'country', { countryCode: hit.code });
    e.countryCode = hit.code;
    return e;
  };
  /** Picks among ambiguous country candidates the one whose other forms the text uses most. */
  const pickCountry = (hits: CountryHit[]): CountryHit => {
    if (hits.length === 1) return hits[0]!;
    let best = hits[0]!;
    let bestScore = -1;
    for (const h of hits) {
      const e = ents.find((x) => x.countryCode === h.code);
      const score = e ? e.mentions.length : 0;
      if (score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  };

  const persons = (): EntityDraft[] => ents.filter((e) => e.type === 'person');

  /** Finds a known person a short reference (surname, "dela Paz", given name) points to. */
  const personByShort = (words: string[], before: number): EntityDraft | null => {
    const key = fold(words.join(' '));
    const cands = persons().filter((p) => p.surname === key || (p.nameTokens.length > 1 && fold(p.nameTokens.slice(1).join(' ')) === key));
    const known = cands.filter((p) => p.mentions[0]!.start < before);
    const pool = known.length ? known : cands;
    if (pool.length) return pool[0]!; // the first-introduced person with that surname is the principal
    const byGiven = persons().filter((p) => p.given === key);
    return byGiven[0] ?? null;
  };
  const orgByShort = (words: string[]): EntityDraft | null => {
    const key = fold(words.join(' '));
    return (
      // a prefix that opens with a given name is the person the body is named after ("Eric Trump" of the Eric Trump Foundation)
      ents.find((e) => (e.type === 'organization' || e.type === 'place') && e.nameTokens.length > words.length && ((fold(e.nameTokens.slice(0, words.length).join(' ')) === key && !(words.length >= 2 && isGivenName(words[0]!))) || fold(e.nameTokens.slice(-words.length).join(' ')) === key) && !ORG_KEYWORDS.has(key)) ??
      null
    );
  };

  const all = chunks(tokens);

  /** Whether a capital's mention names the city: a place preposition before it, or a city body after it. */
  const cityContext = (toks: Token[]): boolean => {
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    const before = tokens[first.i - 1];
    const after = tokens[last.i + 1];
    const after2 = tokens[last.i + 2];
    if (before?.word && /^(in|at|near|outside|inside|across|around|throughout|downtown|central)$/.test(before.lower) && !/^(talks|summit)$/.test(tokens[first.i - 2]?.lower ?? '')) return true;
    // "the mayor of Paris", "the streets of Lisbon", "the city of Santiago"
    if (before?.lower === 'of' && /^(mayor|mayors|city|streets|suburbs|outskirts|centre|center|heart|residents|people|council|police|port|airport|metro|districts?)$/.test(tokens[first.i - 2]?.lower ?? '')) return true;
    const cityBody = /^(mayor|mayors|city|council|councillors?|councilors?|metro|subway|tram|trams|buses|bus|police|airport|port|residents|streets|neighbou?rhoods?|suburbs?|marathon|zoo|museum|hall|districts?|municipality|transit|operator|fire|hospitals?|restaurants?|hotels?|schools?)$/;
    if (last.possessive && after?.word && cityBody.test(after.lower)) return true;
    if (!last.possessive && after?.word && !after.cap && cityBody.test(after.lower) && !/^(said|says)$/.test(after2?.lower ?? '')) return true;
    return false;
  };


  const classify = (c: Chunk, toks: Token[]): void => {
    if (!toks.length) return;
    if (skip(toks[0]!.start) || tokenEntity[toks[0]!.i]) return;
    const surface = chunkText(text, toks);
    const words = toks.map((t) => t.base);
    const lows = words.map((w) => w.toLowerCase());
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    // A capitalised reporting verb opening a sentence ("Said Dorothy Poynter: …") or a title modifier
    // ("Former House speaker Newt Gingrich") is not part of the name that follows it.
    if (toks.length > 1 && ((TITLE_MODIFIERS.has(lows[0]!) && !/^(new|deputy|vice)$/.test(lows[0]!)) || (first.initial && CUE_FORMS.has(lows[0]!)))) {
      classify(c, toks.slice(1));
      return;
    }

    // Headline-case and sentence-initial common words ("However", "Investors") are not names.
    if (toks.length === 1 && first.initial && (FUNCTION_WORDS.has(first.lower) || lowerVocab.has(first.lower))) {
      const p = personByShort([first.base], first.start);
      if (!p) return;
    }
    if (toks.length === 1 && WEEKDAYS_MONTHS.test(first.lower)) return;
    // A lone capitalised adjective before a noun ("Western nations", "European allies") is not a name.
    const nextTok = tokens[last.i + 1];
    const adjectival = toks.length === 1 && nextTok?.word && !nextTok.cap && !FUNCTION_WORDS.has(nextTok.lower) && !/^(said|says|told|added|wrote|has|had|was|is)$/.test(nextTok.lower) && nextTok.start - last.end <= 1 && !last.possessive;

    // 1. The whole chunk is a country form.
    // A dotted acronym ("N.A.T.O.") only standing alone: "R.J. Whitcombe" is initials.
    const isAcronym = (t: Token): boolean => (t.base.includes('.') ? toks.length === 1 && /^(\p{Lu}\.){2,6}$/u.test(t.base) : /^\p{Lu}{2,6}$/u.test(t.base)) && !NAME_SUFFIXES.has(t.lower) && !PRE_TITLE_HEADS.has(t.lower);
    const hits = lookupCountry(surface);
    if (adjectival && !hits.length && !isAcronym(first) && !personByShort([first.base], first.start) && !orgByShort(lows)) return;
    if (hits.length) {
      const hit = pickCountry(hits);
      // A capital is its city, not its government, where something happens in it or a city body
      // belongs to it ("in Lisbon", "Lisbon's mayor", "the Lisbon tram operator", "Paris city council").
      if (hit.kind === 'metonym' && cityContext(toks)) {
        const e = ents.find((x) => fold(x.name) === fold(surface) && x.type === 'place') ?? create(surface, 'place', { nameTokens: lows });
        mention(e, toks, 'name');
        return;
      }
      const e = countryEntity(hit);
      mention(e, toks, hit.kind === 'name' ? 'name' : hit.kind === 'alias' ? 'alias' : hit.kind);
      return;
    }
    // 1b. News agencies and outlets named bare ("told Reuters", "according to Politico").
    const before = tokens[first.i - 1];
    const outlet = NEWS_OUTLETS.has(fold(surface)) || (before?.lower === 'the' && NEWS_OUTLETS.has(`the ${fold(surface)}`)) ? surface : null;
    if (outlet) {
      const e = ents.find((x) => fold(x.name) === fold(outlet) && x.type === 'organization') ?? create(outlet, 'organization', { nameTokens: lows });
      e.heads.add('outlet');
      mention(e, toks, 'name');
      return;
    }
    // 2. Acronyms of international bodies; other all-caps acronyms are organisations.
    if (toks.length === 1 && /^(ceo|cfo|coo|cto|mp|mps)$/.test(first.lower)) return;
    // Regions: "Central America", "Southern Africa", "Latin America"; "San Francisco-based".
    if (toks.length > 1 && /^(north|south|east|west|central|latin|northern|southern|eastern|western|sub-saharan|southeast|northeast|southwest|northwest)$/.test(lows[0]!) && !hits0(surface) && (hits0(words.slice(1).join(' ')) || /^(africa|america|americas|asia|europe|pacific|atlantic|caribbean|mediterranean|balkans|arctic|antarctic|sahel)$/.test(lows.slice(1).join(' ')))) {
      const e = ents.find((x) => fold(x.name) === fold(surface)) ?? create(surface, 'place', { nameTokens: lows });
      mention(e, toks, 'name');
      return;
    }
    if (tokens[last.i + 1]?.text === '-based') {
      const e = ents.find((x) => fold(x.name) === fold(surface)) ?? create(surface, 'place', { nameTokens: lows });
      mention(e, toks, 'name');
      return;
    }
    if (toks.length === 1 && isAcronym(first)) {
      // "N.A.T.O." is NATO: a dotted acronym joins its undotted form.
      const bare = first.base.replace(/\./g, '');
      const full = ORG_ACRONYMS[bare];
      const known = full ? ents.find((e) => e.name === full) : ents.find((e) => (e.aliases.has(bare) || e.name === bare) && e.type === 'organization');
      const e = known ?? create(full ?? bare, 'organization', { nameTokens: [bare.toLowerCase()] });
      mention(e, toks, full || bare !== first.base ? 'alias' : 'name');
      return;
    }
    // 3. Organisation and place keywords (a leading demonym stays part of the name: "Russian Foreign Ministry").
    const orgKw = lows.some((w, k) => ORG_KEYWORDS.has(w) && !(w === 'reserve' && /^(forest|game|nature|wildlife)$/.test(lows[k - 1] ?? '')));
    const placeKw = PLACE_KEYWORDS.has(lows[lows.length - 1]!) || (lows.includes('reserve') && !orgKw);
    let titleIdx = lastTitleIndex(lows);
    // "Judicial Watch President Tom Fitton", "Journalist Jorge Ramos": capitalised words before a
    // known given name that is followed by a surname are the person's role, not their name.
    if (titleIdx < 0 && !orgKw && !placeKw && toks.length >= 3 && !HONORIFICS.has(lows[0]!) && !isGivenName(lows[0]!)) {
      const g = lows.findIndex((w, k) => k > 0 && k < lows.length - 1 && isGivenName(w) && !NAME_PARTICLES.has(lows[k - 1]!));
      if (g > 0 && !toks.slice(0, g).some((t) => lookupCountry(t.base).some((h) => h.kind === 'name'))) titleIdx = g - 1;
    }
    if ((orgKw || placeKw) && titleIdx < 0) {
      const type: EntityType = placeKw && !orgKw ? 'place' : 'organization';
      const existing = ents.find((e) => fold(e.name) === fold(surface) && e.type === type);
      const e = existing ?? create(surface, type, { nameTokens: lows, company: lows.some((w) => COMPANY_WORDS.has(w)) });
      const paren = tokens[last.i + 1]?.text === '(' && tokens[last.i + 3]?.text === ')' ? tokens[last.i + 2] : undefined;
      if (paren && /^\p{Lu}{2,8}$/u.test(paren.base)) {
        e.aliases.add(paren.base);
        tokenEntity[paren.i] = e.id;
        e.mentions.push({ start: paren.start, end: paren.end, text: paren.base, kind: 'short', sentence: paren.sentence });
      }
      for (const w of lows) if (ORG_KEYWORDS.has(w) || PLACE_KEYWORDS.has(w)) e.heads.add(w.replace(/\.$/, ''));
      if (e.company) e.heads.add('company').add('firm');
      mention(e, toks, 'name');
      // A leading country form is also a mention of that country (and the organisation's affiliation).
      const lead = lookupCountry(words[0]!);
      if (lead.length && toks.length > 1) {
        const ce = countryEntity(pickCountry(lead));
        ce.mentions.push({ start: first.start, end: first.end, text: first.base, kind: 'demonym', sentence: first.sentence });
        if (fold(first.base) !== fold(ce.name)) ce.aliases.add(first.base);
        e.affiliation.add(ce.name);
      }
      return;
    }
    // 4. A title before a name: "French President Emmanuel Macron", "Health Minister Dr. Miriam Nakato".
    if (titleIdx >= 0 && titleIdx < toks.length - 1) {
      const roleToks = toks.slice(0, titleIdx + 1);
      const nameToks = toks.slice(titleIdx + 1);
      const honorific = roleToks.length === 1 && HONORIFICS.has(lows[0]!);
      const p = person(nameToks);
      if (!p) return;
      if (honorific) {
        p.aliases.add(surface);
        genderFromWord(p, lows[0]!);
      } else {
        // lowercase modifiers before the chunk: "former", "retired"
        let s = roleToks[0]!.start;
        let k = c.toks[0]!.i - 1;
        while (k >= 0 && tokens[k]!.word && TITLE_MODIFIERS.has(tokens[k]!.lower) && tokens[k]!.sentence === first.sentence) s = tokens[k--]!.start;
        const roleEnd = roleToks[roleToks.length - 1]!.end;
        // Strip a trailing honorific from the role ("Health Minister Dr." → "Health Minister").
        let rEnd = roleEnd;
        const lastRole = roleToks[roleToks.length - 1]!;
        if (HONORIFICS.has(lastRole.lower) && roleToks.length > 1) rEnd = roleToks[roleToks.length - 2]!.end;
        addRole(p, text.slice(s, rEnd), s, rEnd);
        // Country or organisation words inside the title are mentions and the person's affiliation.
        for (const rt of roleToks) {
          const ch = lookupCountry(rt.base);
          if (ch.length) {
            const ce = countryEntity(pickCountry(ch));
            mention(ce, [rt], ch[0]!.kind === 'name' ? 'name' : ch[0]!.kind === 'alias' ? 'alias' : ch[0]!.kind);
            p.affiliation.add(ce.name);
          } else if (isAcronym(rt)) {
            const oe = ents.find((e) => e.name === (ORG_ACRONYMS[rt.base] ?? rt.base)) ?? create(ORG_ACRONYMS[rt.base] ?? rt.base, 'organization', { nameTokens: [rt.lower] });
            mention(oe, [rt], 'name');
            p.affiliation.add(oe.name);
          }
        }
      }
      return;
    }
    // 5. A run that contains a country form or acronym among other words is split ("European NATO").
    if (toks.length > 1) {
      for (let k = 0; k < toks.length; k++) {
        const t = toks[k]!;
        if (NAME_PARTICLES.has(t.lower)) continue;
        // "Gavin Hamilton", "Vernon Jordan": a surname that is also a capital or a country after a
        // known given name is the person's surname, not a mention of the country
        if (k > 0 && k === toks.length - 1 && isGivenName(lows[0]!) && !isAcronym(t)) continue;
        if (lookupCountry(t.base).length || isAcronym(t)) {
          classify(c, toks.slice(0, k));
          classify(c, [t]);
          classify(c, toks.slice(k + 1));
          return;
        }
      }
    }
    // 6. Context: "the radio station Onda Llevant" → organisation; "told the Sunday Ledger" → outlet.
    const b1 = tokens[first.i - 1];
    const b2 = tokens[first.i - 2];
    if (b1 && b1.word && ORG_PRENOUNS.has(b1.lower)) {
      const e = ents.find((x) => fold(x.name) === fold(surface)) ?? create(surface, 'organization', { nameTokens: lows, company: true });
      e.heads.add(b1.lower);
      mention(e, toks, 'name');
      return;
    }
    // 6b. "the Evening Clarion", "the Kestrel Group": a multi-word name after "the" is an organisation, not a person.
    if (b1?.lower === 'the' && toks.length >= 2 && !HONORIFICS.has(lows[0]!) && !personByShort(words.slice(-1), first.start)) {
      const e = ents.find((x) => fold(x.name) === fold(surface)) ?? create(surface, 'organization', { nameTokens: lows });
      mention(e, toks, 'name');
      return;
    }
    // 7. Short references to known entities: surname, given name, organisation short form.
    const short = personByShort(words.filter((w) => !HONORIFICS.has(w.toLowerCase())), first.start);
    if (short && (toks.length === 1 || words.filter((w) => !HONORIFICS.has(w.toLowerCase())).length <= 3)) {
      const wordsNoHon = lows.filter((w) => !HONORIFICS.has(w));
      if (toks.length === 1 || fold(wordsNoHon.join(' ')) === short.surname || wordsNoHon.length === 1) {
        mention(short, toks, 'short');
        // the honorific's gender is settled after roles are read (relinkByHonorific): two people may share the surname
        return;
      }
    }
    const org = orgByShort(lows);
    if (org) {
      mention(org, toks, 'short');
      return;
    }
    // 7b. A state, province or city by name ("New Hampshire", "North Carolina", "San Bernardino"),
    // unless the run shows a person (an honorific, a verb only people take, a known surname).
    const place = lookupPlace(surface);
    if (place && (toks.length > 1 ? !strongPersonEvidence(toks) : !personEvidence(toks))) {
      const e = ents.find((x) => fold(x.name) === fold(surface) && x.type === 'place') ?? create(surface, 'place', { nameTokens: lows });
      mention(e, toks, 'name');
      return;
    }
    // 8. Locative context → place: "in Geneva", "to Maputo and Mombasa", "Austin, Texas".
    const prevWord = b1?.word ? b1 : undefined;
    const locative =
      (prevWord && LOCATIVE_PREPS.has(prevWord.lower)) ||
      (prevWord && /^(northern|southern|eastern|western|central|north|south|east|west|rural|coastal|northeastern|northwestern|southeastern|southwestern)$/.test(prevWord.lower) && b2?.word && LOCATIVE_PREPS.has(b2.lower)) ||
      (prevWord?.lower === 'of' && b2?.word && PLACE_KEYWORDS.has(b2.lower)) ||
      (b1?.lower === 'and' && b2 && tokenEntity[b2.i] && /^(place|country)$/.test(byId.get(tokenEntity[b2.i]!)?.type ?? '')) ||
      (b1?.text === ',' && b2 && tokenEntity[b2.i] && byId.get(tokenEntity[b2.i]!)?.type === 'place' && toks.length === 1) ||
      (b1?.lower === 'the' && b2?.word && LOCATIVE_PREPS.has(b2.lower) && toks.length === 1 && !personEvidence(toks));
    if (locative && (toks.length === 1 ? !strongPersonEvidence(toks) : !personEvidence(toks) && !isGivenName(lows[0]!))) {
      const e = ents.find((x) => fold(x.name) === fold(surface) && x.type === 'place') ?? create(surface, 'place', { nameTokens: lows });
      mention(e, toks, 'name');
      return;
    }
    // 9. People: a name of two or more words, or one word with person evidence ("Mr. Smith", "said Smith").
    const nameWords = lows.filter((w) => !HONORIFICS.has(w) && !NAME_SUFFIXES.has(w));
    if (nameWords.length >= 2 || personEvidence(toks)) {
      if (nameWords.length === 1 && first.initial && !personEvidence(toks)) return;
      person(toks);
      return;
    }
    // A lone capitalised word with no evidence: a place when it follows a locative preposition, else nothing.
  };

  /** In a headline-case run: mentions of countries and of people and organisations already known, nothing new. */
  const linkKnown = (toks: Token[]): void => {
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (skip(t.start) || tokenEntity[t.i]) continue;
      const country = lookupCountry(t.base);
      if (country.length && country[0]!.kind !== 'metonym') {
        const hit = pickCountry(country);
        mention(countryEntity(hit), [t], hit.kind === 'name' ? 'name' : hit.kind === 'alias' ? 'alias' : hit.kind);
        continue;
      }
      // the longest run from k that is a known person's full name or surname, or an organisation's name
      for (let e = toks.length; e > k; e--) {
        const run = toks.slice(k, e);
        const key = fold(run.map((x) => x.base).join(' '));
        const known = ents.find((x) => (x.type === 'person' || x.type === 'organization') && (fold(x.name) === key || (x.type === 'person' && x.surname === key)));
        if (known) {
          mention(known, run, fold(known.name) === key ? 'name' : 'short');
          k = e - 1;
          break;
        }
      }
      // A known given name and a surname ("… Donald Trump Says …") is a person even in a headline.
      const next = toks[k + 1];
      if (!tokenEntity[t.i] && next && isGivenName(t.lower) && !FUNCTION_WORDS.has(next.lower) && !lowerVocab.has(next.lower) && !isGivenName(next.lower) && !t.possessive) {
        person([t, next]);
        k++;
      }
    }
  };

  /** Creates or finds the person named by `toks` and records the mention. */
  const person = (toks: Token[]): EntityDraft | null => {
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
      const p = personByShort(coreToks.map((t) => t.base), first.start);
      if (p) {
        mention(p, toks, 'short');
        return p;
      }
    }
    // Same full name (or same given name + surname + suffix) → same person.
    const same = persons().find((p) => p.surname === surname && (given === null || p.given === null || p.given === given) && (p.suffix ?? null) === suffix);
    const same2 = same ?? (given === null ? persons().find((p) => p.surname === surname) : undefined);
    if (same2) {
      mention(same2, toks, given && same2.given === null ? 'name' : 'short');
      if (given && same2.given === null) {
        same2.given = given;
        same2.name = chunkText(text, coreToks);
      }
      return same2;
    }
    const name = chunkText(text, coreToks);
    const p = create(name, 'person', { nameTokens: nameLows, surname, given, suffix });
    mention(p, toks, 'name');
    if (hon.length) p.aliases.add(chunkText(text, toks));
    for (const h of hon) genderFromWord(p, h);
    if (suffix === 'jr' || suffix === 'sr') {
      p.gender = 'male';
      p.seniority = suffix === 'sr' ? 'elder' : 'younger';
    }
    return p;
  };

  /** Evidence that a single capitalised word is a person: honorific, title, "said X", "X said", appositive role. */
  const personEvidence = (toks: Token[]): boolean => {
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    if (HONORIFICS.has(first.lower)) return true;
    const prev = tokens[first.i - 1];
    const next = tokens[last.i + 1];
    const next2 = tokens[last.i + 2];
    // "said Smith" (inverted attribution); not "told Reuters", whose object is often an outlet
    if (prev && /^(said|says|added|according)$/.test(prev.lower) && !LOCATIVE_PREPS.has(prev.lower)) return true;
    if (next && /^(said|says|told|added|wrote|stated)$/.test(next.lower)) return true;
    // an appositive after "Bryant of Mississippi, a former backer" describes the head before "of", not the PP's object
    if (prev && /^(of|from)$/.test(prev.lower)) return false;
    if (next?.text === ',' && next2 && (/^(who|whose)$/.test(next2.lower) || ((next2.lower === 'a' || next2.lower === 'an' || next2.lower === 'the') && roleAhead(next2.i)))) return true;
    return false;
  };
  const strongPersonEvidence = (toks: Token[]): boolean => {
    const first = toks[0]!;
    const next = tokens[toks[toks.length - 1]!.i + 1];
    return HONORIFICS.has(first.lower) || (!!next && /^(said|says|told|added|wrote|stated)$/.test(next.lower)) || !!personByShort([first.base], first.start);
  };
  const hits0 = (s: string): boolean => lookupCountry(s).length > 0;
  /** True when a role noun appears within a few tokens after index k (an appositive role). */
  const roleAhead = (k: number): boolean => {
    for (let q = k; q < Math.min(tokens.length, k + 6); q++) {
      const t = tokens[q]!;
      if (t.text === ',' || t.text === '.') return false;
      if (ROLE_HEADS.has(t.lower)) return true;
    }
    return false;
  };

  // Title Case headlines and all-caps crossheads capitalise every word, so a capitalised run there
  // is no evidence of a name ("Lone Player Stands", "WikiLeaks Shows Desperate Plea"): their runs
  // are read last and may only mention entities the body introduced.
  const headline = headlineSentences(tokens);
  for (const c of all) if (!headline.has(c.toks[0]!.sentence)) classify(c, c.toks);
  for (const c of all) if (headline.has(c.toks[0]!.sentence)) linkKnown(c.toks);

  // Roles from appositives and pre-appositives, gender cues, affiliations.
  for (const e of persons()) readRoles(text, tokens, e, tokenEntity, byId);
  for (const e of ents) if (e.type === 'person') for (const r of e.roles) for (const w of r.toLowerCase().split(/[\s-]+/)) if (!/^(her|his|hers|their|she|he)$/.test(w)) genderFromWord(e, w);
  relinkByHonorific(persons(), tokens, tokenEntity);
  resolveAffiliations(ents, tokenEntity, tokens, byId);
  // "Kestrel Build's chief executive", "Dunmore Rovers' players": what owns staff, shares or a board is an organisation.
  for (const e of persons()) {
    if (e.roles.length || e.gender || e.aliases.size > 2) continue;
    const owned = e.mentions.some((m) => {
      const k = tokenStartingAt(tokens, m.start);
      if (k < 0) return false;
      let z = k;
      while (tokens[z + 1] && tokens[z + 1]!.start < m.end + 2 && tokenEntity[z + 1] === e.id) z++;
      const poss = tokens[z]!.possessive || /^[’']$/.test(tokens[z + 1]?.text ?? '');
      const next = tokens[z + (tokens[z]!.possessive ? 1 : 2)];
      return poss && !!next && ORG_OWNED.has(next.lower);
    });
    if (owned) e.type = 'organization';
  }
  return { entities: ents, tokenEntity };
}

/**
 * "Mr Marsh" when the text has a Linda Marsh and her son Callum Marsh: a surname with an
 * honorific goes to the person of that surname whose gender fits (from roles such as "son"),
 * and gives its gender to the person it lands on.
 */
function relinkByHonorific(people: EntityDraft[], tokens: Token[], tokenEntity: (string | undefined)[]): void {
  const want = (w: string): 'male' | 'female' | null => (/^(mr\.?|sir|lord)$/.test(w) ? 'male' : /^(mrs\.?|ms\.?|miss|dame|lady)$/.test(w) ? 'female' : null);
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

/** Index of the first token starting at or after `pos` (tokens are in text order). */
export function tokenAtOrAfter(tokens: Token[], pos: number): number {
  return firstWhere(tokens, (t) => t.start >= pos);
}
/** Index of the token starting exactly at `pos`, or -1. */
function tokenStartingAt(tokens: Token[], pos: number): number {
  const k = tokenAtOrAfter(tokens, pos);
  return tokens[k]?.start === pos ? k : -1;
}

/** A known given name (any gender) in the given-name lists. */
const isGivenName = (low: string): boolean => low.length > 1 && !NAME_PARTICLES.has(low) && genderOfGivenName(low) !== null;

/**
 * Sentences written in headline case: at least four words, and nine in ten of the words after
 * the first capitalised (Title Case headlines, all-caps crossheads), where capitals do not mark names.
 */
function headlineSentences(tokens: Token[]): Set<number> {
  const words = new Map<number, [number, number]>();
  for (const t of tokens) {
    if (!t.word || t.quoted) continue;
    const c = words.get(t.sentence) ?? [0, 0];
    c[0]++;
    if (t.cap && !t.initial) c[1]++;
    words.set(t.sentence, c);
  }
  const out = new Set<number>();
  for (const [s, [n, caps]] of words) if (n >= 4 && caps >= 0.9 * (n - 1)) out.add(s);
  return out;
}

/** Index of the last title word in a capitalised run that is followed by more name words, or -1. */
function lastTitleIndex(lows: string[]): number {
  let idx = -1;
  for (let k = 0; k < lows.length - 1; k++) {
    const w = lows[k]!;
    const parts = w.split('-');
    if (PRE_TITLE_HEADS.has(w) || parts.some((p) => PRE_TITLE_HEADS.has(p) && p !== 'vice')) idx = k;
  }
  // "Prime" alone is not the end of a title ("Prime Minister"): a title ends at its last head word.
  // "Secretary of State John F. Kerry", "Minister of Finance Ana Ruiz": the "of" phrase belongs to the
  // title, up to a known given name (else the name is the last two words).
  if (idx >= 0 && lows[idx + 1] === 'of') {
    let j = idx + 2;
    while (j < lows.length - 2 && !isGivenName(lows[j]!)) j++;
    if (j < lows.length) idx = j - 1;
  }
  return idx;
}

/** Title abbreviations and what a later description calls the same person ("Gov." → "the governor"). */
const TITLE_ABBREVIATIONS: Record<string, string> = {
  gov: 'governor', gen: 'general', sen: 'senator', rep: 'representative', lt: 'lieutenant', capt: 'captain', col: 'colonel',
  sgt: 'sergeant', prof: 'professor', supt: 'superintendent', det: 'detective', insp: 'inspector', cllr: 'councillor', adm: 'admiral',
  cmdr: 'commander', maj: 'major', atty: 'attorney', amb: 'ambassador', pres: 'president',
};

/** Records a role phrase on a person (deduplicated, whitespace-normalised, leading article dropped). */
export function addRole(p: EntityDraft, raw: string, start: number, end: number): void {
  const role = raw.replace(/\s+/g, ' ').replace(/^(?:a|an|the)\s+/i, '').replace(/[,.;:]+$/, '').trim();
  if (!role || role.length > 120) return;
  if (p.roles.some((r) => r.toLowerCase() === role.toLowerCase())) return;
  p.roles.push(role);
  p.roleSpans.push({ start, end, text: role });
  const words = role.toLowerCase().split(/\s+/);
  for (const w of words) {
    const h = w.replace(/[’']s$/, '').replace(/[.,]$/, '');
    const full = TITLE_ABBREVIATIONS[h] ?? h;
    if (ROLE_HEADS.has(full) || ROLE_HEADS.has(h + '.') || TITLE_ABBREVIATIONS[h]) p.heads.add(full);
  }
  // The head noun of the role phrase ("glaciologist", "director of research" → "director") can be used alone later.
  const headWord = /^([\p{L}-]+)/u.exec(role.toLowerCase().split(/\s+(?:of|for|at|in|with|to|who|on)\s+/)[0]!.split(/\s+/).pop() ?? '')?.[1];
  if (headWord && headWord.length > 3 && !/[’']s$/.test(headWord)) p.heads.add(TITLE_ABBREVIATIONS[headWord] ?? headWord);
  const last = role.toLowerCase().split(/\s+/).pop()!;
  if (/^(father|mother|elder|senior)$/.test(last) || /\b(father|mother)\b/.test(role.toLowerCase())) p.seniority ??= 'elder';
  if (/\b(son|daughter)\b/.test(role.toLowerCase())) p.seniority ??= 'younger';
}

function genderFromWord(e: EntityDraft, w: string): void {
  if (e.gender) return;
  if (FEMALE_WORDS.has(w)) e.gender = 'female';
  else if (MALE_WORDS.has(w) && !/^(his|he|him|himself)$/.test(w)) e.gender = 'male';
}

/**
 * Reads appositive roles around a person's introducing mention:
 * after ("Maria Zakharova, spokeswoman for …,"), before ("Northgate’s manager, Rui Fonseca,"),
 * lowercase pre-role ("the collector Walter P. Dunmore"), and who-clauses ("who leads …").
 */
function readRoles(text: string, tokens: Token[], e: EntityDraft, tokenEntity: (string | undefined)[], byId: Map<string, EntityDraft>): void {
  for (const m of e.mentions) {
    if (m.kind !== 'name' && m.kind !== 'short') continue;
    const firstTok = tokenStartingAt(tokens, m.start);
    if (firstTok < 0) continue;
    let lastTok = firstTok;
    while (lastTok + 1 < tokens.length && tokens[lastTok + 1]!.start < m.end) lastTok++;
    const sent = tokens[firstTok]!.sentence;
    // After: ", [a|an|the] … ROLE …,"
    const comma = tokens[lastTok + 1];
    if (comma?.text === ',' && comma.sentence === sent) {
      let k = lastTok + 2;
      const startTok = tokens[k];
      const phrase: Token[] = [];
      while (k < tokens.length && tokens[k]!.sentence === sent && !/^[,;:.“”"‘’()—–]$/.test(tokens[k]!.text)) phrase.push(tokens[k++]!);
      // "a spokeswoman for the forest who has worked fires for 16 years": the role ends before its relative clause.
      const whoAt = phrase.findIndex((t, z) => z > 1 && /^(who|which|whose|that)$/.test(t.lower));
      if (whoAt > 0) phrase.splice(whoAt);
      if (startTok && phrase.length && phrase.length <= 14) {
        const lows = phrase.map((t) => t.lower);
        const hasRole = lows.some((w) => ROLE_HEADS.has(w) || ROLE_HEADS.has(w.replace(/s$/, '')));
        const isWho = lows[0] === 'who';
        // a possessive owner ("Carris's finance director", "Rubio's deputy") leaves the role to the named person
        const personInside = phrase.some((t) => !t.possessive && tokenEntity[t.i] && byId.get(tokenEntity[t.i]!)?.type === 'person' && byId.get(tokenEntity[t.i]!) !== e);
        const verbFirst = /(ed|ing)$/.test(lows[0]!) && !ROLE_HEADS.has(lows[0]!);
        const cueFirst = CUE_FORMS.has(lows[0]!) || /^(has|had|have|is|was|were|will|would|could|also)$/.test(lows[0]!);
        if (cueFirst) {
          // "Kasongo, told reporters …" is a predicate, not an appositive.
        } else if (isWho && phrase.length >= 3 && /^(leads|heads|runs|chairs|represents|manages|directs|oversees|owns|founded|coaches|edits|advises|led|headed)$/.test(lows[1]!) && /^(the|a|an)$|^\p{Lu}/u.test(phrase[2]!.text)) {
          addRole(e, text.slice(phrase[1]!.start, phrase[phrase.length - 1]!.end), phrase[1]!.start, phrase[phrase.length - 1]!.end);
        } else if (hasRole && !isWho && !verbFirst && !(personInside && !lows.some((w) => /^(sister|brother|father|mother|son|daughter|wife|husband)$/.test(w)))) {
          addRole(e, text.slice(phrase[0]!.start, phrase[phrase.length - 1]!.end), phrase[0]!.start, phrase[phrase.length - 1]!.end);
        }
      }
    }
    // Before: "[Det|Poss] … ROLE, NAME,"
    const prev = tokens[firstTok - 1];
    if (prev?.text === ',' && prev.sentence === sent) {
      let k = firstTok - 2;
      const phrase: Token[] = [];
      while (k >= 0 && tokens[k]!.sentence === sent && !/^[,;:.“”"‘’()—–]$/.test(tokens[k]!.text)) phrase.unshift(tokens[k--]!);
      // Drop a leading clause word: "Among the strikers was" is not a role.
      const lastW = phrase[phrase.length - 1];
      if (lastW && phrase.length <= 8 && (ROLE_HEADS.has(lastW.lower) || ROLE_HEADS.has(lastW.lower + '.')) && !phrase.some((t) => /^(was|is|were|said|told)$/.test(t.lower))) {
        addRole(e, text.slice(phrase[0]!.start, lastW.end), phrase[0]!.start, lastW.end);
      }
    }
    // Lowercase pre-role: "the collector Walter P. Dunmore", "retired Gen." handled as title.
    const p1 = tokens[firstTok - 1];
    const p2 = tokens[firstTok - 2];
    const roleNoun = (t: Token): boolean => ROLE_HEADS.has(t.lower) || (/(ist|ologist|er|or|ian)$/.test(t.lower) && t.lower.length > 5 && !FUNCTION_WORDS.has(t.lower) && !/(ever|over|under|after|other|order|later|former|either|neither|whether|rather|together|another|border|corner|center|water|matter|number|power|paper|minor|major|floor|door|error|sector|factor|mirror|harbour|harbor|labour|labor|honour|honor|favour|favor|colour|color|winter|summer|member|monster|theater|theatre|letter|quarter|dinner|river|chapter|sister|brother|mother|father)$/.test(t.lower));
    if (p1 && p1.word && !p1.cap && roleNoun(p1) && p2 && (/^(the|a|an|by|with|from|to|and|for)$/.test(p2.lower) || p2.text === ',') && p1.sentence === sent) {
      addRole(e, p1.text, p1.start, p1.end);
    } else if (p1 && p1.word && !p1.cap && roleNoun(p1) && p1.sentence === sent) {
      // A lowercase job title with its modifiers before the name: "campaign chairman John Podesta",
      // "Democratic pollster Stan Greenberg", "board treasurer Tess Whitcombe".
      let k = firstTok - 2;
      while (k >= 0 && firstTok - 1 - k <= 3 && tokens[k]!.word && tokens[k]!.sentence === sent && !FUNCTION_WORDS.has(tokens[k]!.lower) && (!tokens[k]!.cap || tokens[k]!.initial || k === firstTok - 2) && !CUE_FORMS.has(tokens[k]!.lower)) k--;
      const s0 = tokens[k + 1]!;
      addRole(e, text.slice(s0.start, p1.end), s0.start, p1.end);
    }
    // "appointed Marta Leal as its chief executive", "named X as chair": the role after "as".
    const v = tokens[firstTok - 1];
    const as = tokens[lastTok + 1];
    if (v && /^(appointed|named|hired|elected|chose|picked|tapped|promoted|installed|confirmed|nominated)$/.test(v.lower) && as?.lower === 'as' && as.sentence === sent) {
      let k = lastTok + 2;
      while (tokens[k] && /^(its|their|his|her|the|a|an|new|interim|acting)$/.test(tokens[k]!.lower)) k++;
      const r0 = k;
      while (tokens[k] && tokens[k]!.word && tokens[k]!.sentence === sent && k - r0 < 6 && !/^(in|on|at|after|from|with|to|and|who|which|that|on)$/.test(tokens[k]!.lower)) k++;
      const role = tokens.slice(r0, k);
      if (role.length && role.some((t) => ROLE_HEADS.has(t.lower))) addRole(e, text.slice(role[0]!.start, role[role.length - 1]!.end), role[0]!.start, role[role.length - 1]!.end);
    }
    break; // roles are read at the first (introducing) mention only
  }
}

/**
 * Affiliations of people: organisations and countries named inside their role phrases,
 * and possessive owners ("the museum's director" → the museum the text named).
 */
function resolveAffiliations(ents: EntityDraft[], tokenEntity: (string | undefined)[], tokens: Token[], byId: Map<string, EntityDraft>): void {
  for (const e of ents) {
    if (e.type !== 'person') continue;
    for (const r of e.roleSpans) {
      for (let z = tokenAtOrAfter(tokens, r.start); z < tokens.length && tokens[z]!.start < r.end; z++) {
        const t = tokens[z]!;
        if (t.end > r.end) continue;
        const id = tokenEntity[t.i];
        const o = id ? byId.get(id) : undefined;
        // "Almansa’s sporting director": an owner of a role is an organisation, not a place.
        if (o && o.type === 'place' && t.possessive) o.type = 'organization';
        if (o && o !== e && o.type !== 'person' && o.type !== 'place') e.affiliation.add(o.name);
        // "the museum's director", "the corporation's chief executive", "the company’s country director"
        if (!id && t.possessive && t.word && !t.cap) {
          const prevDet = tokens[t.i - 1];
          const head = t.lower;
          if (prevDet && /^(the|its)$/.test(prevDet.lower) || tokens[t.i - 2]?.lower === 'the') {
            const org = [...ents]
              .filter((x) => x.type === 'organization' && (x.heads.has(head) || x.nameTokens.includes(head)) && x.mentions[0]!.start < t.start)
              .sort((a, b) => lastMentionBefore(b, t.start) - lastMentionBefore(a, t.start))[0];
            if (org) e.affiliation.add(org.name);
          }
        }
      }
    }
  }
}

function lastMentionBefore(e: EntityDraft, at: number): number {
  let best = -1;
  for (const m of e.mentions) if (m.start < at && m.start > best) best = m.start;
  return best;
}

/** Converts drafts to the public `Entity` shape (aliases without the canonical name, sorted mentions). */
/** Plural nouns for groups of people: a run ending in one names a group, never a person ("African Americans", "House Republicans"). */
const GROUP_PLURALS = /^(americans|democrats|republicans|conservatives|liberals|progressives|evangelicals|independents|muslims|christians|catholics|jews|latinos|hispanics|yorkers|voters|democrats’|republicans’)$/;
/** Head nouns of descriptions that fit companies and bodies, not people ("the city's tram operator"). */
const ORG_APPOSITIVE = /^(operator|company|firm|carrier|airline|broadcaster|lender|bank|insurer|maker|manufacturer|producer|retailer|chain|network|agency|union|group|developer|utility|supplier|publisher|newspaper|charity|startup|subsidiary|regulator|club|party)$/;
/** Words that never begin or make up a person's name. */
const NEVER_NAME = /^(i|i’m|i'm|i’ve|i've|he|she|they|we|you|it|and|but|of|the|this|that|presumptive|former)$/;

/**
 * Keeps the person type only where the text supports it. A capitalised run is taken for a
 * person while the text is read; at the end it stays one when something shows a person: a
 * known given name, a title or role, a gender cue (Mr/Ms, spokeswoman, a resolved pronoun),
 * an initial or suffix in the name, a description or pronoun resolved to it, or speech
 * attributed to it. Otherwise it is retyped `other` ("Social Security", "Super Tuesday",
 * "Presumptive Democratic"); a run ending in a plural of people ("Muslim Americans") is a group.
 * @param speakers ids of the entities that speak in the article's quotes
 */
export function confirmPersons(drafts: EntityDraft[], speakers: ReadonlySet<string>): void {
  for (const d of drafts) {
    if (d.type !== 'person') continue;
    const words = d.name.split(/\s+/);
    const lows = words.map((w) => w.toLowerCase());
    const group = GROUP_PLURALS.test(lows[lows.length - 1]!);
    const junk = lows.every((w) => NEVER_NAME.test(w)) || (NEVER_NAME.test(lows[0]!) && words.length > 1 && !isGivenName(lows[1] ?? ''));
    const supported =
      (!!d.given && genderOfGivenName(d.given) !== null) ||
      d.roles.length > 0 ||
      d.gender !== null ||
      speakers.has(d.id) ||
      d.mentions.some((m) => m.kind === 'pronoun' || m.kind === 'description') ||
      words.some((w) => /^\p{Lu}\.$/u.test(w)) ||
      d.suffix !== null ||
      d.seniority !== null;
    // "Carris, the city's tram operator": a name whose only description is a company's is an organisation.
    const headOf = (r: string): string => (r.toLowerCase().split(/\s+(?:of|for|at|in|with|to|on)\s+/)[0]!.trim().split(/\s+/).pop() ?? '');
    const orgRoles = d.roles.length > 0 && d.roles.every((r) => ORG_APPOSITIVE.test(headOf(r)));
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
