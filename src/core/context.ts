/**
 * What every command handler gets: the index, display options, the clock, the shared name
 * resolver, and helpers that build the common reply shapes (errors, not found, ambiguous).
 */
import type { DisplayConfig } from '../config/file.js';
import type { ArticleIndex, QuoteRecord, StoryRecord, StoryRef } from '../index/types.js';
import type { Citation, CommandName, Platform, Reply } from './types.js';
import { rank, type NamedEntity, type NameResolver, type Resolution } from './names.js';
import { count, echo, joinAnd } from './text.js';

/** A request after validation: arguments cleaned, page defaulted. */
export interface ValidRequest {
  command: CommandName;
  /** Cleaned argument text (may be empty). */
  args: string;
  /** 1-based page. */
  page: number;
  /** Where the request came from and who sent it (commands that act on a channel need them). */
  platform?: Platform;
  userId?: string;
  channelId?: string;
  /** Set by the adapter from the config file's admins. */
  isAdmin?: boolean;
  /** The request came from a direct message with the bot. */
  direct?: boolean;
}

/** Shared state of one core. */
export interface CoreContext {
  index: ArticleIndex;
  display: DisplayConfig;
  now: () => Date;
  /**
   * The name resolver. When the index changed since it was built (or it is over a minute old) a
   * new one is built in the background and the previous one answers meanwhile; `fresh` waits for
   * a resolver that holds the index's current content. See `resolveName`.
   */
  resolver(options?: { fresh?: boolean }): Promise<NameResolver>;
}

/** One command: its help text and its handler. */
export interface CommandSpec {
  name: CommandName;
  /** Usage line, e.g. `/quotes [speaker]`. */
  usage: string;
  description: string;
  example: string;
  /** Whether the command needs an argument; the core answers an empty one with the usage and example. */
  needsArgument: boolean;
  handle(request: ValidRequest, ctx: CoreContext): Promise<Reply>;
}

/** A citation for a story reference. */
export function citeStory(ref: StoryRef): Citation {
  return { storyId: ref.storyId, title: ref.title, date: ref.date, ...(ref.undated ? { undated: true } : {}), url: ref.url };
}

/** A citation for a whole story: its publication time, else (undated) when it was first seen. */
export function citeRecord(s: Pick<StoryRecord, 'id' | 'title' | 'publishedAt' | 'firstSeenAt' | 'url'>): Citation {
  return { storyId: s.id, title: s.title, date: s.publishedAt ?? s.firstSeenAt, ...(s.publishedAt ? {} : { undated: true }), url: s.url };
}

/** A citation for a quote's story. */
export function citeQuote(q: QuoteRecord): Citation {
  return { storyId: q.storyId, title: q.storyTitle, date: q.storyDate, ...(q.storyUndated ? { undated: true } : {}), url: q.storyUrl };
}

/** An error reply: only the asker sees it. */
export function errorReply(title: string, text: string, hint?: string): Reply {
  return {
    status: 'error',
    title,
    blocks: [{ type: 'paragraph', text }, ...(hint ? [{ type: 'context' as const, text: hint }] : [])],
    visibility: 'ephemeral',
  };
}

/** The reply adapters send when the core itself failed (never for bad input, which the core answers). */
export function internalErrorReply(): Reply {
  return errorReply('Something went wrong', 'The newsroom bot could not answer that just now. Please try again in a minute.');
}

/** A one-line description of an entity for candidate lists: `Thandi Ndlovu (person): chief executive, 1 story`. */
export function describeEntity(e: NamedEntity): string {
  const bits = [e.roles[0] ?? e.affiliation[0], count(e.storyCount, 'story', 'stories')].filter(Boolean);
  return `${e.name} (${e.type}): ${bits.join(', ')}`;
}

/**
 * The reply for a name that did not resolve to exactly one entity.
 * @param command the command to suggest re-running (`/who`, `/quotes`)
 */
