/**
 * Digest schedules, per-channel digest state and the outbox: the `DigestStore` interface the
 * scheduler and the schedule service use, and `SqliteDigestStore`, its implementation in the
 * index's SQLite database (tables from migration 2 in `src/index/migrations.ts`). The PostgreSQL
 * implementation is `PostgresDigestStore` (`pg-store.ts`); both keep the same rules:
 *
 * - `claim` inserts the (schedule, slot) outbox row (`UNIQUE (schedule_id, slot)`); only the
 *   process whose insert succeeded posts it. The same transaction fixes the digest's period
 *   (from the channel's previous digest to the slot) and moves the channel's state on.
 * - A claimed row carries a lease (`lease_owner`, `lease_until`). A process that crashes after
 *   claiming leaves the row in `posting`; once the lease has run out any process (the restarted
 *   one included) takes it over with `takeOver` and posts it. Parts of a multi-message digest
 *   already accepted by the platform are counted (`parts_posted`) and not posted again.
 * - A failed post goes to `retry` with a `next_attempt_at`, or to `failed` after the last attempt.
 *
 * In SQLite every write that decides who posts what runs in an IMMEDIATE transaction, so several
 * bot processes sharing the database file agree. Times are stored as ISO 8601 UTC strings
 * (`toISOString()`), which compare correctly as text. The SQLite store does its work
 * synchronously (better-sqlite3) and returns settled promises.
 */
import type Database from 'better-sqlite3';
import type { Platform } from '../core/types.js';
import { specKey, type ScheduleSpec } from './spec.js';

/** A digest schedule row. */
export interface ScheduleRecord {
  id: number;
  platform: Platform;
  channelId: string;
  spec: ScheduleSpec;
  source: 'config' | 'chat';
  createdBy: string | null;
  createdAt: Date;
}

/** Where an outbox row stands. `empty`: nothing came in and empty digests are not posted. `skipped`: missed while down (or its schedule was removed). */
export type OutboxStatus = 'posting' | 'retry' | 'posted' | 'empty' | 'skipped' | 'failed';

/** One (schedule, slot) of the outbox. */
export interface OutboxRecord {
  id: number;
  scheduleId: number;
  /** Local calendar date of the run in the schedule's zone (`YYYY-MM-DD`). */
  slot: string;
  dueAt: Date;
  platform: Platform;
  channelId: string;
  status: OutboxStatus;
  periodStart: Date | null;
  periodEnd: Date | null;
  attempts: number;
  partsPosted: number;
  nextAttemptAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  /** Platform ids of the messages posted (Slack `ts`, Discord message id). */
  messageRefs: string[];
  claimedAt: Date;
  finishedAt: Date | null;
}

interface ScheduleRow {
  id: number;
  platform: Platform;
  channel_id: string;
  days: string;
  time: string;
  time_zone: string;
  source: 'config' | 'chat';
  created_by: string | null;
  created_at: string;
}

interface OutboxRow {
  id: number;
  schedule_id: number;
  slot: string;
  due_at: string;
  platform: Platform;
  channel_id: string;
  status: OutboxStatus;
  period_start: string | null;
  period_end: string | null;
  attempts: number;
  parts_posted: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  message_refs: string | null;
  claimed_at: string;
  finished_at: string | null;
}

const date = (s: string | null): Date | null => (s ? new Date(s) : null);

