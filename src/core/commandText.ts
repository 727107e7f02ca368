/**
 * Reading a command typed as text ("/who france", "quotes zakharova --page 2"), as the
 * terminal and the CLI's `ask` receive it. Platform-neutral: chat platforms that deliver
 * slash commands already split name and argument.
 */
import { readsAsQuestion } from './questions.js';
import { COMMAND_NAMES, type CommandName } from './types.js';

const NAMES: readonly CommandName[] = COMMAND_NAMES;

/** The result of `parseCommandText`. */
export type ParsedCommandText =
  | { ok: true; command: CommandName; args: string; page?: number }
  | { ok: false; error: string };

/**
 * Splits a typed command into name, argument and optional trailing `--page N`.
 * The leading slash is optional and the name is case-insensitive; a line that starts with a
 * word naming no command (and no slash) is a plain question, read as `ask` with the whole line.
 * @returns the command, or `{ ok: false, error }` naming the unknown command (or the empty line)
 */
export function parseCommandText(text: string): ParsedCommandText {
  // Invisible format characters (zero-width space/joiners, word joiner, BOM, bidi marks) are not part of a command.
  const line = text.replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g, '').trim();
  if (!line) return { ok: false, error: 'Type a command, e.g. /summary, or /help for the list.' };
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
  const name = m[1]!.toLowerCase();
  // A line without a slash that reads as a question ("who is X", "what did X say about Y") or
  // starts with no command word is a plain question for /ask.
  if (!line.startsWith('/') && /[\p{L}\p{N}]/u.test(line) && (!(NAMES as readonly string[]).includes(name) || readsAsQuestion(line, m[2]!.trim()))) return { ok: true, command: 'ask', args: line };
  if (!(NAMES as readonly string[]).includes(name)) {
    const shown = m[1]!.length > 30 ? `${m[1]!.slice(0, 30)}…` : m[1]!;
    return { ok: false, error: `Unknown command "/${shown.replace(/^\/+/, '')}". Type /help for the commands.` };
  }
  let args = m[2]!.trim();
  let page: number | undefined;
  const p = /(?:^|\s)--page[=\s]+(\d{1,6})$/.exec(args);
  if (p) {
    page = Number(p[1]);
    args = args.slice(0, p.index).trim();
  }
  return { ok: true, command: name as CommandName, args, ...(page !== undefined ? { page } : {}) };
}
