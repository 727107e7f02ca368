/**
 * `DigestStore` in PostgreSQL, for N bot instances sharing one database (`DATABASE_URL`): the
 * same rules as `SqliteDigestStore` (see `store.ts`), over the tables of PostgreSQL migrations 2
 * and 3 (`src/index/pg-migrations.ts`). How each decision stays race-free under PostgreSQL's
 * default READ COMMITTED isolation:
 *
 * - `claim` is one transaction: `INSERT … ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING`.
 *   A second instance inserting the same slot waits for the first transaction and then inserts
 *   nothing, so exactly one instance gets the row (and a rolled-back claim frees the slot). The
 *   winner then locks the channel's `digest_channels` row (`SELECT … FOR UPDATE`, after making
 *   sure it exists) before reading where the channel's previous digest ended, so two schedules
 *   of one channel claimed at once by two instances still chain their periods.
 * - Schedule changes (`addSchedule`, `removeSchedules`, `syncConfig`) run one at a time across
 *   instances under a transaction-scoped advisory lock (`DIGEST_SCHEDULES_LOCK_KEY`), so two
 *   instances syncing the same config file at start-up add each schedule once.
 * - `takeOver` is one `UPDATE` over a `SELECT … FOR UPDATE OF o SKIP LOCKED`: instances taking
 *   over at the same moment split the due rows between them instead of queueing on each other,
 *   and the due condition (lease run out, retry time come) is compared in SQL and checked again
 *   on the row as locked.
 * - `markPart`, `finish` and `fail` are conditional updates (`status = 'posting' AND
 *   lease_owner = $owner`): a poster that lost its row to a takeover changes nothing.
 *
 * Times: the digest tables use `timestamptz` (migration 3); parameters are sent as ISO 8601 UTC
 * strings cast to `timestamptz`, and `pg` returns `Date`s. The scheduler's clock supplies every
 * `now` (so tests run on a `ManualClock`); the database's own clock is never used for decisions.
 */
import type pg from 'pg';
import type { Platform } from '../core/types.js';
import { withTransaction } from '../index/postgres.js';
import { specKey, type ScheduleSpec } from './spec.js';
import { MAX_ERROR_LENGTH, type ConfigSchedule, type DigestStore, type OutboxRecord, type OutboxStatus, type ScheduleRecord } from './store.js';

/** The advisory lock key schedule changes hold (any constant; shared by every bot instance; not the migrations' key). */
export const DIGEST_SCHEDULES_LOCK_KEY = 7_311_408_002;

interface ScheduleRow {
  id: string | number;
  platform: Platform;
  channel_id: string;
  days: string;
  time: string;
  time_zone: string;
  source: 'config' | 'chat';
  created_by: string | null;
  created_at: Date;
}

interface OutboxRow {
  id: string | number;
  schedule_id: string | number;
  slot: string;
  due_at: Date;
  platform: Platform;
  channel_id: string;
  status: OutboxStatus;
  period_start: Date | null;
  period_end: Date | null;
  attempts: number;
  parts_posted: number;
  next_attempt_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  last_error: string | null;
  message_refs: unknown;
  claimed_at: Date;
  finished_at: Date | null;
}

function toSchedule(r: ScheduleRow): ScheduleRecord {
  return {
    id: Number(r.id),
    platform: r.platform,
    channelId: r.channel_id,
    spec: { days: r.days, time: r.time, timeZone: r.time_zone },
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function toOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: Number(r.id),
    scheduleId: Number(r.schedule_id),
    slot: r.slot,
    dueAt: r.due_at,
    platform: r.platform,
    channelId: r.channel_id,
    status: r.status,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    attempts: r.attempts,
    partsPosted: r.parts_posted,
    nextAttemptAt: r.next_attempt_at,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    messageRefs: Array.isArray(r.message_refs) ? r.message_refs.map(String) : [],
    claimedAt: r.claimed_at,
    finishedAt: r.finished_at,
  };
}

const iso = (d: Date): string => d.toISOString();

/** A due row: a retry whose time has come, or a claim whose lease ran out ($1: now). */
const DUE = `((o.status = 'retry' AND o.next_attempt_at <= $1::timestamptz) OR (o.status = 'posting' AND o.lease_until <= $1::timestamptz))`;

