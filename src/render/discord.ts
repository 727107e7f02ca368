/**
 * Discord renderer: turns the core's platform-neutral `Reply` into one Discord message payload
 * (embeds + button rows) that always fits Discord's limits, so the platform never rejects it.
 *
 * Limits are taken from Discord's developer documentation: "Embed Limits" in Resources → Message
 * (title 256, description 4096, 25 fields of name 256 / value 1024, footer 2048, author 256,
 * 6000 characters across all embeds of a message, 10 embeds a message, content 2000) and
 * "Message Components" (5 action rows, 5 buttons a row, label 80, custom_id 100). Lengths are
 * counted in UTF-16 code units (`string.length`), which is never less than Discord's character
 * count, so the check is conservative.
 *
 * What does not fit is paged, never dropped silently: the message ends with a footer
 * "… and N more not shown" and, when the caller passes the originating request, a
 * "Show more" button that asks for the next *part* of the same reply. The core's own paging
 * (`Reply.actions`) becomes buttons too. Every custom_id is produced by the `encodeRef` option
 * (default `encodePageRef`), so an adapter can swap in a store for over-long requests.
 *
 * Article text is untrusted: it is stripped of control characters, Markdown-escaped
 * (`escapeDiscordText`), and mentions (`@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>`)
 * are broken with a zero-width space. The adapter additionally sends `allowed_mentions: { parse: [] }`.
 */
import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed, APIEmbedField } from 'discord.js';
import { COMMAND_NAMES, type Block, type Citation, type CommandName, type CommandRequest, type Reply } from '../core/types.js';

/** Discord's message limits (see the module comment for the source). Lengths in UTF-16 code units. */
export const DISCORD_LIMITS = {
  /** Plain message content. */
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  /** Fields in one embed. */
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  embedsTotalChars: 6000,
  embedsPerMessage: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  /** Autocomplete: choices per response, and length of a choice's name and value. */
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Characters kept free of the 6000 budget for the "… and N more not shown" footer. */
const FOOTER_RESERVE = 80;
/** Longest single description item (a paragraph, a quote with its attribution), before packing. */
const ITEM_MAX = 1800;
/** Longest quoted text inside one quote item; a longer quote continues in the next items (`quoteChunks`). */
export const QUOTE_TEXT_MAX = 1200;
const LINK_TITLE_MAX = 160;
/** A direct quote shorter than this is shown with its context sentence; the context is cut to CONTEXT_MAX. */
const SHORT_QUOTE = 80;
const CONTEXT_MAX = 400;
const URL_MAX = 512;
/** A field value at most this long is laid out inline (side by side). */
const INLINE_FIELD_MAX = 40;

/** Embed colours by reply status (RGB integers). */
export const STATUS_COLOURS: Record<Reply['status'], number> = {
  answer: 0x2b6cb0,
  help: 0x718096,
  notFound: 0xd69e2e,
  ambiguous: 0xd69e2e,
  error: 0xc53030,
};

/** A reference to one message of a reply: the request that produced it plus which part to show. */
export interface PageRef {
  command: CommandName;
  args: string;
  /** The core's 1-based page. */
  page: number;
  /** The renderer's 1-based part of that page (parts exist only when a page overflows one message). */
  part: number;
}

/** The payload an adapter hands to discord.js (`reply`, `editReply`, `followUp`, `update`). */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Always `{ parse: [] }`: nothing in a reply may ping anyone. */
  allowedMentions: { parse: []; repliedUser: false };
  /** `MessageFlags.Ephemeral` when only the asker should see it, else 0. */
  flags: number;
  ephemeral: boolean;
  /** Content items (paragraphs, quotes, list items, fields…) of this page not shown in this part. */
  omitted: number;
  /** Content items shown in this part. */
  shown: number;
}

/** Options for `renderDiscord`. */
export interface RenderDiscordOptions {
  /** The request the reply answers; needed for the "Show more" button of an overflowing page. */
  request?: Pick<CommandRequest, 'command' | 'args' | 'page'>;
  /** 1-based part to render (default 1). Parts past the end render the last item-free part with a note. */
  part?: number;
  /** Turns a page reference into a custom_id of at most 100 characters, or null to omit the button. */
  encodeRef?: (ref: PageRef) => string | null;
}

const COMMANDS: readonly CommandName[] = COMMAND_NAMES;
const REF_PREFIX = 'nb:p';

