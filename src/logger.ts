/**
 * The process logger: pino, JSON lines on stderr (fd 2), never stdout, so stdout carries only
 * replies and command results.
 */
import { pino, type Logger } from 'pino';

/** A pino logger writing synchronously to stderr at `level` ("info", "warn", "silent"…). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { name: 'newsroom-bot' } }, pino.destination({ fd: 2, sync: true }));
}
