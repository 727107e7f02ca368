/**
 * Opening the configured index: PostgreSQL when `DATABASE_URL` (postgres://…) is set, for several
 * bot instances on one shared index; else the SQLite file at the configured path. The bot
 * (`npm start`), each Discord shard and the CLI all open their index here, so they agree.
 */
import { describeUrl, PostgresIndex } from './postgres.js';
import { SqliteIndex } from './sqlite.js';
import type { ArticleIndex } from './types.js';

/** The configured index and where it lives, for messages (a URL without its password, or a file path). */
export interface OpenedIndex {
  index: ArticleIndex;
  where: string;
}

/**
 * Opens the index the configuration names.
 * @param databaseUrl `DATABASE_URL` (already validated as postgres:// or postgresql://), or undefined
 * @param databasePath the SQLite file used when there is no URL
 * @throws Error naming the database when it cannot be opened (unreachable server, not a SQLite file, newer schema)
 */
export async function openConfiguredIndex(databaseUrl: string | undefined, databasePath: string): Promise<OpenedIndex> {
  if (databaseUrl) return { index: await PostgresIndex.open(databaseUrl), where: describeUrl(databaseUrl) };
  return { index: SqliteIndex.open(databasePath), where: databasePath };
}
