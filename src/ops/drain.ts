/**
 * Draining on shutdown: a `BotCore` wrapper that counts commands in flight, so `main` can wait
 * for them to finish before closing the index (SIGTERM: stop taking work, finish what is under
 * way, close, exit 0).
 */
import type { BotCore } from '../core/types.js';

/** A core that knows its commands in flight. */
export interface DrainableCore {
  core: BotCore;
  /** Commands (and autocomplete look-ups) under way now. */
  inFlight(): number;
  /**
   * Resolves when nothing is in flight, or after `timeoutMs` milliseconds.
   * @returns true when drained, false on timeout
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Wraps `core` so that its calls in flight can be awaited. */
export function drainable(core: BotCore): DrainableCore {
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    const done = (): void => void pending.delete(p);
    p.then(done, done);
    return p;
  };
  return {
    core: {
      handle: (request) => track(core.handle(request)),
      suggest: (kind, prefix, limit) => track(core.suggest(kind, prefix, limit)),
    },
    inFlight: () => pending.size,
    async drain(timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (pending.size > 0) {
        const left = end - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...pending]),
          new Promise((r) => {
            timer = setTimeout(r, left);
          }),
        ]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
