/**
 * `/quotes [speaker]`: what a speaker said, each distinct quote once (repeats merged), direct
 * quotes and reported speech marked as such, each with the sentence it stands in and its
 * story; paged. Without an argument, the latest quotes of all speakers.
 */
import { MAX_RECENT_QUOTE_ROWS, type QuoteRecord } from '../../index/types.js';
import { matchNote, nameAndTopic, unresolvedReply, type CommandSpec, type CoreContext, type ValidRequest } from '../context.js';
import { aboutTopic, topicWords } from '../topic.js';
import { mergeQuotes, quoteBlock, withRepeatCounts, type MergedQuote } from '../quoteset.js';
import type { Block, Reply } from '../types.js';
import { count, echo } from '../text.js';

/** How many distinct recent quotes (repeats merged) `/quotes` without a speaker pages through. */
export const RECENT_QUOTES = 100;

/** Quote rows read in the first step of gathering the latest quotes; each further step reads twice as many (up to the index's `MAX_RECENT_QUOTE_ROWS`). */
const RECENT_FIRST_STEP = 500;

/**
 * Most quote rows read to gather the latest quotes: a bound on the work when the newest stories
 * repeat a few quotes thousands of times (each repeat is a row until merged).
 */
export const RECENT_MAX_ROWS = 50_000;

/**
 * The newest `RECENT_QUOTES` distinct quotes of all speakers, repeats merged (`mergeQuotes`)
 * before the window is cut, so one story repeating a quote a thousand times is one quote of the
 * window and the others still follow. Rows are read newest story first in growing steps until
 * the window is full and the story of its last quote has been read to its end (a longer quote
 * later in that story may still absorb a part of it), or the index or `RECENT_MAX_ROWS` runs out.
 */
export async function latestQuotes(ctx: CoreContext, now: Date): Promise<MergedQuote[]> {
  const rows: QuoteRecord[] = [];
  let step = RECENT_FIRST_STEP;
  for (;;) {
    const got = await ctx.index.recentQuotes(Math.min(step, RECENT_MAX_ROWS - rows.length), now, rows.length);
    rows.push(...got);
    const exhausted = got.length < step || rows.length >= RECENT_MAX_ROWS;
    const merged = mergeQuotes(rows);
    if (exhausted) return merged.slice(0, RECENT_QUOTES);
    if (merged.length >= RECENT_QUOTES && rows.at(-1)!.storyId !== merged[RECENT_QUOTES - 1]!.quote.storyId) return merged.slice(0, RECENT_QUOTES);
    step = Math.min(step * 2, MAX_RECENT_QUOTE_ROWS);
  }
}

/** Pages `merged` quotes into a reply; the quotes shown carry their repeat counts from the whole index. */
async function pageReply(req: ValidRequest, ctx: CoreContext, title: string, merged: MergedQuote[], notes: string[], now: Date): Promise<Reply> {
  const per = ctx.display.quotesPerPage;
  const pages = Math.max(1, Math.ceil(merged.length / per));
  if (req.page > pages) {
    return {
      status: 'error',
      title: `No page ${req.page}`,
      blocks: [{ type: 'paragraph', text: `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of quotes for this.` }],
      visibility: 'ephemeral',
    };
  }
  const shown = await withRepeatCounts(ctx.index, merged.slice((req.page - 1) * per, req.page * per), now);
  const stories = new Set(merged.map((m) => m.quote.storyId)).size;
  const direct = merged.filter((m) => m.quote.kind === 'direct').length;
  const blocks: Block[] = notes.map((text) => ({ type: 'context' as const, text }));
  blocks.push({
    type: 'context',
    text: `${count(merged.length, 'quote')} (${direct} direct, ${merged.length - direct} reported) in ${count(stories, 'story', 'stories')}${pages > 1 ? ` · page ${req.page} of ${pages}` : ''}`,
  });
  blocks.push(...shown.map(quoteBlock));
  const reply: Reply = { status: 'answer', title, blocks, visibility: 'channel' };
  if (req.page < pages) {
    reply.actions = [{ type: 'page', label: `More quotes (page ${req.page + 1} of ${pages})`, request: { command: 'quotes', args: req.args, page: req.page + 1 } }];
  }
  return reply;
}

