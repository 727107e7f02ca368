/**
 * `/check <quote>` and `/check <speaker>: <quote>`: is this quote in the archive, word for word?
 * The verdict (verbatim, close, partial, not found) comes from `quotecheck.ts`; this command
 * reads the arguments, gathers candidates from the index, and says it plainly: who said it,
 * in which story, when it was published, and which story carried it first. When a speaker is
 * named and the words are someone else's, the reply says so. Reported speech is shown marked as
 * such and never confirms a direct quote.
 */
import { foldName, quoteKey } from '../../index/keys.js';
import type { QuoteAppearances, QuoteRecord } from '../../index/types.js';
import { citeQuote, errorReply, resolveName, type CommandSpec, type CoreContext } from '../context.js';
import { claimTokens, judge, MIN_CLAIM_WORDS, whole, wordDiff, type Scored, type SpeakerTest, type Verdict } from '../quotecheck.js';
import { quoteBlock } from '../quoteset.js';
import type { Block, Reply } from '../types.js';
import { clip, count, day, echo } from '../text.js';

/** Quotation marks a claim may be wrapped in (straight, curly, guillemets, low-9, corner brackets). */
const MARKS = `"'“”‘’«»„‚‹›「」『』`;

/** The claim and the speaker it is attributed to, read from `/check` arguments. */
export interface CheckArgs {
  speaker: string | null;
  claim: string;
}

/**
 * Reads `speaker: "quote"` or `"quote"`. A leading name of at most six words ended by a colon,
 * before any quotation mark, is the speaker; quotation marks around the quote are dropped.
 */
