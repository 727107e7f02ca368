/**
 * The entity stages one by one (src/parse/entities/): candidate mentions, evidence, typing,
 * merging, roles and confirmation, each on short stories written for these tests, with the
 * values each stage must produce.
 */
import { describe, expect, it } from 'vitest';
import { attributionInputFor } from '../../src/parse/index.js';
import { confirmPersons } from '../../src/parse/entities/confirm.js';
import { createEntity, newEntityDoc, type EntityDoc } from '../../src/parse/entities/doc.js';
import { cityContext, isAcronym, lastTitleIndex, outletName, personEvidence } from '../../src/parse/entities/evidence.js';
import { acronymEntity, findOrCreatePerson, linkKnown, relinkByHonorific } from '../../src/parse/entities/merging.js';
import { chunks, headlineSentences } from '../../src/parse/entities/mentions.js';
import { nameLike, nicknameIntro, nicknameSpans } from '../../src/parse/entities/nicknames.js';
import { findQuoteSpans } from '../../src/parse/quotemarks.js';
import { layout } from '../../src/parse/layout.js';
import { addRole, readRoles, retypeOwners } from '../../src/parse/entities/roles.js';
import { classify } from '../../src/parse/entities/typing.js';
import { findEntities } from '../../src/parse/entities/index.js';

const HEAD = 'Harbour story\n\n';

/** The entity stage's state for a story, with no entity found yet. */
function docOf(body: string): EntityDoc {
  const inp = attributionInputFor(HEAD + body);
  return newEntityDoc(inp.text, inp.tokens, () => false);
}
/** The text of each candidate mention of a story. */
const chunkTexts = (d: EntityDoc): string[] => chunks(d.tokens).map((c) => d.text.slice(c.toks[0]!.start, c.toks[c.toks.length - 1]!.end));
/** The tokens of the n-th occurrence of `words` (space-separated). */
function toksOf(d: EntityDoc, words: string, nth = 1) {
  const ws = words.split(' ');
  let seen = 0;
  for (let k = 0; k + ws.length <= d.tokens.length; k++) if (ws.every((w, z) => d.tokens[k + z]!.text === w) && ++seen === nth) return d.tokens.slice(k, k + ws.length);
  throw new Error(`no ${words}`);
}
/** Runs typing over every candidate (no headline handling). */
function typeAll(d: EntityDoc): void {
  for (const c of chunks(d.tokens)) classify(d, c, c.toks);
}
const typeOf = (d: EntityDoc, name: string): string | undefined => d.ents.find((e) => e.name === name)?.type;

describe('mentions: capitalised runs become candidates', () => {
  it('keeps name particles, suffixes and "of" inside a formal name; splits at a possessive', () => {
    const d = docOf('Maria van der Berg met Tobias Arden Jr. at the Central Bank of Morvania. Arden’s Deputy Rina Solt stayed.');
    expect(chunkTexts(d)).toEqual(expect.arrayContaining(['Maria van der Berg', 'Tobias Arden Jr.', 'Central Bank of Morvania', 'Arden’s', 'Deputy Rina Solt']));
  });

  it('opens no candidate at a sentence-initial function word', () => {
    const d = docOf('However the ferry left. The Quayside Trust paid.');
    const texts = chunkTexts(d);
    expect(texts).not.toContain('However');
    expect(texts).toContain('Quayside Trust');
  });

  it('flags headline-case sentences, not ordinary ones', () => {
    const d = docOf('Harbour Board Votes To Close Old Pier Tonight\n\nThe harbour board voted on Monday to close the pier.');
    const heads = headlineSentences(d.tokens);
    const sentenceOf = (w: string) => toksOf(d, w)[0]!.sentence;
    expect(heads.has(sentenceOf('Votes'))).toBe(true);
    expect(heads.has(sentenceOf('voted'))).toBe(false);
  });
});

