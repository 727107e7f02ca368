/**
 * IPTC ninjs ("News in JSON"), the JSON format wire services export, validated with zod.
 * Both generations are read:
 * - ninjs 1.x: `headline`, `body_text` / `body_html` / `body_xhtml`, `byline`, `located`;
 * - ninjs 2.x/3.x: `headlines[].value`, `bodies[].value` (+ `contenttype`), `by`.
 * Common to both: `uri` (the story's identity), `versioncreated`, `firstcreated`, `embargoed`,
 * `pubstatus` (`usable` | `withheld` | `canceled`), `type`, `version`.
 * Source: IPTC ninjs schemas 1.4 and 2.1 (iptc.org/std/ninjs).
 *
 * A file may hold one ninjs object, an array of them, or `{ "items": [...] }`.
 */
import { z } from 'zod';
import type { ArticleInput } from '../index/types.js';
import { parseLooseDate } from './dates.js';
import { cleanStoryParagraphs } from './byline.js';
import { cleanLine, composeArticleText, htmlFragmentToParagraphs, plainToParagraphs } from './text.js';
import type { SourceItem } from './types.js';

const textValue = z.object({ value: z.string(), role: z.string().optional(), contenttype: z.string().optional() });

/** The ninjs fields the bot reads; other fields are allowed and ignored. */
export const ninjsSchema = z.looseObject({
  uri: z.string().trim().min(1, 'uri is required'),
  type: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  versioncreated: z.string().optional(),
  firstcreated: z.string().optional(),
  embargoed: z.string().optional(),
  pubstatus: z.enum(['usable', 'withheld', 'canceled', 'cancelled']).optional(),
  headline: z.string().optional(),
  headlines: z.array(textValue).optional(),
  body_text: z.string().optional(),
  body_html: z.string().optional(),
  body_xhtml: z.string().optional(),
  bodies: z.array(textValue).optional(),
  byline: z.string().optional(),
  by: z.string().optional(),
  located: z.string().optional(),
  slugline: z.string().optional(),
  language: z.string().optional(),
});

/** A validated ninjs object. */
export type Ninjs = z.infer<typeof ninjsSchema>;

/** First headline: `headline`, else the `headlines` entry with role "main" or the first one. */
function headlineOf(n: Ninjs): string | null {
  if (n.headline?.trim()) return cleanLine(n.headline);
  const hs = n.headlines ?? [];
  const main = hs.find((h) => h.role === 'main') ?? hs[0];
  return main ? cleanLine(main.value) : null;
}

/** Body paragraphs from the richest body present. */
function bodyOf(n: Ninjs): string[] {
  if (n.body_html?.trim()) return htmlFragmentToParagraphs(n.body_html);
  if (n.body_xhtml?.trim()) return htmlFragmentToParagraphs(n.body_xhtml);
  if (n.body_text?.trim()) return plainToParagraphs(n.body_text);
  const bodies = n.bodies ?? [];
  const html = bodies.find((b) => /html/i.test(b.contenttype ?? ''));
  if (html) return htmlFragmentToParagraphs(html.value);
  const main = bodies.find((b) => !b.role || b.role === 'main') ?? bodies[0];
  if (!main) return [];
  return /<\/?[a-z][^>]*>/i.test(main.value) ? htmlFragmentToParagraphs(main.value) : plainToParagraphs(main.value);
}

/** Removes the leading "By" of a wire byline ("By JANE DOE, Wire Staff Writer" → "JANE DOE, Wire Staff Writer"). */
function bylineOf(n: Ninjs): string | null {
  const b = cleanLine(n.byline ?? n.by ?? null);
  return b ? b.replace(/^by[:\s]+/i, '').trim() || null : null;
}

/**
 * Converts one validated ninjs object to an `ArticleInput`.
 * When `located` is given and the body does not already open with it, the body gets a dateline
 * (`LOCATED — `) so that the parser finds it.
 * @param source where the object came from (file path or URL)
 * @throws Error when the item is not a usable text story (withheld/canceled, not text, no body)
 */
export function ninjsToArticleInput(n: Ninjs, source: string): ArticleInput {
  if (n.pubstatus && n.pubstatus !== 'usable') throw new Error(`pubstatus is ${n.pubstatus}: not a usable story`);
  if (n.type && n.type !== 'text' && n.type !== 'composite') throw new Error(`type is ${n.type}: not a text story`);
  const cleaned = cleanStoryParagraphs(bodyOf(n));
  const paragraphs = cleaned.paragraphs;
  if (paragraphs.length === 0) throw new Error('no body (body_text, body_html or bodies)');
  const title = headlineOf(n);
  const byline = bylineOf(n) ?? cleaned.byline;
  const located = cleanLine(n.located ?? null);
  if (located && !paragraphs[0]!.toUpperCase().startsWith(located.toUpperCase())) {
    paragraphs[0] = `${located.toUpperCase()} — ${paragraphs[0]}`;
  }
  const versioncreated = parseLooseDate(n.versioncreated);
  const firstcreated = parseLooseDate(n.firstcreated);
  const publishedAt = firstcreated ?? versioncreated ?? cleaned.published?.iso ?? null;
  return {
    text: composeArticleText(title, paragraphs, byline),
    title,
    byline,
    url: null,
    guid: n.uri.trim(),
    publishedAt,
    publishedRaw: publishedAt ? null : (n.firstcreated?.trim() || n.versioncreated?.trim() || null),
    updatedAt: versioncreated,
    embargoUntil: parseLooseDate(n.embargoed),
    source,
  };
}

/** A readable one-line account of a zod error. */
export function zodReason(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads ninjs JSON text (one object, an array, or `{ "items": [...] }`) into source items.
 * Each object is validated on its own: a bad one becomes a failed item and the rest go on.
 * @param json the file's text
 * @param source the file path or URL, used as `ArticleInput.source` and in refs
 * @throws Error when the text is not JSON at all or holds no objects
 */
export function ninjsItems(json: string, source: string): SourceItem[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new Error(`not valid JSON: ${(err as Error).message}`);
  }
  const list: unknown[] = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)
      ? (data as { items: unknown[] }).items
      : [data];
  if (list.length === 0) throw new Error('no ninjs objects in the JSON');
  return list.map((raw, i): SourceItem => {
    const ref = list.length === 1 ? source : `${source}#${i}`;
    const parsed = ninjsSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, ref, reason: `not a ninjs story: ${zodReason(parsed.error)}` };
    try {
      return { ok: true, ref: `${ref} (${parsed.data.uri})`, input: ninjsToArticleInput(parsed.data, source) };
    } catch (err) {
      return { ok: false, ref: `${ref} (${parsed.data.uri})`, reason: (err as Error).message };
    }
  });
}
