/**
 * `/summary [story]`: the parser's extractive summary of a story, its sentences verbatim and
 * cited. Without an argument, the newest story; with one, the story whose headline and text
 * best match the words (full-text search).
 */
import type { StoryRecord } from '../../index/types.js';
import { citeRecord, errorReply, type CommandSpec } from '../context.js';
import type { Block, Citation, Reply } from '../types.js';
import { clip, count, echo, meaningfulWords, storyDay } from '../text.js';

/** Names worth a follow-up command: the most mentioned speakers and entities of a story. */
function followUps(story: StoryRecord): string | null {
  const { entities, quotes } = story.parsed;
  const quoted = new Map<string, number>();
  for (const q of quotes) if (q.kind !== 'term' && q.speaker?.entityId) quoted.set(q.speaker.entityId, (quoted.get(q.speaker.entityId) ?? 0) + 1);
  const byMentions = [...entities].sort((a, b) => b.mentions.length - a.mentions.length);
  const speaker = [...entities].filter((e) => quoted.has(e.id)).sort((a, b) => quoted.get(b.id)! - quoted.get(a.id)!)[0];
  const other = byMentions.find((e) => e !== speaker && e.type !== 'person') ?? byMentions.find((e) => e !== speaker);
  const hints: string[] = [];
  if (speaker) hints.push(`/quotes ${speaker.type === 'person' ? speaker.name.split(' ').at(-1) : speaker.name}`);
  if (other) hints.push(`/who ${other.name}`);
  return hints.length ? `More: ${hints.join(' · ')}` : null;
}

/** The `/summary` command (see the module docstring). */
export const summaryCommand: CommandSpec = {
  name: 'summary',
  usage: '/summary [story]',
  description: 'The key sentences of the newest story, or of the story matching your words.',
  example: '/summary nato troops',
  needsArgument: false,
  async handle(req, ctx): Promise<Reply> {
    const now = ctx.now();
    let story: StoryRecord | null;
    const blocks: Block[] = [];
    if (!req.args) {
      story = await ctx.index.latestStory(now);
      if (!story) {
        return {
          status: 'notFound',
          title: 'No stories yet',
          blocks: [
            { type: 'paragraph', text: 'The index holds no stories yet, so there is nothing to summarise.' },
            { type: 'context', text: 'Add stories with: npm run cli -- ingest PATH' },
          ],
          visibility: 'ephemeral',
        };
      }
    } else {
      // Only words that can pick a story count: "bananas in space" must not select a story for its "in".
      const words = meaningfulWords(req.args);
      if (words.length === 0) {
        return errorReply(
          '/summary needs a word from the story',
          `${echo(req.args)} has only words too common to pick a story by.`,
          `Usage: ${summaryCommand.usage}, e.g. ${summaryCommand.example}; or /summary alone for the newest story.`,
        );
      }
      const hits = await ctx.index.search(words.join(' '), 4, { now });
      if (hits.length === 0) {
        return {
          status: 'notFound',
          title: `No story matches ${echo(req.args)}`,
          blocks: [
            { type: 'paragraph', text: `No headline or story text matches ${echo(req.args)}.` },
            { type: 'context', text: 'Try other words, or /summary alone for the newest story.' },
          ],
          visibility: 'ephemeral',
        };
      }
      story = await ctx.index.getStory(hits[0]!.storyId);
      if (!story) return { status: 'error', title: 'Story missing', blocks: [{ type: 'paragraph', text: 'That story just left the index. Try again.' }], visibility: 'ephemeral' };
      const best = hits[0]!.allWords === false ? `No story has all of ${echo(req.args)}; closest match.` : `Best match for ${echo(req.args)}.`;
      const others = hits.slice(1).map((h) => clip(h.title, 70));
      blocks.push({ type: 'context', text: others.length ? `${best} Also matching: ${others.join(' · ')}` : best });
    }

    const citation: Citation = citeRecord(story);
    const line = [story.dateline, storyDay(citation.date, citation.undated), story.byline].filter(Boolean).join(' · ');
    if (line) blocks.unshift({ type: 'context', text: line });
    const { sentences, summary } = story.parsed;
    const picked = summary
      .slice(0, ctx.display.summarySentences)
      .map((i) => sentences[i])
      .filter((s): s is NonNullable<typeof s> => Boolean(s));
    if (picked.length === 0) {
      blocks.push({ type: 'paragraph', text: 'This story has no sentences the summariser could use.', citation });
    } else {
      for (const s of picked) blocks.push({ type: 'paragraph', text: s.text, citation });
    }
    const quotes = story.parsed.quotes.filter((q) => q.kind !== 'term').length;
    const facts = `${count(sentences.length, 'sentence')}, ${count(quotes, 'quote')}${story.revision > 1 ? `, revision ${story.revision}` : ''}`;
    const more = followUps(story);
    blocks.push({ type: 'context', text: more ? `${facts} · ${more}` : facts });
    return { status: 'answer', title: story.title, blocks, visibility: 'channel' };
  },
};
