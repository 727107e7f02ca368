/**
 * The article parser: pure, deterministic functions from article text to a `ParsedArticle`.
 * Stages: layout (headline, byline, dateline, paragraphs) → quotation marks → sentences →
 * tokens → entities → quotes and attribution → amounts → summary. No I/O.
 */
import { findAmounts } from './amounts.js';
import { attribute, titleLike, type AttributionInput, type AttributionOptions } from './attribution/index.js';
import { confirmPersons, findEntities, finishEntities } from './entities/index.js';
import { layout } from './layout.js';
import { findQuoteSpans, type QuoteSpan } from './quotemarks.js';
import { insideSpans } from './search.js';
import { splitSentences } from './sentences.js';
import { summarize } from './summary.js';
import { tokenize } from './tokens.js';
import type { ParsedArticle } from './types.js';
import { fold, type EntityDraft } from './entities/index.js';
import { lookupCountry } from './countries.js';
import { genderOfGivenName } from './given-names.js';

export type * from './types.js';

/**
 * Longest article text the parser reads, in UTF-16 code units. The longest news features run
 * to about 60,000 characters; longer input (a book, a concatenated dump) is parsed up to this
 * limit and a warning says so, which keeps parse time bounded (well under a second).
 */
export const MAX_ARTICLE_CHARS = 250_000;

/** Options of `parseArticle`: the attribution stage's (its model, a trace for training). */
export interface ParseOptions {
  attribution?: AttributionOptions;
}

/**
 * Parses one article.
 * @param text article text: optional headline on the first line, optional dateline opening the body
 * @returns the parse; never throws for any string input
 */
export function parseArticle(text: string, options: ParseOptions = {}): ParsedArticle {
  const warnings: string[] = [];
  let src = text;
  if (src.length > MAX_ARTICLE_CHARS) {
    warnings.push(`article truncated to ${MAX_ARTICLE_CHARS} characters`);
    src = src.slice(0, MAX_ARTICLE_CHARS);
  }
  const { lay, input } = prepare(src, warnings);
  const { sentences } = input;
  const { quotes } = attribute(input, { byline: lay.byline, ...options.attribution });
  confirmPersons(input.entities, new Set(quotes.flatMap((q) => (q.speaker?.entityId ? [q.speaker.entityId] : []))));
  const entities = finishEntities(input.entities);
  const amounts = findAmounts(src, sentences);
  for (const a of amounts) {
    a.entityIds = entities
      .filter((e) => e.mentions.some((m) => m.sentence === a.sentence))
      .sort((x, y) => nearest(x, a.start) - nearest(y, a.start))
      .map((e) => e.id);
  }
  return {
    title: lay.title,
    titleSpan: lay.titleSpan,
    dateline: lay.dateline,
    byline: lay.byline,
    paragraphs: lay.paragraphs,
    sentences,
    entities,
    quotes,
    amounts,
    summary: summarize(sentences, entities, quotes),
    warnings,
  };
}

/**
 * The stages before attribution: layout, quotation marks, sentences, tokens and entities.
 * @param warnings collects non-fatal problems (empty text, unbalanced marks)
 */
function prepare(src: string, warnings: string[]): { lay: ReturnType<typeof layout>; input: AttributionInput } {
  const lay = layout(src);
  if (!lay.paragraphs.length) warnings.push('empty article: no text to parse');
  const spans = findQuoteSpans(src, lay.paragraphs);
  const top = spans.filter((q) => q.depth === 0).map((q) => (q.closed ? q : recoverUnclosed(src, q)));
  if (spans.some((q) => !q.closed)) warnings.push('unbalanced quotation marks: an unclosed quotation was ended at its paragraph');
  const sentences = splitSentences(src, lay.paragraphs, top.filter((q) => q.closed));
  const tokens = tokenize(src, sentences, insideSpans(top));
  // Names inside quoted titles ("Operation Jade Mirror") are not people or places.
  const titles = top.filter((q) => titleLike(src.slice(q.start, q.end)));
  const stage = findEntities(src, tokens, insideSpans(titles.map((q) => ({ start: q.start - 1, end: q.end + 1 }))), top);
  addDateline(lay.dateline, stage.entities, src);
  // A person's gender from the given name when the text has not shown it (pronoun agreement).
  for (const e of stage.entities) if (e.type === 'person' && e.gender === null && e.given) e.gender = genderOfGivenName(e.given);
  return { lay, input: { text: src, paragraphs: lay.paragraphs, sentences, tokens, quotes: top, entities: stage.entities, tokenEntity: stage.tokenEntity } };
}

