/**
 * Digests: what came in over a period, as one platform-neutral `Reply`. Used by `/digest` (on
 * demand, in a channel) and by the scheduler in `src/schedule/` (scheduled posts).
 *
 * A digest lists the stories published in the period (an undated story: first seen in it;
 * embargoed ones excluded; late arrivals see `BuildDigestOptions.lateArrivalMs`), newest first,
 * each with its headline (the citation, "undated, first seen …" when it has no date) and one summary sentence; the most-quoted speakers
 * with one quote each; the most-mentioned people, countries and organisations; and notable
 * numbers, each with the sentence it stands in. When nothing came in it says so in one line.
 *
 * `/digest` also manages the channel's schedules through the `DigestSchedules` interface, which
 * `src/schedule/` implements over the database; the core itself knows no platform and no storage.
 */
import { entityKey } from '../index/keys.js';
import type { ArticleIndex, QuoteRecord, StoryRecord } from '../index/types.js';
import type { Quote } from '../parse/types.js';
import { citeRecord, errorReply, type CommandSpec, type ValidRequest } from './context.js';
import { mergeQuotes } from './quoteset.js';
import { clip, count } from './text.js';
import type { Block, Platform, Reply } from './types.js';

/** How many items each part of a digest shows at most. */
export interface DigestLimits {
  /** Stories listed (the rest are counted). */
  stories: number;
  /** Most-quoted speakers, one quote each. */
  speakers: number;
  /** Names per kind (people, countries, organisations). */
  names: number;
  /** Notable numbers. */
  numbers: number;
}

/** Defaults, equal to the config file's (`src/schedule/config.ts`). */
export const DEFAULT_DIGEST_LIMITS: DigestLimits = { stories: 12, speakers: 4, names: 5, numbers: 4 };

/**
 * The stories a digest covers: those published in `[since, until)` (an undated story: first seen
 * in it), plus late arrivals (see `BuildDigestOptions.lateArrivalMs`).
 */
export interface DigestPeriod {
  since: Date;
  until: Date;
}

/** Options of `buildDigest`. */
export interface BuildDigestOptions {
  limits?: Partial<DigestLimits>;
  /** IANA zone the period is shown in; default UTC. */
  timeZone?: string;
  /** Title prefix; default "Digest". */
  label?: string;
  /**
   * Consecutive digests (a channel's schedule, `/digest` since the last one): stories arriving in
   * the period that were published at most this long before it began are in it, since they came
   * too late for the previous digest. Fixed periods (`/digest 24h`) leave it 0: only what was
   * published in them. See `ArticleIndex.storiesSince`.
   */
  lateArrivalMs?: number;
}

/** How late a story may arrive for a consecutive digest (`BuildDigestOptions.lateArrivalMs`) by default: 24 hours. */
export const DEFAULT_LATE_ARRIVAL_MS = 24 * 3600_000;

/** A built digest. */
export interface DigestResult {
  reply: Reply;
  /** Stories in the period (all of them, not only those listed). */
  storyCount: number;
  /** True when no story came in. */
  empty: boolean;
}

/** A digest schedule as `/digest list` shows it. */
export interface DigestScheduleInfo {
  id: number;
  platform: Platform;
  channelId: string;
  /** `daily at 08:00 (Europe/London)`. */
  description: string;
  timeZone: string;
  /** Made in the config file (removed there) or in chat (removed with `/digest unschedule`). */
  source: 'config' | 'chat';
  /** User who made it in chat. */
  createdBy: string | null;
  /** The next run, or null. */
  nextRun: Date | null;
}

/** Outcome of adding a schedule. */
export type ScheduleChange =
  | { ok: true; schedule: DigestScheduleInfo; created: boolean }
  | { ok: false; error: string };

/** Outcome of removing schedules. */
export interface ScheduleRemoval {
  removed: DigestScheduleInfo[];
  /** Schedules left in place because they come from the config file. */
  fromConfig: DigestScheduleInfo[];
}

/**
 * Digest schedules per channel, as the core needs them. Implemented by `src/schedule/service.ts`
 * over the index database. Every method may throw on storage failure (the core reports it).
 */
