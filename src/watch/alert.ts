/**
 * The message of a watch alert, as a platform-neutral `Reply` (the sinks render it): for one
 * story, its headline and the new quotes (or the sentence that mentions the entity or holds the
 * words) with the story cited; for a burst, one entry per story in the same message. Reported
 * speech stays marked as such (quote blocks of kind `indirect`).
 */
import { quoteRecord } from '../core/digest.js';
import { quoteBlock } from '../core/quoteset.js';
import type { Block, Citation, Reply } from '../core/types.js';
import { clip, count } from '../core/text.js';
import type { StoryRecord } from '../index/types.js';
import { matchStory } from './match.js';
import type { WatchRecord } from './store.js';

/** Stories shown in full in one alert; more are listed by headline. */
export const ALERT_STORIES = 5;
/** Quotes shown per story. */
const QUOTES_PER_STORY = 3;

/** One story of an alert and the items the alert is about. */
export interface AlertStory {
  story: StoryRecord;
  items: string[];
}

function cite(s: StoryRecord): Citation {
  return { storyId: s.id, title: s.title, date: s.publishedAt ?? s.ingestedAt, url: s.url };
}

/** The blocks of one story: its new quotes, else the sentence. */
function storyBlocks(watch: WatchRecord, a: AlertStory): Block[] {
  const m = matchStory({ kind: watch.kind, keys: watch.keys }, a.story);
  const quotes = a.items.flatMap((i) => {
    const q = m.quotes.get(i);
    return q ? [q] : [];
  });
  if (quotes.length > 0) {
    const blocks: Block[] = quotes.slice(0, QUOTES_PER_STORY).map((q) => quoteBlock({ quote: quoteRecord(q, a.story, null, q.speaker?.name ?? 'unnamed source'), occurrences: 1 }));
    if (quotes.length > QUOTES_PER_STORY) blocks.push({ type: 'context', text: `and ${count(quotes.length - QUOTES_PER_STORY, 'more quote')} in this story` });
    return blocks;
  }
  const sentence = m.sentence !== null ? a.story.parsed.sentences[m.sentence]?.text : undefined;
  return [{ type: 'paragraph', text: clip((sentence ?? a.story.title).replace(/\s+/g, ' ').trim(), 600), citation: cite(a.story) }];
}

/**
 * The alert for `watch` about `stories` (in the order given).
 * @returns a channel-visible reply; its title names the watch and how many stories
 */
export function alertReply(watch: WatchRecord, stories: AlertStory[]): Reply {
  const what = watch.kind === 'entity' ? watch.label : `“${watch.label}”`;
  const quoted = stories.some((s) => s.items.some((i) => i.startsWith('q:')));
  const revised = stories.length === 1 && stories[0]!.story.revision > 1 && !stories[0]!.items.includes('story');
  const title =
    stories.length === 1
      ? `${what}: ${revised ? 'a new quote in an updated story' : watch.kind === 'entity' && quoted ? 'quoted in a new story' : 'in a new story'}`
      : `${what}: ${count(stories.length, 'new story', 'new stories')}`;
  const blocks: Block[] = [{ type: 'context', text: `Watch #${watch.id} · stop it with /unwatch ${watch.id}` }];
  stories.slice(0, ALERT_STORIES).forEach((s) => {
    blocks.push({ type: 'heading', text: clip(s.story.title, 200) });
    blocks.push(...storyBlocks(watch, s));
  });
  if (stories.length > ALERT_STORIES) {
    blocks.push({ type: 'heading', text: `${count(stories.length - ALERT_STORIES, 'more story', 'more stories')}` });
    blocks.push({ type: 'list', items: stories.slice(ALERT_STORIES).map((s) => clip(s.story.title, 150)) });
  }
  return { status: 'answer', title, blocks, visibility: 'channel' };
}
