/**
 * Time as the scheduler sees it: `now()` and one-shot timers. Production uses the system clock;
 * tests use `ManualClock`, whose time moves only when the test says so, so a test of a
 * fall-back night or a week of weekday digests runs in milliseconds and never waits.
 */

/** A timer handle, opaque to callers. */
export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

/** The clock and timers the scheduler runs on. */
export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds (clamped to ≥ 0). */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Node's setTimeout takes at most 2^31-1 ms (about 24.8 days); longer waits are cut to this. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The system clock; timers are `unref`ed so a pending digest never keeps a finished process alive. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    t.unref?.();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface ManualTimer {
  id: number;
  due: number;
  fn: () => void;
}

/** Lets promises and I/O callbacks queued so far run (a few macrotask turns). */
async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told: `advance(ms)` / `advanceTo(date)` fire the timers that fall
 * due, in time order (ties in creation order), each at its own due time, and after each one wait
 * for `settle()` (default: a few turns of the event loop; pass the scheduler's `idle`) so that work
 * a timer starts is finished before time moves on.
 */
export class ManualClock implements Clock {
  private t: number;
  private nextId = 1;
  private readonly timers: ManualTimer[] = [];

  constructor(start: Date | string | number) {
    this.t = new Date(start).getTime();
    if (Number.isNaN(this.t)) throw new Error(`ManualClock: ${String(start)} is not a date`);
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    const id = (handle as { id?: number }).id;
    const i = this.timers.findIndex((t) => t.id === id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers; see the class docstring. */
  async advance(ms: number, settle: () => Promise<unknown> = drain): Promise<void> {
    await this.advanceTo(new Date(this.t + ms), settle);
  }

  /**
   * Moves time to `target` (never backwards), firing due timers in order.
   * @throws Error after 100 000 timers in one call (a timer loop that never lets time pass)
   */
  async advanceTo(target: Date | string, settle: () => Promise<unknown> = drain): Promise<void> {
    const end = new Date(target).getTime();
    for (let fired = 0; ; fired++) {
      if (fired > 100_000) throw new Error('ManualClock: more than 100000 timers fired in one advance');
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.due);
      next.fn();
      await settle();
    }
    this.t = Math.max(this.t, end);
    await settle();
  }
}
