/**
 * Starts the Discord adapter from the validated environment.
 *
 * Single process (default): one discord.js client runs every shard Discord assigns it
 * (`shardCount` 1 unless the process was spawned by a `ShardingManager`).
 *
 * Sharded (`DISCORD_SHARDS=auto` or a number): this process becomes a discord.js
 * `ShardingManager` that spawns one child process per shard. Each child runs
 * `src/adapters/discord/shard.ts`, which loads the same configuration, opens the index, builds
 * its own core and calls `startDiscord` with `runtime.shardChild` set; discord.js gives each child
 * its shard id through the environment. `auto` asks `GET /gateway/bot` for Discord's recommended
 * count through our REST client, so DISCORD_API_URL is honoured (discord.js's own "auto" always
 * calls discord.com).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Logger as PinoLogger } from 'pino';
import { pino } from 'pino';
import type { Env } from '../../config/env.js';
import type { BotCore } from '../../core/types.js';
import { createDiscordAdapter, normaliseApiUrl, type DiscordAdapter } from './adapter.js';

/** The Discord variables of the environment (see `src/config/env.ts`). */
export type DiscordEnv = Pick<Env, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL' | 'DISCORD_SHARDS'>;

/** Non-secret Discord settings. */
export interface DiscordSettings {
  /** Discord user ids treated as admins (`CommandRequest.isAdmin`). */
  admins?: readonly string[];
}

/** Process-level choices that are not configuration. */
export interface DiscordRuntime {
  logger?: PinoLogger;
  deferAfterMs?: number;
  suggestTimeoutMs?: number;
  /** Set by the shard entry script: run a client even though DISCORD_SHARDS is set. */
  shardChild?: boolean;
  /** Sharded mode: script each shard process runs. Default `shard.ts` (or `.js`) next to this file. */
  shardScript?: string;
  /** Sharded mode: extra environment for the shard processes (tests point them at a temporary index). */
  shardEnv?: Record<string, string>;
  /** Sharded mode: wait between shard spawns, ms. Default 5500 (Discord allows one IDENTIFY per 5 s). */
  shardSpawnDelayMs?: number;
  /** Sharded mode: how long a shard may take to become ready, ms. Default 30000. */
  shardReadyTimeoutMs?: number;
}

/** A started adapter: one client, or a sharding manager over child processes. */
export type RunningDiscord =
  | { mode: 'client'; adapter: DiscordAdapter; stop(): Promise<void> }
  | { mode: 'sharded'; manager: ShardingManager; totalShards: number; stop(): Promise<void> };

/** Discord's recommended shard count, from `GET /gateway/bot` at the configured REST base. */
export async function recommendedShardCount(env: Pick<DiscordEnv, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>): Promise<number> {
  if (!env.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  const rest = new REST(env.DISCORD_API_URL ? { api: normaliseApiUrl(env.DISCORD_API_URL) } : {}).setToken(env.DISCORD_TOKEN);
  const info = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  const n = Number(info.shards);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** The default shard entry script, matching how this file runs (`.ts` under tsx, `.js` when built). */
function defaultShardScript(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `shard${path.extname(here)}`);
}

/**
 * Builds and starts the Discord adapter over `core`, or (with DISCORD_SHARDS set) a
 * ShardingManager whose children each build their own core.
 * @returns once the client is READY (or every shard process reports ready)
 * @throws Error when DISCORD_TOKEN is missing, when the gateway cannot be reached or rejects the token
 */
export async function startDiscord(
  core: BotCore,
  env: DiscordEnv,
  config: DiscordSettings = {},
  runtime: DiscordRuntime = {},
): Promise<RunningDiscord> {
  if (!env.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: the Discord adapter cannot start');
  const log = runtime.logger ?? pino({ level: 'info' }, pino.destination(2));

  if (env.DISCORD_SHARDS !== undefined && !runtime.shardChild) {
    const totalShards = env.DISCORD_SHARDS === 'auto' ? await recommendedShardCount(env).catch((err: unknown) => Promise.reject(discordTokenError(err, env))) : env.DISCORD_SHARDS;
    const script = runtime.shardScript ?? defaultShardScript();
    const manager = new ShardingManager(script, {
      token: env.DISCORD_TOKEN,
      totalShards,
      mode: 'process',
      respawn: true,
      execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
    manager.on('shardCreate', (shard: Shard) => {
      // `Shard#env` (typed unknown) is the environment the child is forked with; spawn() has not run yet.
      Object.assign(shard.env as Record<string, string>, runtime.shardEnv ?? {});
      shard.on('death', () => log.warn({ shard: shard.id }, 'Discord shard process exited'));
      log.info({ shard: shard.id, totalShards }, 'Discord shard spawned');
    });
    await manager.spawn({
      amount: totalShards,
      delay: runtime.shardSpawnDelayMs ?? 5500,
      timeout: runtime.shardReadyTimeoutMs ?? 30_000,
    });
    let stopped = false;
    return {
      mode: 'sharded',
      manager,
      totalShards,
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const shard of manager.shards.values()) shard.kill();
      },
    };
  }

  const adapter = createDiscordAdapter(core, {
    ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
    ...(config.admins ? { admins: config.admins } : {}),
    ...(runtime.deferAfterMs !== undefined ? { deferAfterMs: runtime.deferAfterMs } : {}),
    ...(runtime.suggestTimeoutMs !== undefined ? { suggestTimeoutMs: runtime.suggestTimeoutMs } : {}),
    logger: log,
  });
  try {
    await adapter.login(env.DISCORD_TOKEN);
  } catch (err) {
    await adapter.stop();
    throw discordTokenError(err, env);
  }
  return { mode: 'client', adapter, stop: () => adapter.stop() };
}

/** What to do about a token Discord refused. */
const DISCORD_TOKEN_HELP = 'copy the bot token from the Discord developer portal (your application → Bot → Reset Token) into DISCORD_TOKEN';

/**
 * The one-line error for a failed Discord start or REST call: a refused token (discord.js's
 * `TokenInvalid`, HTTP 401) names DISCORD_TOKEN and what Discord said; an unreachable Discord
 * names DISCORD_API_URL when it is set. Other errors pass through. Never holds the token.
 */
export function discordTokenError(err: unknown, env: Pick<DiscordEnv, 'DISCORD_API_URL'>): Error {
  const e = err as { code?: string | number; status?: number; message?: string };
  const said = e.message ?? String(err);
  if (e.code === 'TokenInvalid' || e.status === 401 || /401|unauthori[sz]ed|invalid token/i.test(said)) {
    return new Error(`DISCORD_TOKEN was rejected by Discord (${said.replace(/\.$/, '')}): ${DISCORD_TOKEN_HELP}`);
  }
  if (e.code === 'DisallowedIntents') return new Error(`Discord refused the bot's gateway intents (${said}); the bot needs only the Guilds intent`);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|fetch failed/i.test(`${e.code ?? ''} ${said}`)) {
    return new Error(`could not reach Discord${env.DISCORD_API_URL ? ` at DISCORD_API_URL (${env.DISCORD_API_URL})` : ''}: ${said}`);
  }
  return err instanceof Error ? err : new Error(said);
}
