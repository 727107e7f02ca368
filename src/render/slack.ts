/**
 * Renders the core's platform-neutral `Reply` as Slack Block Kit, within Slack's limits,
 * with every piece of text from articles (or from the asker) escaped so that it can never
 * ping a channel or a user, nor turn into a link the story did not contain.
 *
 * Limits come from Slack's Block Kit reference (docs.slack.dev/reference/block-kit):
 * 50 blocks per message, 3000 characters per section/context text object, 2000 per
 * section field, 150 for a header, 75 for a button label, 2000 for a button value; and
 * from experience that a message whose blocks total about 13k characters can be rejected
 * (`invalid_blocks` / `msg_too_long`), so we keep each message's serialised blocks under
 * `SLACK_MESSAGE_CHAR_BUDGET`.
 *
 * Escaping follows Slack's "Escaping text" rule (docs.slack.dev/messaging/formatting-message-text):
 * `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;` in every text object; `mrkdwn` objects also
 * carry `verbatim: true` so that Slack does no automatic parsing of names or URLs; and the words
 * `@here`, `@channel`, `@everyone` get a word joiner after the `@` so no client or legacy
 * `link_names` pass can turn them into a mention.
 *
 * A reply too large for one message is cut into parts; every part but the last carries a
 * "More" button whose value (see `encodePageValue`) names the same core page and the next
 * part. After the last part, a core `page` action (if any) becomes the "More" button for the
 * next core page. The renderer is pure and deterministic, so the adapter can re-render any
 * part from the same `Reply`.
 */
import type { types as SlackTypes } from '@slack/bolt';
import { z } from 'zod';
import { COMMAND_NAMES, type Block, type Citation, type CommandName, type CommandRequest, type Reply } from '../core/types.js';

/** Most blocks Slack accepts in one message. */
export const SLACK_MAX_BLOCKS = 50;
/** Most characters in a section's (or a context element's) text object. */
export const SLACK_MAX_SECTION_TEXT = 3000;
/** Most characters in one section field. */
export const SLACK_MAX_FIELD_TEXT = 2000;
/** Most fields in one section. */
export const SLACK_MAX_FIELDS = 10;
/** Most characters in a header block's text. */
export const SLACK_MAX_HEADER_TEXT = 150;
/** Most characters in a button's label. */
export const SLACK_MAX_BUTTON_TEXT = 75;
/** Most characters in a button's value. */
export const SLACK_MAX_BUTTON_VALUE = 2000;
/** Most elements in a context block. */
export const SLACK_MAX_CONTEXT_ELEMENTS = 10;
/**
 * Our ceiling for `JSON.stringify(blocks).length` of one message. Slack can reject a message
 * whose blocks total about 13,000 characters; serialised JSON counts more than the visible
 * text (keys, quotes, escapes), so staying under this budget keeps the text well under 13k.
 */
export const SLACK_MESSAGE_CHAR_BUDGET = 11_000;
/** Longest top-level fallback `text` (used in notifications and by screen readers) we send. */
export const SLACK_MAX_FALLBACK_TEXT = 300;
/**
 * Longest text one core block may occupy once escaped; longer text is cut with an ellipsis and
 * a "shortened" note (a single 2 MB paragraph must not turn into hundreds of "More" clicks).
 */
export const SLACK_MAX_BLOCK_TEXT = 3 * SLACK_MAX_SECTION_TEXT;
/** `action_id` of the "More" button the adapter listens for. */
export const SLACK_MORE_ACTION_ID = 'newsroom_more';
/** Longest citation label (story headline) shown in a link. */
const MAX_CITATION_TITLE = 150;
/** Longest story URL we turn into a link; longer ones are shown without a link. */
const MAX_LINK_URL = 1000;

/** The Block Kit blocks this renderer emits. */
export type SlackBlock =
  | SlackTypes.HeaderBlock
  | SlackTypes.SectionBlock
  | SlackTypes.ContextBlock
  | SlackTypes.ActionsBlock
  | SlackTypes.DividerBlock;

/** One rendered Slack message: the payload for `respond()`, `chat.postMessage` or `chat.postEphemeral`. */
export interface SlackMessage {
  /** Fallback text for notifications and screen readers (escaped mrkdwn, at most `SLACK_MAX_FALLBACK_TEXT`). */
  text: string;
  blocks: SlackBlock[];
  /** The reply's visibility hint mapped to Slack's `response_type`. */
  responseType: 'ephemeral' | 'in_channel';
  /** 1-based part of the core page this message shows, and how many parts the page has. */
  part: number;
  parts: number;
}

