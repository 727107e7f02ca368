/**
 * The parsed-article index as the rest of the bot sees it. One interface, several
 * backends (SQLite by default, PostgreSQL when scaled out). Every method is async so
 * that a networked backend fits the same shape; the SQLite backend resolves at once.
 */
import type { EntityType, MentionKind, ParsedArticle } from '../parse/types.js';

/** A story as a source delivers it, before parsing. */
export interface ArticleInput {
  /** Full article text: optional headline on the first line, then the body. */
  text: string;
  /** Headline from metadata (feed title, ninjs headline); overrides the first-line guess. */
  title?: string | null;
  byline?: string | null;
  /** Canonical URL, when known. Part of the story's identity. */
  url?: string | null;
  /** Feed guid / ninjs uri, when known. Part of the story's identity. Empty strings count as none. */
  guid?: string | null;
  /** ISO 8601 publication time; null or absent when the source gives none (the story is then undated). */
  publishedAt?: string | null;
  /**
   * The source's publication date as written, when it could not be read (`"08/06/2018 - 08:00"`),
   * kept so that nothing the source said is lost; null when there was none or it was read.
   */
  publishedRaw?: string | null;
  /** ISO 8601 time of the latest update, when the source gives one. */
  updatedAt?: string | null;
  /**
   * ISO 8601 time a live source (a polled feed, a fetched page) read the story: close to its
   * publication, so a year-less dateline date ("LONDON, March 3 -") can be placed in a year.
   * Not stored.
   */
  fetchedAt?: string | null;
  /** ISO 8601 time before which the story must not be surfaced. */
  embargoUntil?: string | null;
  /** Where it came from: a file path, feed URL, "example", "cli". */
  source: string;
}

/**
 * What `upsert` did with one input. `added`: a new story; `updated`: changed content, stored as
 * a new revision; `unchanged`: same content and same parse, nothing written; `reparsed`: same
 * content but the parser now reads it differently, so the current revision's parse was replaced;
 * `duplicate`: a new identity (another file, URL or guid) whose text is word for word that of a
 * story already stored: it is remembered (so the next ingest is a no-op) but counted, listed and
 * answered only once, as `duplicateOf`.
 */
export interface UpsertResult {
  status: 'added' | 'updated' | 'unchanged' | 'reparsed' | 'duplicate';
  storyId: string;
  /** 1-based revision number now current for the story. */
  revision: number;
  /** With status `duplicate` (and on a later unchanged ingest of it): the story it repeats. */
  duplicateOf?: string;
}

/** A story row as the core reads it. */
export interface StoryRecord {
  id: string;
  title: string;
  url: string | null;
  source: string;
  byline: string | null;
  dateline: string | null;
  /** ISO 8601 publication time, or null when the story is undated (no source gave a readable one). */
  publishedAt: string | null;
  /** The source's unreadable publication date as written, or null. */
  publishedRaw: string | null;
  updatedAt: string | null;
  /** When the current revision was stored (ISO 8601). */
  ingestedAt: string;
  /** When the story was first stored, whatever its revisions (ISO 8601): an undated story's only time. */
  firstSeenAt: string;
  embargoUntil: string | null;
  revision: number;
  text: string;
  /** The parse of the current revision. */
  parsed: ParsedArticle;
}

/** A quote row joined with its story, for /quotes and digests. */
export interface QuoteRecord {
  storyId: string;
  storyTitle: string;
  /** Publication time, else (the story is undated) first-seen time (ISO 8601). */
  storyDate: string | null;
  /** True when the story has no publication time and `storyDate` is when it was first seen. */
  storyUndated?: boolean;
  storyUrl: string | null;
  kind: 'direct' | 'indirect';
  text: string;
  speakerName: string;
  /** Key of the speaker's entity across stories (type + normalised name), or null for anonymous sources. */
  speakerKey: string | null;
  cue: string | null;
  /** The sentence(s) the quote stands in. */
  context: string;
  /** Offsets of the quoted words in the story text (UTF-16, end exclusive). */
  start: number;
  end: number;
  /** The quote's id within its story's parse. */
  quoteId: string;
  /** A direct quote embedded in the narrative's own clause. */
  partial: boolean;
  /** Index of the first sentence the quote stands in. */
  sentence: number;
}

/** Another name an entity goes by, with how the text used it (null when no mention shows it). */
export interface AliasRecord {
  text: string;
  kind: MentionKind | null;
}

/** An entity aggregated across stories, for /who and name resolution. */
export interface EntitySummary {
  /** Cross-story key: `${type}:${normalised canonical name}`. */
  key: string;
  name: string;
  type: EntityType;
  aliases: string[];
  roles: string[];
  affiliation: string[];
  mentionCount: number;
  storyCount: number;
  /** `aliases` with the kind of mention each was seen as ("Paris": metonym, "French": demonym). */
  aliasDetails: AliasRecord[];
  /** Direct and indirect quotes attributed to this entity. */
  quoteCount: number;
  /** ISO 3166-1 alpha-2 code for countries, when the parser gave one. */
  countryCode?: string;
}

