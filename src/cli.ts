/**
 * Command-line entry: `parse` (one file's parse, text or contract JSON), `ask` (one command against
 * the configured index, or an in-memory one of `--file`s) and `ingest` (files, folders, pages and
 * feeds into the configured index: PostgreSQL when DATABASE_URL is set, else the SQLite file).
 * stdout carries only the command's result; logs and errors go to stderr.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from './config/index.js';
import { createCore } from './core/index.js';
import { parseCommandText, readPageArgument } from './core/commandText.js';
import { checkDatabaseFile } from './config/paths.js';
import { openConfiguredIndex } from './index/open.js';
import type { ArticleIndex } from './index/types.js';
import { SqliteIndex } from './index/sqlite.js';
import { ingestPaths, readArticleFile } from './ingest/pipeline.js';
import { sourceForArgument } from './ingest/resolve.js';
import { emptySummary, formatSummary, runIngest, type IngestSummary } from './ingest/runner.js';
import { createParsePool, resolveParseWorkers } from './ingest/parse-pool.js';
import { stagedStoreInIndex } from './ingest/store.js';
import type { Source } from './ingest/types.js';
import { parseArticle } from './parse/index.js';
import { toContractJson } from './parse/json.js';
import { renderTerminal } from './render/terminal.js';

export { readArticleFile } from './ingest/pipeline.js';

const ASK_USAGE = 'usage: npm run cli -- ask [--file FILE]... [--page N] [--json] "/who france"\n' +
  '  one command, answered on stdout. With --file: against an in-memory index of just those files;\n' +
  '  without: against the configured database (DATABASE_URL, else DATABASE_PATH / database.path)\n' +
  '  --page N: a later page of a long answer; --json: the Reply object instead of text\n';
const INGEST_USAGE =
  'usage: npm run cli -- ingest [--full-text auto|always|never] [--parse-workers N] PATH|URL|FEED...\n' +
  '  files or folders (.txt .md .html .json), feed files (.xml .rss .atom), page or feed URLs, into the configured database\n' +
  '  --full-text: for feed items whose text is a teaser, fetch the linked page (auto: when short; default auto)\n' +
  '  --parse-workers: threads parsing while the index is written (0 = none; default sources.parseWorkers, else cores - 1)\n' +
  '  Ends with a summary: added, updated, unchanged, duplicates, failed (with reasons), undated stories and unreadable dates.\n';
const CLI_USAGE =
  'usage: npm run cli -- COMMAND [options]   (npm run --silent cli -- … keeps npm\'s own lines out of the output)\n\n' +
  '  ingest PATH|URL|FEED...   add stories from files, folders, pages and feeds to the configured database\n' +
  '  ask "/who france"         answer one command, as the bot would\n' +
  '  parse [--json] FILE       the parser\'s reading of one story file (--jsonl FILE... for many)\n' +
  '  help                      this text; COMMAND --help explains one command\n\n' +
  'The configured database is PostgreSQL when DATABASE_URL is set, else the SQLite file DATABASE_PATH\n' +
  '(default data/newsroom.db, or database.path in config/newsroom.json). See README.md.\n';

/** Loads the configuration, printing a clear message and returning null when it is invalid. */
function configOrNull(): AppConfig | null {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return null;
    }
    throw err;
  }
}

/**
 * Opens the configured index, or prints one line naming the setting at fault (DATABASE_URL,
 * DATABASE_PATH or database.path) and returns null.
 */
async function openIndexOrSay(config: AppConfig): Promise<{ index: ArticleIndex; where: string } | null> {
  const setting = config.env.DATABASE_URL ? 'DATABASE_URL' : config.databasePathSetting;
  const bad = config.env.DATABASE_URL ? null : checkDatabaseFile(config.databasePath, setting);
  if (bad) {
    process.stderr.write(`${bad}\n`);
    return null;
  }
  try {
    return await openConfiguredIndex(config.env.DATABASE_URL, config.databasePath);
  } catch (err) {
    process.stderr.write(`${setting}: ${(err as Error).message}\n`);
    return null;
  }
}

/**
 * `ask`: one command against an index of the given files (in memory) or the configured database;
 * prints the reply. With `--file`, each file that fails is named on stderr with its reason; when
 * some stories were read the command is answered from them and a last stderr line says how many
 * files failed; when none was, nothing is answered. Exit code 1 when any file failed, 2 on bad
 * usage or a refused request.
 */