export interface DigestSchedules {
  /** Schedules of one channel, oldest first. */
  list(platform: Platform, channelId: string): Promise<DigestScheduleInfo[]>;
  /** Adds a schedule read from chat text (`daily 08:00 Europe/London`); an identical one is not duplicated. */
  add(platform: Platform, channelId: string, text: string, userId: string): Promise<ScheduleChange>;
  /** Removes the channel's chat schedules, or only schedule `id`; config-file schedules stay. */
  remove(platform: Platform, channelId: string, id: number | null): Promise<ScheduleRemoval>;
  /** End of the period the channel's previous scheduled digest covered, or null when it has had none. */
  lastDigestEnd(platform: Platform, channelId: string): Promise<Date | null>;
}

/** Settings of the `/digest` command. */
export interface DigestCommandOptions {
  schedules?: DigestSchedules;
  limits?: Partial<DigestLimits>;
  /** Zone for channels without a schedule; default UTC. */
  defaultTimeZone?: string;
  /** How late a story may arrive for `/digest` since the last one (ms); default `DEFAULT_LATE_ARRIVAL_MS`. */
  lateArrivalMs?: number;
}

/** On-demand period when the channel never had a digest, in hours. */
export const DEFAULT_LOOKBACK_HOURS = 24;
/** Longest on-demand period, in days. */
export const MAX_LOOKBACK_DAYS = 31;

// ─── Formatting ────────────────────────────────────────────────────────────────────────────

const formats = new Map<string, Intl.DateTimeFormat>();

/** `Mon 9 Mar, 08:00` in `timeZone` (24-hour clock). */
export function formatLocal(at: Date, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f.format(at).replace(/ at /, ', ');
}

/** `Mon 9 Mar, 08:00 – Tue 10 Mar, 08:00 (Europe/London)`. */
export function formatPeriod(period: DigestPeriod, timeZone: string): string {
  return `${formatLocal(period.since, timeZone)} – ${formatLocal(period.until, timeZone)} (${timeZone})`;
}

/** The story's first summary sentence (else its first sentence), at most 400 characters. */
export function summarySentence(s: StoryRecord): string {
  const p = s.parsed;
  const idx = p.summary[0];
  const sentence = (idx !== undefined ? p.sentences[idx] : undefined) ?? p.sentences[0];
  return sentence ? clip(sentence.text.replace(/\s+/g, ' ').trim(), 400) : 'No summary: the story has no body text.';
}

// ─── Speakers ──────────────────────────────────────────────────────────────────────────────

interface SpeakerTally {
  name: string;
  /** Distinct quotes, counted as /quotes shows them (repeats and contained partial quotes merged). */
  quotes: number;
  stories: Set<string>;
  best: { quote: Quote; story: StoryRecord; score: number } | null;
  records: QuoteRecord[];
}

/** A parsed quote as the index would return it, for merging (and showing) the way /quotes does. */
export function quoteRecord(q: Quote, story: StoryRecord, speakerKey: string | null, speakerName: string): QuoteRecord {
  return {
    storyId: story.id,
    storyTitle: story.title,
    storyDate: story.publishedAt ?? story.firstSeenAt,
    ...(story.publishedAt ? {} : { storyUndated: true }),
    storyUrl: story.url,
    kind: q.kind === 'indirect' ? 'indirect' : 'direct',
    text: q.text,
    speakerName,
    speakerKey,
    cue: q.cue,
    context: story.text.slice(q.context.start, q.context.end),
    start: q.start,
    end: q.end,
    quoteId: q.id,
    partial: q.partial,
    sentence: q.sentence,
  };
}

/** How well a quote stands for its speaker in a digest: whole direct quotes of a readable length first. */
function quoteScore(q: Quote): number {
  const len = q.text.length;
  let score = q.kind === 'direct' ? (q.partial ? 2 : 4) : 1;
  if (len >= 30 && len <= 280) score += 2;
  else if (len < 15) score -= 1;
  return score;
}

/** Speakers linked to a person or organisation, by number of quotes across `stories`. */
function topSpeakers(stories: StoryRecord[], limit: number): SpeakerTally[] {
  const byKey = new Map<string, SpeakerTally>();
  for (const story of stories) {
    const entities = new Map(story.parsed.entities.map((e) => [e.id, e]));
    for (const q of story.parsed.quotes) {
      if (q.kind === 'term' || !q.speaker?.entityId || !q.text.trim()) continue;
      const e = entities.get(q.speaker.entityId);
      if (!e || (e.type !== 'person' && e.type !== 'organization')) continue;
      const key = entityKey(e.type, e.name);
      let t = byKey.get(key);
      if (!t) byKey.set(key, (t = { name: e.name, quotes: 0, stories: new Set(), best: null, records: [] }));
      t.records.push(quoteRecord(q, story, key, e.name));
      t.stories.add(story.id);
      const score = quoteScore(q);
      if (!t.best || score > t.best.score) t.best = { quote: q, story, score };
    }
  }
  for (const t of byKey.values()) t.quotes = mergeQuotes(t.records).length;
  return [...byKey.values()]
    .sort((a, b) => b.quotes - a.quotes || b.stories.size - a.stories.size || a.name.localeCompare(b.name))
    .slice(0, limit);
}

