/**
 * How Slack text becomes a core command: slash-command names (with an optional workspace
 * prefix, so `/news-quotes` can stand in for `/quotes` where another app owns `/quotes`),
 * and the words of an app mention or direct message ("@bot who france", "quotes zakharova").
 */
import { readsAsQuestion } from '../../core/questions.js';
import { COMMAND_NAMES, type CommandName } from '../../core/types.js';

/** Every command the core answers, in the order help lists them. */
export const SLACK_COMMANDS: readonly CommandName[] = COMMAND_NAMES;

/** Slack's limit on a slash command's name, slash included (manifest reference: 32 characters). */
export const SLACK_MAX_COMMAND_NAME = 32;

/** Longest argument text we pass to the core from a mention or DM (slash commands are capped by Slack itself). */
export const SLACK_MAX_ARGS = 1000;

/**
 * Checks a command-name prefix: lower-case letters, digits, `-` and `_`, short enough that
 * `/` + prefix + the longest command name fits Slack's 32-character limit.
 * @throws Error naming the problem
 */
export function validateCommandPrefix(prefix: string): string {
  if (!/^[a-z0-9_-]*$/.test(prefix)) {
    throw new Error(`Slack command prefix "${prefix}" may only hold lower-case letters, digits, "-" and "_"`);
  }
  const longest = Math.max(...SLACK_COMMANDS.map((c) => c.length));
  if (1 + prefix.length + longest > SLACK_MAX_COMMAND_NAME) {
    throw new Error(`Slack command prefix "${prefix}" is too long: command names are limited to ${SLACK_MAX_COMMAND_NAME} characters`);
  }
  return prefix;
}

/** The slash command for a core command under a prefix: `slashCommandName('quotes', 'news-')` → `/news-quotes`. */
export function slashCommandName(command: CommandName, prefix: string): string {
  return `/${prefix}${command}`;
}

/** Removes every user mention (`<@U123>`, `<@U123|name>`) from message text, the bot's own included. */
export function stripUserMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/gi, ' ').replace(/\s+/g, ' ').trim();
}

/** Slack-escaped text back to what the user typed (`&amp;` → `&`, `&lt;` → `<`, `&gt;` → `>`). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Outcome of reading a mention or DM. */
export type ParsedText =
  | { ok: true; command: CommandName; args: string }
  | { ok: false; word: string };

/**
 * Reads "who france", "/who france", "/news-who france" or "Quotes: Zakharova" from the text of
 * an app mention or a direct message (mentions already stripped).
 * @returns the command and its arguments (trimmed, at most `SLACK_MAX_ARGS` characters), or
 *   `{ ok: false, word }` with the first word when it names no command or the text reads as a
 *   plain question (`readQuestion`; the adapter asks `/ask`), and `word: ''` for empty text
 */
export function parseCommandText(text: string, prefix: string): ParsedText {
  const clean = unescapeSlack(text).trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(clean);
  if (!m) return { ok: false, word: '' };
  const first = m[1] ?? '';
  let word = first.toLowerCase().replace(/^\//, '').replace(/[:,.!?]+$/, '');
  if (prefix && word.startsWith(prefix) && !SLACK_COMMANDS.includes(word as CommandName)) word = word.slice(prefix.length);
  const command = SLACK_COMMANDS.find((c) => c === word);
  // "who is X", "what did X say about Y": a plain question, for /ask, even when it starts with a command word.
  if (!command || (!first.startsWith('/') && readsAsQuestion(clean, (m[2] ?? '').trim()))) return { ok: false, word: first };
  return { ok: true, command, args: (m[2] ?? '').trim().slice(0, SLACK_MAX_ARGS) };
}

/** Whether a Slack channel id is a direct message with the bot (DM ids start with `D`). */
export function isDirectChannel(channelId: string | undefined): boolean {
  return channelId !== undefined && channelId.startsWith('D');
}
