/**
 * `npm start`: loads the configuration, checks the paths it names, opens the index (creating it
 * on first start), ingests the example stories and the configured sources (folders and pages;
 * idempotent: unchanged stories are no-ops; a progress line when it takes over a second), then
 * runs the chat adapters whose tokens are set, or the terminal adapter when none are. While
 * serving (chat adapters, or `--serve` without them: the headless service) source folders are
 * watched, feeds polled, scheduled digests posted (src/schedule/; terminal schedules printed)
 * and the health endpoints answer. Logs go to stderr; in terminal mode stdout carries only the
 * bot's replies (and digests scheduled for the terminal). `--help` prints `START_USAGE`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { runTerminal } from './adapters/terminal/index.js';
import { configuredPlatforms, ConfigError, loadConfig, type AppConfig } from './config/index.js';
import { checkDatabaseFile, checkFolder } from './config/paths.js';
import { createCore } from './core/index.js';
import type { BotCore } from './core/types.js';
import { openConfiguredIndex } from './index/open.js';
import type { ArticleIndex } from './index/types.js';
import { ingestPaths, type IngestOutcome } from './ingest/pipeline.js';
import { createParsePool, resolveParseWorkers, type ParsePool } from './ingest/parse-pool.js';
import { listStoryFiles } from './ingest/folder.js';
import { startupProgress } from './ingest/progress.js';
import { startIngestion } from './ingest/serve.js';
import { stagedStoreInIndex } from './ingest/store.js';
import { createLogger } from './logger.js';
import { drainable } from './ops/drain.js';
import { startHealthServer } from './ops/health.js';
import { createDigests, startDigestScheduler, type DigestScheduler, type DigestSink } from './schedule/index.js';
import { terminalDigestSink } from './schedule/sinks/terminal.js';
import { createWatches, startWatchRunner, type WatchRunner } from './watch/index.js';

/**
 * Ingests the examples (identified by file name, so a moved checkout does not duplicate them).
 * @param onStory called after each story (for the start-up progress line)
 */
export async function ingestAtStart(index: ArticleIndex, config: AppConfig, logger: Logger, onStory?: (ref: string) => void): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const log = (o: IngestOutcome) => {
    onStory?.(o.ref);
    if (!o.ok) logger.warn({ file: o.ref, error: o.error }, 'story not ingested');
    else if (o.status !== 'unchanged') logger.info({ file: o.ref, status: o.status, storyId: o.storyId }, 'story ingested');
  };
  if (config.file.examples.ingestOnStart && !checkFolder(config.file.examples.folder, 'examples.folder')) {
    outcomes.push(
      ...(await ingestPaths(index, [config.file.examples.folder], {
        guidOf: (f) => `example:${path.basename(f)}`,
        onOutcome: log,
      })),
    );
  }
  // Configured folders, pages and feeds go through `startIngestion` (src/ingest/serve.ts).
  return outcomes;
}

/** A running chat adapter, as `main` stops it on shutdown; `sink` posts scheduled digests to it. */
interface Running {
  name: string;
  stop(): Promise<void>;
  sink?: DigestSink;
}

/**
 * ─── Chat platform adapters ───────────────────────────────────────────────────────────────
 * Each adapter lives in src/adapters/<platform>/start.ts and is started here when its token is
 * set (SLACK_BOT_TOKEN, DISCORD_TOKEN). The modules are loaded only when needed, so the
 * terminal-only bot never loads Bolt or discord.js.
 */
