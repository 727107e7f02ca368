/**
 * Typing: what each candidate mention is, read in order of precision, each step named after
 * the convention it serves:
 *
 *   0  a person's nickname the text introduced (nicknames.ts)
 *   1  country forms (name, alias, demonym; a capital as metonym unless the context is the city's)
 *   1b news agencies and outlets named bare ("told Reuters")
 *   2  regions, "-based" places and acronyms (international bodies and other all-caps names)
 *   3  organisation and place keywords ("Central Bank of Chile", "Tagus River")
 *   4  a title before a name ("French President Emmanuel Macron": role + person)
 *   5  a run holding a country form or acronym among other words is split and each part read
 *   6  a classifier noun before the name ("the radio station Onda Llevant") or "the" + several words
 *   7  short references to known people and organisations (merging.ts)
 *   7b the gazetteer's states, provinces and cities, unless the run shows a person
 *   8  a locative context ("in Geneva", "Austin, Texas")
 *   9  people: two or more name words, or one with person evidence (evidence.ts)
 *
 * A run that fits none is no entity.
 */
import { lookupCountry } from '../countries.js';
import { CUE_FORMS, FUNCTION_WORDS, HONORIFICS, LOCATIVE_PREPS, PRE_TITLE_HEADS, NAME_PARTICLES, NAME_SUFFIXES, ORG_KEYWORDS, PLACE_KEYWORDS, TITLE_MODIFIERS } from '../lexicon.js';
import { lookupPlace } from '../places.js';
import type { Token } from '../tokens.js';
import type { EntityType } from '../types.js';
import { addMention, chunkText, countryEntity, countryMentionKind, createEntity, fold, isGivenName, pickCountry, type EntityDoc, type EntityDraft } from './doc.js';
import { ageAfter, cityContext, isAcronym, kinshipBefore, isCountryForm, lastTitleIndex, outletName, personEvidence, placeContextBefore, strongPersonEvidence } from './evidence.js';
import { COMPANY_WORDS, LOCATIVE_ADJECTIVES, NOT_OWNERS, PERSON_OWNED_NOUNS, ORG_ACRONYMS, ORG_PRENOUNS, PREDICATE_AFTER_NAME, REGION_BASES, REGION_PREFIXES, ROLE_ACRONYMS, WEEKDAYS_MONTHS } from './lexicon.js';
import { acronymEntity, findOrCreatePerson, orgByShort, parentheticalAcronym, personByShort } from './merging.js';
import type { Chunk } from './mentions.js';
import { addRole, genderFromWord } from './roles.js';

/**
 * Types the run `toks` (the whole chunk c, or a part of it after a split) and records its
 * mentions and the entities they create. Runs already owned by an entity, or starting at a
 * skipped offset, are left alone.
 */