function toSchedule(r: ScheduleRow): ScheduleRecord {
  return {
    id: r.id,
    platform: r.platform,
    channelId: r.channel_id,
    spec: { days: r.days, time: r.time, timeZone: r.time_zone },
    source: r.source,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
}

function toOutbox(r: OutboxRow): OutboxRecord {
  let refs: string[] = [];
  try {
    const parsed: unknown = r.message_refs ? JSON.parse(r.message_refs) : [];
    if (Array.isArray(parsed)) refs = parsed.map(String);
  } catch {
    refs = [];
  }
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    slot: r.slot,
    dueAt: new Date(r.due_at),
    platform: r.platform,
    channelId: r.channel_id,
    status: r.status,
    periodStart: date(r.period_start),
    periodEnd: date(r.period_end),
    attempts: r.attempts,
    partsPosted: r.parts_posted,
    nextAttemptAt: date(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseUntil: date(r.lease_until),
    lastError: r.last_error,
    messageRefs: refs,
    claimedAt: new Date(r.claimed_at),
    finishedAt: date(r.finished_at),
  };
}

/** Longest error text kept in the outbox (characters); longer errors are cut. */
export const MAX_ERROR_LENGTH = 500;

/** A schedule wanted by the config file. */
export interface ConfigSchedule {
  platform: Platform;
  channelId: string;
  spec: ScheduleSpec;
}

/**
 * Where digest schedules, channel state and the outbox live, for every process sharing one
 * database. All times are `Date`s (instants); durations are milliseconds. Every method rejects
 * with the database's error when the database cannot be read or written (a closed index, a lost
 * connection); none of them rejects for a slot that is taken or a lease that was lost, which
 * are answered with `null` / `false`.
 */
export interface DigestStore {
  /** Every active schedule, oldest first. */
  activeSchedules(): Promise<ScheduleRecord[]>;

  /** Active schedules of one channel, oldest first. */
  channelSchedules(platform: Platform, channelId: string): Promise<ScheduleRecord[]>;

  /**
   * Adds a schedule unless an identical active one exists (same platform, channel, days, time, zone).
   * @returns the schedule, and whether it was created now
   */
  addSchedule(
    platform: Platform,
    channelId: string,
    spec: ScheduleSpec,
    source: 'config' | 'chat',
    createdBy: string | null,
    now: Date,
  ): Promise<{ schedule: ScheduleRecord; created: boolean }>;

  /**
   * Removes the channel's chat schedules (all, or only `id`) and drops their pending retries.
   * Config-file schedules are never removed here: they are returned in `fromConfig`.
   */
  removeSchedules(platform: Platform, channelId: string, id: number | null, now: Date): Promise<{ removed: ScheduleRecord[]; fromConfig: ScheduleRecord[] }>;

  /**
   * Makes the active config-file schedules equal `wanted`: adds the missing ones (a chat schedule
   * with the same spec is adopted by the config), ends config schedules no longer listed.
   * @returns how many schedules were added and ended
   */
  syncConfig(wanted: ConfigSchedule[], now: Date): Promise<{ added: number; removed: number }>;

  /** End of the period the channel's latest claimed digest covers, or null. */
  lastDigestEnd(platform: Platform, channelId: string): Promise<Date | null>;

  /** When a digest last reached the channel, or null. */
  lastPostedAt(platform: Platform, channelId: string): Promise<Date | null>;

  /** The latest slot time recorded for a schedule (any status), or null. */
  lastDueAt(scheduleId: number): Promise<Date | null>;

  /**
   * Records a slot as skipped (missed while down) unless the slot is already in the outbox.
   * `reason` is kept as the row's `lastError` (at most `MAX_ERROR_LENGTH` characters).
   * @returns whether it was recorded now
   */
  recordSkipped(schedule: ScheduleRecord, slot: string, dueAt: Date, now: Date, reason: string): Promise<boolean>;

  /**
   * Claims (schedule, slot) for `owner`: inserts the outbox row in state `posting` with a lease
   * until `now + leaseMs`, fixes its period (`[channel's last digest end, or defaultSince] → dueAt`)
   * and moves the channel's state to `dueAt`, all in one transaction.
   * @returns the claimed row, or null when another process (or an earlier run) has the slot
   */
  claim(schedule: ScheduleRecord, slot: string, dueAt: Date, defaultSince: Date, now: Date, owner: string, leaseMs: number): Promise<OutboxRecord | null>;

  /**
   * Takes over rows that are due to be (re)posted on `platforms`: retries whose time has come and
   * rows whose poster's lease ran out (it crashed or hung), of active schedules, at most `limit`
   * (default 100), oldest slot first. Each taken row gets a fresh lease for `owner` (until
   * `now + leaseMs`) and one more attempt; no two processes take the same row.
   */
  takeOver(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit?: number): Promise<OutboxRecord[]>;

  /**
   * Records that part `part` (1-based) of a digest reached the platform (`ref`: its message id)
   * and renews the lease to `now + leaseMs`.
   * @returns false when `owner` lost the row
   */
  markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean>;

  /**
   * Marks a row done (`posted`, or `empty` when nothing came in and empty digests are not posted);
   * a posted digest also sets the channel's `lastPostedAt`.
   * @returns false when `owner` lost the row
   */
  finish(id: number, owner: string, status: 'posted' | 'empty', now: Date): Promise<boolean>;

  /**
   * Records a failed attempt: back to `retry` at `retryAt`, or `failed` for good when `retryAt` is
   * null. `error` is kept (at most `MAX_ERROR_LENGTH` characters).
   * @returns false when `owner` lost the row
   */
  fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean>;

  /** Earliest `next_attempt_at` / `lease_until` among open rows on `platforms`, for the scheduler's next wake-up; null when none. */
  nextOpenAt(platforms: readonly Platform[]): Promise<Date | null>;

  /** One outbox row, or null. */
  row(id: number): Promise<OutboxRecord | null>;

  /** Outbox rows, oldest slot first (ties by id); optionally of one schedule. */
  outbox(scheduleId?: number): Promise<OutboxRecord[]>;
}

/**
 * `DigestStore` over one better-sqlite3 connection (the index's: `SqliteIndex.connection`).
 * Decisions run in IMMEDIATE transactions (see the module docstring); a busy database waits for
 * better-sqlite3's busy timeout and then rejects with `SQLITE_BUSY`.
 */
export class SqliteDigestStore implements DigestStore {
  constructor(private readonly db: Database.Database) {}

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ─── Schedules ─────────────────────────────────────────────────────────────────────────

  async activeSchedules(): Promise<ScheduleRecord[]> {
    return (this.db.prepare('SELECT * FROM digest_schedules WHERE deleted_at IS NULL ORDER BY id').all() as ScheduleRow[]).map(toSchedule);
  }

  async channelSchedules(platform: Platform, channelId: string): Promise<ScheduleRecord[]> {
    return this.schedulesOf(platform, channelId);
  }

  private schedulesOf(platform: Platform, channelId: string): ScheduleRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM digest_schedules WHERE deleted_at IS NULL AND platform = ? AND channel_id = ? ORDER BY id')
        .all(platform, channelId) as ScheduleRow[]
    ).map(toSchedule);
  }

  async addSchedule(
    platform: Platform,
    channelId: string,
    spec: ScheduleSpec,
    source: 'config' | 'chat',
    createdBy: string | null,
    now: Date,
  ): Promise<{ schedule: ScheduleRecord; created: boolean }> {
    return this.immediate(() => this.insertSchedule(platform, channelId, spec, source, createdBy, now));
  }

  private insertSchedule(
    platform: Platform,
    channelId: string,
    spec: ScheduleSpec,
    source: 'config' | 'chat',
    createdBy: string | null,
    now: Date,
  ): { schedule: ScheduleRecord; created: boolean } {
    const key = specKey(platform, channelId, spec);
    const existing = this.db.prepare('SELECT * FROM digest_schedules WHERE spec_key = ? AND deleted_at IS NULL').get(key) as ScheduleRow | undefined;
    if (existing) return { schedule: toSchedule(existing), created: false };
    const info = this.db
      .prepare(
        `INSERT INTO digest_schedules (platform, channel_id, days, time, time_zone, source, created_by, created_at, spec_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(platform, channelId, spec.days, spec.time, spec.timeZone, source, createdBy, now.toISOString(), key);
    const row = this.db.prepare('SELECT * FROM digest_schedules WHERE id = ?').get(info.lastInsertRowid) as ScheduleRow;
    return { schedule: toSchedule(row), created: true };
  }

  /** Ends schedules (soft delete) and drops their pending retries. */
  private endSchedules(ids: number[], now: Date): void {
    const end = this.db.prepare('UPDATE digest_schedules SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
    const drop = this.db.prepare(
      `UPDATE digest_outbox SET status = 'skipped', last_error = 'schedule removed', finished_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE schedule_id = ? AND status = 'retry'`,
    );
    for (const id of ids) {
      end.run(now.toISOString(), id);
      drop.run(now.toISOString(), id);
    }
  }

  async removeSchedules(platform: Platform, channelId: string, id: number | null, now: Date): Promise<{ removed: ScheduleRecord[]; fromConfig: ScheduleRecord[] }> {
    return this.immediate(() => {
      const mine = this.schedulesOf(platform, channelId).filter((s) => id === null || s.id === id);
      const removed = mine.filter((s) => s.source === 'chat');
      const fromConfig = mine.filter((s) => s.source === 'config');
      this.endSchedules(removed.map((s) => s.id), now);
      return { removed, fromConfig };
    });
  }

  async syncConfig(wanted: ConfigSchedule[], now: Date): Promise<{ added: number; removed: number }> {
    return this.immediate(() => {
      const keys = new Set(wanted.map((w) => specKey(w.platform, w.channelId, w.spec)));
      let added = 0;
      for (const w of wanted) {
        const key = specKey(w.platform, w.channelId, w.spec);
        const existing = this.db.prepare('SELECT id, source FROM digest_schedules WHERE spec_key = ? AND deleted_at IS NULL').get(key) as
          | { id: number; source: string }
          | undefined;
        if (existing) {
          if (existing.source !== 'config') this.db.prepare("UPDATE digest_schedules SET source = 'config' WHERE id = ?").run(existing.id);
          continue;
        }
        this.insertSchedule(w.platform, w.channelId, w.spec, 'config', null, now);
        added++;
      }
      const stale = (
        this.db.prepare("SELECT id, spec_key FROM digest_schedules WHERE source = 'config' AND deleted_at IS NULL").all() as { id: number; spec_key: string }[]
      ).filter((r) => !keys.has(r.spec_key));
      this.endSchedules(stale.map((r) => r.id), now);
      return { added, removed: stale.length };
    });
  }

  // ─── Channel state ─────────────────────────────────────────────────────────────────────

  async lastDigestEnd(platform: Platform, channelId: string): Promise<Date | null> {
    return this.channelEnd(platform, channelId);
  }

  private channelEnd(platform: Platform, channelId: string): Date | null {
    const row = this.db.prepare('SELECT last_until FROM digest_channels WHERE platform = ? AND channel_id = ?').get(platform, channelId) as
      | { last_until: string | null }
      | undefined;
    return date(row?.last_until ?? null);
  }

  async lastPostedAt(platform: Platform, channelId: string): Promise<Date | null> {
    const row = this.db.prepare('SELECT last_posted_at FROM digest_channels WHERE platform = ? AND channel_id = ?').get(platform, channelId) as
      | { last_posted_at: string | null }
      | undefined;
    return date(row?.last_posted_at ?? null);
  }

  // ─── Outbox ────────────────────────────────────────────────────────────────────────────

  async lastDueAt(scheduleId: number): Promise<Date | null> {
    const row = this.db.prepare('SELECT max(due_at) AS t FROM digest_outbox WHERE schedule_id = ?').get(scheduleId) as { t: string | null };
    return date(row.t);
  }

  async recordSkipped(schedule: ScheduleRecord, slot: string, dueAt: Date, now: Date, reason: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO digest_outbox (schedule_id, slot, due_at, platform, channel_id, status, last_error, claimed_at, finished_at)
         VALUES (?, ?, ?, ?, ?, 'skipped', ?, ?, ?)`,
      )
      .run(schedule.id, slot, dueAt.toISOString(), schedule.platform, schedule.channelId, reason.slice(0, MAX_ERROR_LENGTH), now.toISOString(), now.toISOString());
    return info.changes === 1;
  }

  async claim(schedule: ScheduleRecord, slot: string, dueAt: Date, defaultSince: Date, now: Date, owner: string, leaseMs: number): Promise<OutboxRecord | null> {
    return this.immediate(() => {
      const info = this.db
        .prepare(
          `INSERT OR IGNORE INTO digest_outbox (schedule_id, slot, due_at, platform, channel_id, status, attempts, lease_owner, lease_until, claimed_at)
           VALUES (?, ?, ?, ?, ?, 'posting', 1, ?, ?, ?)`,
        )
        .run(
          schedule.id,
          slot,
          dueAt.toISOString(),
          schedule.platform,
          schedule.channelId,
          owner,
          new Date(now.getTime() + leaseMs).toISOString(),
          now.toISOString(),
        );
      if (info.changes !== 1) return null;
      const last = this.channelEnd(schedule.platform, schedule.channelId);
      const sinceMs = Math.min(dueAt.getTime(), (last ?? defaultSince).getTime());
      this.db
        .prepare('UPDATE digest_outbox SET period_start = ?, period_end = ? WHERE id = ?')
        .run(new Date(sinceMs).toISOString(), dueAt.toISOString(), info.lastInsertRowid);
      this.db
        .prepare(
          `INSERT INTO digest_channels (platform, channel_id, last_until) VALUES (?, ?, ?)
           ON CONFLICT (platform, channel_id) DO UPDATE SET last_until = max(coalesce(last_until, ''), excluded.last_until)`,
        )
        .run(schedule.platform, schedule.channelId, dueAt.toISOString());
      return this.get(Number(info.lastInsertRowid));
    });
  }

  async takeOver(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit = 100): Promise<OutboxRecord[]> {
    if (platforms.length === 0) return [];
    const p = { now: now.toISOString(), owner, until: new Date(now.getTime() + leaseMs).toISOString(), platforms: JSON.stringify(platforms), limit };
    const DUE = `((o.status = 'retry' AND o.next_attempt_at <= @now) OR (o.status = 'posting' AND o.lease_until <= @now))`;
    return this.immediate(() => {
      const ids = (
        this.db
          .prepare(
            `SELECT o.id FROM digest_outbox o JOIN digest_schedules s ON s.id = o.schedule_id
             WHERE ${DUE} AND s.deleted_at IS NULL AND o.platform IN (SELECT value FROM json_each(@platforms))
             ORDER BY o.due_at, o.id LIMIT @limit`,
          )
          .all(p) as { id: number }[]
      ).map((r) => r.id);
      const take = this.db.prepare(
        `UPDATE digest_outbox AS o SET status = 'posting', lease_owner = @owner, lease_until = @until, attempts = attempts + 1, next_attempt_at = NULL
         WHERE o.id = @id AND ${DUE}`,
      );
      const out: OutboxRecord[] = [];
      for (const id of ids) if (take.run({ ...p, id }).changes === 1) out.push(this.get(id)!);
      return out;
    });
  }

  async markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean> {
    return this.immediate(() => {
      const row = this.get(id);
      if (!row || row.status !== 'posting' || row.leaseOwner !== owner) return false;
      const refs = ref ? [...row.messageRefs, ref] : row.messageRefs;
      this.db
        .prepare('UPDATE digest_outbox SET parts_posted = max(parts_posted, ?), message_refs = ?, lease_until = ? WHERE id = ?')
        .run(part, JSON.stringify(refs), new Date(now.getTime() + leaseMs).toISOString(), id);
      return true;
    });
  }

  async finish(id: number, owner: string, status: 'posted' | 'empty', now: Date): Promise<boolean> {
    return this.immediate(() => {
      const info = this.db
        .prepare(
          `UPDATE digest_outbox SET status = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL
           WHERE id = ? AND status = 'posting' AND lease_owner = ?`,
        )
        .run(status, now.toISOString(), id, owner);
      if (info.changes === 1 && status === 'posted') {
        const row = this.get(id)!;
        this.db
          .prepare(
            `INSERT INTO digest_channels (platform, channel_id, last_posted_at) VALUES (?, ?, ?)
             ON CONFLICT (platform, channel_id) DO UPDATE SET last_posted_at = excluded.last_posted_at`,
          )
          .run(row.platform, row.channelId, now.toISOString());
      }
      return info.changes === 1;
    });
  }

  async fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE digest_outbox SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, finished_at = ?
         WHERE id = ? AND status = 'posting' AND lease_owner = ?`,
      )
      .run(
        retryAt ? 'retry' : 'failed',
        retryAt?.toISOString() ?? null,
        error.slice(0, MAX_ERROR_LENGTH),
        retryAt ? null : now.toISOString(),
        id,
        owner,
      );
    return info.changes === 1;
  }

  async nextOpenAt(platforms: readonly Platform[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const row = this.db
      .prepare(
        `SELECT min(CASE WHEN status = 'retry' THEN next_attempt_at ELSE lease_until END) AS t FROM digest_outbox
         WHERE status IN ('retry', 'posting') AND platform IN (SELECT value FROM json_each(?))`,
      )
      .get(JSON.stringify(platforms)) as { t: string | null };
    return date(row.t);
  }

  async row(id: number): Promise<OutboxRecord | null> {
    return this.get(id);
  }

  private get(id: number): OutboxRecord | null {
    const r = this.db.prepare('SELECT * FROM digest_outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return r ? toOutbox(r) : null;
  }

  async outbox(scheduleId?: number): Promise<OutboxRecord[]> {
    const rows = (
      scheduleId === undefined
        ? this.db.prepare('SELECT * FROM digest_outbox ORDER BY due_at, id').all()
        : this.db.prepare('SELECT * FROM digest_outbox WHERE schedule_id = ? ORDER BY due_at, id').all(scheduleId)
    ) as OutboxRow[];
    return rows.map(toOutbox);
  }
}