/**
 * The attribution stage's input for a text (every earlier stage run), for tools and tests that
 * exercise one attribution stage alone.
 */
export function attributionInputFor(text: string): AttributionInput {
  return prepare(text.slice(0, MAX_ARTICLE_CHARS), []).input;
}

/**
 * An unclosed quotation whose attribution follows a comma inside it ("“We have no choice, said
 * Jane Doe") most likely lost its closing mark before that comma: end the quote there, so the
 * attribution is read as one and the attribution's words are not taken as speech.
 */
function recoverUnclosed(text: string, q: QuoteSpan): QuoteSpan {
  const body = text.slice(q.start, q.end);
  const m = /,(?=\s+(?:(?:said|says|added|told|wrote|asked)\s+\p{Lu}|(?:he|she|they)\s+(?:said|says|added|told)\b|(?:the\s+)?(?:\p{Lu}[\p{L}'’.-]+\s+){1,3}(?:said|says|added|told)\b))/u.exec(body);
  if (!m) return q;
  const comma = q.start + m.index;
  return { ...q, close: comma, end: comma + 1 };
}

/** Distance from an offset to an entity's nearest mention. */
function nearest(e: { mentions: { start: number }[] }, at: number): number {
  return Math.min(...e.mentions.map((m) => Math.abs(m.start - at)));
}

/**
 * The dateline place is a mention too: a place's, the city the story was filed from. A capital
 * there ("REYKJAVIK —") is the city, not its government (AP Stylebook, "datelines": the dateline
 * says where the story was gathered), unless the body uses the same name for the government
 * ("MOSCOW — … Moscow warned …"): then it is one more mention of that country, as the story reads
 * it. A country's own name ("SENEGAL —") is a mention of the country.
 */
function addDateline(d: ParsedArticle['dateline'], ents: EntityDraft[], text: string): void {
  if (!d) return;
  const place = d.place.toLowerCase().replace(/(^|[\s-])\p{L}/gu, (m) => m.toUpperCase());
  const hit = lookupCountry(place)[0];
  const m = { start: d.start, end: d.start + d.place.length, text: text.slice(d.start, d.start + d.place.length), kind: 'name' as const, sentence: 0 };
  const capital = hit?.kind === 'metonym';
  const government = capital ? ents.find((e) => e.countryCode === hit.code && e.mentions.some((x) => x.kind === 'metonym' && fold(x.text) === fold(place))) : undefined;
  const country = hit && (!capital || government) ? hit : undefined;
  const existing = country ? (government ?? ents.find((e) => e.countryCode === country.code)) : ents.find((e) => (!capital || e.type !== 'country') && e.name.toLowerCase() === place.toLowerCase());
  if (existing) {
    existing.mentions.unshift({ ...m, kind: country && country.kind === 'metonym' ? 'metonym' : 'name' });
    if (country && place !== existing.name) existing.aliases.add(place);
    return;
  }
  ents.push({
    id: country ? `country:${country.code.toLowerCase()}` : `place:${place.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    name: country ? country.name : place, type: country ? 'country' : 'place', aliases: new Set(country && place !== country.name ? [place] : []), roles: [],
    affiliation: new Set(), gender: null, mentions: [{ ...m, kind: country?.kind === 'metonym' ? 'metonym' : 'name' }], nameTokens: [place.toLowerCase()],
    surname: null, given: null, suffix: null, heads: new Set(), roleSpans: [], company: false, seniority: null,
    ...(country ? { countryCode: country.code } : {}),
  });
}
