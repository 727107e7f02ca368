/**
 * `/watch <name or words>`, `/watch me <name or words>`, `/watch list` and `/unwatch <id>`:
 * alerts when a newly surfaced story quotes or mentions an entity, or holds some words.
 *
 * A watch belongs to a channel (set by admins, like digest schedules; alerts go to the channel)
 * or to a user (set by anyone; alerts come by direct message). `/watch X` in a channel by an
 * admin watches for the channel; by anyone else, in a DM, or as `/watch me X`, for the user.
 * A name is resolved as `/who` resolves it: one entity is watched by its keys; several ask which
 * (a trailing `(person)`, `(place)`… picks by type); a name the stories do not know, or text in
 * quotation marks, is watched as words. Storage and delivery are `src/watch/`'s; the core only
 * sees the `WatchRegistry` interface.
 */
import { rank, type NamedEntity } from '../names.js';
import { describeEntity, errorReply, resolveName, type CommandSpec, type ValidRequest } from '../context.js';
import { topicWords } from '../topic.js';
import type { Block, Platform, Reply } from '../types.js';
import { clip, count, echo, joinAnd } from '../text.js';

/** A watch as chat shows it. */
export interface WatchInfo {
  id: number;
  platform: Platform;
  /** `channel`: alerts go to `target`, a channel; `user`: alerts go to `target`, a user, by direct message. */
  scope: 'channel' | 'user';
  target: string;
  kind: 'entity' | 'words';
  /** The entity's name, or the words as typed. */
  label: string;
  createdBy: string;
  createdAt: Date;
}

/** What a new watch watches. */
export interface NewWatch {
  platform: Platform;
  scope: 'channel' | 'user';
  target: string;
  kind: 'entity' | 'words';
  label: string;
  /** Cross-story keys of the entity (entity watches). */
  keys: string[];
  /** Folded words, all of which a story must hold (words watches). */
  words: string[];
  createdBy: string;
}

/**
 * Watches as the core needs them; `src/watch/service.ts` implements it over the database. Every
 * method may reject on a storage failure (the core reports it).
 */
export interface WatchRegistry {
  /** Adds a watch unless the same one exists (same target, kind and keys or words). */
  add(watch: NewWatch): Promise<{ watch: WatchInfo; created: boolean }>;
  /** Active watches of a channel (when given) and of a user, on one platform, oldest first. */
  list(platform: Platform, channelId: string | null, userId: string): Promise<WatchInfo[]>;
  /** One active watch. */
  get(platform: Platform, id: number): Promise<WatchInfo | null>;
  /** Ends a watch (pending alerts are dropped). @returns whether it was active */
  remove(platform: Platform, id: number): Promise<boolean>;
  /** Active watches for one target (for the per-target limit). */
  countFor(platform: Platform, scope: 'channel' | 'user', target: string): Promise<number>;
}

/** Most watches one channel or one user may have. */
export const MAX_WATCHES = 50;

function usage(problem: string): Reply {
  return {
    status: 'error',
    title: 'Watch: not understood',
    blocks: [
      { type: 'paragraph', text: problem },
      {
        type: 'list',
        items: [
          '/watch <name>: alert when a new story quotes or mentions them (a channel watch for admins, else by DM)',
          '/watch "rail strike": alert when a new story has these words',
          '/watch me <name or words>: alerts to you by direct message',
          '/watch list: this channel’s watches and yours',
          '/unwatch <id>: stop one (channel watches: admins)',
        ],
      },
    ],
    visibility: 'ephemeral',
  };
}

const notice = (title: string, text: string, hint?: string): Reply => ({
  status: 'answer',
  title,
  blocks: [{ type: 'paragraph', text }, ...(hint ? [{ type: 'context' as const, text: hint }] : [])],
  visibility: 'ephemeral',
});

function describe(w: WatchInfo): string {
  const what = w.kind === 'entity' ? w.label : `the words ${echo(w.label)}`;
  const where = w.scope === 'channel' ? 'this channel' : 'you, by direct message';
  return `#${w.id} ${what} → ${where}`;
}