export function readCheckArgs(args: string): CheckArgs {
  const text = args.trim();
  const m = /^([^:"“”«»„]{1,80}?)\s*:\s*([\s\S]+)$/.exec(text);
  let speaker: string | null = null;
  let claim = text;
  if (m && m[1]!.trim().split(/\s+/).length <= 6) {
    speaker = m[1]!.trim();
    claim = m[2]!.trim();
  }
  const open = new RegExp(`^[${MARKS}]+`);
  const close = new RegExp(`[${MARKS}]+[.!?]?$`);
  return { speaker, claim: claim.replace(open, '').replace(close, '').trim() };
}

/** How a quote's speaker is named in a reply. */
const who = (q: QuoteRecord) => q.speakerName;
/** `29 Nov 2026` style date of an ISO time (UTC), or "date unknown". */
function when(iso: string | null): string {
  if (!iso) return 'date unknown';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? 'date unknown' : t.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
const storyLine = (q: QuoteRecord) => `“${clip(q.storyTitle, 120)}” (${q.storyUndated ? `undated, first seen ${when(q.storyDate)}` : when(q.storyDate)})`;

/** The speaker named in the request, resolved: a test for quotes, and how to name them. */
async function speakerTest(ctx: CoreContext, name: string): Promise<{ test: SpeakerTest; label: string; note: string | null }> {
  const { res } = await resolveName(ctx, name);
  const folded = foldName(name);
  const byName = (q: QuoteRecord) => q.speakerKey === null && foldName(q.speakerName).includes(folded);
  if (res.status === 'found') {
    const keys = new Set(res.entity.keys);
    return { test: (q) => (q.speakerKey !== null && keys.has(q.speakerKey)) || byName(q), label: res.entity.name, note: null };
  }
  if (res.status === 'ambiguous') {
    const keys = new Set(res.candidates.flatMap((c) => c.keys));
    return { test: (q) => (q.speakerKey !== null && keys.has(q.speakerKey)) || byName(q), label: name, note: `${echo(name)} could be ${count(res.candidates.length, 'person', 'people')}; any of them counts.` };
  }
  return { test: byName, label: name, note: `No one called ${echo(name)} is quoted in the stories indexed.` };
}

/** The /check command (see the module docstring). */
export const checkCommand: CommandSpec = {
  name: 'check',
  usage: '/check [speaker:] "quote"',
  description:
    'Is this quote in the archive, word for word? Verbatim, close (the words that differ shown), partial (part of a longer quote, or two joined) or not found; with the speaker, story, publication time and the first story that carried it.',
  example: '/check zakharova: "These troops will be regarded as a legitimate target"',
  needsArgument: true,
  async handle(req, ctx): Promise<Reply> {
    let { speaker, claim } = readCheckArgs(req.args);
    // "There is one rule: never give up" is a quote, not a speaker and a quote: a leading part that
    // names no one in the stories, before words in no quotation marks, belongs to the quote.
    if (speaker && !/^["“«„'‘]/.test(req.args.slice(req.args.indexOf(':') + 1).trim())) {
      const { res } = await resolveName(ctx, speaker);
      if (res.status === 'notFound' && (await ctx.index.quotesBySpeakerName(speaker, ctx.now())).length === 0) {
        ({ speaker, claim } = { speaker: null, claim: readCheckArgs(`"${req.args}"`).claim });
      }
    }
    const tokens = claimTokens(claim);
    if (tokens.length < MIN_CLAIM_WORDS) {
      return errorReply('Quote too short to check', `Give at least ${MIN_CLAIM_WORDS} words of the quote: short phrases appear everywhere.`, 'e.g. /check "These troops will be regarded as a legitimate target"');
    }
    const now = ctx.now();
    const named = speaker ? await speakerTest(ctx, speaker) : null;
    const test = named?.test ?? null;
    // Exact words first: one index range, however many stories repeat them.
    const exact = await ctx.index.quotesWithWords(claim, { now, limit: 20 });
    let verdict = exact.quotes.some((q) => q.kind === 'direct') ? judge(tokens, exact.quotes, test) : null;
    if (!verdict || verdict.kind !== 'verbatim') {
      // Then near matches: quotes holding the claim's rarest words; more thoroughly when those do not match.
      let candidates = [...exact.quotes, ...(await ctx.index.quoteCandidates(claim, { now, thorough: false }))];
      verdict = judge(tokens, candidates, test);
      if (verdict.kind === 'notFound' && tokens.length >= 6) {
        // Two quotes joined share few rare words with either: look for each half on its own.
        const mid = tokens[Math.floor(tokens.length / 2)]!.start;
        for (const half of [claim.slice(0, mid), claim.slice(mid)]) candidates.push(...(await ctx.index.quoteCandidates(half, { now, limit: 30, thorough: false })));
        verdict = judge(tokens, candidates, test);
      }
      if (verdict.kind === 'notFound') {
        candidates = [...candidates, ...(await ctx.index.quoteCandidates(claim, { now }))];
        verdict = judge(tokens, candidates, test);
      }
    }
    return answer(ctx, claim, tokens, verdict, named, exact);
  },
};

const VERDICT_TITLE: Record<Verdict['kind'], string> = {
  verbatim: 'Verbatim',
  close: 'Close, not verbatim',
  partial: 'Partial',
  notFound: 'Not found',
};

/** The reply for a verdict; `exact` is what the index holds with the claim's very words (reused for provenance). */
async function answer(
  ctx: CoreContext,
  claim: string,
  tokens: ReturnType<typeof claimTokens>,
  verdict: Verdict,
  named: Awaited<ReturnType<typeof speakerTest>> | null,
  exact: QuoteAppearances,
): Promise<Reply> {
  const now = ctx.now();
  const blocks: Block[] = [{ type: 'context', text: `Checked: “${clip(claim, 300)}”${named ? ` attributed to ${named.label}` : ''}` }];
  if (named?.note) blocks.push({ type: 'context', text: named.note });

  /** First appearance and spread of a matched quote's exact words, as fields. */
  const provenance = async (m: Scored): Promise<{ fields: { label: string; value: string }[]; first: QuoteRecord }> => {
    const seen = exact.quotes.length > 0 && quoteKey(m.quote.text) === quoteKey(claim) ? exact : await ctx.index.quotesWithWords(m.quote.text, { now, limit: 5 });
    const first = seen.quotes.find((q) => q.kind === 'direct') ?? m.quote;
    const fields = [
      { label: 'Speaker', value: who(first) },
      { label: 'Story', value: clip(first.storyTitle, 200) },
      { label: 'Published', value: !first.storyDate ? 'unknown' : first.storyUndated ? `undated, first seen ${when(first.storyDate)}` : `${when(first.storyDate)} ${first.storyDate.slice(11, 16)} UTC` },
    ];
    if (seen.directStories > 1) {
      fields.push({ label: 'First carried by', value: storyLine(first) });
      fields.push({ label: 'Carried by', value: seen.more ? `more than ${count(seen.directStories, 'story', 'stories')}` : count(seen.directStories, 'story', 'stories') });
    } else {
      fields.push({ label: 'First carried by', value: 'this story (the only one)' });
    }
    return { fields, first };
  };
  /** A plain sentence when the named speaker is not who said it. */
  const speakerCheck = (q: QuoteRecord): string | null => {
    if (!named?.test || named.test(q)) return null;
    return `Not ${named.label}'s words: the archive has them from ${who(q)}.`;
  };

  let title: string;
  if (verdict.kind === 'verbatim' || verdict.kind === 'close' || (verdict.kind === 'partial' && verdict.fragment)) {
    const m = verdict.match;
    const { fields, first } = await provenance(m);
    const wrong = speakerCheck(m.quote);
    title = `${VERDICT_TITLE[verdict.kind]}${wrong ? `, but not ${named!.label}` : ''}: ${who(m.quote)}`;
    if (wrong) blocks.push({ type: 'paragraph', text: wrong });
    if (verdict.kind === 'verbatim') {
      blocks.push({ type: 'paragraph', text: `Word for word as ${who(m.quote)} said it in ${storyLine(first)}${m.alignment.elided ? ', with words left out where the claim has an ellipsis' : ''}.` });
    } else if (verdict.kind === 'partial') {
      blocks.push({ type: 'paragraph', text: `These words are part of a longer quote (${count(m.alignment.end - m.alignment.start, 'word')} of ${m.tokens.length}) by ${who(m.quote)} in ${storyLine(first)}.` });
    } else {
      const diff = wordDiff(tokens, m);
      const changed = m.alignment.cost;
      blocks.push({
        type: 'paragraph',
        text: `${count(changed, 'word')} ${changed === 1 ? 'differs' : 'differ'} from what ${who(m.quote)} said in ${storyLine(first)}${whole(m) ? '' : ' (the claim is part of a longer quote)'}. Struck: only in the claim; bold: the story's words.`,
      });
      blocks.push({ type: 'diff', parts: diff });
    }
    blocks.push(quoteBlock({ quote: first.quoteId === m.quote.quoteId && first.storyId === m.quote.storyId ? m.quote : first, occurrences: 1 }));
    blocks.push({ type: 'fields', fields });
  } else if (verdict.kind === 'partial') {
    const j = verdict.joined;
    const wrong = [j.first, j.second].map(speakerCheck).find((x) => x !== null) ?? null;
    title = `${VERDICT_TITLE.partial}: two quotes joined`;
    if (wrong) blocks.push({ type: 'paragraph', text: wrong });
    blocks.push({
      type: 'paragraph',
      text: `No single quote says this. The first ${count(j.split, 'word')} come from one quote and the rest from another${j.cost > 0 ? `, with ${count(j.cost, 'word')} changed` : ''}:`,
    });
    blocks.push(quoteBlock({ quote: j.first, occurrences: 1 }), quoteBlock({ quote: j.second, occurrences: 1 }));
  } else {
    title = VERDICT_TITLE.notFound;
    const reportedOnly = verdict.reported.length > 0 && verdict.nearest.length === 0;
    blocks.push({
      type: 'paragraph',
      text: reportedOnly
        ? 'No direct quote in the archive has these words. Only reported speech comes near: a story paraphrased it, it did not quote it, so it does not confirm the words.'
        : `No direct quote in the archive has these words${verdict.nearest.length ? '. The nearest:' : ', and none comes near.'}`,
    });
    for (const s of verdict.nearest) blocks.push(quoteBlock({ quote: s.quote, occurrences: 1 }));
    if (verdict.reported.length) {
      if (!reportedOnly) blocks.push({ type: 'heading', text: 'Reported speech (paraphrase, not a quote)' });
      for (const s of verdict.reported) blocks.push(quoteBlock({ quote: s.quote, occurrences: 1 }));
    }
    if (named && !reportedOnly && verdict.nearest.length === 0) blocks.push({ type: 'context', text: `Try /quotes ${named.label} for what the archive has from them.` });
  }
  return { status: verdict.kind === 'notFound' ? 'notFound' : 'answer', title, blocks, visibility: verdict.kind === 'notFound' ? 'ephemeral' : 'channel' };
}
