/**
 * Amounts: numbers with what they count. Currency amounts ("$4.2 billion", "£140,000 a
 * week", "1.2 billion rand"), percentages ("12 percent", "6.5%", "20 percentage points"),
 * and counts of things ("6,000 troops", "40 container ships"). Years, dates, times and
 * ordinals are left out.
 */
import type { Amount, Sentence } from './types.js';

const MULT: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, m: 1e6, k: 1e3, mn: 1e6 };
const SYMBOL: Record<string, string> = { $: 'dollars', US$: 'dollars', '£': 'pounds', '€': 'euros', '¥': 'yen', '₹': 'rupees', R: 'rand' };
const CURRENCY_WORDS = /^(dollars?|pounds?|euros?|yen|yuan|rand|rupees?|pesos?|shillings?|naira|cedis?|francs?|rubles?|roubles?|dinars?|dirhams?|riyals?|kwacha|reais|real|won|lira|kroner?|kronor|zloty)$/i;
const RATE = /^(?:a|per|each)\s+(year|month|week|day|hour|share|barrel|tonne|ton|person|head)\b/i;
const MONTHS = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;
const UNIT_STOP = /^(the|a|an|and|or|of|in|on|at|to|for|from|by|with|that|which|who|as|than|since|before|after|last|this|each|per|is|are|was|were|be|been|has|have|had|will|would|could|can|a\.m\.|p\.m\.|more|less|about|into|over|under)$/i;

/** Parses "6,000" / "4.2" to a number. */
const num = (s: string): number => Number(s.replace(/,/g, ''));
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Finds the amounts in the article's sentences.
 * @returns amounts in text order, each with the sentence it stands in (entityIds filled by the caller)
 */
export function findAmounts(text: string, sentences: Sentence[]): Amount[] {
  const out: Amount[] = [];
  const RE = /(?:(US\$|[$£€¥₹])\s?)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(%))?(?:[\s-](thousand|million|billion|trillion|bn|mn)\b|(bn|m|k)\b)?/g;
  for (const s of sentences) {
    const body = text.slice(s.start, s.end);
    RE.lastIndex = 0;
    for (let m = RE.exec(body); m; m = RE.exec(body)) {
      const [whole, sym, digits, pct, multWord, multShort] = m;
      const at = s.start + m.index + (whole.length - whole.trimStart().length);
      const before = body.slice(0, m.index);
      const prevChar = body[m.index - 1];
      if (prevChar && /[\p{L}\d.:/]/u.test(prevChar) && !sym) continue; // part of a word, a time or a version
      let value = num(digits!);
      const mult = (multWord ?? multShort)?.toLowerCase();
      if (mult) value *= MULT[mult]!;
      value = round(value);
      let end = s.start + m.index + whole.length;
      const rest = text.slice(end, s.end);
      const prevWord = /([\p{L}.]+)\s*$/u.exec(before)?.[1] ?? '';
      const nextWord = /^\s*([\p{L}.'’-]+)/u.exec(rest)?.[1] ?? '';
      // Dates, years and times.
      if (!sym && !pct && !mult) {
        if (MONTHS.test(prevWord) || MONTHS.test(nextWord)) continue;
        if (/^\d{4}$/.test(digits!) && value >= 1800 && value <= 2100) continue;
        if (/^(a\.m\.|p\.m\.|am|pm|o’clock|o'clock)$/i.test(nextWord)) continue;
        if (/^(st|nd|rd|th)\b/.test(rest)) continue;
        if (/^(no\.|number|page|chapter|article|section|route|highway)$/i.test(prevWord)) continue;
      }
      let unit: string;
      if (sym) {
        unit = SYMBOL[sym] ?? 'dollars';
      } else if (pct) {
        unit = 'percent';
      } else {
        const pm = /^\s*(percent|per cent|percentage points?|basis points?)\b/i.exec(rest);
        if (pm) {
          unit = pm[1]!.toLowerCase().replace('per cent', 'percent');
          end += pm[0].length;
        } else {
          // The counted noun: up to three words, ending at the first plural noun or currency word.
          const words = [...rest.matchAll(/\s+([\p{L}][\p{L}’'-]*)/guy)];
          const picked: string[] = [];
          let consumed = 0;
          for (const w of words) {
            const word = w[1]!;
            if (UNIT_STOP.test(word) || /^\p{Lu}/u.test(word) && picked.length === 0 && !CURRENCY_WORDS.test(word)) break;
            if (/^\p{Lu}/u.test(word) && !/^(French|British|American|Russian|Ukrainian|Chinese|German)$/.test(word)) break;
            picked.push(word);
            consumed += w[0].length;
            if (CURRENCY_WORDS.test(word) || /s$/.test(word) || picked.length === 3) break;
          }
          if (!picked.length) continue;
          if (picked.length > 1 && !/s$/.test(picked[picked.length - 1]!) && !CURRENCY_WORDS.test(picked[picked.length - 1]!)) picked.splice(1);
          unit = picked.join(' ');
          end += consumed;
        }
      }
      const rate = RATE.exec(text.slice(end, s.end).trimStart());
      if (rate && (sym || CURRENCY_WORDS.test(unit))) {
        const lead = text.slice(end, s.end).length - text.slice(end, s.end).trimStart().length;
        unit += ' ' + rate[0].toLowerCase().replace(/^each|^per/, (x) => x);
        end += lead + rate[0].length;
      }
      out.push({ value, unit, text: text.slice(at, end), start: at, end, sentence: s.index, entityIds: [] });
    }
  }
  return out;
}