/** The `/quotes` command (see the module docstring). */
export const quotesCommand: CommandSpec = {
  name: 'quotes',
  usage: '/quotes [speaker] [about <words>]',
  description: 'What a person or organisation said: each quote once, with its sentence and story; with "about <words>", what they said on that, most relevant first. Alone: the latest quotes.',
  example: '/quotes zakharova',
  needsArgument: false,
  async handle(req, ctx): Promise<Reply> {
    const now = ctx.now();
    if (!req.args) {
      const latest = await latestQuotes(ctx, now);
      if (latest.length === 0) {
        return { status: 'notFound', title: 'No quotes yet', blocks: [{ type: 'paragraph', text: 'The stories indexed hold no quotes yet.' }], visibility: 'ephemeral' };
      }
      const notes = latest.length >= RECENT_QUOTES ? [`The latest ${RECENT_QUOTES} quotes; /quotes NAME for everything one speaker said.`] : [];
      return pageReply(req, ctx, 'Latest quotes', latest, notes, now);
    }
    const { name, topic, res } = await nameAndTopic(ctx, req.args, (e) => e.quoteCount > 0);
    const words = topic ? topicWords(topic) : [];
    const onTopic = (quotes: QuoteRecord[]) => (topic ? aboutTopic(quotes, words) : quotes);
    const topicNote = topic
      ? [`About ${echo(topic)}: quotes holding the words first, then quotes whose sentence or story headline does; newest first among equals.`]
      : [];
    if (res.status !== 'found') {
      // Anonymous sources are quoted under a description ("a senior official"), not an entity.
      const anonymous = onTopic(await ctx.index.quotesBySpeakerName(name, now));
      if (anonymous.length > 0) return pageReply(req, ctx, `Quotes from sources described as ${echo(name)}${topic ? ` about ${echo(topic)}` : ''}`, mergeQuotes(anonymous), topicNote, now);
      return unresolvedReply(name, res, 'quotes');
    }
    const e = res.entity;
    const quotes: QuoteRecord[] = [];
    // Quotes are shown under the entity's canonical name, whichever form the story printed.
    for (const key of e.keys) quotes.push(...(await ctx.index.quotesBySpeaker(key, now)).map((q) => ({ ...q, speakerName: e.name })));
    if (e.keys.length > 1) quotes.sort((a, b) => (b.storyDate ?? '').localeCompare(a.storyDate ?? '') || (a.storyId === b.storyId ? a.start - b.start : a.storyId.localeCompare(b.storyId)));
    const note = matchNote(name, e, res);
    if (topic && quotes.length > 0) {
      const about = onTopic(quotes);
      if (about.length === 0) {
        return {
          status: 'notFound',
          title: `Nothing from ${e.name} about ${echo(topic)}`,
          blocks: [
            ...(note ? [{ type: 'context' as const, text: note }] : []),
            { type: 'paragraph', text: `${e.name} is quoted ${count(mergeQuotes(quotes).length, 'time')}, but no quote, its sentence or its story's headline mentions ${echo(topic)}.` },
            { type: 'context', text: `All of them: /quotes ${e.name}` },
          ],
          visibility: 'ephemeral',
        };
      }
      return pageReply(req, ctx, `Quotes from ${e.name} about ${echo(topic)}`, mergeQuotes(about), [...(note ? [note] : []), ...topicNote], now);
    }
    if (quotes.length === 0) {
      return {
        status: 'notFound',
        title: `No quotes from ${e.name}`,
        blocks: [
          ...(note ? [{ type: 'context' as const, text: note }] : []),
          { type: 'paragraph', text: `${e.name} is mentioned in ${count(e.storyCount, 'story', 'stories')} but not quoted in any.` },
          { type: 'context', text: `Try /who ${e.name}` },
        ],
        visibility: 'ephemeral',
      };
    }
    return pageReply(req, ctx, `Quotes from ${e.name}`, mergeQuotes(quotes), note ? [note] : [], now);
  },
};
