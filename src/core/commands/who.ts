/**
 * `/who <name>`: what the stories say about a person, country, organisation or place: its
 * type, the other names it goes by (metonyms and demonyms explained: "Paris (capital, used for
 * France)"), roles and affiliation, related people with their roles, what it said, what is
 * said of it, numbers tied to it, and where it appears, every fact cited. A capital the stories
 * use both as the city and for its government is listed story by story under each reading.
 */
import worldCountries from 'world-countries';
import { foldName } from '../../index/keys.js';
import type { AliasRecord, EntityProfile, RelatedEntity, StoryRef } from '../../index/types.js';
import { citeStory, matchNote, nameAndTopic, unresolvedReply, type CommandSpec, type CoreContext } from '../context.js';
import { aboutTopic, sameWord, topicWords } from '../topic.js';
import type { NamedEntity } from '../names.js';
import { mergeQuotes, quoteBlock, withRepeatCounts } from '../quoteset.js';
import type { Block, Reply } from '../types.js';
import { clip, count, echo, joinAnd, storyDay } from '../text.js';

/** Folded capital names by ISO alpha-2 code and by folded common country name, from world-countries. */
const CAPITALS = new Map<string, string[]>();
for (const c of worldCountries as unknown as { cca2: string; capital: string[]; name: { common: string } }[]) {
  const caps = c.capital.map(foldName);
  CAPITALS.set(c.cca2.toLowerCase(), caps);
  CAPITALS.set(foldName(c.name.common), caps);
}

/** Related people shown at most. */
const MAX_PEOPLE = 5;
/** Other related entities named at most. */
const MAX_OTHERS = 4;
/** Sentences shown under "Mentions" at most. */
const MAX_MENTIONS = 2;

/** Stories named at most under each reading of a capital. */
const MAX_READING_STORIES = 5;

/** A story as a reply names it: its headline and day. */
const storyLine = (s: StoryRef): string => `${clip(s.title, 80)}${s.date ? ` (${storyDay(s.date, s.undated)})` : ''}`;

/** How the stories read a capital's name: the city in some, its country's government in others. */
export interface CapitalReadings {
  country: NamedEntity;
  /** Stories where the name is the city (in it, its mayor, its dateline). */
  city: StoryRef[];
  /** Stories where the name stands for the country's government ("Paris could contribute troops"). */
  government: StoryRef[];
}

/**
 * For a place that is also a capital the stories use for its government (AP style: a capital is
 * the city where something happens in it or belongs to it, the government where it acts as one),
 * the stories of each reading; null when the stories use the name one way only.
 * @param alsoNamed the other entities the query names (a country with the name as metonym)
 * @param profile the place's profile (its stories are the city's)
 */
export async function capitalReadings(ctx: CoreContext, e: NamedEntity, alsoNamed: NamedEntity[], profile: EntityProfile): Promise<CapitalReadings | null> {
  if (e.type !== 'place') return null;
  const name = foldName(e.name);
  const country = alsoNamed.find((x) => x.type === 'country' && x.aliasDetails.some((a) => a.kind === 'metonym' && foldName(a.text) === name));
  if (!country) return null;
  const cp = await ctx.index.entityProfile(country.keys, ctx.now());
  const seen = new Set<string>();
  const government = cp.forms
    .filter((f) => f.kind === 'metonym' && foldName(f.surface) === name && !seen.has(f.story.storyId) && seen.add(f.story.storyId))
    .map((f) => f.story);
  if (!government.length || !profile.stories.length) return null;
  return { country, city: profile.stories, government };
}

/** An alias with what kind of name it is, when that needs saying. */
export function explainAlias(a: AliasRecord, e: NamedEntity): string | null {
  switch (a.kind) {
    case 'pronoun':
      return null;
    case 'metonym': {
      const caps = CAPITALS.get(e.countryCode?.toLowerCase() ?? '') ?? CAPITALS.get(foldName(e.name)) ?? [];
      return caps.includes(foldName(a.text)) ? `${a.text} (capital, used for ${e.name})` : `${a.text} (used for ${e.name})`;
    }
    case 'demonym':
      return `${a.text} (adjective)`;
    case 'description':
      return `${a.text} (description)`;
    default:
      return a.text;
  }
}