async function ask(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args,
      options: { file: { type: 'string', multiple: true }, page: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${ASK_USAGE}`);
    return 2;
  }
  if (opts.values.help) {
    process.stdout.write(ASK_USAGE);
    return 0;
  }
  const cmd = parseCommandText(opts.positionals.join(' '));
  if (!cmd.ok) {
    process.stderr.write(`${cmd.error}\n${ASK_USAGE}`);
    return 2;
  }
  let page = cmd.page;
  if (opts.values.page !== undefined) {
    const read = readPageArgument(opts.values.page);
    if (!read.ok) {
      process.stderr.write(`${read.error}\n${ASK_USAGE}`);
      return 2;
    }
    page = read.page;
  }
  const config = configOrNull();
  if (!config) return 2;
  const files = opts.values.file ?? [];
  // With --file: a private in-memory index of just those files; else the configured one (DATABASE_URL or the SQLite file).
  const configured = files.length > 0 ? null : await openIndexOrSay(config);
  if (files.length === 0 && !configured) return 2;
  const index = configured ? configured.index : SqliteIndex.open(':memory:');
  let failed = 0;
  let read = 0;
  try {
    if (files.length > 0) {
      for (const o of await ingestPaths(index, files)) {
        if (o.ok) read++;
        else {
          failed++;
          process.stderr.write(`${o.ref}: ${o.error}\n`);
        }
      }
      // Nothing read: the answer would be the empty index's ("No stories yet … ingest PATH"), which is not what went wrong.
      if (read === 0) {
        process.stderr.write(
          failed > 0
            ? `ask: no story could be read from --file (${failed} ${failed === 1 ? 'failure' : 'failures'} above); nothing to answer from\n`
            : `ask: no story files (.txt .md .html .json) in ${files.join(', ')}; nothing to answer from\n`,
        );
        return 1;
      }
    }
    const core = createCore({ index, config: config.file });
    const reply = await core.handle({ command: cmd.command, args: cmd.args, platform: 'terminal', userId: 'cli', ...(page !== undefined ? { page } : {}) });
    // A refused request (bad page, argument too long) is an error: stderr and exit 2, like bad usage.
    const out = reply.status === 'error' && !opts.values.json ? process.stderr : process.stdout;
    out.write(opts.values.json ? `${JSON.stringify(reply, null, 2)}\n` : `${renderTerminal(reply)}\n`);
    if (reply.status === 'error') return 2;
    if (failed > 0) process.stderr.write(`ask: ${failed} of ${failed + read} files failed (reasons above); answered from the other ${read}\n`);
  } finally {
    await index.close();
  }
  return failed > 0 ? 1 : 0;
}

/**
 * `ingest PATH|URL|FEED...`: stores stories from files, folders (.txt, .md, .html, .json), pages,
 * RSS/Atom feeds and ninjs in the configured database. With a terminal on stderr a progress bar
 * is drawn there; otherwise one line per story goes to stdout. A missing path or a refused URL is
 * reported on stderr and the other arguments are still ingested. The summary (added, updated,
 * unchanged, failed with reasons) always ends stdout. Exit code 1 when anything failed.
 * Stories are parsed in a worker pool (`--parse-workers`, config `sources.parseWorkers`) and
 * written in source order.
 */
async function ingest(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({ args, options: { 'full-text': { type: 'string' }, 'parse-workers': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${INGEST_USAGE}`);
    return 2;
  }
  if (opts.values.help) {
    process.stdout.write(INGEST_USAGE);
    return 0;
  }
  const fullText = opts.values['full-text'] ?? 'auto';
  const workersArg = opts.values['parse-workers'];
  if (opts.positionals.length === 0 || !['auto', 'always', 'never'].includes(fullText) || (workersArg !== undefined && !/^\d{1,2}$/.test(workersArg))) {
    process.stderr.write(INGEST_USAGE);
    return 2;
  }
  const config = configOrNull();
  if (!config) return 2;
  const { sources: cfg } = config.file;
  const fetch = { timeoutMs: cfg.fetchTimeoutSeconds * 1000, maxBytes: Math.round(cfg.maxFetchMegabytes * 1024 * 1024), allow: config.file.fetch.allow };
  const sources: Source[] = [];
  // A missing path or a bad URL is reported and the other arguments go on (as parse --jsonl does); exit 1 at the end.
  const refused: IngestSummary['sourceErrors'] = [];
  for (const arg of opts.positionals) {
    try {
      sources.push(await sourceForArgument(arg, { fetch, fullText: fullText as 'auto' | 'always' | 'never' }));
    } catch (err) {
      refused.push({ ref: arg, reason: (err as Error).message });
      process.stderr.write(`failed    ${arg}: ${(err as Error).message}\n`);
    }
  }
  if (sources.length === 0) {
    // Nothing to ingest: the database is not opened (or created) for nothing.
    process.stdout.write(`${formatSummary({ ...emptySummary(), sourceErrors: refused })}\n`);
    return 1;
  }
  const opened = await openIndexOrSay(config);
  if (!opened) return 2;
  const { index, where } = opened;
  let workers = resolveParseWorkers(workersArg !== undefined ? Number(workersArg) : cfg.parseWorkers);
  // Unless asked for, no pool for a handful of stories: starting workers (~0.7 s) costs more than it saves.
  if (workersArg === undefined && cfg.parseWorkers === undefined && (await fewStories(sources))) workers = 0;
  const pool = workers > 0 ? createParsePool({ workers }) : null;
  try {
    const bar = process.stderr.isTTY === true;
    const summary = await runIngest(sources, stagedStoreInIndex(index, { pool }), {
      progress: bar ? process.stderr : false,
      onItem: bar ? undefined : (ref, status, reason) => {
        if (status === 'failed') process.stderr.write(`failed    ${ref}: ${reason}\n`);
        else process.stdout.write(`${status.padEnd(9)} ${ref}\n`);
      },
    });
    summary.sourceErrors.unshift(...refused);
    const stored = await index.storyCount();
    process.stdout.write(`${formatSummary(summary)}\n${stored} ${stored === 1 ? 'story' : 'stories'} in ${where}\n`);
    return summary.failed.length + summary.sourceErrors.length > 0 || summary.total === 0 ? 1 : 0;
  } finally {
    await pool?.close();
    await index.close();
  }
}

