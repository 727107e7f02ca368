/**
 * The one interface every source implements. A source turns what a newsroom has (a folder,
 * a web page, an RSS/Atom feed, wire JSON in IPTC ninjs) into `ArticleInput`s; it never
 * parses stories or touches the index. The runner (`runner.ts`) stores what it yields.
 */
import type { ArticleInput } from '../index/types.js';

/**
 * One thing a source produced: a story ready to store, or an item it could not read.
 * `ref` names the item for logs and summaries: a file path, a feed item's link or guid, a URL.
 */
export type SourceItem = { ok: true; ref: string; input: ArticleInput } | { ok: false; ref: string; reason: string };

/** What the source kinds have in common. */
export interface Source {
  /** Which kind of source this is (`memory`: stories handed over in memory, see `storiesSource`). */
  readonly kind: 'folder' | 'page' | 'feed' | 'ninjs' | 'file' | 'memory';
  /** Human-readable name for logs and summaries: the folder path, page or feed URL. */
  readonly label: string;
  /**
   * How many items one pass is expected to yield, when that is cheap to know (a folder's
   * file count); null when unknown. Used to size the progress bar.
   */
  estimate?(): Promise<number | null>;
  /**
   * One pass over the source. Items that fail are yielded as `{ ok: false }` and the pass goes on.
   * Throwing means the source itself failed (unreachable, malformed feed): the runner records
   * the reason and keeps whatever was stored before.
   */
  items(signal?: AbortSignal): AsyncIterable<SourceItem>;
}

/** Minimal logger the sources and runner write to; a pino logger satisfies it. */
export interface IngestLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: IngestLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