/** The story a fact comes from, as replies cite it. */
export interface StoryRef {
  storyId: string;
  title: string;
  /** Publication time, else first ingestion time (ISO 8601). */
  date: string | null;
  /** True when the story has no publication time and `date` is when it was first seen. */
  undated?: boolean;
  url: string | null;
  /** Dateline place ("MOSCOW"), when the story has one. */
  dateline: string | null;
}

/** A sentence that mentions an entity. */
export interface MentionSentence {
  story: StoryRef;
  /** Sentence index within the story. */
  sentence: number;
  text: string;
  /** How the entity is named there, and as what kind of mention. */
  surface: string;
  kind: MentionKind;
}

/** One way a story names an entity: "Paris" as a metonym of France in that story. */
export interface MentionForm {
  story: StoryRef;
  surface: string;
  kind: MentionKind;
}

/** A number in a sentence that mentions an entity (or that the parser tied to it). */
export interface AmountRecord {
  story: StoryRef;
  value: number;
  unit: string;
  text: string;
  sentence: number;
  /** The sentence holding the amount. */
  sentenceText: string;
  /** True when the parser itself tied the amount to the entity (`Amount.entityIds`). */
  linked: boolean;
}

/** An entity seen in the same stories as another, for /who's "related" list. */
export interface RelatedEntity {
  key: string;
  name: string;
  type: EntityType;
  roles: string[];
  affiliation: string[];
  /** Sentences that mention both entities. */
  sharedSentences: number;
  /** Stories that mention both entities. */
  sharedStories: number;
}

/** Everything the index knows about one entity (one or more cross-story keys), for /who. */
export interface EntityProfile {
  /** The newest stories that mention it (at most the profile's story limit), newest first; every other list is read from these. */
  stories: StoryRef[];
  /** All surfaced stories that mention it (`stories` may hold fewer; past the limit the count comes from the entity catalog). */
  storyCount: number;
  /** One entry per sentence that mentions it, newest story first, in reading order. */
  mentions: MentionSentence[];
  /**
   * Each distinct way each story names it (surface as written, and the kind of mention), newest
   * story first: which stories use "Paris" for France (`metonym`), whatever else the sentence holds.
   */
  forms: MentionForm[];
  /** What it said: quotes whose speaker is the entity. */
  quotesBy: QuoteRecord[];
  /** What is said of it: quotes by others whose words mention the entity. */
  quotesAbout: QuoteRecord[];
  amounts: AmountRecord[];
  /** Entities sharing sentences with it, most shared first, plus people affiliated with it. */
  related: RelatedEntity[];
}

/**
 * Options of `storiesSince`. Consecutive periods (a channel's digests) pass the same
 * `lateArrivalMs`, so that each story lands in exactly one period: the one it was published in
 * when it arrived in time, else the one it arrived in (when it was published at most
 * `lateArrivalMs` before that period began), else none (it is archive, not news).
 */
export interface StoriesSinceOptions {
  /** How long before `since` a story arriving in the period may have been published (ms); default 0. */
  lateArrivalMs?: number;
}

/** Options of `search`. */
export interface SearchOptions {
  /** Hits to skip, for paging. */
  offset?: number;
  /** Embargo reference time; default now. */
  now?: Date;
}

/** A full-text search hit. */
export interface SearchHit {
  storyId: string;
  title: string;
  /** Publication time, else first-seen time (ISO 8601). */
  date: string | null;
  /** True when the story has no publication time and `date` is when it was first seen. */
  undated?: boolean;
  url: string | null;
  /** A short excerpt around the match, plain text. */
  snippet: string;
  /** Relevance: higher is better (negated BM25 for SQLite, headline matches weighted up). */
  rank: number;
  /** False when no story held every word and the search fell back to stories with any of them. */
  allWords?: boolean;
}

/** Options of the quote look-ups behind /check. */
export interface QuoteLookupOptions {
  /** Embargo reference time; default now. */
  now?: Date;
  /** Most quotes returned. */
  limit?: number;
  /**
   * Candidates only: false stops at the quotes holding the claim's rarest words together when
   * there are any (cheap; enough when the claim kept them); true (default) also looks for quotes
   * sharing only some of its rare words.
   */
  thorough?: boolean;
}

/** Every surfaced story carrying the same words as a quote (see `ArticleIndex.quotesWithWords`). */
export interface QuoteAppearances {
  /** Direct quotes and reported speech with those words, oldest story first (at most the limit). */
  quotes: QuoteRecord[];
  /** Surfaced stories carrying them as a direct quote (not only those returned), counted up to `MAX_COUNTED_STORIES`. */
  directStories: number;
  /** More stories than `directStories` carry them (the count stopped at its cap). */
  more: boolean;
}

