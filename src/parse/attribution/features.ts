/**
 * Feature stage: describes each (quotation, candidate) pair as a set of named binary
 * features for the ranking model. Features describe positions, punctuation, cue lemmas,
 * mention types, grammar and discourse — never the candidate's own name or words (a model that
 * learned which names speak would fit one news cycle and nothing else).
 *
 * Feature families (the name's prefix):
 * - `s:`   a sieve proposed it (with the cue's lemma, the naming reference's kind, inversion)
 * - `alt:` a pronoun proposal could stand for it (how it relates to the pronoun, gender agreement)
 * - `mb:` / `ma:`  its nearest mention before / after the quotation: sentence and paragraph
 *          distance, tokens between, the mention's kind, whether it is its sentence's subject
 * - `disc:` discourse: the last quotation's speaker, the paragraph's running speaker
 * - `ent:` what it is (person, organisation, unnamed source, bare noun phrase), how salient
 * - `none:` the "nobody" candidate, described by the quotation alone (partial, length, cue nearby)
 * Quotation-level facts (opens its sentence, its closing punctuation, what follows it) are
 * joined to the candidate's main evidence (`…|qi`, `…|end:,`), since alone they are the same for
 * every candidate and cannot rank.
 */
import { FUNCTION_WORDS } from '../lexicon.js';
import { cueLemma, nounUse } from './cues.js';

/** Nouns of hearsay that introduce words nobody in the sentence is quoted as saying. */
const HEARSAY = /^(rumou?rs?|speculation|suggestions?|talk|accusations?|allegations?|claims?|reports?|whispers|gossip)$/;
import type { Doc, Ref } from './doc.js';
import type { Candidate } from './candidates.js';
import type { Discourse, Proposal, QuoteSite } from './sieves.js';
import { titleLike } from './terms.js';

/** A count as a bucket name: `≤e` for the first edge e it does not exceed, else `>last`. */
const bucket = (n: number, edges: number[]): string => {
  for (const e of edges) if (n <= e) return `≤${e}`;
  return `>${edges[edges.length - 1]}`;
};

/** Quotation-level facts used by every candidate's conjunctions. */
export interface QuoteFacts {
  /** Opens its sentence. */
  initial: boolean;
  /** Opens its paragraph and fills it to the end (a paragraph of speech alone). */
  wholeParagraph: boolean;
  /** The character before the closing mark: , . ? ! — or 'w' for a word. */
  end: string;
  /** What follows the closing mark: 'attrib' (an attribution), 'eop' (paragraph end), 'quote' (another quotation), 'text'. */
  next: string;
  /** Length in words, bucketed. */
  len: string;
  partial: boolean;
  /** Whether any sieve proposed a speaker. */
  proposed: boolean;
  /**
   * A hearsay noun stands between the sentence start and the quotation ("dismissed reports that he
   * would go on ‘strike’", "rumours of a ‘deal’"): the quoted words may be nobody's the sentence names.
   */
  hearsay: boolean;
  /** Gender of the pronoun subject of the most precise proposal ("“…,” she said"), else null. */
  pronoun: 'female' | 'male' | null;
  /** The word class of the token before the opening mark: a function word itself, `cue`, `cap`, `word` or `punct`. */
  prev: string;
}

