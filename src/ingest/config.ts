/**
 * The `sources` section of the config file (zod): folders (backfilled at start, then watched),
 * feeds (polled with conditional GET), pages (ingested at start), and fetch limits.
 * Example:
 * ```json
 * "sources": {
 *   "folders": ["stories/"],
 *   "feeds": ["https://news.example/rss", { "url": "https://wire.example/atom", "intervalSeconds": 120, "fullText": "never" }],
 *   "pages": ["https://news.example/2024/03/story.html"],
 *   "parseWorkers": 3
 * }
 * ```
 */
import { z } from 'zod';
import { AllowList } from './address.js';

const relPath = z.string().trim().min(1, 'expected a non-empty path');

/** An absolute http(s) URL. */
export const HttpUrlSchema = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'expected an http(s) URL without credentials');

/** One feed: a URL, or a URL with its own polling interval and full-text mode. */
export const FeedConfigSchema = z
  .union([
    HttpUrlSchema,
    z.strictObject({
      url: HttpUrlSchema,
      /** Seconds between polls (1 s to 1 day; a minute or more is polite to someone else's server). */
      intervalSeconds: z.number().min(1).max(86_400).optional(),
      /** `auto`: fetch the page for teaser items; `always`; `never`. */
      fullText: z.enum(['auto', 'always', 'never']).optional(),
    }),
  ])
  .transform((v) => (typeof v === 'string' ? { url: v } : v));

/** The `sources` section. Every field has a default, so `{}` is valid. */
export const SourcesSchema = z.strictObject({
  /** Folders of story files (.txt, .md, .html, .json) ingested at start. */
  folders: z.array(relPath).default([]),
  /** Watch those folders for new and changed files while serving. */
  watchFolders: z.boolean().default(true),
  /** Seconds between folder polls while watching (0.5 s to 1 h). */
  watchIntervalSeconds: z.number().min(0.5).max(3600).default(5),
  /** RSS/Atom feeds polled while serving. */
  feeds: z.array(FeedConfigSchema).default([]),
  /** Default seconds between feed polls (1 s to 1 day; a minute or more is polite to someone else's server). */
  feedIntervalSeconds: z.number().min(1).max(86_400).default(300),
  /** Single pages ingested at start. */
  pages: z.array(HttpUrlSchema).default([]),
  /** Timeout of one HTTP fetch, in seconds (1–120). */
  fetchTimeoutSeconds: z.number().min(1).max(120).default(15),
  /** Largest page or feed fetched, in MiB (0.1–100). */
  maxFetchMegabytes: z.number().min(0.1).max(100).default(10),
  /**
   * Worker threads that parse stories while the index is written (`src/ingest/parse-pool.ts`),
   * 0–64; 0 parses in the ingesting thread. Absent: one per core less one when the machine has
   * more than one core, else 0.
   */
  parseWorkers: z.int().min(0).max(64).optional(),
});

/** The validated `sources` section. */
export type SourcesConfig = z.infer<typeof SourcesSchema>;

/**
 * The `fetch` section: hosts that may be fetched although their addresses are private,
 * loopback, link-local or otherwise not public (see `src/ingest/address.ts`). Entries are host
 * names, IP addresses or CIDR ranges. Example: `"fetch": { "allow": ["wire.internal", "10.20.0.0/16"] }`.
 */
export const FetchPolicySchema = z.strictObject({
  allow: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .refine((v) => {
          try {
            new AllowList([v]);
            return true;
          } catch {
            return false;
          }
        }, 'expected a host name, IP address or CIDR range'),
    )
    .default([]),
});

/** The validated `fetch` section. */
export type FetchPolicyConfig = z.infer<typeof FetchPolicySchema>;
