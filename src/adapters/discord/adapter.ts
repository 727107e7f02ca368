/**
 * The Discord adapter: a discord.js v14 `Client` whose `interactionCreate` listener turns slash
 * commands, autocomplete requests and page buttons into `CommandRequest`s / `suggest()` calls on
 * the bot core, and delivers the core's `Reply`, rendered by `src/render/discord.ts`.
 *
 * Timing (Discord allows 3 s for the first response; the interaction token then lives 15 min):
 * commands marked `mayBeSlow` call `deferReply()` at once; the others answer directly when the
 * core is done within `deferAfterMs` (default 1000 ms) and defer otherwise, then `editReply`.
 * Autocomplete cannot be deferred: `suggest()` gets `suggestTimeoutMs` (default 1500 ms) and an
 * empty list is sent if it is slower. Errors and help are ephemeral; when an ephemeral reply
 * follows a public deferral, the placeholder is deleted and the reply sent as an ephemeral follow-up.
 *
 * Pings: the client is created with `allowedMentions: { parse: [] }` and every payload sets it
 * again, so nothing an article says can ping `@everyone`, `@here`, a role or a user.
 */
import { internalErrorReply } from '../../core/index.js';
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Logger as PinoLogger } from 'pino';
import { pino } from 'pino';
import type { BotCore, CommandRequest, Reply } from '../../core/types.js';
import {
  DISCORD_LIMITS,
  decodePageRef,
  encodePageRef,
  renderDiscord,
  truncate,
  type DiscordMessage,
  type PageRef,
} from '../../render/discord.js';
import { commandSpec } from './commands.js';

/** Default wait before a command not marked slow is deferred. Discord's hard limit is 3000 ms. */
export const DEFER_AFTER_MS = 1000;
/** Default time `suggest()` gets before autocomplete answers with no choices (limit 3000 ms). */
export const SUGGEST_TIMEOUT_MS = 1500;
/** Page references too long for a custom_id are kept in memory; this many at most (oldest dropped). */
export const PAGE_REF_STORE_MAX = 10_000;

/** How the adapter reaches Discord and behaves in a guild. */
export interface DiscordAdapterOptions {
  /** REST base without the version, e.g. `http://127.0.0.1:4000/api` for a local fake. Default Discord's. */
  apiUrl?: string;
  /** Discord user ids allowed to run state-changing commands (sets `CommandRequest.isAdmin`). */
  admins?: readonly string[];
  deferAfterMs?: number;
  suggestTimeoutMs?: number;
  /** Structured log. Default pino at "info" on stderr. */
  logger?: PinoLogger;
  /** Extra discord.js client options (shard ids in tests); `allowedMentions`, `intents` and `rest.api` are ours. */
  clientOptions?: { shards?: number | number[]; shardCount?: number };
}

/** The adapter: the client plus what `startDiscord` and tests need. */
export interface DiscordAdapter {
  client: Client;
  /** Logs in (fetches the gateway URL over REST, connects, waits for READY). */
  login(token: string): Promise<void>;
  /** Destroys the client (closes the gateway connection). Safe to call twice. */
  stop(): Promise<void>;
  /** Settles when every interaction being handled has been answered (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * Normalises a REST base URL to what `@discordjs/rest` expects: no trailing slash and no
 * API version (`https://discord.com/api/v10/` → `https://discord.com/api`).
 */
export function normaliseApiUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}


function unknownCommandReply(name: string): Reply {
  return {
    status: 'error',
    title: `/${name} is not a command of this bot`,
    blocks: [{ type: 'paragraph', text: 'Type /help for the commands. If the list looks out of date, ask an admin to run npm run discord:register.' }],
    visibility: 'ephemeral',
  };
}

function expiredButtonReply(): Reply {
  return {
    status: 'error',
    title: 'This button has expired',
    blocks: [{ type: 'paragraph', text: 'Run the command again to get a fresh answer.' }],
    visibility: 'ephemeral',
  };
}

