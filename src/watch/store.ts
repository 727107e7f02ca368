/**
 * Watches, their hits and the alert outbox: the `WatchStore` interface the watch runner and the
 * `/watch` service use, and `SqliteWatchStore`, its implementation in the index's SQLite database
 * (tables from migration 7 in `src/index/migrations.ts`; `PostgresWatchStore` in `pg-store.ts`
 * keeps the same rules on PostgreSQL). The rules, as for digests (`src/schedule/store.ts`):
 *
 * - Hits are claimed before anything is posted: `recordHits` inserts (watch, story, item) rows
 *   under their primary key, so an item becomes part of exactly one alert however many
 *   processes match the same story, and a restarted process does not alert again.
 * - New hits of a watch join its `pending` alert when it has one (a burst becomes one message);
 *   otherwise a new alert is made, due at once, or held for `holdMs` when the watch already had
 *   `limit` alerts within `windowMs`.
 * - `claimDue` moves due alerts to `posting` with a lease; only the claimer posts. A process that
 *   dies while posting leaves the lease to run out, and any process takes the alert over. A
 *   failed post goes to `retry`, or `failed` after the last attempt.
 *
 * Times are ISO 8601 UTC strings, compared as text. In SQLite every decision runs in an
 * IMMEDIATE transaction, so several processes sharing the file agree.
 */
import type Database from 'better-sqlite3';
import type { NewWatch, WatchInfo } from '../core/commands/watch.js';
import type { Platform } from '../core/types.js';

/** A watch with what it matches. */
export interface WatchRecord extends WatchInfo {
  /** Entity keys (entity watches) or folded words (words watches). */
  keys: string[];
}

/** Where an alert stands. `pending`: gathering hits until due; `dropped`: its watch was stopped first. */
export type AlertStatus = 'pending' | 'posting' | 'retry' | 'posted' | 'failed' | 'dropped';

/** One alert of the outbox. */
export interface AlertRecord {
  id: number;
  watchId: number;
  platform: Platform;
  status: AlertStatus;
  createdAt: Date;
  dueAt: Date;
  attempts: number;
  partsPosted: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  messageRefs: string[];
}

/** When new alerts of one watch are held so that a burst becomes one message. Durations in ms. */
export interface BurstPolicy {
  /** Alerts a watch may get within `windowMs` before further hits are held. */
  limit: number;
  windowMs: number;
  /** How long a held alert gathers hits before it is posted. */
  holdMs: number;
}

/** One hit of an alert. */
export interface AlertHit {
  storyId: string;
  item: string;
}

/** Longest error text kept (characters). */
export const MAX_ALERT_ERROR = 500;

/**
 * Watch storage shared by every process on one database. Times are `Date`s, durations ms. Every
 * method rejects with the database's error when it cannot be read or written; none rejects for
 * a hit already recorded or an alert another process holds (answered with 0, `[]` or `false`).
 */
export interface WatchStore {
  /** Adds a watch unless an identical active one exists. */
  addWatch(watch: NewWatch, now: Date): Promise<{ watch: WatchRecord; created: boolean }>;
  /** Every active watch, oldest first. */
  activeWatches(): Promise<WatchRecord[]>;
  /** Active watches of a channel (when given) and of a user on `platform`, oldest first. */
  watchesFor(platform: Platform, channelId: string | null, userId: string): Promise<WatchRecord[]>;
  /** One active watch. */
  getWatch(platform: Platform, id: number): Promise<WatchRecord | null>;
  /** Ends a watch and drops its alerts not yet posted. @returns whether it was active */
  removeWatch(platform: Platform, id: number, now: Date): Promise<boolean>;
  /** Active watches of one target. */
  countFor(platform: Platform, scope: 'channel' | 'user', target: string): Promise<number>;
  /** Stories surfaced before this time have been matched (null: never). */
  scannedUntil(): Promise<Date | null>;
  /** Moves the scan position forward (never back). */
  setScannedUntil(at: Date): Promise<void>;
  /**
   * Records `items` of a story for a watch; the new ones join the watch's pending alert or a new
   * one (see `BurstPolicy`). All in one transaction.
   * @returns how many items were new
   */
  recordHits(watch: WatchRecord, storyId: string, items: readonly string[], now: Date, burst: BurstPolicy): Promise<number>;
  /**
   * Claims alerts due on `platforms` (pending and due, retries whose time has come, posts whose
   * lease ran out) for `owner`, with a lease until `now + leaseMs`, oldest first, at most `limit`.
   */
  claimDue(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit?: number): Promise<AlertRecord[]>;
  /** The hits an alert is about, in the order they were recorded. */
  alertHits(alertId: number): Promise<AlertHit[]>;
  /** Records that part `part` reached the platform; renews the lease. @returns false when `owner` lost the alert */
  markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean>;
  /** Marks an alert posted. @returns false when `owner` lost it */
  finish(id: number, owner: string, now: Date): Promise<boolean>;
  /** A failed attempt: `retry` at `retryAt`, or `failed` when null. @returns false when `owner` lost it */
  fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean>;
  /** Earliest time an open alert on `platforms` falls due (pending, retry or lease end), or null. */
  nextDueAt(platforms: readonly Platform[]): Promise<Date | null>;
  /** Alerts, oldest first; optionally of one watch (tests, operations). */
  alerts(watchId?: number): Promise<AlertRecord[]>;
}