/**
 * Encodes a page reference as a button custom_id `nb:p:<page>:<part>:<command>:<args>`.
 * Returns null when the result would exceed Discord's 100-character custom_id limit.
 */
export function encodePageRef(ref: PageRef): string | null {
  const id = `${REF_PREFIX}:${ref.page}:${ref.part}:${ref.command}:${ref.args}`;
  return id.length <= DISCORD_LIMITS.customId ? id : null;
}

/** Decodes a custom_id made by `encodePageRef`; null for anything else (including hostile input). */
export function decodePageRef(customId: string): PageRef | null {
  const m = /^nb:p:(\d{1,6}):(\d{1,6}):([a-z]{1,10}):([\s\S]*)$/.exec(customId);
  if (!m) return null;
  const command = m[3] as CommandName;
  if (!COMMANDS.includes(command)) return null;
  const page = Number(m[1]);
  const part = Number(m[2]);
  if (page < 1 || part < 1) return null;
  return { command, args: m[4] ?? '', page, part };
}

// ---------------------------------------------------------------------------------------------
// Text safety

/** Removes control characters (keeping newlines when `multiline`) and collapses runs of spaces. */
function cleanText(text: string, multiline = false): string {
  // eslint-disable-next-line no-control-regex
  let t = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028\u2029\uFEFF]/g, '');
  t = t.replace(/\r\n?/g, '\n');
  // Lone surrogates are not valid text; Discord rejects them in JSON bodies.
  t = t.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (multiline) return t.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  return t.replace(/\s+/g, ' ').trim();
}

/**
 * Breaks every mention form Discord would act on or render as a ping-looking tag:
 * `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`, `<#id>`. A zero-width space is inserted
 * so the text still reads the same.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<([@#])/g, '<\u200b$1');
}

/**
 * Escapes Discord Markdown in untrusted plain text and neutralises mentions.
 *
 * Discord's Markdown (simple-markdown) drops a backslash before any ASCII punctuation, so the
 * safe and linear-time rule is: backslash every character that can open Markdown anywhere
 * (`\ * _ ~ ` | [ ] <`: emphasis, code, spoilers, masked links, mentions/timestamps) and every
 * line-start token (`>` quote, `-`/`-#` list or subtext, `#` heading, `1.` numbered list).
 * (discord.js's `escapeMarkdown` was tried first: it is context-sensitive, leaves block quotes,
 * subtext and link brackets alone, and took ~3 ms per 1,200 characters.)
 */
