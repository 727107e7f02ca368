/**
 * The parsed-article index as the rest of the bot sees it. One interface, several
 * backends (SQLite by default, PostgreSQL when scaled out). Every method is async so
 * that a networked backend fits the same shape; the SQLite backend resolves at once.
 */
import type { EntityType, ParsedArticle } from '../parse/types.js';

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
  /** ISO 8601 publication time. */
  publishedAt?: string | null;
  /** ISO 8601 time of the latest update, when the source gives one. */
  updatedAt?: string | null;
  /** ISO 8601 time before which the story must not be surfaced. */
  embargoUntil?: string | null;
  /** Where it came from: a file path, feed URL, "example", "cli". */
  source: string;
}

/** What `upsert` did with one input. */
export interface UpsertResult {
  status: 'added' | 'updated' | 'unchanged';
  storyId: string;
  /** 1-based revision number now current for the story. */
  revision: number;
}

/** A story row as the core reads it. */
export interface StoryRecord {
  id: string;
  title: string;
  url: string | null;
  source: string;
  byline: string | null;
  dateline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  ingestedAt: string;
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
  storyDate: string | null;
  storyUrl: string | null;
  kind: 'direct' | 'indirect';
  text: string;
  speakerName: string;
  /** Key of the speaker's entity across stories (type + normalised name), or null for anonymous sources. */
  speakerKey: string | null;
  cue: string | null;
  /** The sentence(s) the quote stands in. */
  context: string;
  start: number;
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
}

/** A full-text search hit. */
export interface SearchHit {
  storyId: string;
  title: string;
  date: string | null;
  url: string | null;
  /** A short excerpt around the match, plain text. */
  snippet: string;
  rank: number;
}

/** The index. Implementations must never lose what is already stored when an input fails. */
export interface ArticleIndex {
  /** Parses-and-stores are separate: the caller parses, the index stores. Idempotent on unchanged content. */
  upsert(input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult>;
  getStory(id: string): Promise<StoryRecord | null>;
  /** Newest surfaced story (embargo lifted at `now`), or null when the index is empty. */
  latestStory(now?: Date): Promise<StoryRecord | null>;
  /** Stories ingested in `[since, until)`, newest first, embargoed ones excluded. */
  storiesSince(since: Date, until?: Date): Promise<StoryRecord[]>;
  /** Every entity across surfaced stories, for name resolution. */
  listEntities(): Promise<EntitySummary[]>;
  /** Quotes whose speaker entity has key `speakerKey`, newest story first. */
  quotesBySpeaker(speakerKey: string): Promise<QuoteRecord[]>;
  /** Full-text search over headlines and bodies; user text is made safe by the implementation. */
  search(query: string, limit?: number): Promise<SearchHit[]>;
  storyCount(): Promise<number>;
  close(): Promise<void>;
}
