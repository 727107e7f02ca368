/**
 * Test helper: the bot as a separate process (`src/main.ts` under tsx, as `npm start` runs it),
 * with an environment cleaned of the platform, database and config variables of the shell that
 * runs the tests, so that only what a test passes applies. Loopback ports only.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The project folder. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** This process's environment without DISCORD_*, SLACK_*, DATABASE_*, NEWSROOM_* and HEALTH_* variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|SLACK_|DATABASE_|NEWSROOM_|HEALTH_)/.test(k)));
  return { ...env, ...extra };
}

/**
 * Starts the bot (`src/main.ts`) with `cleanEnv(env)`.
 * @param stdio default: no stdin, stdout and stderr piped
 */
export function spawnBot(env: Record<string, string>, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: cleanEnv(env), stdio });
}
