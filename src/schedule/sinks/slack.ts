/**
 * Digests to Slack: `chat.postMessage` into the channel, one message per part of the rendered
 * reply (`renderSlack`), links not unfurled. Text is escaped by the renderer (no `<!channel>`,
 * no `@here` can come out of an article). The client is Bolt's `app.client` (a `WebClient`, with
 * its own retries on 429), or anything with the same `chat.postMessage`.
 */
import type { Reply } from '../../core/types.js';
import { renderSlack, type SlackBlock } from '../../render/slack.js';
import { DigestPostError, MAX_DIGEST_PARTS, type DigestPostOptions, type DigestSink } from './types.js';

/** What the sink needs of a Slack Web API client. */
export interface SlackChatClient {
  chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks: SlackBlock[];
      unfurl_links: boolean;
      unfurl_media: boolean;
    }): Promise<{ ok?: boolean; ts?: string; error?: string }>;
  };
  /** `conversations.open` (scope `im:write`), for direct messages to a user. */
  conversations?: {
    open(args: { users: string }): Promise<{ ok?: boolean; channel?: { id?: string }; error?: string }>;
  };
}

/** Slack API errors that no retry can fix (Slack Web API reference, chat.postMessage "Errors"). */
export const SLACK_PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
]);

/** What to do about a channel error, said in the failure that the log and the outbox keep. */
const CHANNEL_HELP: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel (/invite @Newsroom Bot in it); public channels need no invite once the app has the chat:write.public scope (reinstall the app after updating its manifest)',
  channel_not_found: 'the channel id is wrong, or the channel is private and the bot is not in it: check digests.schedules[].channel (channel details → About → Channel ID) and invite the bot',
  missing_scope: 'the app lacks a scope: update it from config/slack-manifest.json and reinstall it to the workspace',
  is_archived: 'the channel is archived',
};

/** `Slack chat.postMessage failed: not_in_channel (invite the bot …)`. */
function failure(code: string): string {
  return `Slack chat.postMessage failed: ${code}${CHANNEL_HELP[code] ? ` (${CHANNEL_HELP[code]})` : ''}`;
}

/** The Slack error code of a WebClient error (`data.error`), or of a `{ ok: false, error }` answer. */
function slackErrorCode(err: unknown): string | null {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** A sink posting to Slack channels through `client`. */
export function slackDigestSink(client: SlackChatClient): DigestSink {
  return {
    platform: 'slack',
    async post(channelId: string, reply: Reply, options: DigestPostOptions): Promise<{ parts: number }> {
      const first = renderSlack(reply, { part: 1 });
      const total = Math.min(first.parts, MAX_DIGEST_PARTS);
      for (let part = options.skipParts + 1; part <= total; part++) {
        const m = part === 1 ? first : renderSlack(reply, { part });
        const blocks = [...m.blocks];
        // Every part is posted, so the renderer's "more results were left out" note is not true here.
        if (part < m.parts && blocks[blocks.length - 1]?.type === 'context') blocks.pop();
        let res: { ok?: boolean; ts?: string; error?: string };
        try {
          res = await client.chat.postMessage({ channel: channelId, text: m.text, blocks, unfurl_links: false, unfurl_media: false });
        } catch (err) {
          const code = slackErrorCode(err);
          throw new DigestPostError(code ? failure(code) : `Slack chat.postMessage failed: ${(err as Error).message}`, code !== null && SLACK_PERMANENT_ERRORS.has(code), { cause: err });
        }
        if (res.ok === false) {
          throw new DigestPostError(failure(res.error ?? 'unknown error'), SLACK_PERMANENT_ERRORS.has(res.error ?? ''));
        }
        await options.onPart(part, res.ts ?? null);
      }
      return { parts: total };
    },
    async openDirect(userId: string): Promise<string> {
      if (!client.conversations) throw new DigestPostError('this Slack client cannot open direct messages', true);
      let res: { ok?: boolean; channel?: { id?: string }; error?: string };
      try {
        res = await client.conversations.open({ users: userId });
      } catch (err) {
        const code = slackErrorCode(err);
        throw new DigestPostError(`Slack conversations.open failed: ${code ?? (err as Error).message}`, code !== null && SLACK_PERMANENT_ERRORS.has(code), { cause: err });
      }
      if (res.ok === false || !res.channel?.id) {
        throw new DigestPostError(`Slack conversations.open failed: ${res.error ?? 'no channel'}`, SLACK_PERMANENT_ERRORS.has(res.error ?? ''));
      }
      return res.channel.id;
    },
  };
}
