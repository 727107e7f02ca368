/**
 * Binary searches over the parser's ordered arrays (tokens, sentences, quotation spans), so
 * every stage stays linear in the article's length.
 */
import type { Span } from './types.js';

/**
 * Index of the first element for which `atOrAfter` holds, or `arr.length` when none does.
 * `arr` must be ordered so that the predicate is false for a prefix and true for the rest. O(log n).
 */
export function firstWhere<T>(arr: readonly T[], atOrAfter: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (atOrAfter(arr[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A predicate telling whether an offset lies in one of the spans: `[start, end)`, or `(start, end)`
 * when `strict`. The spans must not overlap (top-level quotations do not).
 */
export function insideSpans(spans: readonly Span[], strict = false): (at: number) => boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  return (at: number): boolean => {
    const k = firstWhere(sorted, (s) => (strict ? s.start >= at : s.start > at)) - 1;
    return k >= 0 && at < sorted[k]!.end;
  };
}
