/**
 * Checking a claimed quote against stored quotes: our alignment and verdict (the candidates come
 * from the index's full-text search, `ArticleIndex.quoteCandidates`; the word diff shown to the
 * user comes from the `diff` library).
 *
 * Words are compared folded (`quoteTokens`: case, accents, punctuation, quotation-mark and
 * apostrophe styles do not count). The claim is aligned with each stored quote as an
 * approximate substring (Sellers, "The theory and computation of evolutionary distances:
 * pattern recognition", J. Algorithms 1980): the fewest words substituted, added or dropped to
 * turn the claim into some run of the quote's words, the quote's words before and after that run
 * costing nothing. An ellipsis in the claim (`...` or `…`) marks words left out, as quoting
 * convention has it (AP Stylebook, "ellipsis"): any run of the quote's words may be skipped there
 * at no cost.
 *
 * Verdicts, from the best alignment with a direct quote:
 * - verbatim: no word differs and the claim covers the whole quote (words left out at an ellipsis aside);
 * - partial: no word differs but the claim is a run of a longer quote; or the claim is two
 *   stored quotes joined (its first part matches one, the rest another);
 * - close: some words differ, at most `tolerance(claim words)`;
 * - not found: anything else (the nearest candidates are shown).
 * Reported speech never confirms a direct quote: it is only shown, marked as such.
 */
import { diffArrays } from 'diff';
import { quoteTokens, type QuoteToken } from '../index/keys.js';
import type { QuoteRecord } from '../index/types.js';

/** A claim's words, with where the claim marked words as left out (an ellipsis before the word). */
export interface ClaimToken extends QuoteToken {
  /** An ellipsis stands just before this word. */
  gapBefore: boolean;
}

/** Fewest words a claim must have to be checked. */
export const MIN_CLAIM_WORDS = 3;

/** The words of a claim, each marked when an ellipsis precedes it. */
export function claimTokens(text: string): ClaimToken[] {
  const tokens = quoteTokens(text);
  return tokens.map((t, i) => {
    const from = i === 0 ? t.start : tokens[i - 1]!.end;
    return { ...t, gapBefore: i > 0 && /\.\s*\.\s*\.|…/.test(text.slice(from, t.start)) };
  });
}

/**
 * Words that may differ for a claim of `words` words to count as close: a third of them, at
 * least one (a claim of three words may differ in one).
 */
export function tolerance(words: number): number {
  return Math.max(1, Math.floor(words / 3));
}

/** The best place of a claim in one quote. */
export interface Alignment {
  /** Words substituted, added or dropped (skips at an ellipsis are free). */
  cost: number;
  /** The run of the quote's words the claim covers: token indexes, end exclusive. */
  start: number;
  end: number;
  /** Whether any quote words were skipped at an ellipsis of the claim. */
  elided: boolean;
}

/**
 * Aligns `claim` with `quote` (see the module docstring). O(claim × quote) words.
 * @returns the cheapest alignment; among equals the one ending last
 */
