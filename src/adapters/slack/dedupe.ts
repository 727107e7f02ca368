/**
 * Drops duplicate Slack deliveries. Slack re-sends an event it believes failed (header
 * `X-Slack-Retry-Num`: at once, after about 1 minute, after about 5 minutes), and the same
 * message can reach us both as `app_mention` and as `message.im`; a key claimed once is
 * refused until its TTL runs out, so each event is answered once per bot instance.
 */

/** How long a claimed key is remembered: longer than Slack's retry window (about 5 minutes). */
export const DEDUPE_TTL_MS = 60 * 60 * 1000;
/** Most keys remembered; the oldest go first beyond this, so memory stays bounded under a flood. */
export const DEDUPE_MAX_KEYS = 50_000;

/** An atomic set-if-absent with expiry. A shared store (SQL, Redis) can implement it for many instances. */
export interface DedupeStore {
  /** true when `key` was not held (and is now held until `ttlMs` from now), false when it already was. */
  claim(key: string): boolean | Promise<boolean>;
}

/** In-memory `DedupeStore` for one process: a Map in insertion order, expired and overflow keys dropped. */
export class MemoryDedupe implements DedupeStore {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = DEDUPE_TTL_MS,
    private readonly maxKeys = DEDUPE_MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  claim(key: string): boolean {
    const t = this.now();
    this.evict(t);
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > t) return false;
    this.seen.delete(key);
    this.seen.set(key, t + this.ttlMs);
    return true;
  }

  /** Number of keys currently held. */
  get size(): number {
    return this.seen.size;
  }

  private evict(t: number): void {
    for (const [key, expires] of this.seen) {
      if (expires > t && this.seen.size <= this.maxKeys) break;
      this.seen.delete(key);
    }
  }
}
