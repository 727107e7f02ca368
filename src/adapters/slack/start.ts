/**
 * Starts the Slack adapter from the validated environment and the config file's Slack
 * settings: Socket Mode when SLACK_APP_TOKEN is set, otherwise an HTTP server on SLACK_PORT
 * that verifies Slack's request signatures with SLACK_SIGNING_SECRET.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger as PinoLogger } from 'pino';
import type { Env } from '../../config/env.js';
import type { BotCore } from '../../core/types.js';
import { createSlackAdapter, type SlackAdapter } from './app.js';
import type { DedupeStore } from './dedupe.js';

/** The Slack variables of the environment (see `src/config/env.ts`). */
export type SlackEnv = Pick<Env, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SLACK_PORT'>;

/** Non-secret Slack settings (the config file's `slack` section). */
export interface SlackSettings {
  /** Prefix of every slash command (`news-` → `/news-quotes`), to avoid clashes in a workspace. Default "". */
  commandPrefix?: string;
  /** Answers visible to the whole channel (default true); errors and help are always ephemeral. */
  answersInChannel?: boolean;
  /** Slack user ids treated as admins. */
  admins?: readonly string[];
}

/** Process-level choices that are not configuration: logging, and where to listen (tests bind 127.0.0.1). */
export interface SlackRuntime {
  logger?: PinoLogger;
  /** Interface to listen on in HTTP mode; default all interfaces (Slack must reach it). */
  host?: string;
  /** Port override in HTTP mode (0 picks a free port); default SLACK_PORT. */
  port?: number;
  dedupe?: DedupeStore;
  apiRetries?: number;
  apiRetryMinTimeoutMs?: number;
}

/** A started adapter. */
export interface RunningSlack extends SlackAdapter {
  /** Port the HTTP receiver listens on (HTTP mode only). */
  port?: number;
  /** Stops the HTTP server or closes the Socket Mode connection. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Builds and starts the Slack adapter over `core`.
 * @throws Error when SLACK_BOT_TOKEN is missing, when neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET
 *   is set, for a bad command prefix, or when the port is taken
 */
export async function startSlack(
  core: BotCore,
  env: SlackEnv,
  config: SlackSettings = {},
  runtime: SlackRuntime = {},
): Promise<RunningSlack> {
  if (!env.SLACK_BOT_TOKEN) throw new Error('SLACK_BOT_TOKEN is not set: the Slack adapter cannot start');
  const adapter = createSlackAdapter(core, {
    botToken: env.SLACK_BOT_TOKEN,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    ...(config.commandPrefix !== undefined ? { commandPrefix: config.commandPrefix } : {}),
    ...(config.answersInChannel !== undefined ? { answersInChannel: config.answersInChannel } : {}),
    ...(config.admins ? { admins: config.admins } : {}),
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    ...(runtime.dedupe ? { dedupe: runtime.dedupe } : {}),
    ...(runtime.apiRetries !== undefined ? { apiRetries: runtime.apiRetries } : {}),
    ...(runtime.apiRetryMinTimeoutMs !== undefined ? { apiRetryMinTimeoutMs: runtime.apiRetryMinTimeoutMs } : {}),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await adapter.app.stop();
  };
  if (adapter.mode === 'socket') {
    await adapter.app.start();
    return { ...adapter, stop };
  }
  const port = runtime.port ?? env.SLACK_PORT ?? 3000;
  const server = (await adapter.app.start(runtime.host ? { port, host: runtime.host } : port)) as Server;
  return { ...adapter, port: (server.address() as AddressInfo).port, stop };
}