async function startPlatforms(core: BotCore, config: AppConfig, logger: Logger): Promise<Running[]> {
  const platforms = configuredPlatforms(config.env);
  const running: Running[] = [];
  if (platforms.slack) {
    // Socket Mode when SLACK_APP_TOKEN is set, else HTTP on SLACK_PORT with request signature verification.
    const { startSlack } = await import('./adapters/slack/start.js');
    const slack = await startSlack(core, config.env, config.file.slack, { logger: logger.child({ adapter: 'slack' }) });
    const { slackDigestSink } = await import('./schedule/sinks/slack.js');
    running.push({ name: 'slack', stop: () => slack.stop(), sink: slackDigestSink(slack.app.client) });
    logger.info({ mode: slack.mode, port: slack.port, commands: slack.commands }, 'Slack adapter started');
  }
  if (platforms.discord) {
    // With DISCORD_SHARDS set this starts a ShardingManager: one child process per shard, each with its own core.
    const { startDiscord } = await import('./adapters/discord/start.js');
    const discord = await startDiscord(core, config.env, { admins: config.file.discord.admins }, { logger: logger.child({ adapter: 'discord' }) });
    // Digests go out over REST: the client's own, or (sharded: the clients live in the shard processes) one of our own.
    const { discordDigestSink, discordRest } = await import('./schedule/sinks/discord.js');
    const rest = discord.mode === 'client' ? discord.adapter.client.rest : await discordRest(config.env.DISCORD_TOKEN!, config.env.DISCORD_API_URL);
    running.push({ name: 'discord', stop: () => discord.stop(), sink: discordDigestSink(rest) });
    logger.info({ mode: discord.mode }, 'Discord adapter started');
  }
  return running;
}

/** `npm start -- --help`. */
export const START_USAGE = `usage: npm start [-- --serve] [-- --help]

  npm start              no chat tokens set: answer commands typed in this terminal, on the
                         stories in the index (the examples, then config sources.folders/pages);
                         with SLACK_BOT_TOKEN and/or DISCORD_TOKEN set: serve Slack and Discord
  npm start -- --serve   the whole service without a chat platform: feeds polled
                         (sources.feeds), folders watched (sources.folders), scheduled digests
                         run (platform "terminal" ones printed here), health endpoints on
                         HEALTH_PORT, and this terminal still answering commands. Stops on
                         /quit, Ctrl-C or SIGTERM (not when its input ends).
  npm start -- --help    this text

Settings: config/newsroom.json (or the file named by NEWSROOM_CONFIG); secrets and ports in the
environment or .env (see .env.example). Logs are JSON lines on stderr; LOG_LEVEL sets how many.
Other commands: npm run cli -- --help, npm run discord:register -- --help. More in README.md.
`;