function speakerBlock(t: SpeakerTally): Block | null {
  if (!t.best) return null;
  const { quote: q, story } = t.best;
  const context = story.text.slice(q.context.start, q.context.end).replace(/\s+/g, ' ').trim();
  return {
    type: 'quote',
    text: q.text.replace(/,\s*$/, ''),
    // The tally is a note after the attribution: in the speaker's brackets it read "Name (2 quotes) (said)".
    speaker: t.name,
    note: `${count(t.quotes, 'quote')}${t.stories.size > 1 ? ` in ${count(t.stories.size, 'story', 'stories')}` : ''}`,
    kind: q.kind === 'indirect' ? 'indirect' : 'direct',
    context: context || null,
    cue: q.cue,
    citation: citeRecord(story),
  };
}

// ─── Names ─────────────────────────────────────────────────────────────────────────────────

const NAME_KINDS = [
  { type: 'person', label: 'People' },
  { type: 'country', label: 'Countries' },
  { type: 'organization', label: 'Organisations' },
] as const;

/** The most-mentioned entities of each kind: `Chile · 12 mentions, 2 stories`. */
function topNames(stories: StoryRecord[], limit: number): { label: string; value: string }[] {
  const tallies = new Map<string, { type: string; name: string; mentions: number; stories: Set<string> }>();
  for (const story of stories) {
    for (const e of story.parsed.entities) {
      if (!NAME_KINDS.some((k) => k.type === e.type) || e.mentions.length === 0) continue;
      const key = entityKey(e.type, e.name);
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { type: e.type, name: e.name, mentions: 0, stories: new Set() }));
      t.mentions += e.mentions.length;
      t.stories.add(story.id);
    }
  }
  const fields: { label: string; value: string }[] = [];
  for (const kind of NAME_KINDS) {
    const top = [...tallies.values()]
      .filter((t) => t.type === kind.type)
      .sort((a, b) => b.mentions - a.mentions || b.stories.size - a.stories.size || a.name.localeCompare(b.name))
      .slice(0, limit);
    if (top.length === 0) continue;
    fields.push({
      label: kind.label,
      value: top
        .map((t) => `${t.name} · ${count(t.mentions, 'mention')}${t.stories.size > 1 ? `, ${count(t.stories.size, 'story', 'stories')}` : ''}`)
        .join('\n'),
    });
  }
  return fields;
}

// ─── Numbers ───────────────────────────────────────────────────────────────────────────────

