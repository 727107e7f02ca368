/**
 * `WatchStore` in PostgreSQL, for several bot instances on one database: the rules of
 * `SqliteWatchStore` (see `store.ts`) over the tables of PostgreSQL migration 8. How each decision
 * stays race-free under READ COMMITTED:
 *
 * - `recordHits` locks the watch's row (`SELECT … FOR UPDATE`) first, so the hits of one watch are
 *   recorded one transaction at a time across instances: the same item is inserted once
 *   (`ON CONFLICT DO NOTHING` on the primary key) and joins the one pending alert.
 * - `claimDue` is one `UPDATE` over a `SELECT … FOR UPDATE SKIP LOCKED`: instances claiming at the
 *   same moment split the due alerts instead of taking the same one. A pending alert being
 *   claimed and a hit joining it serialise on the alert's row lock: the hit then sees it is no
 *   longer pending and starts a new alert.
 * - `markPart`, `finish` and `fail` change an alert only while `owner` holds it.
 */
import type pg from 'pg';
import type { NewWatch } from '../core/commands/watch.js';
import type { Platform } from '../core/types.js';
import { q, withTransaction } from '../index/postgres.js';
import {
  MAX_ALERT_ERROR,
  WATCH_SQL,
  toAlert,
  toWatch,
  watchInsertParams,
  watchSpecKey,
  type AlertHit,
  type AlertRecord,
  type AlertRow,
  type BurstPolicy,
  type WatchRecord,
  type WatchRow,
  type WatchStore,
} from './store.js';

/** The advisory lock key watch additions hold (one active watch per spec across instances). */
export const WATCHES_LOCK_KEY = 7_311_408_003;

/** `WatchStore` over a `pg` pool (the index's: `PostgresIndex.connection`). */
export class PostgresWatchStore implements WatchStore {
  constructor(private readonly pool: pg.Pool) {}