/** Options for `reply` / `followUp`. */
function replyOptions(msg: DiscordMessage): InteractionReplyOptions {
  return {
    embeds: msg.embeds,
    components: msg.components,
    allowedMentions: msg.allowedMentions,
    ...(msg.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Options for `editReply`: same content, no flags (a message's visibility is fixed when it is created). */
function editOptions(msg: DiscordMessage): InteractionEditReplyOptions {
  return { embeds: msg.embeds, components: msg.components, allowedMentions: msg.allowedMentions };
}

/** Keeps page references that do not fit a custom_id; keys are `nb:r:<base36 counter>`. */
class PageRefStore {
  private readonly refs = new Map<string, PageRef>();
  private next = 0;
  constructor(private readonly max: number) {}
  put(ref: PageRef): string {
    const key = `nb:r:${(this.next++).toString(36)}`;
    this.refs.set(key, ref);
    if (this.refs.size > this.max) this.refs.delete(this.refs.keys().next().value!);
    return key;
  }
  get(key: string): PageRef | undefined {
    return this.refs.get(key);
  }
}

const TIMED_OUT = Symbol('timed out');

/** Resolves to the promise's value, or to `TIMED_OUT` after `ms`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the client and its listeners; does not log in. */
export function createDiscordAdapter(core: BotCore, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const log = options.logger ?? pino({ level: 'info' }, pino.destination(2));
  const admins = new Set(options.admins ?? []);
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  const suggestTimeoutMs = options.suggestTimeoutMs ?? SUGGEST_TIMEOUT_MS;
  const refs = new PageRefStore(PAGE_REF_STORE_MAX);
  const encodeRef = (ref: PageRef): string => encodePageRef(ref) ?? refs.put(ref);
  const pending = new Set<Promise<void>>();

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    ...(options.apiUrl ? { rest: { api: normaliseApiUrl(options.apiUrl) } } : {}),
    ...(options.clientOptions ?? {}),
  });

  /** Runs the core, turning a thrown error (a bug, a closed index) into an ephemeral reply. */
  const answer = async (request: CommandRequest): Promise<Reply> => {
    try {
      return await core.handle(request);
    } catch (err) {
      log.error({ err, command: request.command }, 'core failed to answer a Discord command');
      return internalErrorReply();
    }
  };

  const requestFor = (
    i: ChatInputCommandInteraction | ButtonInteraction,
    ref: Pick<CommandRequest, 'command' | 'args' | 'page'>,
  ): CommandRequest => ({
    command: ref.command,
    args: ref.args,
    page: ref.page ?? 1,
    platform: 'discord',
    userId: i.user.id,
    ...(i.channelId ? { channelId: i.channelId } : {}),
    isAdmin: admins.has(i.user.id),
    // A command in a DM with the bot has no guild.
    direct: !i.guildId,
  });

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const spec = commandSpec(i.commandName);
    if (!spec) {
      // A command registered by an older version of the bot, or by hand.
      await i.reply(replyOptions(renderDiscord(unknownCommandReply(i.commandName))));
      return;
    }
    const args = spec.option ? (i.options.getString(spec.option) ?? '').trim() : '';
    const request = requestFor(i, { command: spec.command, args, page: 1 });
    const work = answer(request);
    let deferred = false;
    if (spec.mayBeSlow) {
      await i.deferReply();
      deferred = true;
    } else if ((await within(work, deferAfterMs)) === TIMED_OUT) {
      await i.deferReply();
      deferred = true;
    }
    const msg = renderDiscord(await work, { request, encodeRef });
    if (!deferred) await i.reply(replyOptions(msg));
    else if (!msg.ephemeral) await i.editReply(editOptions(msg));
    else {
      // A public "thinking…" placeholder cannot turn ephemeral: replace it with an ephemeral follow-up.
      await i.deleteReply();
      await i.followUp(replyOptions(msg));
    }
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const spec = commandSpec(i.commandName);
    const focused = i.options.getFocused(true);
    const kind = spec?.option === focused.name ? spec.autocomplete : null;
    let names: string[] = [];
    if (kind) {
      const prefix = String(focused.value ?? '').slice(0, DISCORD_LIMITS.choiceValue);
      const found = await within(
        core.suggest(kind, prefix, DISCORD_LIMITS.autocompleteChoices).catch((err: unknown) => {
          log.error({ err }, 'suggest failed');
          return [] as string[];
        }),
        suggestTimeoutMs,
      );
      if (found === TIMED_OUT) log.warn({ kind, prefix }, `suggest took longer than ${suggestTimeoutMs} ms`);
      else names = found;
    }
    const seen = new Set<string>();
    const choices: { name: string; value: string }[] = [];
    for (const raw of names) {
      const name = raw.replace(/\s+/g, ' ').trim();
      const value = name.slice(0, DISCORD_LIMITS.choiceValue);
      if (!name || seen.has(value)) continue;
      seen.add(value);
      choices.push({ name: truncate(name, DISCORD_LIMITS.choiceName), value });
      if (choices.length === DISCORD_LIMITS.autocompleteChoices) break;
    }
    await i.respond(choices);
  }

  async function onButton(i: ButtonInteraction): Promise<void> {
    const ref = decodePageRef(i.customId) ?? refs.get(i.customId);
    if (!ref) {
      if (!i.customId.startsWith('nb:')) return; // another app's button
      await i.reply(replyOptions(renderDiscord(expiredButtonReply())));
      return;
    }
    await i.deferUpdate();
    const request = requestFor(i, ref);
    const msg = renderDiscord(await answer(request), { request, part: ref.part, encodeRef });
    if (msg.ephemeral) await i.followUp(replyOptions(msg));
    else await i.editReply(editOptions(msg));
  }

  async function onInteraction(i: Interaction): Promise<void> {
    try {
      if (i.isChatInputCommand()) await onCommand(i);
      else if (i.isAutocomplete()) await onAutocomplete(i);
      else if (i.isButton()) await onButton(i);
    } catch (err) {
      // Expired tokens, a network failure or an already-answered interaction: log, never crash.
      log.error({ err, interaction: i.id }, 'could not answer a Discord interaction');
      if (i.isRepliable() && !i.replied && !i.deferred) {
        await i.reply(replyOptions(renderDiscord(internalErrorReply()))).catch(() => undefined);
      }
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    const p = onInteraction(i);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord.js client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  client.once(Events.ClientReady, (c) => log.info({ user: c.user.tag, shards: c.ws.shards.size }, 'Discord client ready'));

  let stopped = false;
  return {
    client,
    async login(token: string) {
      await new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        client.login(token).catch(reject);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled([...pending]);
      await client.destroy();
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