/** True when every source can tell its size and together they hold fewer than 64 stories. */
async function fewStories(sources: Source[]): Promise<boolean> {
  let n = 0;
  for (const s of sources) {
    const e = s.estimate ? await s.estimate().catch(() => null) : null;
    if (e === null) return false;
    n += e;
  }
  return n < 64;
}

const PARSE_USAGE =
  'usage: cli parse [--json] FILE          (run as: npm run --silent cli -- parse …)\n' +
  '       cli parse --jsonl FILE...   (one JSON line per file, in order, each with "file"; a bad file gets {"file", "error"})\n' +
  '  the parser\'s reading of a story file as plain text: headline, dateline, sentences, entities, quotes, amounts, summary\n';

/**
 * `parse`: the parser's output for article files (contract: ../shared/contracts/parse-json.md).
 * `--json FILE` prints one object; `--jsonl FILE...` parses every file in this one process and
 * prints one line per file in the order given, each with `"file"` exactly as given; a file that
 * cannot be read is reported on its own line as `{"file", "error"}` and the others go on.
 * Exit code 1 when any file failed, 2 on bad usage.
 */
function parse(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(PARSE_USAGE);
    return 0;
  }
  const jsonl = args.includes('--jsonl');
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--jsonl');
  if (files.length === 0 || unknown.length > 0 || (!jsonl && files.length > 1)) {
    process.stderr.write(PARSE_USAGE);
    return 2;
  }
  if (!jsonl) {
    const parsed = parseArticle(readArticleFile(files[0]!));
    process.stdout.write(JSON.stringify(toContractJson(parsed), null, args.includes('--json') ? 0 : 2) + '\n');
    return 0;
  }
  let failed = 0;
  for (const file of files) {
    let line: string;
    try {
      line = JSON.stringify({ file, ...toContractJson(parseArticle(readArticleFile(file))) });
    } catch (err) {
      failed++;
      line = JSON.stringify({ file, error: err instanceof Error ? err.message : String(err) });
    }
    process.stdout.write(line + '\n');
  }
  return failed > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'parse':
      return parse(rest);
    case 'ask':
      return ask(rest);
    case 'ingest':
      return ingest(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(CLI_USAGE);
      return 0;
    default:
      process.stderr.write(`${cmd === undefined ? 'no command given' : `unknown command "${cmd}"`}\n\n${CLI_USAGE}`);
      return 2;
  }
}

/**
 * Exits once everything written to stdout and stderr has been flushed: on a pipe, process.exit
 * right after large writes dropped the tail of the output (`parse --jsonl` of 629 files piped to
 * `wc -l` counted 212 lines).
 */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  exitAfterFlush(1);
});
