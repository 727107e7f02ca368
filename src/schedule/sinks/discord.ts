/**
 * Digests to Discord: "Create Message" (`POST /channels/{id}/messages`) with the embeds of
 * `renderDiscord`, one message per part, `allowed_mentions: { parse: [] }` so nothing in a story
 * can ping anyone, and a `nonce` with `enforce_nonce` so that Discord itself drops a repeat of the
 * same part sent again within a few minutes (a retry after a crash that hit just after the post;
 * Discord API reference, "Create Message"). The REST client is discord.js's (`client.rest`, or a
 * `REST` of its own when the bot runs sharded), which waits out 429s itself.
 */
import { Routes } from 'discord.js';
import type { Reply } from '../../core/types.js';
import { renderDiscord } from '../../render/discord.js';
import { DigestPostError, MAX_DIGEST_PARTS, type DigestPostOptions, type DigestSink } from './types.js';

/** What the sink needs of a Discord REST client (`@discordjs/rest`'s `REST`). */
export interface DiscordRestClient {
  post(route: `/${string}`, options: { body: unknown }): Promise<unknown>;
}

/** Discord's longest nonce (Create Message: "up to 25 characters"). */
export const DISCORD_NONCE_MAX = 25;

/** HTTP statuses no retry can fix: bad request, unauthorised, forbidden (no access), unknown channel. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404]);

/** A sink posting to Discord channels through `rest`. */
export function discordDigestSink(rest: DiscordRestClient): DigestSink {
  return {
    platform: 'discord',
    async post(channelId: string, reply: Reply, options: DigestPostOptions): Promise<{ parts: number }> {
      if (!/^\d{5,25}$/.test(channelId)) throw new DigestPostError(`“${channelId.slice(0, 40)}” is not a Discord channel id`, true);
      let part = 1;
      for (; part <= MAX_DIGEST_PARTS; part++) {
        const m = renderDiscord(reply, { part });
        if (part > options.skipParts) {
          const body = {
            embeds: m.embeds,
            allowed_mentions: { parse: [] },
            nonce: `${options.key}.${part}`.slice(-DISCORD_NONCE_MAX),
            enforce_nonce: true,
          };
          let res: unknown;
          try {
            res = await rest.post(Routes.channelMessages(channelId), { body });
          } catch (err) {
            const status = (err as { status?: unknown }).status;
            const permanent = typeof status === 'number' && PERMANENT_STATUSES.has(status);
            throw new DigestPostError(`Discord create message failed: ${(err as Error).message}`, permanent, { cause: err });
          }
          const id = (res as { id?: unknown } | null)?.id;
          await options.onPart(part, typeof id === 'string' ? id : null);
        }
        if (m.omitted === 0) break;
      }
      return { parts: Math.min(part, MAX_DIGEST_PARTS) };
    },
    async openDirect(userId: string): Promise<string> {
      // "Create DM" (POST /users/@me/channels): the DM channel with the user, made or found.
      if (!/^\d{5,25}$/.test(userId)) throw new DigestPostError(`“${userId.slice(0, 40)}” is not a Discord user id`, true);
      let res: unknown;
      try {
        res = await rest.post(Routes.userChannels(), { body: { recipient_id: userId } });
      } catch (err) {
        const status = (err as { status?: unknown }).status;
        throw new DigestPostError(`Discord create DM failed: ${(err as Error).message}`, typeof status === 'number' && PERMANENT_STATUSES.has(status), { cause: err });
      }
      const id = (res as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') throw new DigestPostError('Discord create DM returned no channel', false);
      return id;
    },
  };
}

/**
 * A REST client of its own for posting digests when the bot runs sharded (the shard processes
 * hold the gateway clients; the parent posts over REST, which needs no gateway).
 * @param apiUrl REST base (DISCORD_API_URL), default Discord's
 */
export async function discordRest(token: string, apiUrl?: string): Promise<DiscordRestClient> {
  const { REST } = await import('discord.js');
  const { normaliseApiUrl } = await import('../../adapters/discord/adapter.js');
  return new REST(apiUrl ? { api: normaliseApiUrl(apiUrl) } : {}).setToken(token);
}