describe('evidence: what supports each type', () => {
  it('person evidence: inverted and plain attribution, an appositive; never "told" + an outlet', () => {
    const d = docOf('The plan works, said Okonjo. Brannigan said nothing. Ferreira, who runs the yard, agreed. Ilves told Reuters.');
    expect(personEvidence(d, toksOf(d, 'Okonjo'))).toBe(true);
    expect(personEvidence(d, toksOf(d, 'Brannigan'))).toBe(true);
    expect(personEvidence(d, toksOf(d, 'Ferreira'))).toBe(true);
    expect(personEvidence(d, toksOf(d, 'Reuters'))).toBe(false);
  });

  it('city context: a place preposition or a city body, but not a meeting of governments', () => {
    const d = docOf('Residents in Lisbon waited. Lisbon’s mayor spoke. The Lisbon tram operator struck. Talks in Lisbon failed. Lisbon could contribute troops.');
    expect(cityContext(d, toksOf(d, 'Lisbon', 1))).toBe(true);
    expect(cityContext(d, toksOf(d, 'Lisbon’s'))).toBe(true);
    expect(cityContext(d, toksOf(d, 'Lisbon', 2))).toBe(true);
    expect(cityContext(d, toksOf(d, 'Lisbon', 3))).toBe(false);
    expect(cityContext(d, toksOf(d, 'Lisbon', 4))).toBe(false);
  });

  it('titles before a name end at their last head word, "of" phrases included', () => {
    expect(lastTitleIndex(['french', 'president', 'ana', 'ruiz'])).toBe(1);
    expect(lastTitleIndex(['minister', 'of', 'finance', 'ana', 'ruiz'])).toBe(2);
    expect(lastTitleIndex(['ana', 'ruiz'])).toBe(-1);
  });

  it('acronyms: dotted only alone (N.A.T.O.), not initials (R.J.) nor suffixes (III)', () => {
    const d = docOf('N.A.T.O. met. R.J. Whitcombe III came. The IMF paid.');
    expect(isAcronym(toksOf(d, 'N.A.T.O.')[0]!, 1)).toBe(true);
    expect(isAcronym(toksOf(d, 'R.J.')[0]!, 2)).toBe(false);
    expect(isAcronym(toksOf(d, 'III')[0]!, 1)).toBe(false);
    expect(isAcronym(toksOf(d, 'IMF')[0]!, 1)).toBe(true);
  });

  it('outlets named bare, with or without their "the"', () => {
    expect(outletName('Reuters', undefined)).toBe('Reuters');
    expect(outletName('Tribune Quayside', undefined)).toBeNull();
  });
});

describe('typing: each candidate’s type from the most precise evidence', () => {
  it('a capital in a city context is a place; acting as a government it is its country', () => {
    const d = docOf('Residents in Lisbon waited. Lisbon ruled out any change.');
    typeAll(d);
    expect(typeOf(d, 'Lisbon')).toBe('place');
    expect(typeOf(d, 'Portugal')).toBe('country');
    expect(d.ents.find((e) => e.name === 'Portugal')?.mentions.map((m) => m.kind)).toEqual(['metonym']);
  });

  it('a title before a name gives a person with the title as role and the country as affiliation', () => {
    const d = docOf('Morvanian officials met Italian Finance Minister Carla Benedetti on Friday.');
    typeAll(d);
    const p = d.ents.find((e) => e.name === 'Carla Benedetti');
    expect(p?.type).toBe('person');
    expect(p?.roles).toEqual(['Italian Finance Minister']);
    expect([...(p?.affiliation ?? [])]).toEqual(['Italy']);
  });

  it('a classifier noun makes an organisation; a keyword an organisation or a place', () => {
    const d = docOf('The radio station Onda Brava reported that the Quayside Port Authority closed the Vessel River crossing road.');
    typeAll(d);
    expect(typeOf(d, 'Onda Brava')).toBe('organization');
    expect(typeOf(d, 'Quayside Port Authority')).toBe('organization');
  });

  it('a bare outlet is an organisation; one word with no evidence is nothing', () => {
    const d = docOf('Marta Ilves told Reuters the ferry was late. Nobody from Quaysend answered.');
    typeAll(d);
    expect(typeOf(d, 'Reuters')).toBe('organization');
    expect(typeOf(d, 'Marta Ilves')).toBe('person');
  });
});