/**
 * `DigestStore` over a `pg` pool (the index's: `PostgresIndex.connection`). The pool is borrowed:
 * closing the index closes it. Every method rejects with the driver's error when the database
 * cannot be reached; a transaction that fails is rolled back and changes nothing.
 */
export class PostgresDigestStore implements DigestStore {
  constructor(private readonly pool: pg.Pool) {}

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], c: pg.Pool | pg.PoolClient = this.pool): Promise<T[]> {
    return (await c.query<T>(sql, params)).rows;
  }

  /** Runs `fn` in one transaction (see `withTransaction`). */
  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }


  // ─── Schedules ─────────────────────────────────────────────────────────────────────────

  async activeSchedules(): Promise<ScheduleRecord[]> {
    return (await this.rows<ScheduleRow>('SELECT * FROM digest_schedules WHERE deleted_at IS NULL ORDER BY id')).map(toSchedule);
  }

  async channelSchedules(platform: Platform, channelId: string): Promise<ScheduleRecord[]> {
    return this.schedulesOf(this.pool, platform, channelId);
  }

  private async schedulesOf(c: pg.Pool | pg.PoolClient, platform: Platform, channelId: string): Promise<ScheduleRecord[]> {
    const rows = await this.rows<ScheduleRow>(
      'SELECT * FROM digest_schedules WHERE deleted_at IS NULL AND platform = $1 AND channel_id = $2 ORDER BY id',
      [platform, channelId],
      c,
    );
    return rows.map(toSchedule);
  }

  async addSchedule(
    platform: Platform,
    channelId: string,
    spec: ScheduleSpec,
    source: 'config' | 'chat',
    createdBy: string | null,
    now: Date,
  ): Promise<{ schedule: ScheduleRecord; created: boolean }> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DIGEST_SCHEDULES_LOCK_KEY]);
      return this.insertSchedule(c, platform, channelId, spec, source, createdBy, now);
    });
  }

  /** Inserts a schedule unless an active one has its key; the caller holds the schedules lock. */
  private async insertSchedule(
    c: pg.PoolClient,
    platform: Platform,
    channelId: string,
    spec: ScheduleSpec,
    source: 'config' | 'chat',
    createdBy: string | null,
    now: Date,
  ): Promise<{ schedule: ScheduleRecord; created: boolean }> {
    const key = specKey(platform, channelId, spec);
    const [existing] = await this.rows<ScheduleRow>('SELECT * FROM digest_schedules WHERE spec_key = $1 AND deleted_at IS NULL', [key], c);
    if (existing) return { schedule: toSchedule(existing), created: false };
    const [row] = await this.rows<ScheduleRow>(
      `INSERT INTO digest_schedules (platform, channel_id, days, time, time_zone, source, created_by, created_at, spec_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9) RETURNING *`,
      [platform, channelId, spec.days, spec.time, spec.timeZone, source, createdBy, iso(now), key],
      c,
    );
    return { schedule: toSchedule(row!), created: true };
  }

  /** Ends schedules (soft delete) and drops their pending retries. */
  private async endSchedules(c: pg.PoolClient, ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await c.query('UPDATE digest_schedules SET deleted_at = $1::timestamptz WHERE id = ANY($2::bigint[]) AND deleted_at IS NULL', [iso(now), ids]);
    await c.query(
      `UPDATE digest_outbox SET status = 'skipped', last_error = 'schedule removed', finished_at = $1::timestamptz, lease_owner = NULL, lease_until = NULL
       WHERE schedule_id = ANY($2::bigint[]) AND status = 'retry'`,
      [iso(now), ids],
    );
  }

  async removeSchedules(platform: Platform, channelId: string, id: number | null, now: Date): Promise<{ removed: ScheduleRecord[]; fromConfig: ScheduleRecord[] }> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DIGEST_SCHEDULES_LOCK_KEY]);
      const mine = (await this.schedulesOf(c, platform, channelId)).filter((s) => id === null || s.id === id);
      const removed = mine.filter((s) => s.source === 'chat');
      const fromConfig = mine.filter((s) => s.source === 'config');
      await this.endSchedules(c, removed.map((s) => s.id), now);
      return { removed, fromConfig };
    });
  }

  async syncConfig(wanted: ConfigSchedule[], now: Date): Promise<{ added: number; removed: number }> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DIGEST_SCHEDULES_LOCK_KEY]);
      const keys = new Set(wanted.map((w) => specKey(w.platform, w.channelId, w.spec)));
      let added = 0;
      for (const w of wanted) {
        const key = specKey(w.platform, w.channelId, w.spec);
        const [existing] = await this.rows<{ id: string; source: string }>(
          'SELECT id, source FROM digest_schedules WHERE spec_key = $1 AND deleted_at IS NULL',
          [key],
          c,
        );
        if (existing) {
          if (existing.source !== 'config') await c.query("UPDATE digest_schedules SET source = 'config' WHERE id = $1", [existing.id]);
          continue;
        }
        await this.insertSchedule(c, w.platform, w.channelId, w.spec, 'config', null, now);
        added++;
      }
      const stale = (
        await this.rows<{ id: string; spec_key: string }>("SELECT id, spec_key FROM digest_schedules WHERE source = 'config' AND deleted_at IS NULL", [], c)
      ).filter((r) => !keys.has(r.spec_key));
      await this.endSchedules(c, stale.map((r) => Number(r.id)), now);
      return { added, removed: stale.length };
    });
  }

  // ─── Channel state ─────────────────────────────────────────────────────────────────────

  async lastDigestEnd(platform: Platform, channelId: string): Promise<Date | null> {
    const [row] = await this.rows<{ t: Date | null }>('SELECT last_until AS t FROM digest_channels WHERE platform = $1 AND channel_id = $2', [platform, channelId]);
    return row?.t ?? null;
  }

  async lastPostedAt(platform: Platform, channelId: string): Promise<Date | null> {
    const [row] = await this.rows<{ t: Date | null }>('SELECT last_posted_at AS t FROM digest_channels WHERE platform = $1 AND channel_id = $2', [platform, channelId]);
    return row?.t ?? null;
  }

  // ─── Outbox ────────────────────────────────────────────────────────────────────────────

  async lastDueAt(scheduleId: number): Promise<Date | null> {
    const [row] = await this.rows<{ t: Date | null }>('SELECT max(due_at) AS t FROM digest_outbox WHERE schedule_id = $1', [scheduleId]);
    return row?.t ?? null;
  }

  async recordSkipped(schedule: ScheduleRecord, slot: string, dueAt: Date, now: Date, reason: string): Promise<boolean> {
    const res = await this.pool.query(
      `INSERT INTO digest_outbox (schedule_id, slot, due_at, platform, channel_id, status, last_error, claimed_at, finished_at)
       VALUES ($1, $2, $3::timestamptz, $4, $5, 'skipped', $6, $7::timestamptz, $7::timestamptz)
       ON CONFLICT (schedule_id, slot) DO NOTHING`,
      [schedule.id, slot, iso(dueAt), schedule.platform, schedule.channelId, reason.slice(0, MAX_ERROR_LENGTH), iso(now)],
    );
    return res.rowCount === 1;
  }

  async claim(schedule: ScheduleRecord, slot: string, dueAt: Date, defaultSince: Date, now: Date, owner: string, leaseMs: number): Promise<OutboxRecord | null> {
    return this.tx(async (c) => {
      const [inserted] = await this.rows<{ id: string }>(
        `INSERT INTO digest_outbox (schedule_id, slot, due_at, platform, channel_id, status, attempts, lease_owner, lease_until, claimed_at)
         VALUES ($1, $2, $3::timestamptz, $4, $5, 'posting', 1, $6, $7::timestamptz, $8::timestamptz)
         ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`,
        [schedule.id, slot, iso(dueAt), schedule.platform, schedule.channelId, owner, iso(new Date(now.getTime() + leaseMs)), iso(now)],
        c,
      );
      if (!inserted) return null;
      // The channel's row, locked until commit: claims for the same channel chain one after another.
      await c.query('INSERT INTO digest_channels (platform, channel_id) VALUES ($1, $2) ON CONFLICT (platform, channel_id) DO NOTHING', [
        schedule.platform,
        schedule.channelId,
      ]);
      const [channel] = await this.rows<{ last_until: Date | null }>(
        'SELECT last_until FROM digest_channels WHERE platform = $1 AND channel_id = $2 FOR UPDATE',
        [schedule.platform, schedule.channelId],
        c,
      );
      const sinceMs = Math.min(dueAt.getTime(), (channel?.last_until ?? defaultSince).getTime());
      await c.query('UPDATE digest_channels SET last_until = greatest(last_until, $3::timestamptz) WHERE platform = $1 AND channel_id = $2', [
        schedule.platform,
        schedule.channelId,
        iso(dueAt),
      ]);
      const [row] = await this.rows<OutboxRow>(
        'UPDATE digest_outbox SET period_start = $2::timestamptz, period_end = $3::timestamptz WHERE id = $1 RETURNING *',
        [inserted.id, iso(new Date(sinceMs)), iso(dueAt)],
        c,
      );
      return toOutbox(row!);
    });
  }

  async takeOver(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit = 100): Promise<OutboxRecord[]> {
    if (platforms.length === 0) return [];
    const rows = await this.rows<OutboxRow>(
      `WITH due AS (
         SELECT o.id FROM digest_outbox o JOIN digest_schedules s ON s.id = o.schedule_id
         WHERE ${DUE} AND s.deleted_at IS NULL AND o.platform = ANY($4::text[])
         ORDER BY o.due_at, o.id LIMIT $5
         FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE digest_outbox o SET status = 'posting', lease_owner = $2, lease_until = $3::timestamptz, attempts = o.attempts + 1, next_attempt_at = NULL
       FROM due WHERE o.id = due.id AND ${DUE}
       RETURNING o.*`,
      [iso(now), owner, iso(new Date(now.getTime() + leaseMs)), [...platforms], limit],
    );
    return rows.map(toOutbox).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  async markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE digest_outbox SET parts_posted = greatest(parts_posted, $3),
         message_refs = CASE WHEN $4::text IS NULL THEN message_refs ELSE message_refs || jsonb_build_array($4::text) END,
         lease_until = $5::timestamptz
       WHERE id = $1 AND status = 'posting' AND lease_owner = $2`,
      [id, owner, part, ref, iso(new Date(now.getTime() + leaseMs))],
    );
    return res.rowCount === 1;
  }

  async finish(id: number, owner: string, status: 'posted' | 'empty', now: Date): Promise<boolean> {
    return this.tx(async (c) => {
      const [row] = await this.rows<{ platform: Platform; channel_id: string }>(
        `UPDATE digest_outbox SET status = $3, finished_at = $4::timestamptz, lease_owner = NULL, lease_until = NULL, last_error = NULL
         WHERE id = $1 AND status = 'posting' AND lease_owner = $2 RETURNING platform, channel_id`,
        [id, owner, status, iso(now)],
        c,
      );
      if (!row) return false;
      if (status === 'posted') {
        await c.query(
          `INSERT INTO digest_channels (platform, channel_id, last_posted_at) VALUES ($1, $2, $3::timestamptz)
           ON CONFLICT (platform, channel_id) DO UPDATE SET last_posted_at = excluded.last_posted_at`,
          [row.platform, row.channel_id, iso(now)],
        );
      }
      return true;
    });
  }

  async fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE digest_outbox SET status = $3, next_attempt_at = $4::timestamptz, last_error = $5, lease_owner = NULL, lease_until = NULL, finished_at = $6::timestamptz
       WHERE id = $1 AND status = 'posting' AND lease_owner = $2`,
      [id, owner, retryAt ? 'retry' : 'failed', retryAt ? iso(retryAt) : null, error.slice(0, MAX_ERROR_LENGTH), retryAt ? null : iso(now)],
    );
    return res.rowCount === 1;
  }

  async nextOpenAt(platforms: readonly Platform[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const [row] = await this.rows<{ t: Date | null }>(
      `SELECT min(CASE WHEN status = 'retry' THEN next_attempt_at ELSE lease_until END) AS t FROM digest_outbox
       WHERE status IN ('retry', 'posting') AND platform = ANY($1::text[])`,
      [[...platforms]],
    );
    return row?.t ?? null;
  }

  async row(id: number): Promise<OutboxRecord | null> {
    const [r] = await this.rows<OutboxRow>('SELECT * FROM digest_outbox WHERE id = $1', [id]);
    return r ? toOutbox(r) : null;
  }

  async outbox(scheduleId?: number): Promise<OutboxRecord[]> {
    const rows =
      scheduleId === undefined
        ? await this.rows<OutboxRow>('SELECT * FROM digest_outbox ORDER BY due_at, id')
        : await this.rows<OutboxRow>('SELECT * FROM digest_outbox WHERE schedule_id = $1 ORDER BY due_at, id', [scheduleId]);
    return rows.map(toOutbox);
  }
}