/** The index. Implementations must never lose what is already stored when an input fails. */
/** Most rows one `ArticleIndex.recentQuotes` call returns. */
export const MAX_RECENT_QUOTE_ROWS = 5000;

export interface ArticleIndex {
  /** Parses-and-stores are separate: the caller parses, the index stores. Idempotent on unchanged content. */
  upsert(input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult>;
  /**
   * Stores several stories in one transaction (one commit: far cheaper per story than one
   * `upsert` each), in order. A story that fails (bad metadata, a value the database refuses)
   * rolls back alone and comes back as `{ error }`; the others are stored.
   * @returns one result per item, in order
   */
  upsertMany(items: readonly { input: ArticleInput; parsed: ParsedArticle }[]): Promise<(UpsertResult | { error: string })[]>;
  getStory(id: string): Promise<StoryRecord | null>;
  /**
   * Newest surfaced story (embargo lifted at `now`) by publication time (an undated story by the
   * time it was first seen), or null when the index is empty.
   */
  latestStory(now?: Date): Promise<StoryRecord | null>;
  /**
   * The stories of the period `[since, until)`, newest publication first (see `StoriesSinceOptions`):
   * published in the period (an undated story: first seen in it) and surfaced before `until`,
   * plus, with `lateArrivalMs`, stories surfaced in the period that were published at most that
   * long before `since` (they came too late for the previous period). An archive backfilled
   * today never lands in today's period. Stories still under embargo at `until` are excluded;
   * duplicates are not listed.
   */
  storiesSince(since: Date, until?: Date, options?: StoriesSinceOptions): Promise<StoryRecord[]>;
  /** Every entity across surfaced stories (embargo lifted at `now`), for name resolution. */
  listEntities(now?: Date): Promise<EntitySummary[]>;
  /** Direct and indirect quotes whose speaker entity has key `speakerKey`, newest story first, in reading order. */
  quotesBySpeaker(speakerKey: string, now?: Date): Promise<QuoteRecord[]>;
  /** Quotes by anonymous or unlinked speakers whose descriptive name contains `text` (case-insensitive). */
  quotesBySpeakerName(text: string, now?: Date): Promise<QuoteRecord[]>;
  /**
   * Direct and indirect quotes of surfaced stories, newest story first, in reading order within a
   * story: `limit` of them (at most `MAX_RECENT_QUOTE_ROWS`) after skipping the first `offset`.
   * Rows, not distinct quotes: a story repeating a quote gives a row per repeat (the core merges them).
   */
  recentQuotes(limit: number, now?: Date, offset?: number): Promise<QuoteRecord[]>;
  /**
   * For each of `quotes`, how many direct quotes and reported speech of surfaced stories have its
   * words (`quoteKey`: case, punctuation and quotation marks aside) and its speaker: the same
   * `speakerKey`, or for a speaker without one, no key and the same `speakerName` (case aside).
   * The "appears N times" of every reply, so it is one count whichever view shows the quote.
   * @returns one count per quote, in order (0 for text without words)
   */
  quoteRepeats(quotes: readonly Pick<QuoteRecord, 'text' | 'speakerKey' | 'speakerName'>[], now?: Date): Promise<number[]>;
  /**
   * What the index holds on the entity with any of `keys` (one person may have several keys),
   * read from the newest `limit` stories that mention it (default `PROFILE_STORIES`, 50).
   */
  entityProfile(keys: string[], now?: Date, limit?: number): Promise<EntityProfile>;
  /**
   * Full-text search over headlines and bodies; any user text is made safe by the implementation
   * (never a query syntax error). All words must match; when that finds nothing, any word may.
   * @param limit hits per page (default 10)
   */
  search(query: string, limit?: number, options?: SearchOptions): Promise<SearchHit[]>;
  /**
   * Direct quotes and reported speech of surfaced stories whose words resemble `text`: the
   * candidates /check aligns with a claim, found through the quotes' full-text index (see
   * `quotesearch.ts`), those sharing the claim's rarest words first. Never a query syntax error.
   * @param options.limit most quotes (default 60)
   */
  quoteCandidates(text: string, options?: QuoteLookupOptions): Promise<QuoteRecord[]>;
  /**
   * The quotes of surfaced stories whose words are exactly those of `text` (`quoteKey`: case,
   * punctuation and quotation marks aside), oldest story first, and how many stories carry them
   * as a direct quote. Answers from one index range however many stories repeat the quote.
   * @param options.limit most quotes returned (default 10)
   */
  quotesWithWords(text: string, options?: QuoteLookupOptions): Promise<QuoteAppearances>;
  /** Stories stored, embargoed ones included, duplicates (same text under another identity) not. */
  storyCount(): Promise<number>;
  /** Changes whenever the index's content changes (in this process or another), for caches. */
  changeToken(): Promise<string>;
  close(): Promise<void>;
}
