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
  // The bot token first (auth.test), then in Socket Mode the app token (apps.connections.open, as
  // the connection opens): a token Slack refuses ends start-up with one line naming the variable.
  await adapter.app.init().catch((err: unknown) => {
    throw tokenError('SLACK_BOT_TOKEN', err, env);
  });
  if (adapter.mode === 'socket') {
    // Socket Mode opens its connection with the app token (apps.connections.open): a refusal there is about SLACK_APP_TOKEN.
    await adapter.app.start().catch((err: unknown) => {
      throw tokenError('SLACK_APP_TOKEN', err, env);
    });
    return { ...adapter, stop };
  }
  const port = runtime.port ?? env.SLACK_PORT ?? 3000;
  let server: Server;
  try {
    server = (await adapter.app.start(runtime.host ? { port, host: runtime.host } : port)) as Server;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new SlackStartError(`SLACK_PORT: cannot listen on port ${port} (${code === 'EADDRINUSE' ? 'already in use' : 'permission denied'}); set SLACK_PORT to a free port`);
    throw err;
  }
  return { ...adapter, port: (server.address() as AddressInfo).port, stop };
}

/** Start-up failed for a reason the operator can fix; the message names the variable and says what Slack answered. */
export class SlackStartError extends Error {
  override readonly name = 'SlackStartError';
}

/** What to check for each refused token. */
const TOKEN_HELP: Record<'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', string> = {
  SLACK_BOT_TOKEN: "use the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page; reinstall the app to the workspace if it was revoked",
  SLACK_APP_TOKEN: 'use an app-level token (xapp-…) with the connections:write scope, from Basic Information → App-Level Tokens, and turn Socket Mode on',
};

/**
 * The one-line error for a Slack call that failed at start-up: a token Slack refused
 * (`invalid_auth`, `not_authed`, `account_inactive`, `token_revoked`, `not_allowed_token_type`…),
 * or Slack not reachable. Never holds the token itself.
 */
function tokenError(variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', err: unknown, env: SlackEnv): SlackStartError {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  const answer = e.data?.error;
  if (answer) return new SlackStartError(`${variable} was rejected by Slack (${answer}): ${TOKEN_HELP[variable]}`);
  const where = env.SLACK_API_URL ? `SLACK_API_URL (${env.SLACK_API_URL})` : 'slack.com';
  return new SlackStartError(`could not check ${variable} with Slack at ${where}: ${e.message ?? String(err)}`);
}
