/**
 * Quotation-mark scanning: finds quoted spans in every newsroom convention.
 *
 * - Curly double “ ” and straight " double quotes; UK-style single ‘ ’ (and straight ')
 *   with double quotes nested inside, and the US style the other way round; « » and „ “.
 * - Apostrophes are told apart from closing single quotes: a ’ between letters (don’t,
 *   Zelenskyy’s) is an apostrophe; a ’ after "s" followed by a word ("the owners’ position")
 *   closes a quote only when no stronger closer (one after punctuation) follows before the
 *   next opener.
 * - Multi-paragraph quotes: when a paragraph ends with a quote still open and the next
 *   paragraph opens with the same mark, the quote continues (the usual convention, e.g.
 *   AP Stylebook, "quotation marks: running quotations"); its text then runs from the first
 *   opening mark to the final closing mark.
 * - Unbalanced marks never throw: an unclosed quote ends at its paragraph's end and is
 *   flagged `closed: false`.
 */
import type { Paragraph } from './types.js';

/** A quoted span. Offsets index the article text. */
export interface QuoteSpan {
  /** Index of the opening mark. */
  open: number;
  /** Index of the closing mark, or the end of the last paragraph when unclosed. */
  close: number;
  /** Start and end of the text between the marks (marks excluded). */
  start: number;
  end: number;
  /** 'double' for “ ” " « », 'single' for ‘ ’ '. */
  mark: 'double' | 'single';
  /** 0 for a top-level quote, 1 for a quote nested inside another. */
  depth: number;
  /** Indexes of the paragraphs the quote spans (more than one for a running quote). */
  paragraphs: number[];
  closed: boolean;
}

type Role = 'open' | 'close' | 'either';
interface Mark {
  at: number;
  kind: 'double' | 'single';
  role: Role;
  /** For single closers: weak when it could be a plural possessive apostrophe ("owners’ position"). */
  weak: boolean;
}

