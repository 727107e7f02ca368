/**
 * Extractive summary: verbatim sentences, lede first. Sentences are scored by how many of
 * the story's most-mentioned entities they cover and by position (the inverted pyramid puts
 * the news first); a greedy pass then adds the sentence covering the most entities not yet
 * covered. Sentences that are mostly quotation, start with a quotation mark, or are very short
 * are never chosen.
 */
import { firstWhere } from './search.js';
import type { Entity, Quote, Sentence } from './types.js';

/**
 * Picks summary sentences.
 * @param count how many sentences (default 3)
 * @returns sentence indexes in reading order
 */
export function summarize(sentences: Sentence[], entities: Entity[], quotes: Quote[], count = 3): number[] {
  if (!sentences.length) return [];
  const quotedChars = new Map<number, number>();
  for (const q of quotes) {
    if (q.kind === 'indirect') continue;
    // sentences overlapping the quote: binary search for the first, then walk while they overlap
    const lo = firstWhere(sentences, (s) => s.end > q.start - 1);
    for (let k = lo; k < sentences.length && sentences[k]!.start < q.end + 1; k++) {
      const s = sentences[k]!;
      const o = Math.max(0, Math.min(s.end, q.end + 1) - Math.max(s.start, q.start - 1));
      if (o) quotedChars.set(s.index, (quotedChars.get(s.index) ?? 0) + o);
    }
  }
  const eligible = sentences.filter((s) => {
    const words = s.text.split(/\s+/).length;
    if (words < 6) return false;
    if (/^["“‘']/.test(s.text)) return false;
    return (quotedChars.get(s.index) ?? 0) / s.text.length < 0.5;
  });
  const pool = eligible.length ? eligible : sentences;
  // Salient entities: top by mention count.
  const ranked = [...entities].sort((a, b) => b.mentions.length - a.mentions.length).slice(0, 8);
  const weight = new Map(ranked.map((e, i) => [e.id, 1 / (1 + i * 0.35)]));
  const covers = new Map<number, Set<string>>();
  for (const e of ranked) for (const m of e.mentions) (covers.get(m.sentence) ?? covers.set(m.sentence, new Set()).get(m.sentence)!).add(e.id);
  const chosen: Sentence[] = [pool[0]!];
  const covered = new Set(covers.get(pool[0]!.index) ?? []);
  while (chosen.length < Math.min(count, pool.length)) {
    let best: Sentence | null = null;
    let bestScore = -Infinity;
    for (const s of pool) {
      if (chosen.includes(s)) continue;
      let gain = 0;
      for (const id of covers.get(s.index) ?? []) if (!covered.has(id)) gain += weight.get(id) ?? 0;
      const score = gain + 0.6 / (1 + s.index * 0.25);
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const id of covers.get(best.index) ?? []) covered.add(id);
  }
  return chosen.map((s) => s.index).sort((a, b) => a - b);
}