export function align(claim: readonly ClaimToken[], quote: readonly QuoteToken[]): Alignment {
  const m = claim.length;
  const n = quote.length;
  // prev/cur: costs of row i-1 and i; pStart/cStart: where in the quote each alignment began.
  let prev = new Array<number>(n + 1).fill(0);
  let prevStart = Array.from({ length: n + 1 }, (_, j) => j);
  let prevElided = new Array<boolean>(n + 1).fill(false);
  for (let i = 1; i <= m; i++) {
    const c = claim[i - 1]!;
    if (c.gapBefore && i > 1) {
      // Words of the quote may be skipped before this claim word: carry the best cost forward.
      for (let j = 1; j <= n; j++) {
        if (prev[j - 1]! < prev[j]!) {
          prev[j] = prev[j - 1]!;
          prevStart[j] = prevStart[j - 1]!;
          prevElided[j] = true;
        }
      }
    }
    const cur = new Array<number>(n + 1);
    const curStart = new Array<number>(n + 1);
    const curElided = new Array<boolean>(n + 1);
    cur[0] = i;
    curStart[0] = 0;
    curElided[0] = prevElided[0]!;
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1]! + (c.word === quote[j - 1]!.word ? 0 : 1);
      const add = prev[j]! + 1; // a claim word the quote does not have
      const drop = cur[j - 1]! + 1; // a quote word the claim left out
      if (sub <= add && sub <= drop) {
        cur[j] = sub;
        curStart[j] = prevStart[j - 1]!;
        curElided[j] = prevElided[j - 1]!;
      } else if (add <= drop) {
        cur[j] = add;
        curStart[j] = prevStart[j]!;
        curElided[j] = prevElided[j]!;
      } else {
        cur[j] = drop;
        curStart[j] = curStart[j - 1]!;
        curElided[j] = curElided[j - 1]!;
      }
    }
    prev = cur;
    prevStart = curStart;
    prevElided = curElided;
  }
  // The cheapest end; among equals the latest, so a claim that drops a quote's last word still reaches its end.
  let best = 0;
  for (let j = 1; j <= n; j++) if (prev[j]! <= prev[best]!) best = j;
  // A claim with no words aligned anywhere covers nothing.
  return { cost: prev[best]!, start: Math.min(prevStart[best]!, best), end: best, elided: prevElided[best]! };
}

/** Costs of the claim's first `i` words (prefix) inside `quote`, for every i (index 0..m). */
export function prefixCosts(claim: readonly QuoteToken[], quote: readonly QuoteToken[]): number[] {
  const m = claim.length;
  const n = quote.length;
  let prev = new Array<number>(n + 1).fill(0);
  const out = [0];
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let min = i;
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j - 1]! + (claim[i - 1]!.word === quote[j - 1]!.word ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
      if (cur[j]! < min) min = cur[j]!;
    }
    out.push(min);
    prev = cur;
  }
  return out;
}

/** One stored quote aligned with the claim. */
export interface Scored {
  quote: QuoteRecord;
  tokens: QuoteToken[];
  alignment: Alignment;
}

/** A claim split between two stored quotes: its first `split` words in `first`, the rest in `second`. */
export interface Joined {
  first: QuoteRecord;
  second: QuoteRecord;
  split: number;
  cost: number;
}

/** The verdict on a claim. */
export type Verdict =
  | { kind: 'verbatim'; match: Scored }
  | { kind: 'close'; match: Scored }
  | { kind: 'partial'; match: Scored; fragment: true }
  | { kind: 'partial'; joined: Joined; fragment: false }
  | { kind: 'notFound'; nearest: Scored[]; reported: Scored[] };

/** Whether a quote was said by the speaker the user named (`speaks` decides); null when no speaker was named. */
export type SpeakerTest = ((q: QuoteRecord) => boolean) | null;

/**
 * Aligns the claim with every candidate (direct and reported) and decides the verdict.
 * Candidates with the same words are aligned once. Among equally good direct quotes, one by the
 * named speaker (when `speaks` is given) is preferred, then the oldest story.
 */
