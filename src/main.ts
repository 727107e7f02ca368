/**
 * `npm start`: loads the configuration, opens the index (creating it on first start), ingests
 * the example stories and the configured sources (folders and pages; idempotent: unchanged
 * stories are no-ops), then runs the chat adapters whose tokens are set, or the terminal adapter
 * when none are; while adapters serve, source folders are watched, feeds polled and scheduled
 * digests posted (src/schedule/). Logs go to stderr; in terminal mode stdout carries only the
 * bot's replies (and digests scheduled for the terminal).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { runTerminal } from './adapters/terminal/index.js';
import { configuredPlatforms, ConfigError, loadConfig, type AppConfig } from './config/index.js';
import { createCore } from './core/index.js';
import type { BotCore } from './core/types.js';
import { openConfiguredIndex } from './index/open.js';
import type { ArticleIndex } from './index/types.js';
import { ingestPaths, type IngestOutcome } from './ingest/pipeline.js';
import { createParsePool, resolveParseWorkers, type ParsePool } from './ingest/parse-pool.js';
import { startIngestion } from './ingest/serve.js';
import { stagedStoreInIndex } from './ingest/store.js';
import { createLogger } from './logger.js';
import { drainable } from './ops/drain.js';
import { startHealthServer } from './ops/health.js';
import { createDigests, startDigestScheduler, type DigestScheduler, type DigestSink } from './schedule/index.js';
import { terminalDigestSink } from './schedule/sinks/terminal.js';
import { createWatches, startWatchRunner, type WatchRunner } from './watch/index.js';

/** Ingests the examples (identified by file name, so a moved checkout does not duplicate them). */
export async function ingestAtStart(index: ArticleIndex, config: AppConfig, logger: Logger): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const log = (o: IngestOutcome) => {
    if (!o.ok) logger.warn({ file: o.ref, error: o.error }, 'story not ingested');
    else if (o.status !== 'unchanged') logger.info({ file: o.ref, status: o.status, storyId: o.storyId }, 'story ingested');
  };
  if (config.file.examples.ingestOnStart) {
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

async function main(): Promise<number> {
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
  const terminal = !platforms.slack && !platforms.discord;
  // The terminal is a human's screen: only warnings and errors unless LOG_LEVEL asks for more.
  const logger = createLogger(config.env.LOG_LEVEL ?? (terminal ? 'warn' : 'info'));

  // DATABASE_URL=postgres://… selects the shared PostgreSQL index (several instances); else the SQLite file.
  // Serve mode: /healthz and /readyz for process managers (HEALTH_PORT; loopback unless HEALTH_HOST says otherwise).
  const health =
    !terminal && config.env.HEALTH_PORT !== undefined ? await startHealthServer({ port: config.env.HEALTH_PORT, host: config.env.HEALTH_HOST }) : null;
  if (health) logger.info({ port: health.port }, 'health endpoints on /healthz and /readyz');
  let index: ArticleIndex;
  let where: string;
  try {
    ({ index, where } = await openConfiguredIndex(config.env.DATABASE_URL, config.databasePath));
  } catch (err) {
    await health?.close();
    throw err;
  }
  let stopIngestion = async (): Promise<void> => undefined;
  let parsePool: ParsePool | null = null;
  try {
    await ingestAtStart(index, config, logger);
    // Configured sources: folders and pages are backfilled before the bot answers; while serving
    // (not in the terminal) folders are watched and feeds polled until shutdown. Stories are parsed
    // in worker threads (sources.parseWorkers; default cores − 1) while the index is written.
    const src = config.file.sources;
    const hasSources = src.folders.length + src.pages.length + (terminal ? 0 : src.feeds.length) > 0;
    const workers = hasSources ? resolveParseWorkers(src.parseWorkers) : 0;
    const ingestLogger = logger.child({ component: 'ingest' });
    parsePool = workers > 0 ? createParsePool({ workers, logger: ingestLogger }) : null;
    const ingestion = startIngestion(src, stagedStoreInIndex(index, { pool: parsePool }), {
      logger: ingestLogger,
      watch: !terminal,
      allow: config.file.fetch.allow,
    });
    stopIngestion = () => ingestion.stop();
    await ingestion.backfill;
    // The terminal ingests nothing after the backfill: its workers can go.
    if (terminal) await parsePool?.close();
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
    if (terminal) {
      // Digests scheduled for the terminal (config only) print between answers.
      const terminalDigests = config.file.digests.schedules.some((s) => s.platform === 'terminal')
        ? await startDigests([terminalDigestSink(process.stdout)])
        : null;
      // Watch alerts for the terminal print between answers (stories another process ingests into this index).
      const terminalWatches = await startWatches([terminalDigestSink(process.stdout)]);
      const stories = await index.storyCount();
      await runTerminal({
        core,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        banner: `Newsroom bot: ${stories} ${stories === 1 ? 'story' : 'stories'} in ${where}.`,
      });
      await terminalDigests?.stop();
      await terminalWatches.stop();
      return 0;
    }
    // Listen for the stop signal before starting anything, so a SIGTERM during start-up still shuts down cleanly.
    const stopRequested = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`newsroom-bot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