/** Builds `/watch` and `/unwatch` over `registry` (without one they say watches are off). */
export function watchCommands(registry: WatchRegistry | undefined): CommandSpec[] {
  const off = () => errorReply('Watches are off', 'Watches are not available on this bot: it runs without a watch store.');

  const watch: CommandSpec = {
    name: 'watch',
    usage: '/watch <name or words> | me <name or words> | list',
    description: 'Alert when a new story quotes or mentions a person, organisation or country, or has your words: in this channel (admins) or to you by direct message.',
    example: '/watch zakharova',
    needsArgument: true,
    async handle(req, ctx): Promise<Reply> {
      if (!registry) return off();
      const platform = req.platform ?? 'terminal';
      const userId = req.userId ?? 'local';
      let text = req.args.trim();
      if (/^list$/i.test(text)) return listReply(registry, req);
      let personal = false;
      const me = /^me\s+(.+)$/i.exec(text);
      if (me) {
        personal = true;
        text = me[1]!.trim();
      }
      const inChannel = Boolean(req.channelId) && !req.direct && platform !== 'terminal';
      let note: string | null = null;
      if (!personal && !inChannel) personal = true;
      if (!personal && !req.isAdmin) {
        personal = true;
        note = 'Channel watches are for admins (slack.admins, discord.admins in the config file), so this one is yours: alerts come to you by direct message.';
      }
      const scope = personal ? 'user' : 'channel';
      const target = personal ? userId : req.channelId!;
      if ((await registry.countFor(platform, scope, target)) >= MAX_WATCHES) {
        return errorReply('Too many watches', `${scope === 'channel' ? 'This channel has' : 'You have'} ${MAX_WATCHES} watches, the most allowed.`, 'Stop one with /unwatch <id>; see them with /watch list.');
      }

      // Words in quotation marks are words; anything else is tried as a name first.
      const quoted = /^["“'‘«](.+?)["”'’»]$/.exec(text);
      let entity: NamedEntity | null = null;
      let suggestion = '';
      if (!quoted) {
        const typed = /^(.+?)\s*\((person|country|organi[sz]ation|place|other)\)$/i.exec(text);
        const name = typed ? typed[1]! : text;
        const { res } = await resolveName(ctx, name);
        let found = res.status === 'found' ? res.entity : null;
        if (res.status === 'ambiguous') {
          const wantType = typed?.[2]!.toLowerCase().replace('organisation', 'organization');
          const pick = wantType ? res.candidates.filter((c) => c.type === wantType) : [];
          if (pick.length === 1) found = pick[0]!;
          else return ambiguousReply(text, res.candidates);
        }
        if (res.status === 'notFound' && res.suggestions.length) suggestion = ` Did you mean ${joinAnd(res.suggestions.map((s) => s.name))}? (/watch ${res.suggestions[0]!.name})`;
        entity = found;
      }
      const words = topicWords(quoted ? quoted[1]! : text);
      if (!entity && words.length === 0) return usage(`${echo(text)} has no words to watch for.`);
      const { watch: w, created } = await registry.add({
        platform,
        scope,
        target,
        kind: entity ? 'entity' : 'words',
        label: entity ? entity.name : clip(quoted ? quoted[1]! : text, 100),
        keys: entity ? entity.keys : [],
        words: entity ? [] : words,
        createdBy: userId,
      });
      const what = entity ? `quotes or mentions ${entity.name}` : `has the words ${echo(w.label)}`;
      const where = scope === 'channel' ? 'here' : 'to you by direct message';
      const blocks: Block[] = [
        {
          type: 'paragraph',
          text: created
            ? `Watch #${w.id}: when a new story ${what}, an alert comes ${where}, with the headline, the quote or sentence, and the story.`
            : `Already watching: #${w.id} ${describe(w)}.`,
        },
      ];
      if (note) blocks.push({ type: 'context', text: note });
      if (!entity && !quoted) blocks.push({ type: 'context', text: `No one called ${echo(text)} is in the stories yet, so this watches for the words.${suggestion}` });
      blocks.push({ type: 'context', text: 'See your watches with /watch list; stop one with /unwatch <id>.' });
      return { status: 'answer', title: created ? `Watching ${entity ? entity.name : echo(w.label)}` : 'Already watching', blocks, visibility: 'ephemeral' };
    },
  };

  const unwatch: CommandSpec = {
    name: 'unwatch',
    usage: '/unwatch <id>',
    description: 'Stop a watch (yours; a channel’s: admins). /watch list shows the ids.',
    example: '/unwatch 3',
    needsArgument: true,
    async handle(req): Promise<Reply> {
      if (!registry) return off();
      const m = /^#?(\d{1,9})$/.exec(req.args.trim());
      if (!m) return usage(`${echo(clip(req.args, 30))} is not a watch number: see /watch list.`);
      const platform = req.platform ?? 'terminal';
      const w = await registry.get(platform, Number(m[1]));
      const mine = w && w.scope === 'user' && w.target === (req.userId ?? 'local');
      const here = w && w.scope === 'channel' && w.target === req.channelId;
      if (!w || (!mine && !here)) return notice('Nothing to stop', `There is no watch #${m[1]} of yours or of this channel.`, 'See them with /watch list');
      if (here && !req.isAdmin) return errorReply('Only admins can stop channel watches', 'Stopping this channel’s watch is for admins.', 'Admins are listed in the config file (slack.admins, discord.admins).');
      await registry.remove(platform, w.id);
      return notice('Watch stopped', `Stopped #${w.id}: ${w.kind === 'entity' ? w.label : echo(w.label)}. No more alerts for it.`);
    },
  };
  return [watch, unwatch];
}

async function listReply(registry: WatchRegistry, req: ValidRequest): Promise<Reply> {
  const list = await registry.list(req.platform ?? 'terminal', req.direct ? null : (req.channelId ?? null), req.userId ?? 'local');
  if (list.length === 0) return notice('No watches', 'Neither this channel nor you watch anything yet.', 'e.g. /watch zakharova, or /watch "rail strike"');
  return {
    status: 'answer',
    title: `Watches: ${count(list.length, 'watch', 'watches')}`,
    blocks: [{ type: 'list', items: list.map(describe) }, { type: 'context', text: 'Stop one with /unwatch <id>.' }],
    visibility: 'ephemeral',
  };
}

function ambiguousReply(text: string, candidates: NamedEntity[]): Reply {
  const list = rank(candidates).slice(0, 8);
  return {
    status: 'ambiguous',
    title: `${echo(text)} could mean ${count(candidates.length, 'entity', 'entities')}`,
    blocks: [
      { type: 'paragraph', text: `Several entities in the stories go by ${echo(text)}. Which one should I watch?` },
      { type: 'list', items: list.map(describeEntity) },
      { type: 'context', text: `Ask again with the full name, or the type in brackets: /watch ${list[0]!.name}, /watch ${text} (${list[0]!.type})` },
    ],
    visibility: 'ephemeral',
  };
}