/** Reads the quotation-level facts of a site. */
export function quoteFacts(d: Doc, site: QuoteSite, proposals: readonly Proposal[]): QuoteFacts {
  const proposed = proposals.length > 0;
  // the pronoun of the quotation's own attribution ("“…,” she said", "she said: “…”"), not a pronoun that
  // merely opens its sentence (clause-subject) or an earlier paragraph (running speaker)
  const pr = proposals.find((p) => p.ref?.kind === 'pronoun' && /^(trailing-cue|colon-intro|cue-before|cue-later|next-quote|dash-credit)$/.test(p.sieve))?.ref;
  const pronoun = pr ? (/^(she|her)$/.test(d.tokens[pr.t0]!.lower) ? 'female' : 'male') : null;
  const { q } = site;
  const text = d.text;
  const lastChar = text.slice(q.start, q.end).trimEnd().slice(-1);
  const end = /[,.?!]/.test(lastChar) ? lastChar : /[—–-]/.test(lastChar) ? '—' : 'w';
  const para = d.paragraphs[q.paragraphs[q.paragraphs.length - 1]!];
  const rest = para ? text.slice(q.close + 1, para.end).trim() : '';
  const next = site.after ? 'attrib' : !rest ? 'eop' : /^[“"‘]/.test(rest) ? 'quote' : 'text';
  const firstPara = d.paragraphs[q.paragraphs[0]!];
  const wholeParagraph = !!firstPara && !text.slice(firstPara.start, q.open).trim() && !rest;
  const words = text.slice(q.start, q.end).split(/\s+/).filter(Boolean).length;
  const p = d.tokens[site.openTok - 1];
  const prev = !p || p.sentence !== site.sOpen.index ? 'start' : !p.word ? (/^[,:;]$/.test(p.text) ? p.text : 'punct') : cueLemma(p) && !p.cap ? 'cue' : FUNCTION_WORDS.has(p.lower) && !p.cap ? p.lower : p.cap ? 'cap' : 'word';
  let hearsay = false;
  for (let k = Math.max(0, site.openTok - 25); k < site.openTok; k++) {
    const t = d.tokens[k]!;
    if (t.sentence !== site.sOpen.index || t.quoted) continue;
    if (HEARSAY.test(t.lower) || (cueLemma(t) && nounUse(d, k))) hearsay = true;
  }
  return { hearsay, initial: site.sentenceInitial, wholeParagraph, end, next, len: bucket(words, [2, 5, 10, 25]), partial: !site.sentenceInitial && !site.after, proposed, prev, pronoun };
}

/**
 * The features of one candidate for one quotation.
 * @returns feature names (each present feature has value 1)
 */
export function featuresOf(d: Doc, site: QuoteSite, facts: QuoteFacts, c: Candidate, disc: Discourse): string[] {
  const f: string[] = [];
  const qi = facts.initial ? 'qi' : 'qm';
  if (!c.speaker) {
    f.push('none', `none:${qi}`, `none:len:${facts.len}`, `none:end:${facts.end}`, `none:next:${facts.next}`, `none:partial:${facts.partial}`);
    if (facts.hearsay) f.push('none:hearsay', `none:hearsay|len:${facts.len}`);
    f.push(`none:proposed:${facts.proposed}`, `none:proposed:${facts.proposed}|partial:${facts.partial}`, `none:prev:${facts.prev}`, `none:prev:${facts.prev}|len:${facts.len}`);
    if (facts.wholeParagraph) f.push('none:whole-paragraph');
    if (titleLike(d.text.slice(site.q.start, site.q.end))) f.push('none:title-like');
    return f;
  }
  // Sieve proposals.
  const first = c.proposals[0];
  const kind = c.entity ? c.entity.type : c.refs.some((r) => r.kind === 'anon') || c.proposals.some((p) => p.ref?.kind === 'anon') ? 'anon' : 'np';
  for (const p of c.proposals) {
    const refKind = p.ref ? p.ref.kind : 'np';
    const lemma = p.cueTok >= 0 ? cueLemma(d.tokens[p.cueTok]) ?? 'other' : 'none';
    f.push(`s:${p.sieve}`, `s:${p.sieve}|ref:${refKind}`, `s:${p.sieve}|${qi}`, `s:${p.sieve}|end:${facts.end}`, `s:${p.sieve}|cue:${lemma}`);
    if (p === first) f.push(`s1:${p.sieve}`, `s1:${p.sieve}|ref:${refKind}`);
    if (facts.hearsay) f.push(`s:${p.sieve}|hearsay`);
  }
  if (c.proposals.length) f.push(`s:count:${Math.min(3, c.proposals.length)}`);
  else f.push('noprop', `noprop|${qi}`, `noprop|partial:${facts.partial}`, `noprop|len:${facts.len}`, `noprop|prev:${facts.prev}`);
  for (const a of c.alternatives) {
    const [how, ...rest] = a.split('|');
    f.push(`alt:${how}`, ...rest.map((x) => `alt:${how}|${x}`));
  }
  // Gender agreement with the pronoun that attributes the quotation ("“…,” she said").
  if (facts.pronoun) {
    const g = c.entity?.type === 'person' ? c.entity.gender : null;
    f.push(`pg:${!g ? 'unknown' : g === facts.pronoun ? 'match' : 'mismatch'}`);
  }
  // Nearest mentions before and after the quotation.
  const before = lastBefore(c.refs, site.q.open);
  const after = c.refs.find((r) => r.start > site.q.close);
  if (before) {
    const sd = site.sOpen.index - before.sentence;
    const pd = site.q.paragraphs[0]! - (d.sentences[before.sentence]?.paragraph ?? 0);
    const tok = site.openTok - before.t1;
    f.push(`mb:s${Math.min(sd, 3)}`, `mb:p${Math.min(pd, 2)}`, `mb:k:${before.kind}`, `mb:tok:${bucket(tok, [2, 5, 12, 30])}`, `mb:s${Math.min(sd, 3)}|${qi}`, `mb:s${Math.min(sd, 3)}|k:${before.kind}`);
    if (d.sentenceSubject.get(before.sentence) === before) f.push('mb:subject', `mb:subject|s${Math.min(sd, 3)}`);
    if (d.tokens[before.t1]?.possessive) f.push('mb:possessive');
  } else f.push('mb:absent');
  if (after) {
    const sd = after.sentence - site.sClose.index;
    const tok = after.t0 - site.closeTok;
    f.push(`ma:s${Math.min(sd, 2)}`, `ma:k:${after.kind}`, `ma:tok:${bucket(tok, [2, 5, 12, 30])}`, `ma:s${Math.min(sd, 2)}|next:${facts.next}`, `ma:s${Math.min(sd, 2)}|end:${facts.end}`);
    if (d.sentenceSubject.get(after.sentence) === after) f.push('ma:subject');
    if (d.tokens[after.t1]?.possessive) f.push('ma:possessive');
  } else f.push('ma:absent');
  // Discourse.
  const para = site.q.paragraphs[0]!;
  if (disc.lastSpeaker && sameSpeaker(disc.lastSpeaker, c)) {
    const gap = Math.min(2, para - disc.lastSpeakerParagraph);
    f.push('disc:last', `disc:last|gap:${gap}`, `disc:last|${qi}`, `disc:last|gap:${gap}|${qi}`);
  }
  const running = disc.lastSpeakerInParagraph.get(para);
  if (running && sameSpeaker(running, c)) f.push('disc:paragraph', `disc:paragraph|${qi}`);
  // What it is.
  f.push(`ent:${kind}`, `ent:${kind}|${qi}`);
  if (first) f.push(`s1:${first.sieve}|ent:${kind}`);
  if (c.entity) f.push(`ent:mentions:${bucket(c.entity.mentions.length, [1, 3, 9])}`);
  return f;
}

function lastBefore(refs: Ref[], pos: number): Ref | undefined {
  let best: Ref | undefined;
  for (const r of refs) if (r.end <= pos) best = r;
  return best;
}

function sameSpeaker(sp: { entityId: string | null; name: string }, c: Candidate): boolean {
  return c.speaker !== null && (sp.entityId ? sp.entityId === c.speaker.entityId : !c.speaker.entityId && sp.name === c.speaker.name);
}
