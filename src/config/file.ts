/**
 * The config file (`config/newsroom.json` by default, or the file named by NEWSROOM_CONFIG):
 * non-secret settings only. Secrets come from the environment (see `env.ts`).
 *
 * Every section is optional and every field has a default, so `{}` is a valid file. Unknown
 * keys are rejected so that a typo ("dispaly") is reported instead of silently ignored; later
 * features (feeds, admins, digest schedules) add their own optional sections to `ConfigFileSchema`.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError, describeIssues } from './errors.js';
import { FetchPolicySchema, SourcesSchema } from '../ingest/config.js';
import { DigestsSchema } from '../schedule/config.js';
import { WatchesSchema } from '../watch/config.js';

const relPath = z.string().trim().min(1, 'expected a non-empty path');

/** Display options: how much a reply shows at once. Counts are items, lengths are characters. */
export const DisplaySchema = z.strictObject({
  /** Quotes per page of `/quotes` (1–25). */
  quotesPerPage: z.int().min(1).max(25).default(5),
  /** At most this many of the parser's summary sentences in `/summary` (1–10). */
  summarySentences: z.int().min(1).max(10).default(3),
  /** Hits per page of `/search` (1–25). */
  searchResults: z.int().min(1).max(25).default(5),
  /** Quotes by and about an entity shown by `/who`, each (0–10). */
  whoQuotes: z.int().min(0).max(10).default(3),
  /** Numbers tied to an entity shown by `/who` (0–10). */
  whoNumbers: z.int().min(0).max(10).default(4),
  /** Longest command argument accepted, in characters (20–2000). */
  maxArgumentLength: z.int().min(20).max(2000).default(200),
});

/** The config file's shape; see the module docstring. Paths are relative to the working directory. */
export const ConfigFileSchema = z.strictObject({
  database: z
    .strictObject({
      /** SQLite database file, created on first start. `:memory:` keeps the index in memory. */
      path: relPath.default('data/newsroom.db'),
    })
    .prefault({}),
  examples: z
    .strictObject({
      /** Folder of example stories (`.txt`) shipped with the bot. */
      folder: relPath.default('examples/articles'),
      /** Ingest the examples at start (idempotent: unchanged stories are no-ops). */
      ingestOnStart: z.boolean().default(true),
    })
    .prefault({}),
  /** Folders, feeds and pages to ingest (see `src/ingest/config.ts`). */
  sources: SourcesSchema.prefault({}),
  /** Hosts that may be fetched although not public (`fetch.allow`, see `src/ingest/config.ts`). */
  fetch: FetchPolicySchema.prefault({}),
  display: DisplaySchema.prefault({}),
  slack: z
    .strictObject({
      /** Prefix of every slash command (`news-` gives `/news-quotes`), for workspaces where `/quotes` is taken. At most 24 characters (Slack's 32 for a command name). */
      commandPrefix: z.string().regex(/^[a-z0-9_-]{0,24}$/, 'expected at most 24 lower-case letters, digits, "-" or "_"').default(''),
      /** Answers visible to the whole channel (true) or only to the asker; errors and help are always private. */
      answersInChannel: z.boolean().default(true),
      /** Slack user ids (U…/W…) treated as admins. */
      admins: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U024BE7LH')).default([]),
    })
    .prefault({}),
  discord: z
    .strictObject({
      /** Discord user ids (snowflakes) treated as admins (they may change digest schedules). */
      admins: z.array(z.string().regex(/^\d{5,25}$/, 'expected a Discord user id (digits only)')).default([]),
    })
    .prefault({}),
  /** Scheduled digest posts (see `src/schedule/config.ts`). */
  digests: DigestsSchema.prefault({}),
  /** Watch alerts: how often new stories are looked at, when a burst becomes one message (src/watch/config.ts). */
  watches: WatchesSchema.prefault({}),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type DisplayConfig = z.infer<typeof DisplaySchema>;

/** The defaults, as a file `{}` gives them. */
export const DEFAULT_CONFIG_FILE: ConfigFile = ConfigFileSchema.parse({});

/**
 * Validates a parsed JSON value as the config file.
 * @throws ConfigError naming every invalid key (`display.quotesPerPage: …`)
 */
export function parseConfigFile(value: unknown, where = 'config file'): ConfigFile {
  const res = ConfigFileSchema.safeParse(value);
  if (res.success) return res.data;
  throw new ConfigError(
    `Invalid settings in ${where}`,
    describeIssues(res.error.issues, (p) => p.map(String).join('.'), (p) => {
      let v: unknown = value;
      for (const k of p) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
      return v === undefined || typeof v === 'object' ? null : String(v);
    }),
  );
}

/**
 * Reads and validates the config file. A missing file is allowed only when `optional` is true
 * (the default file may be absent: the defaults apply).
 * @throws ConfigError for unreadable files, bad JSON or invalid settings
 */
export function loadConfigFile(file: string, optional: boolean): ConfigFile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG_FILE;
    throw new ConfigError(`Cannot read the config file ${file}`, [(err as Error).message]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`The config file ${file} is not valid JSON`, [(err as Error).message]);
  }
  return parseConfigFile(json, file);
}
