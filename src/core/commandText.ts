/**
 * Reading a command typed as text ("/who france", "quotes zakharova --page 2"), as the
 * terminal and the CLI's `ask` receive it. Platform-neutral: chat platforms that deliver
 * slash commands already split name and argument.
 */
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { readQuestion, readsAsQuestion } from './questions.js';
import { COMMAND_NAMES, type CommandName } from './types.js';

const NAMES: readonly CommandName[] = COMMAND_NAMES;

/** Highest page number a request may ask for. */
export const MAX_PAGE = 1000;

/** A page number as typed after `--page`: digits only, 1 to `MAX_PAGE`. */
export const PageArgumentSchema = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
  .pipe(z.int().min(1).max(MAX_PAGE));

/**
 * Reads the value typed after `--page` (`PageArgumentSchema`).
 * @returns the page, or `{ ok: false, error }` saying what a page number is and what was typed
 */
export function readPageArgument(value: string | undefined): { ok: true; page: number } | { ok: false; error: string } {
  const parsed = PageArgumentSchema.safeParse(value ?? '');
  if (parsed.success) return { ok: true, page: parsed.data };
  const shown = value === undefined || value === '' ? 'nothing' : `“${value.length > 20 ? `${value.slice(0, 20)}…` : value}”`;
  return { ok: false, error: `--page takes a page number from 1 to ${MAX_PAGE}, e.g. --page 2 (got ${shown}).` };
}

/** A `--page` flag anywhere in the argument, with the word after it (if any). */
const PAGE_FLAG = /(?:^|\s)--page(?:=(\S*)|\s+(\S+))?(?=\s|$)/;

/** The result of `parseCommandText`. */
export type ParsedCommandText =
  | { ok: true; command: CommandName; args: string; page?: number }
  | { ok: false; error: string };

/**
 * Splits a typed command into name, argument and optional `--page N` (anywhere after the name;
 * N checked by `readPageArgument`, so `--page -1` or `--page abc` is an error, never topic words).
 * The leading slash is optional and the name is case-insensitive; a line that starts with a
 * word naming no command (and no slash) is a plain question, read as `ask` with the whole line.
 * @returns the command, or `{ ok: false, error }` naming the unknown command (or the empty line)
 *   or saying what `--page` takes
 */
export function parseCommandText(text: string): ParsedCommandText {
  // Invisible format characters (zero-width space/joiners, word joiner, BOM, bidi marks) are not part of a command.
  const line = text.replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g, '').trim();
  if (!line) return { ok: false, error: 'Type a command, e.g. /summary, or /help for the list.' };
  const m = /^\/?(\S+)\s*([\s\S]*)$/.exec(line)!;
  const name = m[1]!.toLowerCase();
  // A line without a slash that reads as a question ("who is X", "what did X say about Y") or
  // starts with no command word is a plain question for /ask.
  const known = (NAMES as readonly string[]).includes(name);
  // (A misspelt command, "qoutes zakharova", that reads as no question gets "did you mean" below.)
  const question = known ? readsAsQuestion(line, m[2]!.trim()) : readQuestion(line) !== null || suggestCommand(name) === null;
  if (!line.startsWith('/') && /[\p{L}\p{N}]/u.test(line) && question) return { ok: true, command: 'ask', args: line };
  if (!(NAMES as readonly string[]).includes(name)) {
    const shown = m[1]!.length > 30 ? `${m[1]!.slice(0, 30)}…` : m[1]!;
    const guess = suggestCommand(name.replace(/^\/+/, ''));
    return { ok: false, error: `Unknown command "/${shown.replace(/^\/+/, '')}".${guess ? ` Did you mean /${guess}?` : ''} Type /help for the commands.` };
  }
  let args = m[2]!.trim();
  let page: number | undefined;
  const p = PAGE_FLAG.exec(args);
  if (p) {
    const read = readPageArgument(p[1] ?? p[2]);
    if (!read.ok) return { ok: false, error: read.error };
    page = read.page;
    args = `${args.slice(0, p.index).trimEnd()} ${args.slice(p.index + p[0].length).trimStart()}`.trim();
  }
  return { ok: true, command: name as CommandName, args, ...(page !== undefined ? { page } : {}) };
}

/**
 * The command a mistyped name most likely meant ("summarize" → "summary", "qoutes" → "quotes",
 * "whois" → "who"), or null when none is close: a name that starts with the command (or the
 * command with it, four letters at least), else the nearest by edit distance (Levenshtein,
 * `fastest-levenshtein`) when at most a third of the command's letters (rounded up) differ.
 */
export function suggestCommand(name: string, names: readonly string[] = NAMES): string | null {
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  if (!n) return null;
  const prefix = names.find((c) => (n.length >= 4 && c.startsWith(n)) || (c.length >= 3 && n.startsWith(c) && n.length - c.length <= 4));
  if (prefix) return prefix;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of names) {
    const d = distance(n, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.ceil(best.length / 3)) ? best : null;
}