/** The request a "More" button sends back: a core page and a part of that page's rendering. */
export interface PageRequest {
  command: CommandName;
  args: string;
  /** 1-based core page. */
  page: number;
  /** 1-based part of the rendered core page. */
  part: number;
}

/** Options for `renderSlack`. */
export interface SlackRenderOptions {
  /**
   * The request the reply answers. Needed for a "More" button inside one core page (parts);
   * without it a reply too large for one message is cut after its first part with a note.
   */
  request?: Pick<CommandRequest, 'command' | 'args' | 'page'>;
  /** 1-based part to render; clamped to the parts that exist. Default 1. */
  part?: number;
}

const COMMANDS = COMMAND_NAMES;

const pageValueSchema = z.object({
  c: z.enum(COMMANDS),
  a: z.string().max(SLACK_MAX_BUTTON_VALUE),
  p: z.number().int().min(1).max(100_000),
  s: z.number().int().min(1).max(100_000),
});

/** Serialises a page request into a button value (compact JSON); null when it would not fit `SLACK_MAX_BUTTON_VALUE`. */
export function encodePageValue(req: PageRequest): string | null {
  const value = JSON.stringify({ c: req.command, a: req.args, p: req.page, s: req.part });
  return value.length <= SLACK_MAX_BUTTON_VALUE ? value : null;
}

/**
 * Parses a "More" button value back into a page request.
 * @returns the request, or null when the value is not one this renderer produced (tampered, stale format)
 */
export function decodePageValue(value: unknown): PageRequest | null {
  if (typeof value !== 'string' || value.length > SLACK_MAX_BUTTON_VALUE) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = pageValueSchema.safeParse(raw);
  if (!parsed.success) return null;
  return { command: parsed.data.c, args: parsed.data.a, page: parsed.data.p, part: parsed.data.s };
}