/** True when `r` belongs to `e` by the text's own words: its affiliation names `e`, or a role uses one of `e`'s names ("French President"). */
function belongsTo(r: RelatedEntity, names: Set<string>): boolean {
  if (r.affiliation.some((a) => names.has(foldName(a)))) return true;
  return r.roles.some((role) => {
    const words = ` ${foldName(role)} `;
    for (const n of names) if (words.includes(` ${n} `)) return true;
    return false;
  });
}

/** People related to `e`: those who belong to it first, then by sentences shared. */
function relatedPeople(e: NamedEntity, profile: EntityProfile): { people: RelatedEntity[]; others: RelatedEntity[] } {
  const names = new Set([e.name, ...e.aliasDetails.filter((a) => a.kind !== 'pronoun' && a.kind !== 'description').map((a) => a.text)].map(foldName));
  const scored = profile.related.map((r) => ({ r, own: belongsTo(r, names) }));
  scored.sort((a, b) => Number(b.own) - Number(a.own) || b.r.sharedSentences - a.r.sharedSentences || b.r.sharedStories - a.r.sharedStories);
  return {
    people: scored.filter((s) => s.r.type === 'person').slice(0, MAX_PEOPLE).map((s) => s.r),
    others: scored.filter((s) => s.r.type !== 'person' && s.r.sharedSentences > 0).slice(0, MAX_OTHERS).map((s) => s.r),
  };
}

