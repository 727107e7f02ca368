/**
 * The Slack adapter: a Bolt app whose listeners turn slash commands, app mentions, direct
 * messages and "More" button clicks into `CommandRequest`s for the bot core, and deliver the
 * core's `Reply`, rendered by `src/render/slack.ts`, back to Slack.
 *
 * Timing: every slash command and button click is acknowledged with an empty `ack()` before
 * the core runs (Slack allows 3 s), and the answer follows through `respond()` (the
 * response_url stays valid for 30 minutes). Events are acknowledged by Bolt on arrival.
 * Mentions are answered in the thread with `chat.postMessage`; errors and help are ephemeral
 * (`respond` ephemeral, `chat.postEphemeral` for mentions). Retried events already handled are
 * dropped (`DedupeStore`, keyed on `event_id`), and Web API calls that get 429 wait for
 * `Retry-After` and are retried at most `apiRetries` times (Bolt's WebClient retry policy).
 */
import { internalErrorReply, suggestCommand } from '../../core/index.js';
import { readQuestion } from '../../core/questions.js';
import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Logger as PinoLogger } from 'pino';
import { z } from 'zod';
import type { BotCore, CommandName, CommandRequest, Reply } from '../../core/types.js';
import {
  SLACK_MORE_ACTION_ID,
  decodePageValue,
  renderSlack,
  slackLimitViolations,
  type SlackMessage,
} from '../../render/slack.js';
import {
  SLACK_COMMANDS,
  SLACK_MAX_ARGS,
  isDirectChannel,
  parseCommandText,
  unescapeSlack,
  slashCommandName,
  stripUserMentions,
  validateCommandPrefix,
} from './commands.js';
import { MemoryDedupe, type DedupeStore } from './dedupe.js';
import { createLogger } from '../../logger.js';
import { boltLogger } from './log.js';

/** Default number of retries of a Web API call after a 429 (or a network error) before giving up. */
export const SLACK_API_RETRIES = 3;
/** Path Slack posts slash commands, events and interactions to in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Path that answers 200 "ok" for load balancers and uptime checks in HTTP mode. */
export const SLACK_HEALTH_PATH = '/healthz';

/** How the adapter reaches Slack and behaves in a workspace. */
export interface SlackAdapterOptions {
  /** Bot token (`xoxb-…`): Web API calls. */
  botToken: string;
  /** Signing secret: verifies HTTP requests. Required unless `appToken` is given. */
  signingSecret?: string;
  /** App-level token (`xapp-…`): turns on Socket Mode (no public URL needed). */
  appToken?: string;
  /** Web API base URL, e.g. `http://127.0.0.1:4000/api/` for a local fake. Default Slack's. */
  apiUrl?: string;
  /** Prefix of every slash command name (`news-` → `/news-quotes`). Default none. */
  commandPrefix?: string;
  /** Answers visible to the channel (default) or only to the asker. Errors and help are always ephemeral. */
  answersInChannel?: boolean;
  /** Slack user ids allowed to run state-changing commands (sets `CommandRequest.isAdmin`). */
  admins?: readonly string[];
  /** Retries of a Web API call after a 429 before it fails. Default `SLACK_API_RETRIES`. */
  apiRetries?: number;
  /** Milliseconds p-retry waits before the first retry (on top of `Retry-After`). Default 200. */
  apiRetryMinTimeoutMs?: number;
  /** Where handled event ids are remembered. Default an in-memory store. */
  dedupe?: DedupeStore;
  /** Structured log. Default pino at "info" on stderr. */
  logger?: PinoLogger;
}

/** The adapter: the Bolt app plus what tests and `startSlack` need. */
export interface SlackAdapter {
  app: App;
  receiver: Receiver;
  mode: 'socket' | 'http';
  /** Slash command names registered, e.g. `/quotes` or `/news-quotes`. */
  commands: string[];
}

const slashSchema = z.object({
  command: z.string(),
  text: z.string().max(10_000).default(''),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
});

const mentionSchema = z.object({
  text: z.string().max(50_000).default(''),
  user: z.string().min(1),
  channel: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
});

const dmSchema = mentionSchema.extend({
  channel_type: z.literal('im'),
  subtype: z.undefined().optional(),
  bot_id: z.undefined().optional(),
});

const actionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string() }).optional(),
});

const eventEnvelopeSchema = z.object({ type: z.literal('event_callback'), event_id: z.string().min(1) });