/** Word joiner (U+2060): invisible, keeps `@` and `here` apart so nothing reads them as a mention. */
const WORD_JOINER = '\u2060';
const BROADCAST_WORD = /@(here|channel|everyone)\b/gi;
// C0 controls except tab and newline, DEL, and C1 controls: never meaningful in a chat message.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Escapes text for any Slack text object (mrkdwn or plain_text): `&`→`&amp;`, `<`→`&lt;`,
 * `>`→`&gt;` (Slack's escaping rule), broadcast words `@here`/`@channel`/`@everyone` broken
 * with a word joiner, control characters removed. The result contains no `<`, so it can hold
 * no `<!channel>`, `<!here>`, `<@U…>`, `<#C…>` or `<url|label>` sequence.
 */
export function escapeSlackText(text: string): string {
  return text
    .replace(CONTROL_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST_WORD, `@${WORD_JOINER}$1`);
}

/** Collapses runs of whitespace (line breaks included) into single spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Index `i` moved back so that `s.slice(0, i)` does not end inside an entity (`&amp;`) or a surrogate pair. */
function safeCut(s: string, i: number): number {
  let cut = Math.min(i, s.length);
  const amp = s.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 5) {
    const semi = s.indexOf(';', amp);
    if (semi >= cut) cut = amp;
  }
  const code = s.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/**
 * Cuts escaped text to at most `max` characters, ending with "…" when cut, never inside an
 * entity or a surrogate pair.
 */
export function truncateEscaped(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, safeCut(s, max - 1)).trimEnd()}…`;
}

/**
 * Splits escaped text into chunks of at most `max` characters, preferring line breaks, then
 * spaces, never cutting inside an entity or a surrogate pair. Chunks are never empty.
 */
export function splitEscaped(s: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = s;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    cut = safeCut(rest, cut);
    if (cut <= 0) cut = max; // unreachable for max >= 6; guards the loop
    const head = rest.slice(0, cut).trimEnd();
    if (head) chunks.push(head);
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** A story URL made safe for a `<url|label>` link, or null when it is not an http(s) URL we will link. */
function safeLinkUrl(url: string | null): string | null {
  if (!url || url.length > MAX_LINK_URL) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C')
    .replace(/\s/g, '%20');
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "12 Mar 2024" for an ISO date-time, or null when absent or unparsable. */
function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : DATE_FORMAT.format(new Date(t));
}

/** A citation as one mrkdwn line: a link to the story when its URL is safe, its headline otherwise, and the date ("undated, first seen …" for an undated story). */
export function citationLine(c: Citation): string {
  const title = truncateEscaped(escapeSlackText(oneLine(c.title) || 'Untitled story'), MAX_CITATION_TITLE);
  const url = safeLinkUrl(c.url);
  const formatted = formatDate(c.date);
  const date = formatted && c.undated ? `undated, first seen ${formatted}` : formatted;
  const label = url ? `<${url}|${title}>` : `_${title}_`;
  return date ? `${label} · ${date}` : label;
}

function mrkdwn(text: string): SlackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/**
 * Sections for `body` (escaped mrkdwn) followed by `suffix` (atomic mrkdwn, such as a citation):
 * the body is cut to `SLACK_MAX_BLOCK_TEXT`, split to fit `SLACK_MAX_SECTION_TEXT`, each
 * chunk given `linePrefix` (">" for block quotes), and the suffix put on the last section.
 */
function sections(body: string, suffix = '', linePrefix = ''): SlackTypes.SectionBlock[] {
  const reserve = suffix ? suffix.length + 1 : 0;
  let text = body;
  if (text.length > SLACK_MAX_BLOCK_TEXT) text = `${truncateEscaped(text, SLACK_MAX_BLOCK_TEXT)} _(shortened)_`;
  const perChunk = SLACK_MAX_SECTION_TEXT - reserve - linePrefix.length * 40; // prefix room for up to 40 lines
  const chunks = text ? splitEscaped(text, Math.max(500, perChunk)) : [];
  const withPrefix = chunks.map((ch) => (linePrefix ? ch.split('\n').map((l) => linePrefix + l).join('\n') : ch));
  if (suffix) {
    const last = withPrefix.length - 1;
    if (last >= 0 && (withPrefix[last] ?? '').length + reserve <= SLACK_MAX_SECTION_TEXT) {
      withPrefix[last] = `${withPrefix[last]}\n${suffix}`;
    } else {
      withPrefix.push(suffix);
    }
  }
  return withPrefix
    .map((t) => (t.length > SLACK_MAX_SECTION_TEXT ? truncateEscaped(t, SLACK_MAX_SECTION_TEXT) : t))
    .filter((t) => t.trim().length > 0)
    .map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

/**
 * Block Kit blocks for one core block. Empty text renders to nothing. `citeHere` false leaves a
 * paragraph's citation off (the next paragraph cites the same story, so it is said once).
 */
function renderBlock(block: Block, citeHere = true): SlackBlock[] {
  switch (block.type) {
    case 'heading': {
      const t = truncateEscaped(escapeSlackText(oneLine(block.text)), 300);
      return t ? [{ type: 'section', text: mrkdwn(`*${t}*`) }] : [];
    }
    case 'paragraph': {
      const body = escapeSlackText(block.text.trim());
      const suffix = block.citation && citeHere ? citationLine(block.citation) : '';
      return body ? sections(body, suffix) : [];
    }
    case 'quote': {
      // A comma that ended the quoted words before the attribution ("…terms," she said) is dropped.
      const words = escapeSlackText(oneLine(block.text).replace(/,$/, ''));
      if (!words) return [];
      const body = block.kind === 'direct' ? `“${words}”` : `${words} _(paraphrased)_`;
      const speaker = escapeSlackText(oneLine(block.speaker)) || 'unnamed source';
      const cue = block.cue ? `, ${escapeSlackText(oneLine(block.cue))}` : '';
      const occurrences = (block as { occurrences?: number }).occurrences;
      const repeats = occurrences && occurrences > 1 ? ` (${occurrences}×)` : '';
      const note = block.note ? ` · ${truncateEscaped(escapeSlackText(oneLine(block.note)), 100)}` : '';
      const parts = [`— *${truncateEscaped(speaker, 200)}*${truncateEscaped(cue, 100)}${note}${repeats}`, citationLine(block.citation)];
      // A short partial quote reads better with the sentence it stands in.
      const ctx = block.context ? oneLine(block.context) : '';
      const context =
        ctx && words.length < 60 && ctx.length > block.text.length + 20
          ? `\n_${truncateEscaped(escapeSlackText(ctx), 600)}_`
          : '';
      return sections(body, `${parts.join(' · ')}${context}`, '>');
    }
    case 'diff': {
      // Slack mrkdwn: ~struck~ for the claim's own words, *bold* for the story's.
      const words = block.parts
        .map((p) => {
          const t = escapeSlackText(oneLine(p.text).replace(/[~*_]/g, ''));
          if (!t) return '';
          return p.op === 'claim' ? `~${t}~` : p.op === 'story' ? `*${t}*` : t;
        })
        .filter(Boolean);
      return words.length ? sections(words.join(' ')) : [];
    }
    case 'list': {
      const lines = block.items.map((i) => escapeSlackText(oneLine(i))).filter(Boolean).map((i) => `• ${i}`);
      return lines.length ? sections(lines.join('\n')) : [];
    }
    case 'fields': {
      const fields = block.fields
        .map((f) => {
          const label = truncateEscaped(escapeSlackText(oneLine(f.label)), 200);
          const value = escapeSlackText(f.value.trim());
          const text = label ? `*${label}*\n${value}` : value;
          return text ? mrkdwn(truncateEscaped(text, SLACK_MAX_FIELD_TEXT)) : null;
        })
        .filter((f): f is SlackTypes.MrkdwnElement => f !== null);
      const out: SlackBlock[] = [];
      for (let i = 0; i < fields.length; i += SLACK_MAX_FIELDS) {
        out.push({ type: 'section', fields: fields.slice(i, i + SLACK_MAX_FIELDS) });
      }
      return out;
    }
    case 'context': {
      const t = truncateEscaped(escapeSlackText(block.text.trim()), SLACK_MAX_SECTION_TEXT);
      return t ? [{ type: 'context', elements: [mrkdwn(t)] }] : [];
    }
  }
}

/** Header text (plain_text, escaped like every text object), cut to the header limit with room for a part marker. */
function headerText(title: string, part: number, parts: number): string {
  const marker = parts > 1 ? ` (${part}/${parts})` : '';
  const base = truncateEscaped(escapeSlackText(oneLine(title)) || 'Newsroom bot', SLACK_MAX_HEADER_TEXT - marker.length);
  return base + marker;
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value).length;
}

/** Room kept in every part for the header and the footer (More button or note). */
const HEADER_RESERVE_BLOCKS = 1;
const FOOTER_RESERVE_BLOCKS = 1; // a More button or a note, never both
const FRAME_RESERVE_CHARS = 1200;

/**
 * Packs the rendered body blocks into parts that each fit the block count and the character
 * budget once the header and footer are added.
 */
function packParts(body: SlackBlock[]): SlackBlock[][] {
  const maxBlocks = SLACK_MAX_BLOCKS - HEADER_RESERVE_BLOCKS - FOOTER_RESERVE_BLOCKS;
  const maxChars = SLACK_MESSAGE_CHAR_BUDGET - FRAME_RESERVE_CHARS;
  const parts: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  let chars = 2;
  for (const b of body) {
    const size = jsonLength(b) + 1;
    if (current.length > 0 && (current.length + 1 > maxBlocks || chars + size > maxChars)) {
      parts.push(current);
      current = [];
      chars = 2;
    }
    current.push(b);
    chars += size;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}

function moreButton(label: string, value: string): SlackTypes.ActionsBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: SLACK_MORE_ACTION_ID,
        text: { type: 'plain_text', text: truncateEscaped(escapeSlackText(label) || 'More', SLACK_MAX_BUTTON_TEXT) },
        value,
      },
    ],
  };
}

/** Cuts a whole reply into its parts (each a list of body blocks, header and footer not included). */
export function slackParts(reply: Reply): SlackBlock[][] {
  const body = reply.blocks.flatMap((block, i) => {
    const next = reply.blocks[i + 1];
    const sameStoryNext =
      block.type === 'paragraph' && next?.type === 'paragraph' && block.citation && next.citation?.storyId === block.citation.storyId;
    return renderBlock(block, !sameStoryNext);
  });
  return packParts(body);
}

/**
 * Renders one part of a reply as a Slack message.
 * @param reply the core's answer
 * @param options the request it answers (for "More" within a page) and the 1-based part to show
 * @returns a message within every limit above; `blocks` always holds a header and at least one more block
 */
export function renderSlack(reply: Reply, options: SlackRenderOptions = {}): SlackMessage {
  const parts = slackParts(reply);
  const total = parts.length;
  const part = Math.min(Math.max(1, Math.trunc(options.part ?? 1)), total);
  const body = parts[part - 1] ?? [];
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: headerText(reply.title, part, total) } }];
  blocks.push(...body);
  if (blocks.length === 1) blocks.push({ type: 'section', text: mrkdwn('_Nothing to show._') });

  const req = options.request;
  let next: PageRequest | null = null;
  let label = 'More';
  if (part < total && req) {
    next = { command: req.command, args: req.args, page: req.page ?? 1, part: part + 1 };
    label = `More (${part + 1}/${total})`;
  } else if (part === total) {
    const action = reply.actions?.find((a) => a.type === 'page');
    if (action) {
      next = { command: action.request.command, args: action.request.args, page: action.request.page ?? 1, part: 1 };
      label = action.label || 'More';
    }
  }
  const value = next ? encodePageValue(next) : null;
  if (value) {
    blocks.push(moreButton(label, value));
  } else if (part < total || next) {
    blocks.push({ type: 'context', elements: [mrkdwn('_More results were left out; narrow the question to see them._')] });
  }

  const fallback = truncateEscaped(escapeSlackText(oneLine(reply.title)) || 'Newsroom bot', SLACK_MAX_FALLBACK_TEXT);
  return {
    text: fallback,
    blocks,
    responseType: reply.visibility === 'ephemeral' ? 'ephemeral' : 'in_channel',
    part,
    parts: total,
  };
}

/**
 * Checks a rendered message against every limit above; returns the violations (empty when fine).
 * Used by tests and, defensively, by the adapter before sending.
 */
export function slackLimitViolations(message: Pick<SlackMessage, 'text' | 'blocks'>): string[] {
  const problems: string[] = [];
  const { blocks } = message;
  if (blocks.length > SLACK_MAX_BLOCKS) problems.push(`${blocks.length} blocks > ${SLACK_MAX_BLOCKS}`);
  const total = jsonLength(blocks);
  if (total > SLACK_MESSAGE_CHAR_BUDGET) problems.push(`blocks JSON ${total} chars > ${SLACK_MESSAGE_CHAR_BUDGET}`);
  if (message.text.length > SLACK_MAX_FALLBACK_TEXT) problems.push(`fallback text ${message.text.length} chars`);
  blocks.forEach((b, i) => {
    switch (b.type) {
      case 'header':
        if (b.text.text.length > SLACK_MAX_HEADER_TEXT || b.text.text.length < 1) problems.push(`header ${i} length ${b.text.text.length}`);
        break;
      case 'section':
        if (b.text && (b.text.text.length > SLACK_MAX_SECTION_TEXT || b.text.text.length < 1)) {
          problems.push(`section ${i} text length ${b.text.text.length}`);
        }
        if (b.fields && b.fields.length > SLACK_MAX_FIELDS) problems.push(`section ${i} has ${b.fields.length} fields`);
        b.fields?.forEach((f, j) => {
          if (f.text.length > SLACK_MAX_FIELD_TEXT || f.text.length < 1) problems.push(`section ${i} field ${j} length ${f.text.length}`);
        });
        if (!b.text && !b.fields?.length) problems.push(`section ${i} is empty`);
        break;
      case 'context':
        if (b.elements.length > SLACK_MAX_CONTEXT_ELEMENTS) problems.push(`context ${i} has ${b.elements.length} elements`);
        for (const e of b.elements) {
          if ('text' in e && typeof e.text === 'string' && e.text.length > SLACK_MAX_SECTION_TEXT) problems.push(`context ${i} text too long`);
        }
        break;
      case 'actions':
        for (const e of b.elements) {
          if (e.type === 'button') {
            if (e.text.text.length > SLACK_MAX_BUTTON_TEXT) problems.push(`button label ${e.text.text.length} chars`);
            if ((e.value ?? '').length > SLACK_MAX_BUTTON_VALUE) problems.push(`button value ${(e.value ?? '').length} chars`);
          }
        }
        break;
      default:
        break;
    }
  });
  return problems;
}

/**
 * Finds live mentions or links that did not come from `allowedLinks` in a rendered message:
 * any `<!…>` (channel/here/everyone/subteam), `<@…>` (user), `<#…>` (channel link), any
 * `<…>` link whose URL is not allowed, and any unbroken `@here`/`@channel`/`@everyone` word.
 * Used by tests to prove that article text cannot ping anyone.
 */
export function liveMentions(message: Pick<SlackMessage, 'text' | 'blocks'>, allowedLinks: string[] = []): string[] {
  const json = JSON.stringify(message);
  const found: string[] = [];
  for (const m of json.matchAll(/<([^<>]*)>/g)) {
    const inner = m[1] ?? '';
    const url = inner.split('|')[0] ?? '';
    const unescaped = url.replace(/&amp;/g, '&');
    if (/^https?:\/\//.test(url) && allowedLinks.some((a) => unescaped === a || unescaped === new URL(a).href)) continue;
    found.push(m[0]);
  }
  for (const m of json.matchAll(/@(here|channel|everyone)\b/gi)) found.push(m[0]);
  return found;
}