/** The `/who` command (see the module docstring). */
export const whoCommand: CommandSpec = {
  name: 'who',
  usage: '/who <name> [words]',
  description: 'Who or what someone is in the stories: names, roles, related people, what they said and what is said of them, numbers, with sources. Words after the name narrow the statements to those words.',
  example: '/who france',
  needsArgument: true,
  async handle(req, ctx): Promise<Reply> {
    const { name, topic, res } = await nameAndTopic(ctx, req.args);
    if (res.status !== 'found') return unresolvedReply(name, res, 'who');
    const words = topic ? topicWords(topic) : [];
    const e = res.entity;
    const profile = await ctx.index.entityProfile(e.keys, ctx.now());
    const blocks: Block[] = [];

    const note = matchNote(name, e, res);
    if (note) blocks.push({ type: 'context', text: note });
    if (topic) blocks.push({ type: 'context', text: `Statements narrowed to ${echo(topic)}: what was said that holds the words, or whose sentence or story headline does.` });
    if (res.alsoNamed.length > 0) {
      blocks.push({ type: 'context', text: `${joinAnd(res.alsoNamed.map((x) => x.name))} also ${res.alsoNamed.length === 1 ? 'goes' : 'go'} by this name: /who ${res.alsoNamed[0]!.name}` });
    }

    const aliases = e.aliasDetails.map((a) => explainAlias(a, e)).filter((a): a is string => a !== null);
    const places = [...new Set(profile.stories.map((s) => s.dateline).filter((d): d is string => Boolean(d)))];
    const fields: { label: string; value: string }[] = [{ label: 'Type', value: e.type }];
    if (aliases.length) fields.push({ label: 'Also called', value: clip(aliases.join('; '), 900) });
    if (e.roles.length) fields.push({ label: e.roles.length > 1 ? 'Roles' : 'Role', value: clip(e.roles.join('; '), 900) });
    if (e.affiliation.length) fields.push({ label: 'Affiliation', value: clip(e.affiliation.join('; '), 900) });
    fields.push({ label: 'Seen in', value: `${count(profile.storyCount, 'story', 'stories')}, ${count(e.mentionCount, 'mention')}` });
    if (places.length) fields.push({ label: 'Datelines', value: clip(places.join(', '), 300) });
    const { people, others } = relatedPeople(e, profile);
    if (others.length) fields.push({ label: 'Mentioned with', value: others.map((o) => o.name).join(', ') });
    // A capital read both ways: which it was, story by story.
    const readings = await capitalReadings(ctx, e, res.alsoNamed, profile);
    if (readings) {
      const list = (stories: StoryRef[]) => stories.slice(0, MAX_READING_STORIES).map(storyLine).join(' · ') + (stories.length > MAX_READING_STORIES ? ` and ${stories.length - MAX_READING_STORIES} more` : '');
      fields.push({ label: 'As the city', value: clip(list(readings.city), 900) });
      fields.push({ label: `As the government of ${readings.country.name}`, value: clip(list(readings.government), 900) });
    }
    blocks.push({ type: 'fields', fields });

    if (people.length) {
      blocks.push({ type: 'heading', text: e.type === 'person' ? 'People around them' : `People linked to ${e.name}` });
      blocks.push({ type: 'list', items: people.map((p) => (p.roles.length ? `${p.name}, ${p.roles[0]}` : p.name)) });
    }

    const narrow = (quotes: typeof profile.quotesBy) => (topic ? aboutTopic(quotes, words) : quotes);
    const said = mergeQuotes(narrow(profile.quotesBy.map((q) => ({ ...q, speakerName: e.name }))));
    if (said.length && ctx.display.whoQuotes > 0) {
      blocks.push({ type: 'heading', text: `What ${e.name} said` });
      blocks.push(...(await withRepeatCounts(ctx.index, said.slice(0, ctx.display.whoQuotes), ctx.now())).map(quoteBlock));
      // Quotes come from the newest stories the profile read; the catalog counts them all.
      const all = profile.storyCount > profile.stories.length && !topic ? Math.max(said.length, e.quoteCount) : said.length;
      if (all > ctx.display.whoQuotes) blocks.push({ type: 'context', text: `${count(all, 'quote')} in all: /quotes ${e.name}${topic ? ` about ${topic}` : ''}` });
    }
    const about = mergeQuotes(narrow(profile.quotesAbout));
    if (topic && said.length === 0 && about.length === 0) {
      blocks.push({ type: 'paragraph', text: `Nothing ${e.name} said, and nothing said about ${e.name}, mentions ${echo(topic)} in the newest stories.` });
    }
    if (about.length && ctx.display.whoQuotes > 0) {
      blocks.push({ type: 'heading', text: `What others said about ${e.name}` });
      blocks.push(...(await withRepeatCounts(ctx.index, about.slice(0, ctx.display.whoQuotes), ctx.now())).map(quoteBlock));
    }

    // Sentences holding quotes are shown (or merged away) above; "In the stories" is for the narrative.
    const usedSentences = new Set([...profile.quotesBy, ...profile.quotesAbout].map((q) => `${q.storyId}:${q.sentence}`));
    const seenAmounts = new Set<string>();
    const amounts = profile.amounts.filter((a) => {
      // The same figure in the same words (a repeated paragraph, a wire story filed twice) is shown once.
      const k = `${a.text}\u0000${a.sentenceText}`;
      if (seenAmounts.has(k)) return false;
      seenAmounts.add(k);
      return true;
    });
    if (amounts.length && ctx.display.whoNumbers > 0) {
      blocks.push({ type: 'heading', text: 'Numbers' });
      for (const a of amounts.slice(0, ctx.display.whoNumbers)) {
        blocks.push({ type: 'paragraph', text: `${a.text}: ${a.sentenceText}`, citation: citeStory(a.story) });
        usedSentences.add(`${a.story.storyId}:${a.sentence}`);
      }
    }

    // The first sentences naming it, one per story, that the reply has not shown yet.
    const mentions: Block[] = [];
    const storiesDone = new Set<string>();
    const textsDone = new Set(amounts.slice(0, ctx.display.whoNumbers).map((a) => a.sentenceText));
    for (const m of profile.mentions) {
      if (mentions.length >= MAX_MENTIONS) break;
      if (topic && !topicWords(m.text).some((w) => words.some((t) => sameWord(t, w)))) continue;
      if (storiesDone.has(m.story.storyId) || textsDone.has(m.text) || usedSentences.has(`${m.story.storyId}:${m.sentence}`) || m.kind === 'pronoun') continue;
      storiesDone.add(m.story.storyId);
      textsDone.add(m.text);
      mentions.push({ type: 'paragraph', text: m.text, citation: citeStory(m.story) });
    }
    if (mentions.length) blocks.push({ type: 'heading', text: 'In the stories' }, ...mentions);

    const sources = profile.stories.slice(0, 3).map(storyLine);
    if (sources.length) {
      const more = profile.storyCount - sources.length;
      blocks.push({ type: 'context', text: `Sources: ${sources.join(' · ')}${more > 0 ? ` and ${more} more` : ''}` });
    }
    return { status: 'answer', title: e.name, blocks, visibility: 'channel' };
  },
};
