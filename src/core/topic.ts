/**
 * Speaker and topic together: which of a speaker's quotes are about some words
 * (`/quotes zakharova about nato`, `/who zakharova nato`). A quote is about the words when they
 * appear in it; less so when they appear only in the sentence it stands in; least when only the
 * story's headline has them (the quote is from a story about the topic). Words are compared
 * folded, and a word matches its plural or possessive ("troop" finds "troops"; see `sameWord`).
 */
import { foldName } from '../index/keys.js';
import type { QuoteRecord } from '../index/types.js';

/** Words too common to say what a topic is. */
const STOP = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'and', 'or', 'with', 'by', 'from', 'about', 'as', 'is', 'are', 'was', 'were', 'it', 'its', 'this', 'that']);

/** The folded words of a topic, stop words out (all of them when nothing else is left). */
export function topicWords(text: string): string[] {
  const words = foldName(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !STOP.has(w));
  return [...new Set(kept.length ? kept : words)];
}

/**
 * Whether a word of the text counts as the topic word: the same word, or one of them is the
 * other plus a short ending (plural, possessive: `troop`/`troops`, `sanction`/`sanctions`) when
 * the shorter has at least four letters.
 */
export function sameWord(topic: string, word: string): boolean {
  if (topic === word) return true;
  const [short, long] = topic.length < word.length ? [topic, word] : [word, topic];
  return short.length >= 4 && long.startsWith(short) && long.length - short.length <= 2;
}

/** How many topic words `text` holds. */
function hits(words: readonly string[], text: string): number {
  const inText = foldName(text).split(' ');
  return words.filter((t) => inText.some((w) => sameWord(t, w))).length;
}

/** Weights: a topic word in the quote, in its sentence, in the story's headline. */
const IN_QUOTE = 4;
const IN_SENTENCE = 2;
const IN_HEADLINE = 1;

/** How much `q` is about the topic `words`: 0 when none of them appears in the quote, its sentence or its story's headline. */
export function relevance(q: QuoteRecord, words: readonly string[]): number {
  return IN_QUOTE * hits(words, q.text) + IN_SENTENCE * hits(words, q.context) + IN_HEADLINE * hits(words, q.storyTitle);
}

/**
 * The quotes about the topic, most relevant first, the newest story first among equals, in
 * reading order within a story. Quotes with no topic word anywhere are left out.
 */
export function aboutTopic(quotes: readonly QuoteRecord[], words: readonly string[]): QuoteRecord[] {
  return quotes
    .map((q, i) => ({ q, i, score: relevance(q, words) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (b.q.storyDate ?? '').localeCompare(a.q.storyDate ?? '') || a.i - b.i)
    .map((x) => x.q);
}