/** The spec key that makes one active watch per target and subject. */
export function watchSpecKey(w: Pick<NewWatch, 'platform' | 'scope' | 'target' | 'kind' | 'keys' | 'words'>): string {
  const what = w.kind === 'entity' ? [...w.keys].sort() : [...w.words].sort();
  return [w.platform, w.scope, w.target, w.kind, what.join(',')].join('|');
}

/** The parameters of `WATCH_SQL.insertWatch` for a new watch. */
export function watchInsertParams(w: NewWatch, now: Date): Record<string, unknown> {
  return {
    platform: w.platform,
    scope: w.scope,
    target: w.target,
    kind: w.kind,
    label: w.label,
    keys: JSON.stringify(w.kind === 'entity' ? w.keys : w.words),
    created_by: w.createdBy,
    created_at: now.toISOString(),
    spec_key: watchSpecKey(w),
  };
}

/** A watch row as both databases return it. */
export interface WatchRow {
  id: number | string;
  platform: Platform;
  scope: 'channel' | 'user';
  target: string;
  kind: 'entity' | 'words';
  label: string;
  keys: string;
  created_by: string;
  created_at: string;
}

/** An alert row as both databases return it. */
export interface AlertRow {
  id: number | string;
  watch_id: number | string;
  platform: Platform;
  status: AlertStatus;
  created_at: string;
  due_at: string;
  attempts: number;
  parts_posted: number;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  message_refs: string | null;
}