/** Reads `npm start`'s arguments. */
function startArgs(argv: string[]): { serve: boolean; help: boolean } | { error: string } {
  try {
    const { values } = parseArgs({ args: argv, options: { serve: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false });
    return { serve: values.serve === true, help: values.help === true };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Story files in the folders the start-up ingest reads (for "n of N" in its progress line); missing folders count 0. */
async function expectedStories(folders: string[]): Promise<number> {
  let n = 0;
  for (const f of folders) n += (await listStoryFiles(f).catch(() => [])).length;
  return n;
}

/**
 * Notes for sources that nothing would read while the bot runs as configured: feeds and watched
 * folders are read only while serving.
 */
export function idleSourceNotes(src: AppConfig['file']['sources'], serving: boolean): string[] {
  if (serving) return [];
  const notes: string[] = [];
  if (src.feeds.length > 0) {
    notes.push(
      `sources.feeds: ${src.feeds.length} ${src.feeds.length === 1 ? 'feed is' : 'feeds are'} configured but nothing polls ${src.feeds.length === 1 ? 'it' : 'them'} in this terminal session; start with "npm start -- --serve" (or with chat tokens) to poll feeds and watch folders`,
    );
  }
  if (src.folders.length > 0 && src.watchFolders) {
    notes.push(`sources.folders: read once at start-up; new and changed files are picked up only while serving ("npm start -- --serve")`);
  }
  return notes;
}

async function main(argv: string[]): Promise<number> {
  const args = startArgs(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n\n${START_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(START_USAGE);
    return 0;
  }
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const platforms = configuredPlatforms(config.env);
  const chat = platforms.slack || platforms.discord;
  // Serve mode: chat platforms, or --serve without them (headless). The terminal answers whenever no chat platform runs.
  const serving = chat || args.serve;
  const terminal = !chat;
  // The interactive terminal is a human's screen: only warnings and errors unless LOG_LEVEL asks for more.
  const logger = createLogger(config.env.LOG_LEVEL ?? (terminal && !serving ? 'warn' : 'info'));
  const say = (line: string): void => void process.stderr.write(`newsroom-bot: ${line}\n`);

  // Paths the configuration names are checked first, so a wrong one is reported by its setting's name.
  if (!config.env.DATABASE_URL) {
    const bad = checkDatabaseFile(config.databasePath, config.databasePathSetting);
    if (bad) {
      say(bad);
      return 2;
    }
  }
  const src = config.file.sources;
  const folders = [
    ...(config.file.examples.ingestOnStart ? [{ dir: config.file.examples.folder, setting: 'examples.folder' }] : []),
    ...src.folders.map((dir, i) => ({ dir, setting: `sources.folders[${i}]` })),
  ];
  for (const f of folders) {
    const bad = checkFolder(f.dir, f.setting);
    if (bad) say(`${bad}; skipped`);
  }
  for (const note of idleSourceNotes(src, serving)) say(note);

  // DATABASE_URL=postgres://… selects the shared PostgreSQL index (several instances); else the SQLite file.
  // Serve mode: /healthz and /readyz for process managers (HEALTH_PORT; loopback unless HEALTH_HOST says otherwise).
  let health: Awaited<ReturnType<typeof startHealthServer>> | null = null;
  if (serving && config.env.HEALTH_PORT !== undefined) {
    try {
      health = await startHealthServer({ port: config.env.HEALTH_PORT, host: config.env.HEALTH_HOST });
    } catch (err) {
      say(`HEALTH_PORT: ${(err as Error).message}; set HEALTH_PORT to a free port (or HEALTH_HOST to an address of this machine)`);
      return 2;
    }
    logger.info({ port: health.port }, 'health endpoints on /healthz and /readyz');
  }
  let index: ArticleIndex;
  let where: string;
  try {
    ({ index, where } = await openConfiguredIndex(config.env.DATABASE_URL, config.databasePath));
  } catch (err) {
    await health?.close();
    say(`${config.env.DATABASE_URL ? 'DATABASE_URL' : config.databasePathSetting}: ${(err as Error).message}`);
    return 1;
  }
  let stopIngestion = async (): Promise<void> => undefined;
  let parsePool: ParsePool | null = null;
  try {
    // A start-up ingest that takes longer than a second shows a progress line on stderr.
    const progress = startupProgress(process.stderr, { expected: await expectedStories(folders.filter((f) => !checkFolder(f.dir, f.setting)).map((f) => f.dir)) });
    await ingestAtStart(index, config, logger, (ref) => progress.tick(ref));
    // Configured sources: folders and pages are backfilled before the bot answers; while serving
    // folders are watched and feeds polled until shutdown. Stories are parsed in worker threads
    // (sources.parseWorkers; default cores − 1) while the index is written.
    const hasSources = src.folders.length + src.pages.length + (serving ? src.feeds.length : 0) > 0;
    const workers = hasSources ? resolveParseWorkers(src.parseWorkers) : 0;
    const ingestLogger = logger.child({ component: 'ingest' });
    parsePool = workers > 0 ? createParsePool({ workers, logger: ingestLogger }) : null;
    const ingestion = startIngestion(src, stagedStoreInIndex(index, { pool: parsePool }), {
      logger: ingestLogger,
      watch: serving,
      allow: config.file.fetch.allow,
      onBackfillItem: (ref) => progress.tick(ref),
    });
    stopIngestion = () => ingestion.stop();
    await ingestion.backfill;
    progress.done();
    // Without serving nothing is ingested after the backfill: the workers can go.
    if (!serving) await parsePool?.close();
    // Digest schedules live in the index's database (SQLite, or PostgreSQL shared by every instance):
    // the config file's are synced into it; chat changes go through the core.
    const digests = await createDigests(index, config.file.digests, { logger: logger.child({ component: 'digests' }) });
    // Commands in flight are counted so that shutdown lets them finish before the index closes.
    // Watches live in the same database; the runner matches new stories and posts alerts (src/watch/).
    const watches = createWatches(index);
    const commands = drainable(createCore({ index, config: config.file, logger, digests: digests.service, watches: watches.service }));
    const startWatches = (sinks: DigestSink[]): Promise<WatchRunner> =>
      startWatchRunner(watches, index, sinks, config.file.watches, { logger: logger.child({ component: 'watches' }) });
    const core = commands.core;
    const startDigests = async (sinks: DigestSink[]): Promise<DigestScheduler | null> =>
      startDigestScheduler(digests, index, sinks, config.file.digests, { logger: logger.child({ component: 'digests' }) });
    // Listen for the stop signal before starting anything, so a SIGTERM during start-up still shuts down cleanly.
    const stopRequested = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    if (terminal) {
      // Digests scheduled for the terminal print between answers (always scheduled while serving).
      const terminalDigests =
        serving || config.file.digests.schedules.some((s) => s.platform === 'terminal') ? await startDigests([terminalDigestSink(process.stdout)]) : null;
      // Watch alerts for the terminal print between answers (stories ingested while serving, or by another process into this index).
      const terminalWatches = await startWatches([terminalDigestSink(process.stdout)]);
      health?.setState('ready');
      if (serving) logger.info({ feeds: src.feeds.length, folders: src.folders.length, digests: config.file.digests.schedules.length }, 'serving without a chat platform (--serve)');
      const stories = await index.storyCount();
      const session = runTerminal({
        core,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        banner: `Newsroom bot: ${stories} ${stories === 1 ? 'story' : 'stories'} in ${where}.${serving ? ' Serving: feeds polled, folders watched, digests scheduled.' : ''}`,
      });
      if (serving) {
        // Headless serve mode stops on /quit, Ctrl-C or a signal; a closed input (a container's stdin) keeps it serving.
        await Promise.race([stopRequested, session.then((s) => (s.quit ? undefined : stopRequested))]);
        health?.setState('stopping');
        logger.info({ inFlight: commands.inFlight() }, 'shutting down');
      } else {
        await Promise.race([session, stopRequested]);
      }
      // Stopped by a signal while the terminal still reads: let go of stdin so the process can end.
      process.stdin.destroy();
      await terminalDigests?.stop();
      await terminalWatches.stop();
      if (!(await commands.drain(10_000))) logger.warn({ inFlight: commands.inFlight() }, 'commands still running after 10 s; closing anyway');
      return 0;
    }
    const running = await startPlatforms(core, config, logger);
    // Scheduled digests through every running adapter; terminal schedules print on stdout (logs go to stderr).
    const sinks = [...running.flatMap((r) => (r.sink ? [r.sink] : [])), terminalDigestSink(process.stdout)];
    const scheduler = await startDigests(sinks);
    const watchRunner = await startWatches(sinks);
    health?.setState('ready');
    await stopRequested;
    health?.setState('stopping');
    logger.info({ inFlight: commands.inFlight() }, 'shutting down');
    await scheduler?.stop().catch((err: unknown) => logger.error({ err }, 'digest scheduler stop failed'));
    await watchRunner.stop().catch((err: unknown) => logger.error({ err }, 'watch runner stop failed'));
    for (const r of running) await r.stop().catch((err: unknown) => logger.error({ err, adapter: r.name }, 'stop failed'));
    if (!(await commands.drain(10_000))) logger.warn({ inFlight: commands.inFlight() }, 'commands still running after 10 s; closing anyway');
    return 0;
  } finally {
    await stopIngestion();
    await parsePool?.close();
    await index.close();
    await health?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`newsroom-bot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
