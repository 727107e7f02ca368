/**
 * The core's view of watches (`WatchRegistry` in `src/core/commands/watch.ts`) over the
 * `WatchStore`; it wakes the runner when a watch is added so the first look comes at once.
 */
import type { NewWatch, WatchInfo, WatchRegistry } from '../core/commands/watch.js';
import type { Platform } from '../core/types.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { WatchStore } from './store.js';

/** `WatchRegistry` over any `WatchStore`; store errors reject the call. */
export class WatchService implements WatchRegistry {
  /** Set once the runner starts (after the core). */
  onChange: (() => void) | undefined;

  constructor(
    private readonly store: WatchStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async add(watch: NewWatch): Promise<{ watch: WatchInfo; created: boolean }> {
    const res = await this.store.addWatch(watch, this.clock.now());
    if (res.created) this.onChange?.();
    return res;
  }

  list(platform: Platform, channelId: string | null, userId: string): Promise<WatchInfo[]> {
    return this.store.watchesFor(platform, channelId, userId);
  }

  get(platform: Platform, id: number): Promise<WatchInfo | null> {
    return this.store.getWatch(platform, id);
  }

  remove(platform: Platform, id: number): Promise<boolean> {
    return this.store.removeWatch(platform, id, this.clock.now());
  }

  countFor(platform: Platform, scope: 'channel' | 'user', target: string): Promise<number> {
    return this.store.countFor(platform, scope, target);
  }
}