const MONEY = /\b(dollars?|pounds?|euros?|yen|yuan|renminbi|rand|pesos?|rupees?|francs?|kronor|krona|kroner|reais|real|won|naira|shillings?|cedis?|dirhams?|riyals?|rubles?|roubles?|lira|zloty|forint|ringgit|baht|dong|bitcoin)\b/i;
const SHARE = /^(percent|per cent|percentage points?|basis points?|%)$/i;
const DURATION = /^(years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|years? old|am|pm|o'clock)$/i;

/** How notable an amount is: money first, then shares and rates, then counts of things; durations and bare numbers not at all. */
function amountScore(a: StoryRecord['parsed']['amounts'][number]): number {
  const unit = a.unit.trim();
  if (!unit || DURATION.test(unit) || !Number.isFinite(a.value)) return 0;
  let score = MONEY.test(unit) ? 3 : SHARE.test(unit) ? 2 : 1;
  if (a.entityIds.length > 0) score += 1;
  return score;
}

/** Up to `limit` numbers, taken in turn from each story (newest first), the most notable of each story first. */
function topNumbers(stories: StoryRecord[], limit: number): Block[] {
  const perStory = stories.map((story) => {
    const seen = new Set<string>();
    return story.parsed.amounts
      .map((a, i) => ({ a, i, score: amountScore(a) }))
      .filter(({ a, score }) => {
        const k = a.text.toLowerCase();
        if (score === 0 || seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .sort((x, y) => y.score - x.score || x.i - y.i)
      .map(({ a }) => ({ a, story }));
  });
  const out: Block[] = [];
  for (let round = 0; out.length < limit && perStory.some((l) => l.length > round); round++) {
    for (const list of perStory) {
      const pick = list[round];
      if (!pick || out.length >= limit) continue;
      const sentence = pick.story.parsed.sentences[pick.a.sentence]?.text.replace(/\s+/g, ' ').trim() ?? '';
      out.push({ type: 'paragraph', text: sentence ? `${pick.a.text}: ${clip(sentence, 280)}` : pick.a.text, citation: citeRecord(pick.story) });
    }
  }
  return out;
}

// ─── The digest ────────────────────────────────────────────────────────────────────────────

/**
 * Builds the digest of the stories surfaced in `period` (see `ArticleIndex.storiesSince`).
 * @returns a channel-visible `Reply` (status `answer`), also when nothing came in (`empty: true`)
 * @throws whatever the index throws (the caller decides whether to retry)
 */
export async function buildDigest(index: ArticleIndex, period: DigestPeriod, options: BuildDigestOptions = {}): Promise<DigestResult> {
  const limits: DigestLimits = { ...DEFAULT_DIGEST_LIMITS, ...options.limits };
  const tz = options.timeZone ?? 'UTC';
  const label = options.label ?? 'Digest';
  const stories = await index.storiesSince(period.since, period.until, { lateArrivalMs: options.lateArrivalMs ?? 0 });
  const when = formatPeriod(period, tz);
  if (stories.length === 0) {
    return {
      reply: {
        status: 'answer',
        title: `${label}: no new stories`,
        blocks: [{ type: 'paragraph', text: `Nothing new came in between ${when}.` }],
        visibility: 'channel',
      },
      storyCount: 0,
      empty: true,
    };
  }
  const blocks: Block[] = [{ type: 'context', text: `Stories in ${when}` }];
  blocks.push({ type: 'heading', text: 'Stories' });
  const shown = stories.slice(0, limits.stories);
  for (const s of shown) blocks.push({ type: 'paragraph', text: summarySentence(s), citation: citeRecord(s) });
  const undated = stories.filter((s) => !s.publishedAt).length;
  if (undated > 0) {
    blocks.push({
      type: 'context',
      text: `${undated === stories.length ? (undated === 1 ? 'This story is' : 'These stories are') : `${count(undated, 'story', 'stories')} ${undated === 1 ? 'is' : 'are'}`} undated: listed by when the bot first saw ${undated === 1 ? 'it' : 'them'}.`,
    });
  }
  if (stories.length > shown.length) {
    blocks.push({ type: 'context', text: `… and ${count(stories.length - shown.length, 'more story', 'more stories')}; /search finds them.` });
  }
  const speakers = topSpeakers(stories, limits.speakers)
    .map(speakerBlock)
    .filter((b): b is Block => b !== null);
  if (speakers.length) blocks.push({ type: 'heading', text: 'Most quoted' }, ...speakers);
  const names = limits.names > 0 ? topNames(stories, limits.names) : [];
  if (names.length) blocks.push({ type: 'heading', text: 'Most mentioned' }, { type: 'fields', fields: names });
  const numbers = limits.numbers > 0 ? topNumbers(stories, limits.numbers) : [];
  if (numbers.length) blocks.push({ type: 'heading', text: 'Numbers' }, ...numbers);
  return {
    reply: { status: 'answer', title: `${label}: ${count(stories.length, 'new story', 'new stories')}`, blocks, visibility: 'channel' },
    storyCount: stories.length,
    empty: false,
  };
}

// ─── /digest ───────────────────────────────────────────────────────────────────────────────

const USAGE = [
  '/digest: what came in since this channel’s last digest',
  '/digest 24h, /digest 3d, /digest week, /digest today: what was published in a fixed period',
  '/digest schedule daily 08:00 Europe/London (or weekdays, weekends, mon,wed,fri): post it here on a schedule (admins)',
  '/digest list: this channel’s schedules',
  '/digest unschedule [id]: stop this channel’s schedules, or one of them (admins)',
];

function usageReply(problem: string): Reply {
  return {
    status: 'error',
    title: 'Digest: not understood',
    blocks: [{ type: 'paragraph', text: problem }, { type: 'list', items: USAGE }],
    visibility: 'ephemeral',
  };
}

function notice(title: string, text: string, hint?: string): Reply {
  return {
    status: 'answer',
    title,
    blocks: [{ type: 'paragraph', text }, ...(hint ? [{ type: 'context' as const, text: hint }] : [])],
    visibility: 'ephemeral',
  };
}

/** Local wall-clock fields of `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** The zone's offset from UTC at `at`, in ms (Europe/Berlin in summer: +7 200 000). */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The start of `at`'s local date in `timeZone` (the first instant of that date when midnight is skipped by DST). */
export function localMidnight(at: Date, timeZone: string): Date {
  const w = wallClock(at, timeZone);
  const wall = Date.UTC(w.y, w.mo - 1, w.d);
  // Two guesses (the offset before and after a change); keep the earliest that falls on the same local date.
  const t1 = wall - zoneOffsetMs(new Date(wall), timeZone);
  const t2 = wall - zoneOffsetMs(new Date(t1), timeZone);
  const sameDate = (t: number) => {
    const x = wallClock(new Date(t), timeZone);
    return x.y === w.y && x.mo === w.mo && x.d === w.d;
  };
  const ok = [t1, t2].filter(sameDate).sort((a, b) => a - b);
  return new Date(ok[0] ?? t1);
}

/** Reads a fixed period (`24h`, `3d`, `2w`, `week`, `today`); null when `args` is not one. */
function fixedPeriod(args: string, now: Date, timeZone: string): DigestPeriod | { error: string } | null {
  const a = args.toLowerCase();
  // `until` is exclusive: one millisecond past now, so a story stored this instant is in.
  const until = new Date(now.getTime() + 1);
  if (a === 'today') return { since: localMidnight(now, timeZone), until };
  const m = /^(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)$/.exec(a) ?? (/^(?:a |one |last |past )?(week|day)$/.exec(a) ? ['', '1', a.endsWith('week') ? 'week' : 'day'] : null);
  if (!m) return null;
  const hours = Number(m[1]) * (m[2]!.startsWith('w') ? 7 * 24 : m[2]!.startsWith('d') ? 24 : 1);
  if (hours < 1 || hours > MAX_LOOKBACK_DAYS * 24) return { error: `A digest covers 1 hour to ${MAX_LOOKBACK_DAYS} days.` };
  return { since: new Date(now.getTime() - hours * 3600_000), until };
}

function describeSchedule(s: DigestScheduleInfo, now: Date): string {
  const next = s.nextRun && s.nextRun.getTime() > now.getTime() ? ` · next ${formatLocal(s.nextRun, s.timeZone)}` : '';
  const source = s.source === 'config' ? ' · from the config file' : s.createdBy ? ` · set by ${s.createdBy}` : '';
  return `#${s.id} ${s.description}${next}${source}`;
}

/**
 * Builds the `/digest` command.
 * Without schedules (`options.schedules` unset) `/digest` still answers on demand, and the
 * schedule subcommands say that scheduling is not available.
 */
export function digestCommand(options: DigestCommandOptions = {}): CommandSpec {
  const defaultZone = options.defaultTimeZone ?? 'UTC';
  const schedules = options.schedules;

  async function zoneOf(req: ValidRequest): Promise<string> {
    if (!schedules || !req.channelId || !req.platform) return defaultZone;
    return (await schedules.list(req.platform, req.channelId))[0]?.timeZone ?? defaultZone;
  }

  return {
    name: 'digest',
    usage: '/digest [24h | 3d | week | today | schedule … | list | unschedule]',
    description: 'What came in since the channel’s last digest: stories, most-quoted speakers, names and numbers. Admins can schedule it.',
    example: '/digest schedule weekdays 08:00 Europe/London',
    needsArgument: false,
    async handle(req, ctx): Promise<Reply> {
      const now = ctx.now();
      const [word = '', ...rest] = req.args.split(' ');
      const sub = word.toLowerCase();
      const restText = rest.join(' ').trim();

      if (sub === 'schedule' || sub === 'list' || sub === 'unschedule') {
        if (!schedules) return errorReply('Scheduling is off', 'Digest schedules are not available on this bot: it runs without a schedule store.');
        if (!req.channelId || !req.platform || req.platform === 'terminal') {
          return errorReply(
            'Digest schedules belong to a channel',
            'Run this in the channel that should get the digest. Terminal digests are scheduled in the config file (digests.schedules).',
          );
        }
        if (sub === 'list') {
          const list = await schedules.list(req.platform, req.channelId);
          if (list.length === 0) return notice('No digest schedules here', 'This channel gets no scheduled digest.', 'An admin can add one: /digest schedule daily 08:00 Europe/London');
          return {
            status: 'answer',
            title: `Digest schedules: ${count(list.length, 'schedule')}`,
            blocks: [{ type: 'list', items: list.map((s) => describeSchedule(s, now)) }],
            visibility: 'ephemeral',
          };
        }
        if (!req.isAdmin) {
          return errorReply('Only admins can change digest schedules', 'Changing this channel’s digest schedule is for admins.', 'Admins are listed in the config file (slack.admins, discord.admins).');
        }
        if (sub === 'schedule') {
          if (!restText) return usageReply('Say when: /digest schedule daily 08:00 Europe/London');
          const res = await schedules.add(req.platform, req.channelId, restText, req.userId ?? 'unknown');
          if (!res.ok) return usageReply(`Cannot schedule that: ${res.error}.`);
          const s = res.schedule;
          const next = s.nextRun ? `The first one comes ${formatLocal(s.nextRun, s.timeZone)} (${s.timeZone}).` : '';
          return res.created
            ? notice('Digest scheduled', `This channel will get a digest ${s.description} (#${s.id}). ${next}`.trim(), 'See them all with /digest list; stop with /digest unschedule')
            : notice('Already scheduled', `This channel already gets a digest ${s.description} (#${s.id}).`, 'See them all with /digest list');
        }
        // unschedule
        let id: number | null = null;
        if (restText) {
          const m = /^#?(\d{1,9})$/.exec(restText);
          if (!m) return usageReply(`“${clip(restText, 30)}” is not a schedule number: see /digest list.`);
          id = Number(m[1]);
        }
        const res = await schedules.remove(req.platform, req.channelId, id);
        const blocks: Block[] = [];
        if (res.removed.length) blocks.push({ type: 'list', items: res.removed.map((s) => `Stopped #${s.id} ${s.description}`) });
        if (res.fromConfig.length) {
          blocks.push({ type: 'context', text: `${res.fromConfig.map((s) => `#${s.id}`).join(', ')} ${res.fromConfig.length === 1 ? 'comes' : 'come'} from the config file; remove ${res.fromConfig.length === 1 ? 'it' : 'them'} there (digests.schedules).` });
        }
        if (blocks.length === 0) {
          return notice('Nothing to stop', id === null ? 'This channel has no digest schedule.' : `This channel has no digest schedule #${id}.`, 'See them with /digest list');
        }
        return { status: 'answer', title: res.removed.length ? 'Digest schedule stopped' : 'Nothing stopped', blocks, visibility: 'ephemeral' };
      }

      // On demand: the fixed period asked for, or everything since the channel's last scheduled digest.
      const zone = await zoneOf(req);
      let period: DigestPeriod;
      let label = 'Digest';
      if (req.args) {
        const fixed = fixedPeriod(req.args, now, zone);
        if (!fixed) return usageReply(`“${clip(req.args, 40)}” is not a digest period or subcommand.`);
        if ('error' in fixed) return usageReply(fixed.error);
        period = fixed;
      } else {
        const last = schedules && req.channelId && req.platform ? await schedules.lastDigestEnd(req.platform, req.channelId) : null;
        const floor = now.getTime() - MAX_LOOKBACK_DAYS * 24 * 3600_000;
        const since = last && last.getTime() < now.getTime() ? new Date(Math.max(last.getTime(), floor)) : new Date(now.getTime() - DEFAULT_LOOKBACK_HOURS * 3600_000);
        period = { since, until: new Date(now.getTime() + 1) };
        label = last ? 'Digest since the last one' : 'Digest';
      }
      // Since the last digest, stories that arrived late for it count too; a fixed period holds only what was published in it.
      const lateArrivalMs = req.args ? 0 : (options.lateArrivalMs ?? DEFAULT_LATE_ARRIVAL_MS);
      const { reply } = await buildDigest(ctx.index, period, { limits: options.limits ?? {}, timeZone: zone, label, lateArrivalMs });
      return reply;
    },
  };
}
