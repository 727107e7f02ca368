/**
 * Test helpers for digests: a real SQLite index in a temporary folder whose ingestion times come
 * from a `ManualClock` (`backends.ts` gives the same on PostgreSQL), a scheduler over any index
 * with the digest store of its backend, and `MemorySink`, a sink that records what it posts and
 * can be told to fail, hang or stop half-way for a given channel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Platform, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import type { ArticleIndex, ArticleInput } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { DigestScheduler, type SchedulerLogger, type SchedulerOptions } from '../../src/schedule/scheduler.js';
import { DigestPostError, type DigestPostOptions, type DigestSink } from '../../src/schedule/sinks/types.js';
import { parseScheduleText } from '../../src/schedule/spec.js';
import { digestStoreFor } from '../../src/schedule/index.js';
import type { DigestStore, ScheduleRecord } from '../../src/schedule/store.js';

/** A temporary database file. */
export function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-test-'));
  return path.join(dir, 'index.db');
}

/** An index on `file` whose ingestion clock is `clock`. */
export function openIndex(file: string, clock: ManualClock): SqliteIndex {
  return SqliteIndex.open(file, { clock: () => clock.now() });
}

/** Stores `stories` (parsed by the real parser) at the clock's current time. */
export async function ingest(index: ArticleIndex, stories: ArticleInput[]): Promise<void> {
  for (const s of stories) await index.upsert(s, parseArticle(s.text));
}

/** One message a `MemorySink` accepted. */
export interface Posted {
  platform: Platform;
  channelId: string;
  reply: Reply;
  part: number;
  /** Clock time when it was accepted (ISO). */
  at: string;
  key: string;
}

/** What a sink does for one channel: fail (transient or permanent), hang forever, or post N parts and hang after `hangAfterPart`. */
export interface ChannelBehaviour {
  failTimes?: number;
  permanent?: boolean;
  hang?: boolean;
  parts?: number;
  hangAfterPart?: number;
}

/** An in-memory sink; `posted` is shared when several sinks (instances) post into one list. */
export class MemorySink implements DigestSink {
  readonly attempts: { channelId: string; at: string; skipParts: number }[] = [];
  readonly behaviour = new Map<string, ChannelBehaviour>();
  constructor(
    readonly platform: Platform,
    private readonly clock: ManualClock,
    readonly posted: Posted[] = [],
  ) {}

  async post(channelId: string, reply: Reply, options: DigestPostOptions): Promise<{ parts: number }> {
    this.attempts.push({ channelId, at: this.clock.now().toISOString(), skipParts: options.skipParts });
    const b = this.behaviour.get(channelId) ?? {};
    if (b.hang) return new Promise(() => {});
    if (b.failTimes && b.failTimes > 0) {
      b.failTimes--;
      throw new DigestPostError(b.permanent ? 'channel_not_found' : 'service unavailable (503)', Boolean(b.permanent));
    }
    const parts = b.parts ?? 1;
    for (let part = options.skipParts + 1; part <= parts; part++) {
      this.posted.push({ platform: this.platform, channelId, reply, part, at: this.clock.now().toISOString(), key: options.key });
      await options.onPart(part, `${channelId}-${part}`);
      if (b.hangAfterPart === part) return new Promise(() => {});
    }
    return { parts };
  }
}

/** A logger that keeps every line. */
export class MemoryLogger implements SchedulerLogger {
  readonly lines: { level: string; obj: object; msg: string }[] = [];
  info(obj: object, msg = ''): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg = ''): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg = ''): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  at(level: string): { obj: object; msg: string }[] {
    return this.lines.filter((l) => l.level === level);
  }
}

/** Adds a schedule from chat-style text (`daily 08:00 Europe/London`) created at the clock's time. */
export async function addSchedule(store: DigestStore, platform: Platform, channelId: string, text: string, clock: ManualClock): Promise<ScheduleRecord> {
  const spec = parseScheduleText(text);
  if (!spec.ok) throw new Error(spec.error);
  return (await store.addSchedule(platform, channelId, spec.value, 'chat', 'U0ADMIN', clock.now())).schedule;
}

/**
 * A scheduler over `index`'s database (SQLite or PostgreSQL store) with the default settings,
 * except that it polls for schedule changes every 30 min instead of every minute (tests that run
 * a simulated week would otherwise spend their time on 10,000 idle wake-ups; runs, retries and
 * leases set their own timers).
 */
export function makeScheduler(
  index: ArticleIndex,
  clock: ManualClock,
  sinks: DigestSink[],
  extra: Partial<SchedulerOptions> = {},
): { scheduler: DigestScheduler; store: DigestStore } {
  const store = extra.store ?? digestStoreFor(index);
  const scheduler = new DigestScheduler({ index, sinks, clock, pollMs: 30 * 60_000, ...extra, store });
  return { scheduler, store };
}

/**
 * Real milliseconds a settle waits for a scheduler that does not become idle: a post that hangs
 * on purpose never ends, but everything else it started (store calls on a real database) has.
 */
export const HANG_BOUND_MS = 300;

/** Waits until `scheduler` is idle, or `HANG_BOUND_MS` of real time when a post hangs. @returns whether it became idle */
export async function settle(scheduler: DigestScheduler): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<false>((r) => (timer = setTimeout(() => r(false), HANG_BOUND_MS)));
  const idle = await Promise.race([scheduler.idle().then(() => true as const), bound]);
  clearTimeout(timer);
  return idle;
}

/**
 * Advances `clock` to `to`, letting `schedulers` finish their work (passes, store calls, posts)
 * before time moves (a pass a chat command woke is still reading the database) and after every
 * timer; a post that hangs on purpose is waited for at most `HANG_BOUND_MS`.
 */
export async function runUntil(clock: ManualClock, to: string | Date, ...schedulers: DigestScheduler[]): Promise<void> {
  const settleAll = async () => {
    const hung = new Set<DigestScheduler>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((r) => setImmediate(r));
      for (const s of schedulers) if (!hung.has(s) && !(await settle(s))) hung.add(s);
    }
  };
  await settleAll();
  await clock.advanceTo(to, settleAll);
}

/** Every text of a reply (title and blocks) joined, for content checks. */
export function replyText(reply: Reply): string {
  const parts: string[] = [reply.title];
  for (const b of reply.blocks) {
    switch (b.type) {
      case 'list':
        parts.push(...b.items);
        break;
      case 'fields':
        for (const f of b.fields) parts.push(f.label, f.value);
        break;
      case 'quote':
        parts.push(b.text, b.speaker, b.citation.title);
        break;
      case 'paragraph':
        parts.push(b.text, b.citation?.title ?? '');
        break;
      case 'diff':
        parts.push(b.parts.map((p) => p.text).join(' '));
        break;
      default:
        parts.push(b.text);
    }
  }
  return parts.join('\n');
}