export function judge(claim: readonly ClaimToken[], candidates: readonly QuoteRecord[], speaks: SpeakerTest = null): Verdict {
  const m = claim.length;
  const tol = tolerance(m);
  // The same text (a quote repeated across stories) is tokenised and aligned once.
  const byText = new Map<string, { tokens: QuoteToken[]; alignment: Alignment }>();
  const unique = new Map(candidates.map((q) => [`${q.storyId}\u0000${q.quoteId}`, q]));
  const scored: Scored[] = [...unique.values()].map((quote) => {
    let hit = byText.get(quote.text);
    if (!hit) {
      const tokens = quoteTokens(quote.text);
      byText.set(quote.text, (hit = { tokens, alignment: align(claim, tokens) }));
    }
    return { quote, tokens: hit.tokens, alignment: hit.alignment };
  });
  const byQuality = (a: Scored, b: Scored) =>
    a.alignment.cost - b.alignment.cost ||
    Number(whole(b)) - Number(whole(a)) ||
    (speaks ? Number(speaks(b.quote)) - Number(speaks(a.quote)) : 0) ||
    (a.quote.storyDate ?? '').localeCompare(b.quote.storyDate ?? '');
  const direct = scored.filter((s) => s.quote.kind === 'direct').sort(byQuality);
  const best = direct[0];
  if (best && best.alignment.cost === 0) return whole(best) ? { kind: 'verbatim', match: best } : { kind: 'partial', match: best, fragment: true };
  const joined = joinedQuotes(claim, direct);
  if (joined && joined.cost <= tol && (!best || joined.cost < best.alignment.cost)) return { kind: 'partial', joined, fragment: false };
  if (best && best.alignment.cost <= tol && m >= MIN_CLAIM_WORDS) return { kind: 'close', match: best };
  const near = (s: Scored) => s.alignment.cost <= Math.ceil(m * 0.6);
  const reported = distinctTexts(scored.filter((s) => s.quote.kind === 'indirect' && near(s)).sort(byQuality)).slice(0, 3);
  return { kind: 'notFound', nearest: distinctTexts(direct.filter(near)).slice(0, 3), reported };
}

/** Whether the alignment covers the whole quote. */
export function whole(s: Scored): boolean {
  return s.alignment.start === 0 && s.alignment.end === s.tokens.length;
}

/** One entry per distinct wording, in order. */
function distinctTexts(list: Scored[]): Scored[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = s.tokens.map((t) => t.word).join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Fewest words on each side of a join. */
const MIN_JOIN_PART = 3;

/**
 * The best split of the claim between two different stored direct quotes (first part in one,
 * the rest in another), or null when the claim is too short to hold two parts.
 */
export function joinedQuotes(claim: readonly QuoteToken[], direct: readonly Scored[]): Joined | null {
  const m = claim.length;
  if (m < 2 * MIN_JOIN_PART) return null;
  const reversed = [...claim].reverse();
  const texts = distinctTexts([...direct]).slice(0, 40);
  const pre = texts.map((s) => prefixCosts(claim, s.tokens));
  const suf = texts.map((s) => prefixCosts(reversed, [...s.tokens].reverse()));
  let best: Joined | null = null;
  for (let split = MIN_JOIN_PART; split <= m - MIN_JOIN_PART; split++) {
    for (let a = 0; a < texts.length; a++) {
      for (let b = 0; b < texts.length; b++) {
        if (a === b) continue;
        const cost = pre[a]![split]! + suf[b]![m - split]!;
        if (!best || cost < best.cost) best = { first: texts[a]!.quote, second: texts[b]!.quote, split, cost };
      }
    }
  }
  return best;
}

/** One part of a word diff: words both share, words only the claim has, words only the story has. */
export interface DiffPart {
  op: 'same' | 'claim' | 'story';
  text: string;
}

/**
 * The word diff between the claim and the run of the quote it aligned with (`diff`'s
 * `diffArrays`, words compared folded). Shared words are shown as the story printed them.
 */
export function wordDiff(claim: readonly QuoteToken[], match: Scored): DiffPart[] {
  const story = match.tokens.slice(match.alignment.start, match.alignment.end);
  const parts: DiffPart[] = [];
  for (const c of diffArrays<QuoteToken>([...claim], story, { comparator: (a, b) => a.word === b.word })) {
    const op = c.added ? 'story' : c.removed ? 'claim' : 'same';
    const text = c.value.map((t) => t.surface).join(' ');
    const last = parts.at(-1);
    if (last && last.op === op) last.text += ` ${text}`;
    else parts.push({ op, text });
  }
  return parts;
}