describe('merging: the mentions that are one entity', () => {
  it('a surname after the full name is the same person (a short mention)', () => {
    const d = docOf('Tobias Arden spoke. Later Arden left.');
    const a = findOrCreatePerson(d, toksOf(d, 'Tobias Arden'));
    const b = findOrCreatePerson(d, toksOf(d, 'Arden', 2));
    expect(b).toBe(a);
    expect(a?.mentions.map((m) => m.kind)).toEqual(['name', 'short']);
    expect([...a!.aliases]).toEqual(['Arden']);
  });

  it('a full name after a surname-only first mention completes the person', () => {
    const d = docOf('Arden spoke first. Tobias Arden then left.');
    const a = findOrCreatePerson(d, toksOf(d, 'Arden'));
    findOrCreatePerson(d, toksOf(d, 'Tobias Arden'));
    expect(a?.name).toBe('Tobias Arden');
    expect(d.ents).toHaveLength(1);
  });

  it('a dotted acronym joins its undotted form; a body’s acronym its full name', () => {
    const d = docOf('NATO met. N.A.T.O. agreed. The UN sent aid.');
    const n1 = acronymEntity(d, toksOf(d, 'NATO')[0]!);
    const n2 = acronymEntity(d, toksOf(d, 'N.A.T.O.')[0]!);
    expect(n2).toBe(n1);
    expect([...n1.aliases]).toEqual(['N.A.T.O.']);
    expect(acronymEntity(d, toksOf(d, 'UN')[0]!).name).toBe('United Nations');
  });

  it('a headline only links what the body introduced', () => {
    const d = docOf('Tobias Arden Wins Harbour Vote Against Quayside Board\n\nTobias Arden won the vote.');
    const heads = headlineSentences(d.tokens);
    for (const c of chunks(d.tokens)) if (!heads.has(c.toks[0]!.sentence)) classify(d, c, c.toks);
    for (const c of chunks(d.tokens)) if (heads.has(c.toks[0]!.sentence)) linkKnown(d, c.toks);
    expect(d.ents.map((e) => e.name)).toEqual(['Tobias Arden']);
    expect(d.ents[0]!.mentions).toHaveLength(2);
  });

  it('"Mr Marsh" goes to the man of that surname', () => {
    const d = docOf('Linda Marsh chairs the tenants. Her son, Callum Marsh, spoke. Mr Marsh left.');
    const linda = findOrCreatePerson(d, toksOf(d, 'Linda Marsh'))!;
    linda.gender = 'female';
    const callum = findOrCreatePerson(d, toksOf(d, 'Callum Marsh'))!;
    callum.gender = 'male';
    findOrCreatePerson(d, toksOf(d, 'Mr Marsh'));
    relinkByHonorific(d);
    expect(callum.mentions.map((m) => m.text)).toContain('Mr Marsh');
    expect(linda.mentions.map((m) => m.text)).not.toContain('Mr Marsh');
  });
});

