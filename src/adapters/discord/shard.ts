/**
 * Entry script of one shard process, spawned by discord.js's `ShardingManager` when
 * DISCORD_SHARDS is set (see `start.ts`). It loads the same configuration as the parent,
 * opens the same index (PostgreSQL when DATABASE_URL is set, else the SQLite file, read-mostly:
 * WAL mode allows many readers), builds its own core and
 * runs one Discord client; discord.js reads the shard id and count the manager put in the
 * environment. Exits non-zero on a start-up failure so the manager reports it.
 */
import { loadConfig } from '../../config/index.js';
import { createCore } from '../../core/index.js';
import { openConfiguredIndex } from '../../index/open.js';
import { createLogger } from '../../logger.js';
import { createDigests } from '../../schedule/index.js';
import { createWatches } from '../../watch/index.js';
import { startDiscord } from './start.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.env.LOG_LEVEL ?? 'info').child({ adapter: 'discord' });
  const { index } = await openConfiguredIndex(config.env.DATABASE_URL, config.databasePath);
  // `/digest schedule` works in every shard; the parent's scheduler picks changes up at its next poll.
  const digests = await createDigests(index, config.file.digests);
  // Watches made here are stored in the shared database; the main process's watch runner posts their alerts.
  const core = createCore({ index, config: config.file, logger: log, digests: digests.service, watches: createWatches(index).service });
  const running = await startDiscord(core, config.env, { admins: config.file.discord.admins }, { shardChild: true, logger: log });
  const shutdown = async () => {
    await running.stop();
    await index.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  // The manager talks over IPC; when it goes away, so does this shard.
  process.once('disconnect', () => void shutdown());
}

main().catch((err: unknown) => {
  process.stderr.write(`discord shard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