export function unresolvedReply(query: string, res: Exclude<Resolution, { status: 'found' }>, command: CommandName): Reply {
  if (res.status === 'ambiguous') {
    const candidates = rank(res.candidates).slice(0, 8);
    return {
      status: 'ambiguous',
      title: `${echo(query)} could mean ${res.candidates.every((c) => c.type === 'person') ? count(res.candidates.length, 'person', 'people') : count(res.candidates.length, 'entity', 'entities')}`,
      blocks: [
        {
          type: 'paragraph',
          text:
            res.match.how === 'typo'
              ? `No exact match for ${echo(query)}. Did you mean one of these?`
              : `Several entities in the stories go by ${echo(query)}. Which one do you mean?`,
        },
        { type: 'list', items: candidates.map(describeEntity) },
        { type: 'context', text: `Ask again with the full name, e.g. /${command} ${candidates[0]!.name}` },
      ],
      visibility: 'ephemeral',
    };
  }
  const blocks: Reply['blocks'] = [{ type: 'paragraph', text: `Nobody and nothing called ${echo(query)} appears in the stories indexed.` }];
  if (res.suggestions.length > 0) {
    blocks.push({ type: 'paragraph', text: `Did you mean ${joinAnd(res.suggestions.map((s) => s.name))}?` });
    blocks.push({ type: 'context', text: `e.g. /${command} ${res.suggestions[0]!.name}` });
  } else {
    blocks.push({ type: 'context', text: 'Try /search with a few words from the story.' });
  }
  return { status: 'notFound', title: `Not found: ${echo(query)}`, blocks, visibility: 'ephemeral' };
}

/** A note on how a name was matched, when it was not by the canonical name ("“zaharova” matched Maria Zakharova"). */
export function matchNote(query: string, entity: NamedEntity, res: Extract<Resolution, { status: 'found' }>): string | null {
  const m = res.match;
  if (m.how === 'typo') return `No exact match for ${echo(query)}; showing the closest name, ${entity.name}.`;
  if (m.how === 'alias' && (m.kind === 'metonym' || m.kind === 'demonym')) {
    return `${echo(m.alias)} stands for ${entity.name} in the stories.`;
  }
  return null;
}

/**
 * Resolves what a user typed. A name the current resolver does not know as one entity is tried
 * again on a fresh one, so a story stored a moment ago is found although resolvers are rebuilt
 * in the background.
 */
export async function resolveName(ctx: CoreContext, query: string): Promise<{ resolver: NameResolver; res: Resolution }> {
  let resolver = await ctx.resolver();
  let res = resolver.resolve(query);
  if (res.status !== 'found') {
    const fresh = await ctx.resolver({ fresh: true });
    if (fresh !== resolver) {
      resolver = fresh;
      res = resolver.resolve(query);
    }
  }
  return { resolver, res };
}

/** A name and the topic words after it, as read by `nameAndTopic`. */
export interface NameAndTopic {
  /** The words naming the entity. */
  name: string;
  /** The topic words, or null when the whole argument is a name. */
  topic: string | null;
  res: Resolution;
  resolver: NameResolver;
}

/**
 * Reads `<name> about <words>`, or `<name> <words>` when the whole text does not resolve but its
 * leading words do (to an entity `wanted` accepts: a speaker for /quotes) and the rest does not,
 * e.g. `zakharova nato` → Maria Zakharova, topic "nato". Otherwise the whole text is the name.
 * Several candidates of whom only one is `wanted` count as that one.
 */
export async function nameAndTopic(ctx: CoreContext, args: string, wanted: (e: NamedEntity) => boolean = () => true): Promise<NameAndTopic> {
  const pick = (res: Resolution): Resolution => {
    if (res.status !== 'ambiguous') return res;
    const only = res.candidates.filter(wanted);
    return only.length === 1 ? { status: 'found', entity: only[0]!, match: res.match, alsoNamed: [] } : res;
  };
  const about = /^(.+?)\s+about\s+(.+)$/i.exec(args);
  if (about) {
    const { resolver, res } = await resolveName(ctx, about[1]!);
    return { name: about[1]!, topic: about[2]!, res: pick(res), resolver };
  }
  const whole = await resolveName(ctx, args);
  const res = pick(whole.res);
  const resolver = whole.resolver;
  if (res.status === 'found') return { name: args, topic: null, res, resolver };
  const words = args.split(' ');
  for (let k = words.length - 1; k >= 1; k--) {
    const lead = pick(resolver.resolve(words.slice(0, k).join(' ')));
    if (lead.status !== 'found' || !wanted(lead.entity)) continue;
    const rest = words.slice(k).join(' ');
    const other = pick(resolver.resolve(rest));
    if (other.status === 'found' && wanted(other.entity)) break;
    return { name: words.slice(0, k).join(' '), topic: rest, res: lead, resolver };
  }
  return { name: args, topic: null, res, resolver };
}