export function classify(d: EntityDoc, c: Chunk, toks: Token[]): void {
  const { text, tokens, tokenEntity, ents, byId } = d;
  if (!toks.length) return;
  if (d.skip(toks[0]!.start) || tokenEntity[toks[0]!.i]) return;
  const surface = chunkText(text, toks);
  const words = toks.map((t) => t.base);
  const lows = words.map((w) => w.toLowerCase());
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const sameName = (type?: EntityType) => ents.find((x) => fold(x.name) === fold(surface) && (type === undefined || x.type === type));
  // A capitalised reporting verb opening a sentence ("Said Dorothy Poynter: …"), a title modifier
  // ("Former House speaker Newt Gingrich") or a sentence-opening imperative before a full name (the
  // author's contact line "Follow Pam Key on Twitter", "Meet Ada Lund") is not part of the name that follows it.
  const imperative = toks.length >= 3 && first.initial && ((/^(follow|contact|email|e-mail|meet|ask)$/.test(lows[0]!)) || (!isGivenName(lows[0]!) && isGivenName(lows[1]!))) && !PRE_TITLE_HEADS.has(lows[0]!) && !HONORIFICS.has(lows[0]!) && !lookupCountry(first.base).length && !lookupPlace(chunkText(text, toks.slice(0, 2)));
  if (toks.length > 1 && ((TITLE_MODIFIERS.has(lows[0]!) && !/^(new|deputy|vice)$/.test(lows[0]!)) || (first.initial && CUE_FORMS.has(lows[0]!)) || imperative)) {
    classify(d, c, toks.slice(1));
    return;
  }

  // Headline-case and sentence-initial common words ("However", "Investors") are not names.
  if (toks.length === 1 && first.initial && (FUNCTION_WORDS.has(first.lower) || d.lowerVocab.has(first.lower))) {
    const p = personByShort(d, [first.base], first.start);
    if (!p) return;
  }
  if (toks.length === 1 && WEEKDAYS_MONTHS.has(first.lower)) return;
  // A lone capitalised adjective before a noun ("Western nations", "European allies") is not a name.
  const nextTok = tokens[last.i + 1];
  // "his daughter Rebekah gave": after a kinship noun a lone capitalised word is a relative's name
  const kinship = kinshipBefore(d, first);
  const adjectival = !kinship && toks.length === 1 && nextTok?.word && !nextTok.cap && !FUNCTION_WORDS.has(nextTok.lower) && !PREDICATE_AFTER_NAME.has(nextTok.lower) && nextTok.start - last.end <= 1 && !last.possessive;

  // 0. A person's nickname the text introduced ("Dutch said"), unless it is used as an adjective; one
  // that is also a country form ("Dutch officials") needs a person's evidence or the bearer's surname after it.
  const nickOf = d.nicknames.size ? d.nicknames.get(fold(surface.replace(/^the\s+/i, ''))) : undefined;
  // a verb right after it marks the subject ("“Dutch saved my life”", "Dutch was there"); a noun, the adjective ("Dutch officials")
  const verbAfter = !!nextTok?.word && !nextTok.cap && (/ed$/.test(nextTok.lower) || /^(is|was|has|had|will|would|can|could|did|does|should|may|might|must|never|always)$/.test(nextTok.lower));
  const nickUse = (p: EntityDraft): boolean =>
    isCountryForm(surface) ? personEvidence(d, toks) || verbAfter || (!!p.surname && fold(tokens[last.i + 1]?.base ?? '') === p.surname) : !adjectival;
  if (nickOf && nickUse(nickOf)) {
    addMention(d, nickOf, toks, 'alias');
    return;
  }
  // 1. The whole chunk is a country form.
  const hits = lookupCountry(surface);
  // "the Obama administration", "the Clinton campaign", "Sanders aides": a name modifying a noun only a
  // person's name modifies in political copy is that person
  const owned = nextTok?.word && !nextTok.cap && PERSON_OWNED_NOUNS.has(nextTok.lower) && !lows.some((w) => NOT_OWNERS.has(w)) && !/(ean|ian|ese|ish)$/.test(lows[lows.length - 1]!);
  if (owned && !hits.length && toks.length <= 3 && !lows.some((w) => ORG_KEYWORDS.has(w) || PLACE_KEYWORDS.has(w)) && !lookupPlace(surface) && !outletName(surface, tokens[first.i - 1]) && !isAcronym(first, toks.length)) {
    const p = findOrCreatePerson(d, toks);
    if (p) p.personCue = true;
    return;
  }
  if (adjectival && !hits.length && !isAcronym(first, toks.length) && !personByShort(d, [first.base], first.start) && !orgByShort(d, lows)) return;
  if (hits.length) {
    const hit = pickCountry(d, hits);
    // A capital is its city, not its government, where something happens in it or a city body
    // belongs to it ("in Lisbon", "Lisbon's mayor", "the Lisbon tram operator", "Paris city council").
    if (hit.kind === 'metonym' && cityContext(d, toks)) {
      const e = sameName('place') ?? createEntity(d, surface, 'place', { nameTokens: lows });
      addMention(d, e, toks, 'name');
      return;
    }
    const e = countryEntity(d, hit);
    addMention(d, e, toks, countryMentionKind(hit));
    return;
  }
  // 1b. News agencies and outlets named bare ("told Reuters", "according to Politico").
  const outlet = outletName(surface, tokens[first.i - 1]);
  if (outlet) {
    const e = ents.find((x) => fold(x.name) === fold(outlet) && x.type === 'organization') ?? createEntity(d, outlet, 'organization', { nameTokens: lows });
    e.heads.add('outlet');
    addMention(d, e, toks, 'name');
    return;
  }
  // 2. Acronyms of international bodies; other all-caps acronyms are organisations.
  if (toks.length === 1 && ROLE_ACRONYMS.has(first.lower)) return;
  // Regions: "Central America", "Southern Africa", "Latin America"; "San Francisco-based".
  if (toks.length > 1 && REGION_PREFIXES.has(lows[0]!) && !isCountryForm(surface) && (isCountryForm(words.slice(1).join(' ')) || REGION_BASES.has(lows.slice(1).join(' ')))) {
    const e = sameName() ?? createEntity(d, surface, 'place', { nameTokens: lows });
    addMention(d, e, toks, 'name');
    return;
  }
  if (tokens[last.i + 1]?.text === '-based') {
    const e = sameName() ?? createEntity(d, surface, 'place', { nameTokens: lows });
    addMention(d, e, toks, 'name');
    return;
  }
  if (toks.length === 1 && isAcronym(first, toks.length)) {
    acronymEntity(d, first);
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
  // "CEO of the Harbor Restaurant Association": a title and the body it heads, no person; the body is named after "of".
  if (orgKw && titleIdx >= 0 && ORG_KEYWORDS.has(lows[lows.length - 1]!)) {
    const of = lows.indexOf('of');
    if (of > 0 && of <= titleIdx + 1) {
      const s = lows[of + 1] === 'the' ? of + 2 : of + 1;
      classify(d, c, toks.slice(s));
      return;
    }
  }
  if ((orgKw || placeKw) && titleIdx < 0) {
    const type: EntityType = placeKw && !orgKw ? 'place' : 'organization';
    const e = sameName(type) ?? createEntity(d, surface, type, { nameTokens: lows, company: lows.some((w) => COMPANY_WORDS.has(w)) });
    parentheticalAcronym(d, e, last);
    for (const w of lows) if (ORG_KEYWORDS.has(w) || PLACE_KEYWORDS.has(w)) e.heads.add(w.replace(/\.$/, ''));
    if (e.company) e.heads.add('company').add('firm');
    addMention(d, e, toks, 'name');
    // A leading country form is also a mention of that country (and the organisation's affiliation).
    const lead = lookupCountry(words[0]!);
    if (lead.length && toks.length > 1) {
      const ce = countryEntity(d, pickCountry(d, lead));
      ce.mentions.push({ start: first.start, end: first.end, text: first.base, kind: 'demonym', sentence: first.sentence });
      if (fold(first.base) !== fold(ce.name)) ce.aliases.add(first.base);
      e.affiliation.add(ce.name);
    }
    // So is a country after "of" ending the name ("Central Bank of Chile", "Bank of Japan").
    const of = lows.lastIndexOf('of');
    const tail = of > 0 && of < toks.length - 1 ? lookupCountry(toks.slice(of + 1).map((t) => t.base).join(' ')) : [];
    if (tail.length && tail.some((h) => h.kind === 'name')) {
      const ce = countryEntity(d, pickCountry(d, tail));
      const tt = toks.slice(of + 1);
      ce.mentions.push({ start: tt[0]!.start, end: tt[tt.length - 1]!.end, text: tt.map((t) => t.base).join(' '), kind: 'name', sentence: first.sentence });
      e.affiliation.add(ce.name);
    }
    return;
  }
  // 4. A title before a name: "French President Emmanuel Macron", "Health Minister Dr. Miriam Nakato".
  if (titleIdx >= 0 && titleIdx < toks.length - 1) {
    titledPerson(d, c, toks, titleIdx);
    return;
  }
  // 5. A run that contains a country form or acronym among other words is split ("European NATO").
  if (toks.length > 1) {
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (NAME_PARTICLES.has(t.lower)) continue;
      // "Gavin Hamilton", "Vernon Jordan": a surname that is also a capital or a country after a
      // known given name is the person's surname, not a mention of the country
      if (k > 0 && k === toks.length - 1 && isGivenName(lows[0]!) && !isAcronym(t, toks.length)) continue;
      // "Chad Olsen", "Jordan Peele": a given name that is also a country, before a surname
      if (k === 0 && toks.length >= 2 && toks.length <= 3 && isGivenName(lows[0]!) && lookupCountry(t.base).every((h) => h.kind === 'name') && !lookupCountry(toks[1]!.base).length && !ORG_KEYWORDS.has(lows[1]!) && !PLACE_KEYWORDS.has(lows[toks.length - 1]!)) continue;
      if (lookupCountry(t.base).length || isAcronym(t, toks.length)) {
        classify(d, c, toks.slice(0, k));
        classify(d, c, [t]);
        classify(d, c, toks.slice(k + 1));
        return;
      }
    }
  }
  // 6. Context: "the radio station Onda Llevant" → organisation; "told the Sunday Ledger" → outlet.
  const b1 = tokens[first.i - 1];
  const b2 = tokens[first.i - 2];
  if (b1 && b1.word && ORG_PRENOUNS.has(b1.lower)) {
    const e = sameName() ?? createEntity(d, surface, 'organization', { nameTokens: lows, company: true });
    e.heads.add(b1.lower);
    addMention(d, e, toks, 'name');
    return;
  }
  // 6b. "the Evening Clarion", "the Kestrel Group": a multi-word name after "the" is an organisation, not a person.
  if (b1?.lower === 'the' && toks.length >= 2 && !HONORIFICS.has(lows[0]!) && !personByShort(d, words.slice(-1), first.start)) {
    const e = sameName() ?? createEntity(d, surface, 'organization', { nameTokens: lows });
    addMention(d, e, toks, 'name');
    return;
  }
  // 7. Short references to known entities: surname, given name, organisation short form.
  const short = personByShort(d, words.filter((w) => !HONORIFICS.has(w.toLowerCase())), first.start);
  if (short && (toks.length === 1 || words.filter((w) => !HONORIFICS.has(w.toLowerCase())).length <= 3)) {
    const wordsNoHon = lows.filter((w) => !HONORIFICS.has(w));
    if (toks.length === 1 || fold(wordsNoHon.join(' ')) === short.surname || wordsNoHon.length === 1) {
      addMention(d, short, toks, 'short');
      // the honorific's gender is settled after roles are read (relinkByHonorific): two people may share the surname
      return;
    }
  }
  const org = orgByShort(d, lows);
  if (org) {
    addMention(d, org, toks, 'short');
    return;
  }
  // 7b. A state, province or city by name ("New Hampshire", "North Carolina", "San Bernardino"):
  // always after a place preposition or in a list of places ("Merkley of Oregon, who …"), else
  // unless the run shows a person (an honorific, a verb only people take, a known surname).
  const place = lookupPlace(surface);
  if (place && (placeContextBefore(d, first) || (toks.length > 1 ? !strongPersonEvidence(d, toks) : !personEvidence(d, toks)))) {
    const e = sameName('place') ?? createEntity(d, surface, 'place', { nameTokens: lows });
    addMention(d, e, toks, 'name');
    return;
  }
  // 8. Locative context → place: "in Geneva", "to Maputo and Mombasa", "Austin, Texas".
  const prevWord = b1?.word ? b1 : undefined;
  const locative =
    (prevWord && LOCATIVE_PREPS.has(prevWord.lower)) ||
    (prevWord && LOCATIVE_ADJECTIVES.has(prevWord.lower) && b2?.word && LOCATIVE_PREPS.has(b2.lower)) ||
    (prevWord?.lower === 'of' && b2?.word && PLACE_KEYWORDS.has(b2.lower)) ||
    (b1?.lower === 'and' && b2 && tokenEntity[b2.i] && /^(place|country)$/.test(byId.get(tokenEntity[b2.i]!)?.type ?? '')) ||
    (b1?.text === ',' && b2 && tokenEntity[b2.i] && byId.get(tokenEntity[b2.i]!)?.type === 'place' && toks.length === 1) ||
    (b1?.lower === 'the' && b2?.word && LOCATIVE_PREPS.has(b2.lower) && toks.length === 1 && !personEvidence(d, toks));
  if (locative && (toks.length === 1 ? !strongPersonEvidence(d, toks) : !personEvidence(d, toks) && !isGivenName(lows[0]!))) {
    const e = sameName('place') ?? createEntity(d, surface, 'place', { nameTokens: lows });
    addMention(d, e, toks, 'name');
    return;
  }
  // 9. People: a name of two or more words, or one word with person evidence ("Mr. Smith", "said Smith").
  const nameWords = lows.filter((w) => !HONORIFICS.has(w) && !NAME_SUFFIXES.has(w));
  if (nameWords.length >= 2 || personEvidence(d, toks)) {
    if (nameWords.length === 1 && first.initial && !personEvidence(d, toks)) return;
    const p = findOrCreatePerson(d, toks);
    // an age or a kinship noun is what only people are given ("Grimm, 45,", "his daughter Rebekah")
    if (p && (ageAfter(d, last) || kinship)) p.personCue = true;
    return;
  }
  // A lone capitalised word with no evidence: nothing.
}

