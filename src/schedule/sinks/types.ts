/**
 * Where a scheduled digest goes: one small `DigestSink` per platform, each rendering the core's
 * `Reply` with that platform's renderer (`src/render/`) and posting it to a channel. A digest too
 * large for one message is posted as several, in order; the scheduler records each part that the
 * platform accepted, so a retry after a crash or an error posts only the parts still missing.
 */
import type { Platform, Reply } from '../../core/types.js';

/** Options of one `DigestSink.post` call. */
export interface DigestPostOptions {
  /** Parts (1-based) already accepted in an earlier attempt; posting starts after them. */
  skipParts: number;
  /** Unique to this digest (its outbox row), for platforms that can drop a duplicate (Discord's nonce). */
  key: string;
  /** Called after each part is accepted, with the platform's message id; awaited before the next part. */
  onPart(part: number, ref: string | null): void | Promise<void>;
}

/** Posts digests to one platform. */
export interface DigestSink {
  readonly platform: Platform;
  /**
   * Renders and posts `reply` to `channelId`.
   * @returns how many parts (messages) the digest has in all
   * @throws DigestPostError (or any error) when the platform refuses or cannot be reached
   */
  post(channelId: string, reply: Reply, options: DigestPostOptions): Promise<{ parts: number }>;
  /**
   * Opens (or finds) the direct-message channel with a user, for watch alerts that belong to a
   * user (src/watch/). Absent on a sink that cannot reach users directly.
   * @returns a channel id `post` accepts
   * @throws DigestPostError (permanent when the user cannot be reached at all)
   */
  openDirect?(userId: string): Promise<string>;
}

/**
 * A posting failure. `permanent`: retrying cannot help (unknown channel, bot not in the channel,
 * revoked token), so the scheduler records the digest as failed at once instead of retrying.
 */
export class DigestPostError extends Error {
  override readonly name = 'DigestPostError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Most messages one digest may be split into (the renderers' limits keep real digests at 1–2). */
export const MAX_DIGEST_PARTS = 20;
