/**
 * The core's view of digest schedules (`DigestSchedules` in `src/core/digest.ts`), over the
 * `DigestStore`: reads chat text into a schedule spec, keeps at most `MAX_SCHEDULES_PER_CHANNEL`
 * per channel, and tells the scheduler when something changed so it re-plans at once.
 */
import type { DigestScheduleInfo, DigestSchedules, ScheduleChange, ScheduleRemoval } from '../core/digest.js';
import type { Platform } from '../core/types.js';
import { systemClock, type Clock } from './clock.js';
import { describeSpec, nextRun, parseScheduleText } from './spec.js';
import type { DigestStore, ScheduleRecord } from './store.js';

/** Most schedules one channel may have (chat and config together). */
export const MAX_SCHEDULES_PER_CHANNEL = 10;

/** Options of `ScheduleService`. */
export interface ScheduleServiceOptions {
  /** Zone of chat schedules that name none. Default UTC. */
  defaultTimeZone?: string;
  clock?: Clock;
  /** Called after a schedule was added or removed (the scheduler's `wake`). */
  onChange?: () => void;
}

/** `DigestSchedules` over the database (any `DigestStore`); store errors reject the call. */
export class ScheduleService implements DigestSchedules {
  /** Set after construction when the scheduler starts later than the core. */
  onChange: (() => void) | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly store: DigestStore,
    private readonly options: ScheduleServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.onChange = options.onChange;
  }

  private info(s: ScheduleRecord): DigestScheduleInfo {
    return {
      id: s.id,
      platform: s.platform,
      channelId: s.channelId,
      description: describeSpec(s.spec),
      timeZone: s.spec.timeZone,
      source: s.source,
      createdBy: s.createdBy,
      nextRun: nextRun(s.spec, this.clock.now()),
    };
  }

  async list(platform: Platform, channelId: string): Promise<DigestScheduleInfo[]> {
    return (await this.store.channelSchedules(platform, channelId)).map((s) => this.info(s));
  }

  async add(platform: Platform, channelId: string, text: string, userId: string): Promise<ScheduleChange> {
    const spec = parseScheduleText(text, this.options.defaultTimeZone ?? 'UTC');
    if (!spec.ok) return { ok: false, error: spec.error };
    if ((await this.store.channelSchedules(platform, channelId)).length >= MAX_SCHEDULES_PER_CHANNEL) {
      return { ok: false, error: `this channel already has ${MAX_SCHEDULES_PER_CHANNEL} schedules, the most allowed; remove one with /digest unschedule <id>` };
    }
    const { schedule, created } = await this.store.addSchedule(platform, channelId, spec.value, 'chat', userId, this.clock.now());
    if (created) this.onChange?.();
    return { ok: true, schedule: this.info(schedule), created };
  }

  async remove(platform: Platform, channelId: string, id: number | null): Promise<ScheduleRemoval> {
    const res = await this.store.removeSchedules(platform, channelId, id, this.clock.now());
    if (res.removed.length) this.onChange?.();
    return { removed: res.removed.map((s) => this.info(s)), fromConfig: res.fromConfig.map((s) => this.info(s)) };
  }

  async lastDigestEnd(platform: Platform, channelId: string): Promise<Date | null> {
    return this.store.lastDigestEnd(platform, channelId);
  }
}
