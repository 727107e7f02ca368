/**
 * The process logger: pino, JSON lines on stderr (fd 2), never stdout, so stdout carries only
 * replies and command results. Tokens and signing secrets are redacted by key (see `REDACT_PATHS`).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { SECRET_VARIABLES } from './config/env.js';

/** Key names whose values are secrets, wherever they sit in a logged object (up to three levels deep). */
export const SECRET_KEYS: readonly string[] = [
  ...SECRET_VARIABLES,
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'password',
  'authorization',
  'Authorization',
  'x-slack-signature',
];

/** pino `redact` paths: each secret key at the top level and under one or two levels of objects. */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key.startsWith('[') ? key.slice(2, -2) : key, join('*'), join('*.*')];
});

/**
 * A pino logger at `level` ("info", "warn", "silent"…), writing synchronously to stderr, or to
 * `destination` (tests). Values under secret keys (`SECRET_KEYS`) are replaced by "[redacted]".
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, base: { name: 'newsroom-bot' }, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
