/**
 * The Discord slash commands, defined as data (the JSON body Discord's "Bulk Overwrite Application
 * Commands" endpoint takes), built with discord.js's `SlashCommandBuilder`. They are registered by
 * `scripts/discord-register.ts`, never on start-up. Each command has at most one string option;
 * its value becomes `CommandRequest.args`.
 */
import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { CommandName } from '../../core/types.js';

/** How one slash command maps onto the core. */
export interface DiscordCommandSpec {
  command: CommandName;
  /** The string option carrying the arguments, if any. */
  option: string | null;
  /** Autocomplete source for the option: speakers of quotes or any entity. */
  autocomplete: 'speaker' | 'entity' | null;
  /** Whether the answer may take longer than about a second: such commands `deferReply()` at once. */
  mayBeSlow: boolean;
}

/** Longest option value accepted by Discord for a name (speaker, entity). */
export const NAME_MAX_LENGTH = 100;
/** Longest search query or story hint accepted. */
export const QUERY_MAX_LENGTH = 200;

/** One entry per command, in the order `/help` lists them. */
export const DISCORD_COMMAND_SPECS: readonly DiscordCommandSpec[] = [
  { command: 'summary', option: 'story', autocomplete: null, mayBeSlow: true },
  { command: 'quotes', option: 'speaker', autocomplete: 'speaker', mayBeSlow: false },
  { command: 'who', option: 'name', autocomplete: 'entity', mayBeSlow: false },
  { command: 'search', option: 'query', autocomplete: null, mayBeSlow: true },
  { command: 'check', option: 'quote', autocomplete: null, mayBeSlow: true },
  { command: 'watch', option: 'subject', autocomplete: 'entity', mayBeSlow: false },
  { command: 'unwatch', option: 'id', autocomplete: null, mayBeSlow: false },
  { command: 'ask', option: 'question', autocomplete: null, mayBeSlow: true },
  { command: 'digest', option: 'period', autocomplete: null, mayBeSlow: true },
  { command: 'help', option: 'command', autocomplete: null, mayBeSlow: false },
];

/** Looks up the spec of a slash command by its name; undefined for commands this bot does not own. */
export function commandSpec(name: string): DiscordCommandSpec | undefined {
  return DISCORD_COMMAND_SPECS.find((s) => s.command === name);
}

/** The command definitions sent to Discord by the register script. */
export function discordCommandData(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const summary = new SlashCommandBuilder()
    .setName('summary')
    .setDescription('Summarise a story: the latest one, or the one whose headline matches your words')
    .addStringOption((o) =>
      o
        .setName('story')
        .setDescription('Words from the headline (leave empty for the latest story)')
        .setMaxLength(QUERY_MAX_LENGTH),
    );
  const quotes = new SlashCommandBuilder()
    .setName('quotes')
    .setDescription('What a speaker said, quote by quote, with the story each quote is from')
    .addStringOption((o) =>
      o
        .setName('speaker')
        .setDescription('Who said it: a name, surname or title')
        .setRequired(true)
        .setAutocomplete(true)
        .setMaxLength(NAME_MAX_LENGTH),
    );
  const who = new SlashCommandBuilder()
    .setName('who')
    .setDescription('Who a person, organisation or country is, as the stories describe them')
    .addStringOption((o) =>
      o
        .setName('name')
        .setDescription('A name, surname, acronym or alias')
        .setRequired(true)
        .setAutocomplete(true)
        .setMaxLength(NAME_MAX_LENGTH),
    );
  const search = new SlashCommandBuilder()
    .setName('search')
    .setDescription('Search the headlines and text of every story')
    .addStringOption((o) =>
      o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(QUERY_MAX_LENGTH),
    );
  const check = new SlashCommandBuilder()
    .setName('check')
    .setDescription('Check a quote against the archive: verbatim, close, partial or not found')
    .addStringOption((o) =>
      o.setName('quote').setDescription('The quote, optionally "speaker: quote"').setRequired(true).setMaxLength(QUERY_MAX_LENGTH),
    );
  const watch = new SlashCommandBuilder()
    .setName('watch')
    .setDescription('Alert when a new story quotes or mentions a name, or has your words')
    .addStringOption((o) =>
      o
        .setName('subject')
        .setDescription('A name, "words in quotes", "me <name>" for alerts by DM, or "list"')
        .setRequired(true)
        .setAutocomplete(true)
        .setMaxLength(NAME_MAX_LENGTH),
    );
  const unwatch = new SlashCommandBuilder()
    .setName('unwatch')
    .setDescription('Stop a watch')
    .addStringOption((o) => o.setName('id').setDescription('The watch number (/watch list shows them)').setRequired(true).setMaxLength(12));
  const ask = new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask in plain words: what did X say about Y, who is X, did X say "…"')
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(QUERY_MAX_LENGTH));
  const digest = new SlashCommandBuilder()
    .setName('digest')
    .setDescription('A digest of recent stories')
    .addStringOption((o) =>
      o
        .setName('period')
        .setDescription('Which stories, e.g. "today" or "24h" (default: the latest)')
        .setMaxLength(QUERY_MAX_LENGTH),
    );
  const help = new SlashCommandBuilder()
    .setName('help')
    .setDescription('What the newsroom bot can do')
    .addStringOption((o) =>
      o
        .setName('command')
        .setDescription('A command to explain')
        .addChoices(...DISCORD_COMMAND_SPECS.map((s) => ({ name: s.command, value: s.command }))),
    );
  return [summary, quotes, who, search, check, watch, unwatch, ask, digest, help].map((b) => b.toJSON());
}

/** OAuth2 scopes the bot is invited with: `bot` (join the server, post digests) and `applications.commands` (slash commands). */
export const DISCORD_INVITE_SCOPES = ['bot', 'applications.commands'] as const;

/**
 * Channel permissions the bot asks for: View Channels and Send Messages (to post scheduled
 * digests in a channel), Embed Links (digests and answers are embeds). Answers to slash commands
 * need none (they are interaction responses). No privileged intents are used.
 */
export const DISCORD_INVITE_PERMISSIONS = {
  ViewChannel: PermissionFlagsBits.ViewChannel,
  SendMessages: PermissionFlagsBits.SendMessages,
  EmbedLinks: PermissionFlagsBits.EmbedLinks,
} as const;

/** The permissions integer of `DISCORD_INVITE_PERMISSIONS` (1024 + 2048 + 16384 = 19456). */
export function discordInvitePermissions(): bigint {
  return Object.values(DISCORD_INVITE_PERMISSIONS).reduce((a, b) => a | b, 0n);
}

/**
 * The URL that adds the bot to a server: Discord's OAuth2 authorize page with the application
 * id, `DISCORD_INVITE_SCOPES` and `discordInvitePermissions()`.
 * @param applicationId the application id (digits) from the developer portal
 */
export function discordInviteUrl(applicationId: string): string {
  const q = new URLSearchParams({ client_id: applicationId, scope: DISCORD_INVITE_SCOPES.join(' '), permissions: discordInvitePermissions().toString() });
  return `https://discord.com/oauth2/authorize?${q.toString()}`;
}