const isLetter = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined): boolean => c === undefined || /[\s]/u.test(c);
const OPEN_CONTEXT = /[\s([{\u2014\u2013\-/:;,]/u;

/** Classifies the marks of one paragraph. */
function marksOf(text: string, p: Paragraph): Mark[] {
  const out: Mark[] = [];
  for (let i = p.start; i < p.end; i++) {
    const c = text[i]!;
    const prev = i > p.start ? text[i - 1] : undefined;
    const next = i + 1 < p.end ? text[i + 1] : undefined;
    switch (c) {
      case '“':
        // „ … “ (German style) uses “ as a closer; treat “ after a letter or punctuation with space after as a closer.
        out.push({ at: i, kind: 'double', role: isSpace(next) && !isSpace(prev) ? 'close' : 'open', weak: false });
        break;
      case '„':
      case '«':
        out.push({ at: i, kind: 'double', role: 'open', weak: false });
        break;
      case '”':
      case '»':
        out.push({ at: i, kind: 'double', role: 'close', weak: false });
        break;
      case '"': {
        const opens = prev === undefined || OPEN_CONTEXT.test(prev) || /[‘'“]/.test(prev);
        const closes = next === undefined || !isLetter(next) || !isLetter(prev);
        out.push({ at: i, kind: 'double', role: opens && !isLetter(prev) ? (isSpace(next) ? 'either' : 'open') : closes ? 'close' : 'either', weak: false });
        break;
      }
      case '‘':
        out.push({ at: i, kind: 'single', role: 'open', weak: false });
        break;
      case '’':
      case "'": {
        if (isLetter(prev) && isLetter(next)) break; // apostrophe inside a word: don’t, O'Brien
        if (c === "'" && (prev === undefined || OPEN_CONTEXT.test(prev) || prev === '"' || prev === '“') && isLetter(next)) {
          // straight single quote opening: 'Word  (but not '90s or 'em: digits after are apostrophes)
          if (/\d/.test(next!)) break;
          out.push({ at: i, kind: 'single', role: 'open', weak: false });
          break;
        }
        if (isLetter(next)) break; // ’tis, ’90s
        if (prev === undefined || isSpace(prev)) break; // a stray mark after a space
        // A closer. Weak when it may be a plural possessive: after "s" and followed by space + word.
        const weak = /[sSzZ]/.test(prev) && next === ' ' && isLetter(text[i + 2]);
        out.push({ at: i, kind: 'single', role: 'close', weak });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** An open quote while scanning. */
interface Open {
  at: number;
  kind: 'double' | 'single';
  paragraphs: number[];
  /** Opening marks of continuation paragraphs. */
}

/**
 * Finds every quoted span in the given paragraphs.
 * @returns spans sorted by opening position; nested spans have depth 1
 */
export function findQuoteSpans(text: string, paragraphs: Paragraph[]): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let carry: Open | null = null; // a top-level quote left open at the end of the previous paragraph
  for (const p of paragraphs) {
    const marks = marksOf(text, p);
    const stack: Open[] = [];
    let startIdx = 0;
    if (carry) {
      const first = marks[0];
      const firstNonSpace = /\S/.exec(text.slice(p.start, p.end));
      const opensAtStart = first && firstNonSpace && first.at === p.start + firstNonSpace.index && first.kind === carry.kind && first.role !== 'close' && runsOn(text, paragraphs, carry);
      if (opensAtStart) {
        carry.paragraphs.push(p.index);
        stack.push(carry);
        startIdx = 1;
      } else {
        closeUnclosed(spans, carry, text, paragraphs);
      }
      carry = null;
    }
    for (let k = startIdx; k < marks.length; k++) {
      const m = marks[k]!;
      const top = stack[stack.length - 1];
      const sameKindOpen = [...stack].reverse().find((o) => o.kind === m.kind);
      if (m.role === 'close' || (m.role === 'either' && sameKindOpen)) {
        if (!sameKindOpen) continue; // stray closer
        if (m.weak && m.kind === 'single' && strongerCloserAhead(marks, k)) continue;
        // Close everything above the matching opener (unbalanced inner marks are dropped).
        while (stack.length && stack[stack.length - 1] !== sameKindOpen) stack.pop();
        stack.pop();
        spans.push({
          open: sameKindOpen.at,
          close: m.at,
          start: sameKindOpen.at + 1,
          end: m.at,
          mark: m.kind,
          depth: Math.min(stack.length, 1),
          paragraphs: sameKindOpen.paragraphs,
          closed: true,
        });
      } else if (m.role === 'open' || m.role === 'either') {
        if (top && top.kind === m.kind) {
          // The same mark opening again while open: the earlier one was never closed.
          stack.pop();
          closeAt(spans, top, m.at, stack.length);
        }
        stack.push({ at: m.at, kind: m.kind, paragraphs: [p.index] });
      }
    }
    // Quotes still open at the end of the paragraph: the outermost may run on; inner ones end here.
    if (stack.length) {
      const outer = stack[0]!;
      for (let d = stack.length - 1; d >= 1; d--) closeAt(spans, stack[d]!, p.end, 1);
      carry = outer;
    }
  }
  if (carry) closeUnclosed(spans, carry, text, paragraphs);
  spans.sort((a, b) => a.open - b.open);
  return spans;
}

/** True when a strong (non-weak) single closer comes after mark k before the next single opener. */
function strongerCloserAhead(marks: Mark[], k: number): boolean {
  for (let j = k + 1; j < marks.length; j++) {
    const m = marks[j]!;
    if (m.kind !== 'single') continue;
    if (m.role === 'open') return false;
    if (m.role === 'close' && !m.weak) return true;
  }
  return false;
}

function closeAt(spans: QuoteSpan[], o: Open, end: number, depth: number): void {
  spans.push({ open: o.at, close: end, start: o.at + 1, end, mark: o.kind, depth: Math.min(depth, 1), paragraphs: o.paragraphs, closed: false });
}

/**
 * Whether a quote left open at a paragraph's end may run on into the next paragraph: only a
 * quotation that opened a sentence (at the paragraph start, after . ! ? : or a dash) is a running
 * quote; one opened inside a clause ("said that “the budget …") is simply unclosed.
 */
function runsOn(text: string, paragraphs: Paragraph[], o: Open): boolean {
  const p = paragraphs[o.paragraphs[0]!]!;
  const before = text.slice(p.start, o.at).trimEnd();
  return before === '' || /[.!?:;—–]["”’']?$/.test(before);
}

function closeUnclosed(spans: QuoteSpan[], o: Open, text: string, paragraphs: Paragraph[]): void {
  if (o.paragraphs.length > 1) {
    // A running quote that never closes: each paragraph's part is its own unclosed quotation,
    // so words later attributed to someone else are not merged into it.
    closeUnclosed(spans, { ...o, paragraphs: [o.paragraphs[0]!] }, text, paragraphs);
    for (const pi of o.paragraphs.slice(1)) {
      const p = paragraphs[pi]!;
      const at = p.start + (/\S/.exec(text.slice(p.start, p.end))?.index ?? 0);
      closeUnclosed(spans, { at, kind: o.kind, paragraphs: [pi] }, text, paragraphs);
    }
    return;
  }
  const last = paragraphs[o.paragraphs[o.paragraphs.length - 1]!]!;
  let end = last.end;
  while (end > o.at + 1 && /\s/.test(text[end - 1]!)) end--;
  spans.push({ open: o.at, close: end, start: o.at + 1, end, mark: o.kind, depth: 0, paragraphs: o.paragraphs, closed: false });
}
