/**
 * Types of the article parser's output. Every offset in these types is a JavaScript
 * string index (UTF-16 code units) into the article text as given to `parseArticle`,
 * end exclusive, so `text.slice(start, end)` is always the span's surface form.
 */

/** A half-open character range `[start, end)` into the article text. */
export interface Span {
  start: number;
  end: number;
}

/** A paragraph of the body: a run of text between line breaks. */
export interface Paragraph extends Span {
  /** 0-based position among the article's paragraphs (headline excluded). */
  index: number;
}

/** A sentence, as split by `splitSentences` (abbreviation-, initial- and quote-aware). */
export interface Sentence extends Span {
  /** 0-based position among all sentences of the body. */
  index: number;
  /** Index of the paragraph the sentence starts in. */
  paragraph: number;
  /** The sentence's text, equal to `text.slice(start, end)`. */
  text: string;
}

/** What kind of thing an entity is. */
export type EntityType = 'person' | 'country' | 'organization' | 'place' | 'other';

/** How a mention refers to its entity. */
export type MentionKind =
  | 'name' // the full name as first given ("Maria Zakharova")
  | 'short' // a shorter form of the name: surname, first name, acronym ("Zakharova", "NATO")
  | 'alias' // another recorded name ("Britain", "UK" for United Kingdom)
  | 'demonym' // an adjective of nationality ("French")
  | 'metonym' // a capital or seat standing for a country or institution ("Paris", "the Kremlin")
  | 'pronoun' // he / she / they resolved to the entity
  | 'description'; // a title or role used alone ("the minister", "the spokeswoman")

/** One place in the text where an entity is referred to. */
export interface Mention extends Span {
  text: string;
  kind: MentionKind;
  /** Index of the sentence holding the mention. */
  sentence: number;
}

/** A person, country, organisation or place that the article refers to. */
export interface Entity {
  /** Stable within one parse: derived from the type and canonical name ("person:maria-zakharova"). */
  id: string;
  /** Canonical name: the longest proper name the text gives ("Maria Zakharova", "United Kingdom"). */
  name: string;
  type: EntityType;
  /** Other surface forms found in the text, deduplicated, canonical name excluded. */
  aliases: string[];
  /** Titles and roles as the text gives them ("spokeswoman for the Russian Foreign Ministry", "French President"). */
  roles: string[];
  /** Names of entities this one belongs to or works for, where the text says so ("Russian Foreign Ministry", "France"). */
  affiliation: string[];
  /** Gender where a title, a role word or a resolved pronoun shows it; otherwise null. */
  gender: 'female' | 'male' | null;
  /** ISO 3166-1 alpha-2 code for countries, else undefined. */
  countryCode?: string;
  /** Every mention, in text order. */
  mentions: Mention[];
}

/** The speaker of a quote: a named entity or a descriptive phrase for an anonymous source. */
export interface Speaker {
  /** The entity's canonical name, or the descriptive phrase ("a senior official"). */
  name: string;
  /** The entity's id, or null for anonymous descriptive sources not linked to an entity. */
  entityId: string | null;
}

/**
 * A quotation. `direct`: words inside quotation marks (`text` excludes the marks);
 * `indirect`: reported speech without marks (`text` is the reported content);
 * `term`: a phrase in quotation marks that is not speech (scare quote, title, nickname).
 */
export interface Quote extends Span {
  id: string;
  kind: 'direct' | 'indirect' | 'term';
  /** A direct quote embedded in the narrative's own clause ("called the plan “reckless”"). */
  partial: boolean;
  text: string;
  speaker: Speaker | null;
  /** The reporting verb or phrase ("said", "told reporters", "according to"), or null. */
  cue: string | null;
  /** Span of the sentence(s) the quote stands in, for context in answers. */
  context: Span;
  /** Index of the first sentence the quote stands in. */
  sentence: number;
}

/** A number and what it counts: "6,000 troops", "$4.2 billion", "12 percent". */
export interface Amount extends Span {
  /** Numeric value with multipliers applied ("$4.2 billion" → 4200000000). */
  value: number;
  /** What is counted ("troops", "dollars", "percent", "pounds a week"). */
  unit: string;
  /** The surface text of the amount. */
  text: string;
  sentence: number;
  /** Ids of entities mentioned in the same sentence, nearest first. */
  entityIds: string[];
}

/** A dateline: the place (and optional date and wire) that opens the body. */
export interface Dateline extends Span {
  place: string;
  date: string | null;
  wire: string | null;
}

/** Everything the parser extracts from one article. Pure data, JSON-serialisable. */
export interface ParsedArticle {
  /** Headline, when the first line is one; else null. */
  title: string | null;
  titleSpan: Span | null;
  dateline: Dateline | null;
  /** Byline ("By Jane Doe") when present. */
  byline: string | null;
  paragraphs: Paragraph[];
  sentences: Sentence[];
  entities: Entity[];
  quotes: Quote[];
  amounts: Amount[];
  /** Extractive summary: indexes into `sentences`, in reading order. */
  summary: number[];
  /** Non-fatal problems found while parsing (unbalanced quotation marks, truncated input). */
  warnings: string[];
}
