/**
 * The environment: the ONE place in the project that reads `process.env`. Secrets (tokens,
 * signing secrets, database URLs with passwords) live only here, never in the config file.
 * A `.env` file in the working directory is read with dotenv; variables already set in the
 * real environment win over it. Empty values (`SLACK_BOT_TOKEN=` as copied from
 * `.env.example`) count as unset.
 */
import fs from 'node:fs';
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError, describeIssues } from './errors.js';

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const snowflake = z.string().regex(/^\d{5,25}$/, 'expected a Discord id (digits only)');

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment variables the bot reads. See `.env.example` for what each one does. */
export const EnvSchema = z
  .object({
    NEWSROOM_CONFIG: opt(z.string()),
    DATABASE_PATH: opt(z.string()),
    DATABASE_URL: opt(z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')),
    LOG_LEVEL: opt(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
    SLACK_BOT_TOKEN: opt(z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: opt(z.string().min(8, 'expected the signing secret from the Slack app settings')),
    SLACK_APP_TOKEN: opt(z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-')),
    SLACK_API_URL: opt(httpUrl),
    SLACK_PORT: z.preprocess(
      blankIsUnset,
      z.coerce.number({ error: 'expected a port number' }).int('expected a whole port number').min(1).max(65535).default(3000),
    ),
    /** Serve mode: a loopback HTTP server with `/healthz` and `/readyz` on this port (off when unset; 0 picks a free port). */
    HEALTH_PORT: opt(z.coerce.number({ error: 'expected a port number' }).int('expected a whole port number').min(0).max(65535)),
    /** Address the health server listens on (default 127.0.0.1; `0.0.0.0` for a container's probes). */
    HEALTH_HOST: opt(z.union([z.ipv4(), z.ipv6()], { error: 'expected an IP address to listen on' })),
    DISCORD_TOKEN: opt(z.string().min(20, 'expected a Discord bot token')),
    DISCORD_APPLICATION_ID: opt(snowflake),
    DISCORD_GUILD_ID: opt(snowflake),
    DISCORD_API_URL: opt(httpUrl),
    /** Run one process per shard under discord.js's ShardingManager: `auto` (Discord's recommendation) or a count. */
    DISCORD_SHARDS: opt(
      z.union([z.literal('auto'), z.coerce.number().int().min(1).max(1000)], { error: 'expected "auto" or a number of shards (1-1000)' }),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'SLACK_BOT_TOKEN is set, so set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) too',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values must never appear in messages or logs. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
]);

/** Where `readEnv` takes its variables from; both default to the real process. */
export interface EnvSource {
  /** Variables to validate instead of `process.env` (tests). */
  env?: Record<string, string | undefined>;
  /** `.env` file to read, `null` for none; default `.env` in the working directory. */
  dotenvFile?: string | null;
}

/**
 * Reads and validates the environment.
 * @returns the validated variables (unset ones `undefined`, SLACK_PORT defaulting to 3000)
 * @throws ConfigError naming every invalid variable; secret values are never quoted
 */
export function readEnv(source: EnvSource = {}): Env {
  const file = source.dotenvFile === undefined ? '.env' : source.dotenvFile;
  let fromFile: Record<string, string> = {};
  if (file !== null && fs.existsSync(file)) {
    try {
      fromFile = dotenv.parse(fs.readFileSync(file));
    } catch (err) {
      throw new ConfigError(`Cannot read ${file}`, [(err as Error).message]);
    }
  }
  const raw: Record<string, string | undefined> = { ...fromFile, ...(source.env ?? process.env) };
  const res = EnvSchema.safeParse(raw);
  if (res.success) return res.data;
  throw new ConfigError(
    'Invalid environment variables',
    describeIssues(
      res.error.issues,
      (p) => String(p[0] ?? ''),
      (p) => {
        const name = String(p[0] ?? '');
        return SECRET_VARIABLES.has(name) ? null : (raw[name] ?? null);
      },
    ),
  );
}

/** Which chat platforms have their tokens set. */
export function configuredPlatforms(env: Env): { slack: boolean; discord: boolean } {
  return { slack: Boolean(env.SLACK_BOT_TOKEN), discord: Boolean(env.DISCORD_TOKEN) };
}