export function toWatch(r: WatchRow): WatchRecord {
  return {
    id: Number(r.id),
    platform: r.platform,
    scope: r.scope,
    target: r.target,
    kind: r.kind,
    label: r.label,
    keys: JSON.parse(r.keys) as string[],
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
}

export function toAlert(r: AlertRow): AlertRecord {
  let refs: string[] = [];
  try {
    const v: unknown = r.message_refs ? JSON.parse(r.message_refs) : [];
    if (Array.isArray(v)) refs = v.map(String);
  } catch {
    refs = [];
  }
  return {
    id: Number(r.id),
    watchId: Number(r.watch_id),
    platform: r.platform,
    status: r.status,
    createdAt: new Date(r.created_at),
    dueAt: new Date(r.due_at),
    attempts: Number(r.attempts),
    partsPosted: Number(r.parts_posted),
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until ? new Date(r.lease_until) : null,
    lastError: r.last_error,
    messageRefs: refs,
  };
}

/** SQL both databases run (named `@params`; better-sqlite3 binds them, the PostgreSQL store rewrites them). */
export const WATCH_SQL = {
  insertWatch: `INSERT INTO watches (platform, scope, target, kind, label, keys, created_by, created_at, spec_key)
    VALUES (@platform, @scope, @target, @kind, @label, @keys, @created_by, @created_at, @spec_key)`,
  activeBySpec: 'SELECT * FROM watches WHERE spec_key = @spec_key AND deleted_at IS NULL',
  active: 'SELECT * FROM watches WHERE deleted_at IS NULL ORDER BY id',
  forTargets: `SELECT * FROM watches WHERE deleted_at IS NULL AND platform = @platform
    AND ((scope = 'channel' AND target = @channel) OR (scope = 'user' AND target = @user)) ORDER BY id`,
  one: 'SELECT * FROM watches WHERE deleted_at IS NULL AND platform = @platform AND id = @id',
  end: 'UPDATE watches SET deleted_at = @now WHERE id = @id AND platform = @platform AND deleted_at IS NULL',
  dropAlerts: `UPDATE watch_alerts SET status = 'dropped', finished_at = @now, lease_owner = NULL, lease_until = NULL
    WHERE watch_id = @id AND status IN ('pending', 'retry')`,
  countFor: 'SELECT count(*) AS n FROM watches WHERE deleted_at IS NULL AND platform = @platform AND scope = @scope AND target = @target',
  scanned: 'SELECT scanned_until FROM watch_scan WHERE only_row = 1',
  setScanned: `INSERT INTO watch_scan (only_row, scanned_until) VALUES (1, @at)
    ON CONFLICT (only_row) DO UPDATE SET scanned_until = CASE WHEN excluded.scanned_until > watch_scan.scanned_until THEN excluded.scanned_until ELSE watch_scan.scanned_until END`,
  hitsOf: 'SELECT item FROM watch_hits WHERE watch_id = @watch AND story_id = @story',
  pendingOf: `SELECT id FROM watch_alerts WHERE watch_id = @watch AND status = 'pending' ORDER BY id LIMIT 1`,
  recentAlerts: `SELECT count(*) AS n FROM watch_alerts WHERE watch_id = @watch AND created_at > @since AND status <> 'dropped'`,
  insertAlert: `INSERT INTO watch_alerts (watch_id, platform, status, created_at, due_at) VALUES (@watch, @platform, 'pending', @now, @due)`,
  insertHit: 'INSERT INTO watch_hits (watch_id, story_id, item, alert_id) VALUES (@watch, @story, @item, @alert) ON CONFLICT DO NOTHING',
  due: `((a.status = 'pending' AND a.due_at <= @now) OR (a.status = 'retry' AND a.next_attempt_at <= @now) OR (a.status = 'posting' AND a.lease_until <= @now))`,
  alertHits: 'SELECT story_id, item FROM watch_hits WHERE alert_id = @id ORDER BY story_id, item',
  markPart: `UPDATE watch_alerts SET parts_posted = CASE WHEN parts_posted > @part THEN parts_posted ELSE @part END, message_refs = @refs, lease_until = @until
    WHERE id = @id AND status = 'posting' AND lease_owner = @owner`,
  refsOf: `SELECT message_refs FROM watch_alerts WHERE id = @id AND status = 'posting' AND lease_owner = @owner`,
  finish: `UPDATE watch_alerts SET status = 'posted', finished_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL
    WHERE id = @id AND status = 'posting' AND lease_owner = @owner`,
  fail: `UPDATE watch_alerts SET status = @status, next_attempt_at = @retry, last_error = @error, lease_owner = NULL, lease_until = NULL, finished_at = @finished
    WHERE id = @id AND status = 'posting' AND lease_owner = @owner`,
} as const;

/** `WatchStore` over the index's better-sqlite3 connection (`SqliteIndex.connection`). */
export class SqliteWatchStore implements WatchStore {
  constructor(private readonly db: Database.Database) {}

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async addWatch(w: NewWatch, now: Date): Promise<{ watch: WatchRecord; created: boolean }> {
    const spec_key = watchSpecKey(w);
    return this.immediate(() => {
      const existing = this.db.prepare(WATCH_SQL.activeBySpec).get({ spec_key }) as WatchRow | undefined;
      if (existing) return { watch: toWatch(existing), created: false };
      const info = this.db.prepare(WATCH_SQL.insertWatch).run(watchInsertParams(w, now));
      return { watch: toWatch(this.db.prepare('SELECT * FROM watches WHERE id = ?').get(info.lastInsertRowid) as WatchRow), created: true };
    });
  }

  async activeWatches(): Promise<WatchRecord[]> {
    return (this.db.prepare(WATCH_SQL.active).all() as WatchRow[]).map(toWatch);
  }

  async watchesFor(platform: Platform, channelId: string | null, userId: string): Promise<WatchRecord[]> {
    return (this.db.prepare(WATCH_SQL.forTargets).all({ platform, channel: channelId, user: userId }) as WatchRow[]).map(toWatch);
  }

  async getWatch(platform: Platform, id: number): Promise<WatchRecord | null> {
    const r = this.db.prepare(WATCH_SQL.one).get({ platform, id }) as WatchRow | undefined;
    return r ? toWatch(r) : null;
  }

  async removeWatch(platform: Platform, id: number, now: Date): Promise<boolean> {
    return this.immediate(() => {
      const ended = this.db.prepare(WATCH_SQL.end).run({ id, platform, now: now.toISOString() }).changes === 1;
      if (ended) this.db.prepare(WATCH_SQL.dropAlerts).run({ id, now: now.toISOString() });
      return ended;
    });
  }

  async countFor(platform: Platform, scope: 'channel' | 'user', target: string): Promise<number> {
    return (this.db.prepare(WATCH_SQL.countFor).get({ platform, scope, target }) as { n: number }).n;
  }

  async scannedUntil(): Promise<Date | null> {
    const r = this.db.prepare(WATCH_SQL.scanned).get() as { scanned_until: string } | undefined;
    return r ? new Date(r.scanned_until) : null;
  }

  async setScannedUntil(at: Date): Promise<void> {
    this.db.prepare(WATCH_SQL.setScanned).run({ at: at.toISOString() });
  }

  async recordHits(watch: WatchRecord, storyId: string, items: readonly string[], now: Date, burst: BurstPolicy): Promise<number> {
    return this.immediate(() => {
      const seen = new Set((this.db.prepare(WATCH_SQL.hitsOf).all({ watch: watch.id, story: storyId }) as { item: string }[]).map((r) => r.item));
      const fresh = [...new Set(items)].filter((i) => !seen.has(i));
      if (fresh.length === 0) return 0;
      let alert = (this.db.prepare(WATCH_SQL.pendingOf).get({ watch: watch.id }) as { id: number } | undefined)?.id;
      if (alert === undefined) {
        const recent = (this.db.prepare(WATCH_SQL.recentAlerts).get({ watch: watch.id, since: new Date(now.getTime() - burst.windowMs).toISOString() }) as { n: number }).n;
        const due = recent < burst.limit ? now : new Date(now.getTime() + burst.holdMs);
        alert = Number(this.db.prepare(WATCH_SQL.insertAlert).run({ watch: watch.id, platform: watch.platform, now: now.toISOString(), due: due.toISOString() }).lastInsertRowid);
      }
      const ins = this.db.prepare(WATCH_SQL.insertHit);
      let added = 0;
      for (const item of fresh) added += ins.run({ watch: watch.id, story: storyId, item, alert }).changes;
      return added;
    });
  }

  async claimDue(platforms: readonly Platform[], now: Date, owner: string, leaseMs: number, limit = 50): Promise<AlertRecord[]> {
    if (platforms.length === 0) return [];
    const p = { now: now.toISOString(), owner, until: new Date(now.getTime() + leaseMs).toISOString(), platforms: JSON.stringify(platforms), limit };
    return this.immediate(() => {
      const ids = (
        this.db
          .prepare(
            `SELECT a.id FROM watch_alerts a JOIN watches w ON w.id = a.watch_id
             WHERE ${WATCH_SQL.due} AND w.deleted_at IS NULL AND a.platform IN (SELECT value FROM json_each(@platforms))
             ORDER BY a.due_at, a.id LIMIT @limit`,
          )
          .all(p) as { id: number }[]
      ).map((r) => r.id);
      const take = this.db.prepare(
        `UPDATE watch_alerts AS a SET status = 'posting', lease_owner = @owner, lease_until = @until, attempts = attempts + 1, next_attempt_at = NULL
         WHERE a.id = @id AND ${WATCH_SQL.due}`,
      );
      const out: AlertRecord[] = [];
      for (const id of ids) if (take.run({ ...p, id }).changes === 1) out.push(toAlert(this.db.prepare('SELECT * FROM watch_alerts WHERE id = ?').get(id) as AlertRow));
      return out;
    });
  }

  async alertHits(alertId: number): Promise<AlertHit[]> {
    return (this.db.prepare(WATCH_SQL.alertHits).all({ id: alertId }) as { story_id: string; item: string }[]).map((r) => ({ storyId: r.story_id, item: r.item }));
  }

  async markPart(id: number, owner: string, part: number, ref: string | null, now: Date, leaseMs: number): Promise<boolean> {
    return this.immediate(() => {
      const row = this.db.prepare(WATCH_SQL.refsOf).get({ id, owner }) as { message_refs: string | null } | undefined;
      if (!row) return false;
      const refs = [...(row.message_refs ? (JSON.parse(row.message_refs) as string[]) : []), ...(ref ? [ref] : [])];
      return this.db.prepare(WATCH_SQL.markPart).run({ id, owner, part, refs: JSON.stringify(refs), until: new Date(now.getTime() + leaseMs).toISOString() }).changes === 1;
    });
  }

  async finish(id: number, owner: string, now: Date): Promise<boolean> {
    return this.db.prepare(WATCH_SQL.finish).run({ id, owner, now: now.toISOString() }).changes === 1;
  }

  async fail(id: number, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    return (
      this.db
        .prepare(WATCH_SQL.fail)
        .run({ id, owner, status: retryAt ? 'retry' : 'failed', retry: retryAt?.toISOString() ?? null, error: error.slice(0, MAX_ALERT_ERROR), finished: retryAt ? null : now.toISOString() })
        .changes === 1
    );
  }

  async nextDueAt(platforms: readonly Platform[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const r = this.db
      .prepare(
        `SELECT min(CASE status WHEN 'pending' THEN due_at WHEN 'retry' THEN next_attempt_at ELSE lease_until END) AS t FROM watch_alerts
         WHERE status IN ('pending', 'retry', 'posting') AND platform IN (SELECT value FROM json_each(?))`,
      )
      .get(JSON.stringify(platforms)) as { t: string | null };
    return r.t ? new Date(r.t) : null;
  }

  async alerts(watchId?: number): Promise<AlertRecord[]> {
    const rows = (watchId === undefined ? this.db.prepare('SELECT * FROM watch_alerts ORDER BY id').all() : this.db.prepare('SELECT * FROM watch_alerts WHERE watch_id = ? ORDER BY id').all(watchId)) as AlertRow[];
    return rows.map(toAlert);
  }
}
