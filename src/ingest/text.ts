/**
 * Text helpers shared by the sources: HTML → paragraphs, entity decoding, clean-up of
 * decoded text, and composing the article text that `parseArticle` expects
 * (headline on the first line, then one paragraph per line, blank lines between).
 */
import { repairMojibake } from './charset.js';
import { parseDocument, type DomDocument, type DomElement } from './dom.js';

/** Elements whose content is never article text. */
const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'SVG',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'OBJECT',
  'FORM',
  'BUTTON',
  'SELECT',
  'TEXTAREA',
  'NAV',
  'ASIDE',
  'FIGURE',
  'FIGCAPTION',
  'HEAD',
]);

/** Elements that start and end a paragraph. */
const BLOCK = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'FOOTER',
  'BLOCKQUOTE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'PRE',
  'TABLE',
  'TR',
  'HR',
  'ADDRESS',
  'CENTER',
  'BODY',
]);

/** Minimal DOM node shape used by the walker (linkedom's nodes satisfy it). */
interface WalkNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<WalkNode>;
}

/**
 * Cleans decoded text: repairs one round of UTF-8/windows-1252 mojibake, applies Unicode NFC,
 * turns no-break and other odd spaces into spaces, drops U+FFFD, zero-width characters, soft
 * hyphens and control characters, trims each line and keeps at most one blank line in a row.
 * @returns the cleaned text, never containing U+FFFD
 */
export function cleanText(text: string): string {
  return repairMojibake(text)
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t\f\v]/g, ' ')
    .replace(/[\uFFFD\u200B-\u200D\u2060\uFEFF\u00AD\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g, '')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Collapses a one-line value (headline, byline): whitespace runs become one space. */
export function cleanLine(text: string | null | undefined): string | null {
  if (text == null) return null;
  const t = cleanText(text).replace(/\s+/g, ' ').trim();
  return t || null;
}

/**
 * Splits the text of a DOM subtree into paragraphs: block elements and `<br>` end a paragraph,
 * inline elements (links included) run on, scripts/styles/forms/figures are skipped.
 * @returns cleaned, non-empty paragraphs in document order
 */
export function domToParagraphs(root: WalkNode): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = (): void => {
    const t = cleanText(cur).replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
    cur = '';
  };
  // Iterative walk (an explicit stack), so hostile, deeply nested markup cannot overflow the call stack.
  type Frame = { node: WalkNode; exit: boolean };
  const stack: Frame[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    const name = node.nodeName.toUpperCase();
    if (exit) {
      if (BLOCK.has(name)) flush();
      else if (name === 'TD' || name === 'TH') cur += ' ';
      continue;
    }
    if (node.nodeType === 3) {
      cur += node.textContent ?? '';
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) continue;
    if (SKIP.has(name)) continue;
    if (name === 'BR') {
      flush();
      continue;
    }
    if (BLOCK.has(name)) flush();
    stack.push({ node, exit: true });
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  }
  flush();
  return out;
}


let scratch: DomDocument | null = null;

/** A detached element of a shared scratch document, for parsing fragments. */
function scratchElement(): DomElement {
  scratch ??= parseDocument('<!doctype html><html><head></head><body></body></html>');
  return scratch.createElement('div');
}

/**
 * Paragraphs of an HTML fragment (a feed item's content, a ninjs `body_html`).
 * Entities are decoded; tags never reach the output.
 */
export function htmlFragmentToParagraphs(html: string): string[] {
  const el = scratchElement();
  try {
    el.innerHTML = html;
  } catch (err) {
    // linkedom adopts parsed nodes recursively; pathological nesting exhausts the stack.
    if (err instanceof RangeError) throw new Error('HTML is nested too deeply to read');
    throw err;
  }
  return domToParagraphs(el as unknown as WalkNode);
}

/**
 * Decodes HTML entities and drops tags in a one-line value ("Q&amp;A", "<b>Breaking</b>: …").
 * @returns the plain text, or null when empty
 */
export function htmlToLine(html: string | null | undefined): string | null {
  if (html == null) return null;
  if (!/[<&]/.test(html)) return cleanLine(html);
  const el = scratchElement();
  el.innerHTML = html;
  return cleanLine(el.textContent ?? '');
}

/** Splits plain text into paragraphs at blank lines or, when there are none, at line breaks. */
export function plainToParagraphs(text: string): string[] {
  const t = cleanText(text);
  const parts = /\n\s*\n/.test(t) ? t.split(/\n\s*\n/) : t.split('\n');
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Comparison key for deciding whether a paragraph repeats the headline or byline. */
function key(s: string): string {
  return s
    .toLowerCase()
    .replace(/^by\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Builds the article text for `parseArticle`: the headline on the first line, then the body
 * paragraphs separated by blank lines. Leading paragraphs that only repeat the headline or the
 * byline ("By Jane Doe") are dropped, since both travel as metadata.
 * @param title the headline, or null
 * @param paragraphs body paragraphs, already cleaned
 * @param byline the byline without "By", or null
 */
export function composeArticleText(title: string | null, paragraphs: string[], byline?: string | null): string {
  const paras = [...paragraphs];
  const titleKey = title ? key(title) : null;
  const bylineKey = byline ? key(byline) : null;
  while (paras.length > 0) {
    const k = key(paras[0]!);
    if (k && (k === titleKey || k === bylineKey || (bylineKey && /^by\s/i.test(paras[0]!) && k.startsWith(bylineKey)))) paras.shift();
    else break;
  }
  const body = paras.join('\n\n');
  return title ? `${title}\n\n${body}`.trim() : body;
}