/**
 * Step 4: a title before a name ("French President Emmanuel Macron", "Health Minister Dr.
 * Miriam Nakato"). The name is a person; the title (with lowercase modifiers before the chunk:
 * "former", "retired"; a trailing honorific dropped) is the person's role, and country forms and
 * acronyms inside it are mentions and the person's affiliation. An honorific alone ("Mr.") is
 * no role: the honorific form is an alias and a gender cue.
 * @param titleIdx index in `toks` of the title's last word
 */
function titledPerson(d: EntityDoc, c: Chunk, toks: Token[], titleIdx: number): void {
  const { text, tokens, ents } = d;
  const surface = chunkText(text, toks);
  const lows = toks.map((t) => t.base.toLowerCase());
  const first = toks[0]!;
  const roleToks = toks.slice(0, titleIdx + 1);
  const nameToks = toks.slice(titleIdx + 1);
  const honorific = roleToks.length === 1 && HONORIFICS.has(lows[0]!);
  const p = findOrCreatePerson(d, nameToks);
  if (!p) return;
  if (honorific) {
    p.aliases.add(surface);
    genderFromWord(p, lows[0]!);
    return;
  }
  let s = roleToks[0]!.start;
  let k = c.toks[0]!.i - 1;
  while (k >= 0 && tokens[k]!.word && TITLE_MODIFIERS.has(tokens[k]!.lower) && tokens[k]!.sentence === first.sentence) s = tokens[k--]!.start;
  const roleEnd = roleToks[roleToks.length - 1]!.end;
  let rEnd = roleEnd;
  const lastRole = roleToks[roleToks.length - 1]!;
  if (HONORIFICS.has(lastRole.lower) && roleToks.length > 1) rEnd = roleToks[roleToks.length - 2]!.end;
  addRole(p, text.slice(s, rEnd), s, rEnd);
  for (let q = 0; q < roleToks.length; q++) {
    const rt = roleToks[q]!;
    // "Rhode Island Gov.", "New Mexico Gov.": a state or city named in the title is a place, not the country its word spells
    const prev = roleToks[q - 1];
    const next = roleToks[q + 1];
    const placeToks = prev && lookupPlace(`${prev.base} ${rt.base}`) ? [prev, rt] : next && lookupPlace(`${rt.base} ${next.base}`) ? [rt, next] : null;
    if (placeToks) {
      const name = placeToks.map((t) => t.base).join(' ');
      const pe = ents.find((e) => e.type === 'place' && fold(e.name) === fold(name)) ?? createEntity(d, name, 'place', { nameTokens: placeToks.map((t) => t.lower) });
      if (!placeToks.some((t) => d.tokenEntity[t.i])) addMention(d, pe, placeToks, 'name');
      p.affiliation.add(pe.name);
      continue;
    }
    const ch = lookupCountry(rt.base);
    if (ch.length) {
      const ce = countryEntity(d, pickCountry(d, ch));
      addMention(d, ce, [rt], countryMentionKind(ch[0]!));
      p.affiliation.add(ce.name);
    } else if (isAcronym(rt, toks.length)) {
      const oe = ents.find((e) => e.name === (ORG_ACRONYMS[rt.base] ?? rt.base)) ?? createEntity(d, ORG_ACRONYMS[rt.base] ?? rt.base, 'organization', { nameTokens: [rt.lower] });
      addMention(d, oe, [rt], 'name');
      p.affiliation.add(oe.name);
    }
  }
}