describe('nicknames: quoted names introduced as a person’s', () => {
  it('knows the intros and what reads as a name', () => {
    expect(nicknameIntro('Kaspar Lind, a vendor who calls himself', 'Dutch')).toBe(true);
    expect(nicknameIntro('Rui Dantas, whom his teammates call', 'Dutch')).toBe(true);
    expect(nicknameIntro('Ilse Marten, better known to miners as', 'the Bulldozer')).toBe(true);
    expect(nicknameIntro('She has been referred to as', 'the Iron Lady')).toBe(true);
    expect(nicknameIntro('Brek referred to Voll as', 'the Iron Lady')).toBe(false);
    expect(nicknameIntro('Brek called himself', 'very cautious')).toBe(false);
    expect(nicknameIntro('Voll said the plan was', 'Dutch')).toBe(false);
    expect(nameLike('the Man of Steel,')).toBe(true);
    expect(nameLike('a horrible human being')).toBe(false);
  });

  it('finds the spans and their bearer once the text before them is typed', () => {
    const text = HEAD + 'Kaspar Lind, a street vendor who calls himself “Dutch”, sold tickets. Mara Voss is known as “the Ferry Queen”.';
    const inp = attributionInputFor(text);
    const d = newEntityDoc(inp.text, inp.tokens, () => false);
    const spans = nicknameSpans(d.text, d.tokens, findQuoteSpans(text, layout(text).paragraphs));
    expect(spans.map((n) => [n.text, n.personal, n.gender])).toEqual([
      ['Dutch', true, 'male'],
      ['the Ferry Queen', false, null],
    ]);
    const found = findEntities(text, inp.tokens, () => false, findQuoteSpans(text, layout(text).paragraphs));
    expect(found.entities.filter((e) => e.type === 'person').map((e) => [e.name, [...e.aliases]])).toEqual([
      ['Kaspar Lind', ['Dutch']],
      ['Mara Voss', ['the Ferry Queen']],
    ]);
  });
});

describe('roles: titles, appositives and owners', () => {
  it('addRole drops the article and punctuation, records head nouns and seniority', () => {
    const e = createEntity(docOf('Rina Solt spoke.'), 'Rina Solt', 'person');
    addRole(e, 'the  deputy minister of ports,', 0, 30);
    addRole(e, 'Deputy Minister of Ports', 0, 24);
    addRole(e, 'her father', 40, 50);
    expect(e.roles).toEqual(['deputy minister of ports', 'her father']);
    expect([...e.heads]).toEqual(expect.arrayContaining(['deputy', 'minister']));
    expect(e.seniority).toBe('elder');
  });

  it('reads an appointment, a who-clause and an appositive at the first mention', () => {
    const d = docOf('The board appointed Rina Solt as its new chief executive in May. Tobias Arden, who heads the harbour pilots union, objected. Ines Quaresma, a spokeswoman for the port, agreed.');
    typeAll(d);
    for (const e of d.ents.filter((x) => x.type === 'person')) readRoles(d, e);
    expect(d.ents.find((e) => e.name === 'Rina Solt')?.roles).toEqual(['chief executive']);
    expect(d.ents.find((e) => e.name === 'Tobias Arden')?.roles).toEqual(['heads the harbour pilots union']);
    expect(d.ents.find((e) => e.name === 'Ines Quaresma')?.roles).toEqual(['spokeswoman for the port']);
  });

  it('a name whose possessive owns a board or shares is an organisation', () => {
    const d = docOf('Kestrel Build’s board met on Monday. The shares fell.');
    typeAll(d);
    expect(typeOf(d, 'Kestrel Build')).toBe('person');
    retypeOwners(d);
    expect(typeOf(d, 'Kestrel Build')).toBe('organization');
  });
});

describe('confirm: a person stays one only with support', () => {
  it('keeps people with a given name or speech; retypes groups and unsupported runs', () => {
    const story = 'Super Tuesday came. House Republicans voted. Hannah Voss spoke. Quill Brandt nodded.';
    const { entities } = findEntities(story, attributionInputFor(story).tokens);
    const brandt = entities.find((e) => e.name === 'Quill Brandt')!;
    confirmPersons(entities, new Set([brandt.id]));
    const type = (n: string) => entities.find((e) => e.name === n)?.type;
    expect(type('Hannah Voss')).toBe('person');
    expect(type('Quill Brandt')).toBe('person');
    expect(type('House Republicans')).toBe('other');
    expect(type('Super Tuesday')).toBe('other');
  });
});