export function escapeDiscordText(text: string): string {
  let t = text.replace(/[\\*_~`|[\]<]/g, '\\$&');
  t = t.replace(/^([ \t]*)(>|-|#|(\d+)\.)/gm, (_m, sp: string, tok: string, num: string | undefined) =>
    num ? `${sp}${num}\\.` : `${sp}\\${tok}`,
  );
  return neutraliseMentions(t);
}

/** Cuts `text` to at most `max` UTF-16 units, ending with "…", preferring a word boundary and never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return '…';
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const space = text.lastIndexOf(' ', cut);
  if (space > cut * 0.8) cut = space;
  return text.slice(0, cut).trimEnd() + '…';
}

/**
 * Escapes untrusted text and fits the escaped result into `max` units: the raw text is cut first
 * (so no escape sequence or mention guard is ever split), shrinking until the escaped form fits.
 */
function fit(raw: string, max: number, multiline = false): string {
  // Cleaning only shortens text, so a generous prefix is enough; a cut is marked with "…".
  const window = max * 4 + 1024;
  let clean: string;
  if (raw.length > window) {
    const end = /[\uD800-\uDBFF]/.test(raw.charAt(window - 1)) ? window - 1 : window;
    clean = cleanText(raw.slice(0, end), multiline) + '…';
  } else clean = cleanText(raw, multiline);
  // Escaping only ever lengthens text, so nothing past `max` raw characters can fit.
  let n = Math.min(clean.length, max);
  let escaped = escapeDiscordText(truncate(clean, n));
  // Each round shrinks the raw cut in proportion to the overshoot, so this ends in a few rounds.
  for (let round = 0; escaped.length > max && round < 64; round += 1) {
    n = Math.max(0, Math.min(n - 1, Math.floor((n * max) / escaped.length)));
    escaped = escapeDiscordText(truncate(clean, n));
  }
  return escaped.length <= max ? escaped : '';
}

/** A safe http(s) URL for a Markdown link target, or null. */
function safeUrl(url: string | null): string | null {
  if (!url || url.length > URL_MAX) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return null;
  }
}

/** Discord timestamp markup (`<t:unix:D>`, shown in each reader's locale), or null for a bad date. */
function discordDate(iso: string | null): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  return `<t:${Math.floor(ms / 1000)}:D>`;
}

/** "[Headline](url) · <t:…:D>" ("undated, first seen <t:…:D>" for an undated story), the citation line every fact carries. */
function citationLine(c: Citation): string {
  const title = fit(c.title || 'Untitled story', LINK_TITLE_MAX) || 'Untitled story';
  const url = safeUrl(c.url);
  const head = url ? `[${title}](${url})` : `*${title}*`;
  const stamp = discordDate(c.date);
  const date = stamp && c.undated ? `undated, first seen ${stamp}` : stamp;
  return date ? `${head} · ${date}` : head;
}

// ---------------------------------------------------------------------------------------------
// Blocks → items

type Item = { kind: 'text'; text: string } | { kind: 'field'; field: APIEmbedField };

/** An item rendered on demand; null when its text is empty after cleaning (it still counts as consumed). */
type LazyItem = () => Item | null;

/**
 * Flattens blocks into packable items, one per paragraph, quote, list entry or field. Items are
 * rendered (cleaned, escaped, cut) only when packing reaches them, so a reply of thousands of
 * items costs only what one message shows.
 */
function toItems(blocks: Block[]): LazyItem[] {
  const items: LazyItem[] = [];
  const text = (make: () => string): void => {
    items.push(() => {
      const t = make();
      return t ? { kind: 'text', text: t } : null;
    });
  };
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        text(() => {
          const t = fit(b.text, 240);
          return t ? `**${t}**` : '';
        });
        break;
      case 'paragraph':
        text(() => {
          const cite = b.citation ? `\n— ${citationLine(b.citation)}` : '';
          const t = fit(b.text, ITEM_MAX - cite.length, true);
          return t || cite ? t + cite : '';
        });
        break;
      case 'quote': {
        const attribution = (): string => {
          const cue = b.cue ? `, ${fit(b.cue, 60)}` : '';
          const reported = b.kind === 'indirect' ? ' (reported speech)' : '';
          const repeats = b.occurrences && b.occurrences > 1 ? ` (appears ${b.occurrences} times)` : '';
          const speaker = fit(b.speaker, 120) || 'unknown speaker';
          const note = b.note ? ` · ${fit(b.note, 60)}` : '';
          return `— **${speaker}**${cue}${reported}${note}${repeats} · ${citationLine(b.citation)}`;
        };
        const words = b.kind === 'direct' ? b.text : (b.context ?? b.text);
        const [open, close] = b.kind === 'direct' ? ['“', '”'] : ['', ''];
        // A quote too long for one item continues in the next items (and, past the message, in the
        // next part behind "Show more"): never cut.
        const chunks = quoteChunks(words, QUOTE_TEXT_MAX);
        if (chunks.length > 1) {
          chunks.forEach((chunk, i) => {
            const last = i === chunks.length - 1;
            text(() => `> ${i === 0 ? open : '…'}${chunk}${last ? close : '…'}${last ? `\n${attribution()}` : `\n*(quote continues, part ${i + 1} of ${chunks.length})*`}`);
          });
          break;
        }
        text(() => {
          const body = `${open}${fit(words, QUOTE_TEXT_MAX)}${close}`;
          // A short partial quote (under half of its sentence) reads better with the sentence it stands in.
          const ctx = b.context && b.kind === 'direct' && b.text.length < SHORT_QUOTE ? cleanText(b.context.slice(0, 4 * CONTEXT_MAX)) : '';
          const context = ctx && b.text.length * 2 < ctx.length ? `\n*In context:* ${fit(ctx, CONTEXT_MAX)}` : '';
          return `> ${body}${context}\n${attribution()}`;
        });
        break;
      }
      case 'diff':
        // Discord Markdown: ~~struck~~ for the claim's own words, **bold** for the story's.
        text(() =>
          b.parts
            .map((p) => {
              const t = fit(p.text, ITEM_MAX / 4);
              if (!t) return '';
              return p.op === 'claim' ? `~~${t}~~` : p.op === 'story' ? `**${t}**` : t;
            })
            .filter(Boolean)
            .join(' '),
        );
        break;
      case 'list':
        for (const entry of b.items) {
          text(() => {
            const t = fit(entry, ITEM_MAX - 2, true);
            return t ? `• ${t}` : '';
          });
        }
        break;
      case 'fields':
        for (const f of b.fields) {
          items.push(() => {
            const name = fit(f.label, DISCORD_LIMITS.fieldName) || '\u200b';
            const value = fit(f.value, DISCORD_LIMITS.fieldValue, true) || '\u200b';
            return { kind: 'field', field: { name, value, inline: value.length <= INLINE_FIELD_MAX } };
          });
        }
        break;
      case 'context':
        text(() => {
          const t = fit(b.text, ITEM_MAX - 2);
          return t ? `*${t}*` : '';
        });
        break;
    }
  }
  return items;
}

/**
 * Splits untrusted quote text into pieces whose escaped form (`escapeDiscordText`) is at most
 * `max` units each, at spaces (a word longer than a piece is cut). Each piece is returned
 * escaped. Text that fits whole gives one piece.
 */
export function quoteChunks(raw: string, max: number): string[] {
  const clean = cleanText(raw);
  const whole = escapeDiscordText(clean);
  if (whole.length <= max) return [whole];
  // Room for a line-start escape and the "…" marks around a continued piece. Lengths are summed
  // word by word (escaping works within a word, plus at most one line-start escape), so a long
  // quote costs linear time.
  const room = max - 4;
  const pieces: string[] = [];
  let cur: string[] = [];
  let len = 0;
  const push = (): void => {
    if (cur.length) pieces.push(escapeDiscordText(cur.join(' ')));
    cur = [];
    len = 0;
  };
  for (let word of clean.split(' ')) {
    let w = escapeDiscordText(word).length;
    while (w > room) {
      push();
      let n = Math.min(word.length, room);
      while (n > 1 && escapeDiscordText(word.slice(0, n)).length > room) n = Math.max(1, Math.floor(n * 0.9));
      if (/[\uD800-\uDBFF]/.test(word.charAt(n - 1))) n--;
      pieces.push(escapeDiscordText(word.slice(0, n)));
      word = word.slice(n);
      w = escapeDiscordText(word).length;
    }
    if (cur.length && len + 1 + w > room) push();
    len += (cur.length ? 1 : 0) + w;
    cur.push(word);
  }
  push();
  return pieces;
}

function itemLength(item: Item): number {
  return item.kind === 'text' ? item.text.length : item.field.name.length + item.field.value.length;
}

/** Shortens an item to at most `room` characters (used only for an item that would otherwise never fit). */
function shrinkItem(item: Item, room: number): Item {
  if (item.kind === 'text') return { kind: 'text', text: truncate(item.text, Math.max(1, room)) };
  const name = truncate(item.field.name, Math.max(1, Math.min(item.field.name.length, Math.floor(room / 4))));
  const value = truncate(item.field.value, Math.max(1, room - name.length));
  return { kind: 'field', field: { ...item.field, name, value } };
}

const DEFAULT_TITLES: Record<Reply['status'], string> = {
  answer: 'Answer',
  help: 'Help',
  notFound: 'Not found',
  ambiguous: 'Which one did you mean?',
  error: 'Something went wrong',
};

interface Packed {
  embeds: APIEmbed[];
  total: number;
  /** Index of the first item not packed. */
  next: number;
}

/**
 * Packs items from `start` into at most 10 embeds and `budget` characters (title included).
 * Always packs at least one non-empty item when one remains, shrinking it if it is too long on its own.
 */
function pack(items: LazyItem[], render: (i: number) => Item | null, start: number, title: string, colour: number, budget: number): Packed {
  const embeds: APIEmbed[] = [{ title, color: colour }];
  let total = title.length;
  let packedAny = false;
  let i = start;
  for (; i < items.length; i += 1) {
    let item = render(i);
    if (!item) continue; // empty after cleaning: consumed, nothing to show
    const isLast = i === items.length - 1;
    const limit = budget - (isLast ? 0 : FOOTER_RESERVE);
    let cur = embeds[embeds.length - 1]!;
    const curFields = cur.fields?.length ?? 0;
    let needNew: boolean;
    let add: number;
    if (item.kind === 'text') {
      const desc = cur.description?.length ?? 0;
      needNew = curFields > 0 || desc + (desc ? 2 : 0) + item.text.length > DISCORD_LIMITS.embedDescription;
      add = item.text.length + (!needNew && desc ? 2 : 0);
    } else {
      needNew = curFields >= DISCORD_LIMITS.embedFields;
      add = itemLength(item);
    }
    if (needNew && embeds.length >= DISCORD_LIMITS.embedsPerMessage) break;
    if (total + add > limit) {
      if (packedAny) break;
      item = shrinkItem(item, limit - total - 2);
      add = itemLength(item) + (item.kind === 'text' && !needNew && cur.description ? 2 : 0);
      if (total + add > limit) break;
    }
    if (needNew) {
      cur = { color: colour };
      embeds.push(cur);
    }
    if (item.kind === 'text') cur.description = cur.description ? `${cur.description}\n\n${item.text}` : item.text;
    else (cur.fields ??= []).push(item.field);
    total += add;
    packedAny = true;
  }
  return { embeds, total, next: i };
}

/**
 * Renders a reply as one Discord message within every limit in `DISCORD_LIMITS`.
 *
 * @param reply the core's answer (plain text everywhere; escaped here).
 * @param options `request` (enables the "Show more" button for an overflowing page), `part`
 *   (1-based, which overflow part to render) and `encodeRef` (custom_id encoder).
 * @returns embeds (≥ 1), button rows, `allowedMentions: { parse: [] }`, ephemeral flag, and how
 *   many content items were shown / left for later parts. Never throws for any `Reply` value.
 */
export function renderDiscord(reply: Reply, options: RenderDiscordOptions = {}): DiscordMessage {
  const encode = options.encodeRef ?? encodePageRef;
  const colour = STATUS_COLOURS[reply.status] ?? STATUS_COLOURS.answer;
  const items = toItems(reply.blocks);
  const wantedPart = Math.max(1, Math.floor(options.part ?? 1));
  const title = fit(reply.title, DISCORD_LIMITS.embedTitle) || DEFAULT_TITLES[reply.status] || 'Answer';

  let start = 0;
  let part = 1;
  const rendered = new Map<number, Item | null>();
  const render = (i: number): Item | null => {
    if (!rendered.has(i)) rendered.set(i, items[i]!());
    return rendered.get(i)!;
  };
  let packed = pack(items, render, start, title, colour, DISCORD_LIMITS.embedsTotalChars);
  while (part < wantedPart && packed.next < items.length) {
    start = packed.next;
    part += 1;
    const partTitle = truncate(title, DISCORD_LIMITS.embedTitle - 12) + ` (part ${part})`;
    packed = pack(items, render, start, partTitle, colour, DISCORD_LIMITS.embedsTotalChars);
  }

  const shown = packed.next - start;
  const omitted = items.length - packed.next;
  if (omitted > 0) {
    const note = `… and ${omitted} more not shown`;
    packed.embeds[packed.embeds.length - 1]!.footer = { text: note };
  }

  const buttons: APIButtonComponentWithCustomId[] = [];
  const seen = new Set<string>();
  const addButton = (label: string, ref: PageRef): void => {
    const id = encode(ref);
    if (!id || id.length > DISCORD_LIMITS.customId || seen.has(id)) return;
    seen.add(id);
    const clean = cleanText(label) || 'More';
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: truncate(clean, DISCORD_LIMITS.buttonLabel),
      custom_id: id,
    });
  };
  if (omitted > 0 && options.request) {
    const r = options.request;
    addButton('Show more', { command: r.command, args: r.args, page: r.page ?? 1, part: part + 1 });
  }
  for (const action of reply.actions ?? []) {
    if (action.type !== 'page') continue;
    const r = action.request;
    addButton(action.label, { command: r.command, args: r.args, page: r.page ?? 1, part: 1 });
  }
  const maxButtons = DISCORD_LIMITS.actionRows * DISCORD_LIMITS.buttonsPerRow;
  const components: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < Math.min(buttons.length, maxButtons); i += DISCORD_LIMITS.buttonsPerRow) {
    components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }

  const ephemeral = reply.visibility === 'ephemeral';
  return {
    embeds: packed.embeds,
    components,
    allowedMentions: { parse: [], repliedUser: false },
    flags: ephemeral ? MessageFlags.Ephemeral : 0,
    ephemeral,
    omitted,
    shown,
  };
}

/** Plain message content (adapter notices) cut to Discord's 2000-character limit, mentions neutralised. */
export function fitContent(text: string): string {
  return truncate(neutraliseMentions(cleanText(text, true)), DISCORD_LIMITS.content);
}