/** Builds the Bolt app and registers every listener; does not start it. */
export function createSlackAdapter(core: BotCore, options: SlackAdapterOptions): SlackAdapter {
  const log = options.logger ?? createLogger('info');
  const prefix = validateCommandPrefix(options.commandPrefix ?? '');
  const answersInChannel = options.answersInChannel ?? true;
  const admins = new Set(options.admins ?? []);
  const dedupe = options.dedupe ?? new MemoryDedupe();
  const logger = boltLogger(log);
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: {
      retries: Math.max(0, options.apiRetries ?? SLACK_API_RETRIES),
      factor: 2,
      minTimeout: options.apiRetryMinTimeoutMs ?? 200,
      maxTimeout: 5_000,
    },
    rejectRateLimitedCalls: false,
    logger,
  };

  let receiver: Receiver;
  let mode: SlackAdapter['mode'];
  if (options.appToken) {
    mode = 'socket';
    receiver = new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions } });
  } else {
    if (!options.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');
    mode = 'http';
    receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: [SLACK_EVENTS_PATH],
      logger,
      customRoutes: [
        {
          path: SLACK_HEALTH_PATH,
          method: ['GET'],
          handler: (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end('ok');
          },
        },
      ],
    });
  }
  // Initialised by `startSlack` (`app.init()`: auth.test), so a rejected token is an error it can
  // report, not an unhandled rejection from the constructor.
  const app = new App({ token: options.botToken, receiver, logger, clientOptions, deferInitialization: true });

  /** Runs the core, turning a thrown error into an ephemeral error reply (logged). */
  async function ask(request: CommandRequest): Promise<Reply> {
    try {
      return await core.handle(request);
    } catch (err) {
      log.error({ err, command: request.command }, 'bot core failed');
      return internalErrorReply();
    }
  }

  function request(command: CommandName, args: string, userId: string, channelId?: string, page?: number, direct = isDirectChannel(channelId)): CommandRequest {
    return {
      command,
      args,
      platform: 'slack',
      userId,
      ...(channelId ? { channelId } : {}),
      ...(page ? { page } : {}),
      isAdmin: admins.has(userId),
      direct,
    };
  }

  /** Whether a reply goes to the asker only: errors and help always; answers when so configured or hinted. */
  function isEphemeral(reply: Reply): boolean {
    return reply.status === 'error' || reply.status === 'help' || reply.visibility === 'ephemeral' || !answersInChannel;
  }

  const commandWord = new RegExp(`(^|[\\s(“"'])/(${SLACK_COMMANDS.join('|')})\\b`, 'g');
  /** "/quotes" in the core's own wording becomes "/news-quotes" under a prefix. */
  const localise = (text: string) => (prefix ? text.replace(commandWord, (_m, pre: string, name: string) => `${pre}/${prefix}${name}`) : text);

  /**
   * Adds Slack-specific notes (an unrecognised word, the workspace's command names) and, under a
   * command prefix, rewrites command names in the core's own wording: context lines, and every
   * block of help, error and not-found replies. Answer paragraphs and quotes (article text) are left alone.
   */
  function annotate(reply: Reply, note?: string): Reply {
    if (prefix) {
      const all = reply.status !== 'answer';
      reply = {
        ...reply,
        blocks: reply.blocks.map((b) => {
          if (b.type === 'context') return { ...b, text: localise(b.text) };
          if (!all) return b;
          if (b.type === 'paragraph' || b.type === 'heading') return { ...b, text: localise(b.text) };
          if (b.type === 'list') return { ...b, items: b.items.map(localise) };
          return b;
        }),
      };
    }
    const extra: Reply['blocks'] = [];
    if (note) extra.push({ type: 'context', text: note });
    if (reply.status === 'help' && prefix) {
      extra.push({ type: 'context', text: `In this workspace every command starts with /${prefix}, e.g. ${slashCommandName('quotes', prefix)}.` });
    }
    return extra.length ? { ...reply, blocks: [...reply.blocks, ...extra] } : reply;
  }

  function render(reply: Reply, req: CommandRequest, part = 1): SlackMessage {
    const message = renderSlack(reply, { request: req, part });
    if (isEphemeral(reply)) message.responseType = 'ephemeral';
    const problems = slackLimitViolations(message);
    if (problems.length) log.warn({ problems, command: req.command }, 'rendered Slack message breaks a limit');
    return message;
  }

  // Drop Slack's retries of events we already took (and the second delivery of one message).
  app.use(async ({ body, next, context }) => {
    const envelope = eventEnvelopeSchema.safeParse(body);
    if (envelope.success && !(await dedupe.claim(`event:${envelope.data.event_id}`))) {
      log.info({ eventId: envelope.data.event_id, retryNum: context.retryNum, retryReason: context.retryReason }, 'duplicate Slack event ignored');
      return;
    }
    await next();
  });

  // Slash commands: ack at once, answer through the response_url.
  for (const command of SLACK_COMMANDS) {
    app.command(slashCommandName(command, prefix), async ({ ack, body, respond }) => {
      await ack();
      const parsed = slashSchema.safeParse(body);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues }, 'malformed slash command payload');
        return;
      }
      // Slack escapes &, < and > in slash command text; the core gets what the user typed.
      const req = request(command, unescapeSlack(parsed.data.text.trim()), parsed.data.user_id, parsed.data.channel_id);
      const reply = annotate(await ask(req));
      const message = render(reply, req);
      try {
        await respond({ response_type: message.responseType, replace_original: false, text: message.text, blocks: message.blocks });
      } catch (err) {
        log.error({ err, command }, 'could not deliver the answer to response_url');
      }
    });
  }

  // "More": the next part of a page, or the next page.
  app.action(SLACK_MORE_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const parsed = actionSchema.safeParse(body);
    const value = 'value' in action ? action.value : undefined;
    const page = decodePageValue(value);
    if (!parsed.success || !page) {
      log.warn('unreadable "More" button payload');
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That button no longer works: please ask again.' }).catch(
        (err: unknown) => log.error({ err }, 'could not deliver to response_url'),
      );
      return;
    }
    const req = request(page.command, page.args, parsed.data.user.id, parsed.data.channel?.id, page.page);
    const reply = annotate(await ask(req));
    const message = render(reply, req, page.part);
    try {
      await respond({ response_type: message.responseType, replace_original: false, text: message.text, blocks: message.blocks });
    } catch (err) {
      log.error({ err }, 'could not deliver the next page to response_url');
    }
  });

  /** Answers the text of a mention or DM in `channel` (in the thread `threadTs` when given). */
  async function answerText(
    text: string,
    user: string,
    channel: string,
    threadTs: string | undefined,
    client: App['client'],
    allowEphemeral: boolean,
    direct = false,
  ): Promise<void> {
    const plain = stripUserMentions(text);
    const parsed = parseCommandText(plain, prefix);
    let req: CommandRequest;
    let reply: Reply;
    if (parsed.ok) {
      req = request(parsed.command, parsed.args, user, channel, undefined, direct);
      reply = annotate(await ask(req));
    } else if (parsed.word && (readQuestion(unescapeSlack(plain)) !== null || !suggestCommand(parsed.word.replace(/^\//, '')))) {
      // A plain question ("what did zakharova say about nato"): the core reads it, and says how.
      req = request('ask', unescapeSlack(plain).slice(0, SLACK_MAX_ARGS), user, channel, undefined, direct);
      reply = annotate(await ask(req));
    } else {
      // Nothing, or a misspelt command ("qoutes zakharova"): help, with the command it resembles.
      req = request('help', '', user, channel, undefined, direct);
      const guess = parsed.word ? suggestCommand(parsed.word.replace(/^\//, '')) : null;
      const note = parsed.word
        ? `I don't know the command “${parsed.word.slice(0, 60)}”.${guess ? ` Did you mean “${guess}”?` : ''} Try for example “who france” or “quotes zakharova”.`
        : 'Ask me for example “who france”, “quotes zakharova” or “what did zakharova say about nato”.';
      reply = annotate(await ask(req), note);
    }
    const message = render(reply, req);
    const common = { channel, text: message.text, blocks: message.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) };
    if (allowEphemeral && message.responseType === 'ephemeral') {
      await client.chat.postEphemeral({ ...common, user });
    } else {
      await client.chat.postMessage({ ...common, unfurl_links: false, unfurl_media: false });
    }
  }

  // "@bot who france" in a channel: answer in the mention's thread.
  app.event('app_mention', async ({ event, client }) => {
    const parsed = mentionSchema.safeParse(event);
    if (!parsed.success) return;
    const m = parsed.data;
    if (!(await dedupe.claim(`message:${m.channel}:${m.ts}`))) return;
    try {
      await answerText(m.text, m.user, m.channel, m.thread_ts ?? m.ts, client, true);
    } catch (err) {
      log.error({ err, channel: m.channel }, 'could not answer an app mention');
    }
  });

  // Direct messages: "quotes zakharova" in the bot's DM.
  app.message(async ({ message, client }) => {
    const parsed = dmSchema.safeParse(message);
    if (!parsed.success) return; // not a DM, or an edit, a bot post, a join…
    const m = parsed.data;
    if (!(await dedupe.claim(`message:${m.channel}:${m.ts}`))) return;
    try {
      await answerText(m.text, m.user, m.channel, m.thread_ts, client, false, true);
    } catch (err) {
      log.error({ err, channel: m.channel }, 'could not answer a direct message');
    }
  });

  app.error(async (err) => {
    log.error({ err }, 'unhandled error in a Slack listener');
  });

  return { app, receiver, mode, commands: SLACK_COMMANDS.map((c) => slashCommandName(c, prefix)) };
}
