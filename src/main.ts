/**
 * `npm start`: loads the configuration, opens the index (creating it on first start), ingests
 * the example stories and the configured sources (folders and pages; idempotent: unchanged
 * stories are no-ops), then runs the chat adapters whose tokens are set, or the terminal adapter
 * when none are; while adapters serve, source folders are watched and feeds polled. Logs go to
 * stderr; in terminal mode stdout carries only the bot's replies.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { runTerminal } from './adapters/terminal/index.js';
import { configuredPlatforms, ConfigError, loadConfig, type AppConfig } from './config/index.js';
import { createCore } from './core/index.js';
import type { BotCore } from './core/types.js';
import { SqliteIndex } from './index/sqlite.js';
import type { ArticleIndex } from './index/types.js';
import { ingestPaths, type IngestOutcome } from './ingest/pipeline.js';
import { startIngestion } from './ingest/serve.js';
import { storeInIndex } from './ingest/store.js';
import { createLogger } from './logger.js';

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

/** A running chat adapter, as `main` stops it on shutdown. */
interface Running {
  name: string;
  stop(): Promise<void>;
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
    running.push({ name: 'slack', stop: () => slack.stop() });
    logger.info({ mode: slack.mode, port: slack.port, commands: slack.commands }, 'Slack adapter started');
  }
  if (platforms.discord) {
    // With DISCORD_SHARDS set this starts a ShardingManager: one child process per shard, each with its own core.
    const { startDiscord } = await import('./adapters/discord/start.js');
    const discord = await startDiscord(core, config.env, {}, { logger: logger.child({ adapter: 'discord' }) });
    running.push({ name: 'discord', stop: () => discord.stop() });
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
  if (config.env.DATABASE_URL) logger.warn('DATABASE_URL is set, but this build has only the SQLite index; using DATABASE_PATH / database.path');

  const index = SqliteIndex.open(config.databasePath);
  let stopIngestion = async (): Promise<void> => undefined;
  try {
    await ingestAtStart(index, config, logger);
    // Configured sources: folders and pages are backfilled before the bot answers; while serving
    // (not in the terminal) folders are watched and feeds polled until shutdown.
    const ingestion = startIngestion(config.file.sources, storeInIndex(index), { logger: logger.child({ component: 'ingest' }), watch: !terminal });
    stopIngestion = () => ingestion.stop();
    await ingestion.backfill;
    const core = createCore({ index, config: config.file, logger });
    if (terminal) {
      const stories = await index.storyCount();
      await runTerminal({
        core,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        banner: `Newsroom bot: ${stories} ${stories === 1 ? 'story' : 'stories'} in ${config.databasePath}.`,
      });
      return 0;
    }
    const running = await startPlatforms(core, config, logger);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info('shutting down');
    for (const r of running) await r.stop().catch((err: unknown) => logger.error({ err, adapter: r.name }, 'stop failed'));
    return 0;
  } finally {
    await stopIngestion();
    await index.close();
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
