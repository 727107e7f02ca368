/**
 * The config file (`config/newsroom.json` by default, or the file named by NEWSROOM_CONFIG):
 * non-secret settings only. Secrets come from the environment (see `env.ts`).
 *
 * Every section is optional and every field has a default, so `{}` is a valid file. Unknown
 * keys are rejected so that a typo ("dispaly") is reported instead of silently ignored; later
 * features (feeds, admins, digest schedules) add their own optional sections to `ConfigFileSchema`.
 */
import fs from 'node:fs';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
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
 * @param source the file's text, when there is one: each problem then also says where it is
 *   (`line 3, column 5`), found with jsonc-parser's syntax tree
 * @throws ConfigError naming every invalid key (`display.quotesPerPage: …`)
 */
export function parseConfigFile(value: unknown, where = 'config file', source?: string): ConfigFile {
  const res = ConfigFileSchema.safeParse(value);
  if (res.success) return res.data;
  const tree = source === undefined ? undefined : parseTree(source);
  throw new ConfigError(
    `Invalid settings in ${where}`,
    describeIssues(
      res.error.issues,
      (p) => p.map(String).join('.'),
      (p) => {
        let v: unknown = value;
        for (const k of p) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
        return v === undefined || typeof v === 'object' ? null : String(v);
      },
      tree && source !== undefined ? (issue) => locate(tree, source, issue) : undefined,
    ),
  );
}

/** `line L, column C` (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Where in the file a validation problem is: the misspelt key itself, else the value, else the nearest enclosing setting. */
function locate(tree: JsonNode, text: string, issue: z.core.$ZodIssue): string | null {
  const path = issue.path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    const key = findNodeAtLocation(tree, [...path, issue.keys[0]!])?.parent?.children?.[0];
    if (key) return lineAndColumn(text, key.offset);
  }
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) return lineAndColumn(text, node.offset);
  }
  return null;
}

/** Readable words for jsonc-parser's syntax error codes (by `printParseErrorCode` name). */
const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon (:) is expected',
  CommaExpected: 'a comma (,) is expected',
  CloseBraceExpected: 'a closing brace (}) is expected',
  CloseBracketExpected: 'a closing bracket (]) is expected',
  EndOfFileExpected: 'nothing may follow the closing brace',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape (\\) in a string',
  InvalidCharacter: 'a character that must be escaped in a string',
};

/** One syntax error as a line: where, and what is wrong (a trailing comma is named as such). */
function syntaxProblem(text: string, e: ParseError): string {
  const before = text.slice(0, e.offset).trimEnd();
  if (before.endsWith(',') && /^[}\]]/.test(text.slice(e.offset))) {
    return `${lineAndColumn(text, before.length - 1)}: remove this trailing comma (JSON allows none before a closing brace or bracket)`;
  }
  const name = printParseErrorCode(e.error);
  return `${lineAndColumn(text, e.offset)}: ${SYNTAX[name] ?? name}`;
}

/**
 * Reads JSON text strictly (no comments, no trailing commas) with jsonc-parser, which reports
 * where each syntax error is.
 * @throws ConfigError listing each syntax error with its line and column
 */
function parseStrictJson(raw: string, where: string): unknown {
  const errors: ParseError[] = [];
  const text = raw.replace(/^\uFEFF/, '');
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0) return value;
  throw new ConfigError(
    `The config file ${where} is not valid JSON`,
    [...new Set(errors.map((e) => syntaxProblem(text, e)))].slice(0, 5),
  );
}

/**
 * Reads and validates the config file. A missing file is allowed only when `optional` is true
 * (the default file may be absent: the defaults apply).
 * @param setting what named the file, for messages (`NEWSROOM_CONFIG`, or the default path)
 * @throws ConfigError for unreadable files, bad JSON (with line and column) or invalid settings
 *   (each with the setting's name and where it is in the file)
 */
export function loadConfigFile(file: string, optional: boolean, setting = 'NEWSROOM_CONFIG'): ConfigFile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return DEFAULT_CONFIG_FILE;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`Cannot read the config file ${file}`, [`${optional ? file : setting}: ${why}`]);
  }
  return parseConfigFile(parseStrictJson(raw, file), file, raw.replace(/^\uFEFF/, ''));
}