  async addWatch(w: NewWatch, now: Date): Promise<{ watch: WatchRecord; created: boolean }> {
    const spec_key = watchSpecKey(w);
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [WATCHES_LOCK_KEY]);
      const [existing] = await q<WatchRow>(c, WATCH_SQL.activeBySpec, { spec_key });
      if (existing) return { watch: toWatch(existing), created: false };
      const [row] = await q<WatchRow>(c, `${WATCH_SQL.insertWatch} RETURNING *`, watchInsertParams(w, now));
      return { watch: toWatch(row!), created: true };
    });
  }

  async activeWatches(): Promise<WatchRecord[]> {
    return (await q<WatchRow>(this.pool, WATCH_SQL.active)).map(toWatch);
  }

  async watchesFor(platform: Platform, channelId: string | null, userId: string): Promise<WatchRecord[]> {
    return (await q<WatchRow>(this.pool, WATCH_SQL.forTargets, { platform, channel: channelId, user: userId })).map(toWatch);
  }

  async getWatch(platform: Platform, id: number): Promise<WatchRecord | null> {
    const [r] = await q<WatchRow>(this.pool, WATCH_SQL.one, { platform, id });
    return r ? toWatch(r) : null;
  }

  async removeWatch(platform: Platform, id: number, now: Date): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      const ended = (await q<{ id: string }>(c, `${WATCH_SQL.end} RETURNING id`, { id, platform, now: now.toISOString() })).length === 1;
      if (ended) await q(c, WATCH_SQL.dropAlerts, { id, now: now.toISOString() });
      return ended;
    });
  }

  async countFor(platform: Platform, scope: 'channel' | 'user', target: string): Promise<number> {
    return Number((await q<{ n: string }>(this.pool, WATCH_SQL.countFor, { platform, scope, target }))[0]?.n ?? 0);
  }

  async scannedUntil(): Promise<Date | null> {
    const [r] = await q<{ scanned_until: string }>(this.pool, WATCH_SQL.scanned);
    return r ? new Date(r.scanned_until) : null;
  }

  async setScannedUntil(at: Date): Promise<void> {
    await q(this.pool, WATCH_SQL.setScanned, { at: at.toISOString() });
  }

  async recordHits(watch: WatchRecord, storyId: string, items: readonly string[], now: Date, burst: BurstPolicy): Promise<number> {
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT id FROM watches WHERE id = $1 FOR UPDATE', [watch.id]);
      const seen = new Set((await q<{ item: string }>(c, WATCH_SQL.hitsOf, { watch: watch.id, story: storyId })).map((r) => r.item));
      const fresh = [...new Set(items)].filter((i) => !seen.has(i));
      if (fresh.length === 0) return 0;
      let alert = (await q<{ id: string }>(c, `${WATCH_SQL.pendingOf} FOR UPDATE`, { watch: watch.id }))[0]?.id;
      if (alert === undefined) {
        const recent = Number((await q<{ n: string }>(c, WATCH_SQL.recentAlerts, { watch: watch.id, since: new Date(now.getTime() - burst.windowMs).toISOString() }))[0]?.n ?? 0);
        const due = recent < burst.limit ? now : new Date(now.getTime() + burst.holdMs);
        alert = (await q<{ id: string }>(c, `${WATCH_SQL.insertAlert} RETURNING id`, { watch: watch.id, platform: watch.platform, now: now.toISOString(), due: due.toISOString() }))[0]!.id;
      }
      let added = 0;
      for (const item of fresh) added += (await c.query('INSERT INTO watch_hits (watch_id, story_id, item, alert_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [watch.id, storyId, item, alert])).rowCount ?? 0;
      return added;
    });
  }

  async claimDue(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit = 50): Promise<AlertRecord[]> {
    if (platforms.length === 0) return [];
    const rows = await q<AlertRow>(
      this.pool,
      `UPDATE watch_alerts AS t SET status = 'posting', lease_owner = @owner, lease_until = @until, attempts = t.attempts + 1, next_attempt_at = NULL
       WHERE t.id IN (
         SELECT a.id FROM watch_alerts a JOIN watches w ON w.id = a.watch_id
         WHERE ${WATCH_SQL.due} AND w.deleted_at IS NULL AND a.platform = ANY(@platforms::text[])
         ORDER BY a.due_at, a.id LIMIT @limit FOR UPDATE OF a SKIP LOCKED)
       RETURNING t.*`,
      { now: now.toISOString(), owner, until: new Date(now.getTime() + leaseMs).toISOString(), platforms: [...platforms], limit },
    );
    return rows.map(toAlert).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  async alertHits(alertId: number): Promise<AlertHit[]> {
    return (await q<{ story_id: string; item: string }>(this.pool, WATCH_SQL.alertHits, { id: alertId })).map((r) => ({ storyId: r.story_id, item: r.item }));
  }

  async markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      const [row] = await q<{ message_refs: string | null }>(c, `${WATCH_SQL.refsOf} FOR UPDATE`, { id, owner });
      if (!row) return false;
      const refs = [...(row.message_refs ? (JSON.parse(row.message_refs) as string[]) : []), ...(ref ? [ref] : [])];
      const res = await q<{ id: string }>(c, `${WATCH_SQL.markPart} RETURNING id`, { id, owner, part, refs: JSON.stringify(refs), until: new Date(now.getTime() + leaseMs).toISOString() });
      return res.length === 1;
    });
  }

  async finish(id: number, owner: string, now: Date): Promise<boolean> {
    return (await q<{ id: string }>(this.pool, `${WATCH_SQL.finish} RETURNING id`, { id, owner, now: now.toISOString() })).length === 1;
  }

  async fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const res = await q<{ id: string }>(this.pool, `${WATCH_SQL.fail} RETURNING id`, {
      id,
      owner,
      status: retryAt ? 'retry' : 'failed',
      retry: retryAt?.toISOString() ?? null,
      error: error.slice(0, MAX_ALERT_ERROR),
      finished: retryAt ? null : now.toISOString(),
    });
    return res.length === 1;
  }

  async nextDueAt(platforms: readonly Platform[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const [r] = await q<{ t: string | null }>(
      this.pool,
      `SELECT min(CASE status WHEN 'pending' THEN due_at WHEN 'retry' THEN next_attempt_at ELSE lease_until END) AS t FROM watch_alerts
       WHERE status IN ('pending', 'retry', 'posting') AND platform = ANY(@platforms::text[])`,
      { platforms: [...platforms] },
    );
    return r?.t ? new Date(r.t) : null;
  }

  async alerts(watchId?: number): Promise<AlertRecord[]> {
    const rows =
      watchId === undefined
        ? await q<AlertRow>(this.pool, 'SELECT * FROM watch_alerts ORDER BY id')
        : await q<AlertRow>(this.pool, 'SELECT * FROM watch_alerts WHERE watch_id = @id ORDER BY id', { id: watchId });
    return rows.map(toAlert);
  }
}
