/**
 * Attribution sieves: small named rules, each reading one convention of news copy, that
 * propose a speaker for a quotation (CoreNLP's quote attribution uses the same shape: ordered
 * sieves from most to least precise; here the ranking model weighs their proposals instead of
 * taking the first). A proposal names the sieve, so every answer can say which rule gave it.
 */
import type { QuoteSpan } from '../quotemarks.js';
import type { Sentence, Speaker } from '../types.js';
import { isCue, nounUse } from './cues.js';
import { sentStartTok, tokAt, sentenceOf, type Doc } from './doc.js';
import { accordingTo, attributionAfter, genericNP, mainSubject, speakerOfRef, subjectOf, type Subject } from './grammar.js';

/** Names of the sieves, most precise first. */
export type SieveName =
  | 'trailing-cue' // “…,” Zakharova said / “…,” said Rutte
  | 'colon-intro' // She said: “…” / a paragraph ending in a colon before the quote
  | 'split-quote' // “A,” said X, “B.”: B continues A's speaker
  | 'cue-before' // the nearest reporting verb before the quote in its sentence (called it “…”)
  | 'cue-later' // a reporting verb later in the quote's sentence, its subject after the quote (… a “…” for Clinton, said Brad Bannon)
  | 'according-to' // according to X; as X puts it
  | 'speech-noun' // X's claim that “…”, Comey's conclusion that her actions were “…”
  | 'dash-credit' // “…” — Captain Ilse Brandt, master of the Island Star (press releases, pull quotes)
  | 'clause-subject' // a quotation inside a clause: its sentence's subject (Hewlett sniped that Fiorina was “…”)
  | 'running-speaker' // a quote standing alone continues the paragraph's last speaker
  | 'next-quote' // “A.” “B,” she said: A takes B's attribution
  | 'previous-paragraph'; // a quote opening a paragraph continues the previous paragraph's speaker

/** One sieve's answer for a quotation. */
export interface Proposal extends Subject {
  sieve: SieveName;
  /** The reporting verb or phrase as written, or null. */
  cue: string | null;
  /** Token index of the cue, or -1. */
  cueTok: number;
}

/** What the sieves know about one quotation and the quotations before it. */
export interface QuoteSite {
  q: QuoteSpan;
  qi: number;
  sOpen: Sentence;
  sClose: Sentence;
  openTok: number;
  closeTok: number;
  /** Nothing but whitespace between the sentence start and the opening mark. */
  sentenceInitial: boolean;
  /** The attribution right after the closing mark, if any. */
  after: ReturnType<typeof attributionAfter>;
}

/** Speakers chosen so far, by paragraph and by quotation start (filled as quotations are attributed in order). */
export interface Discourse {
  lastSpeakerInParagraph: Map<number, Speaker>;
  /** Speaker of the last attributed direct quotation, in any paragraph. */
  lastSpeaker: Speaker | null;
  /** Paragraph of that quotation (its last paragraph). */
  lastSpeakerParagraph: number;
  /** Chosen speaker and cue of each quotation attributed so far, by its start offset. */
  byStart: Map<number, { speaker: Speaker | null; cue: string | null }>;
}

/** Describes the quotation at index qi for the sieves, or null when it lies outside every sentence. */
export function siteOf(d: Doc, qi: number): QuoteSite | null {
  const q = d.quotes[qi]!;
  const sOpen = sentenceOf(d, q.open);
  const sClose = sentenceOf(d, Math.max(q.open, q.close - 1)) ?? sOpen;
  if (!sOpen || !sClose) return null;
  const openTok = tokAt(d, q.open);
  const closeTok = tokAt(d, q.close);
  return {
    q, qi, sOpen, sClose, openTok, closeTok,
    sentenceInitial: !d.text.slice(sOpen.start, q.open).trim(),
    after: attributionAfter(d, closeTok + 1, sClose.index),
  };
}

const prop = (sieve: SieveName, s: Subject | null, cue: string | null, cueTok = -1): Proposal | null => (s ? { ...s, sieve, cue, cueTok } : null);

/** (a) The attribution right after the closing mark. */
export function trailingCue(_d: Doc, site: QuoteSite): Proposal | null {
  const a = site.after;
  return a ? prop('trailing-cue', a, a.cue, a.cueTok) : null;
}

/** (b) A colon introduction: `she said: “…”`, or a paragraph ending in a colon before a paragraph-opening quote. */
export function colonIntro(d: Doc, site: QuoteSite): Proposal | null {
  const { q, sOpen, openTok } = site;
  const lead = d.text.slice(sOpen.start, q.open).trim();
  let introTok = -1;
  if (lead.endsWith(':')) introTok = openTok - 1;
  else if (!lead && q.paragraphs[0]! > 0) {
    const prevPara = d.paragraphs[q.paragraphs[0]! - 1]!;
    if (d.text.slice(prevPara.start, prevPara.end).trim().endsWith(':')) introTok = tokAt(d, prevPara.end) - 1;
  }
  if (introTok < 0) return null;
  const s0 = sentStartTok(d, introTok);
  for (let z = introTok; z >= s0; z--) {
    if (!isCue(d, d.tokens[z]) || d.tokens[z]!.quoted) continue;
    // inverted: "In other words, explained CBS moderator Nancy Cordes: “…”"
    const before = d.tokens[z - 1];
    const after = d.tokens[z + 1];
    const inverted = (z === s0 || before?.text === ',') && !!after?.word && !/^(that|how|what|why|whether|to|in|on|at|about)$/.test(after.lower) && z + 1 < introTok ? attributionAfter(d, z, d.tokens[z]!.sentence) : null;
    return prop('colon-intro', inverted ?? subjectOf(d, z), d.tokens[z]!.text, z);
  }
  // A lead-in without a verb ("And from board chair Oren Falk:", "Statement from the union:"): its last person or body named.
  for (let z = introTok; z >= s0; z--) {
    const r = d.refAt.get(z);
    // a possessive pronoun ("refused to blame his captain:") names an owner, not the one who speaks
    if (r && r.kind === 'pronoun' && /^(his|her|its|their)$/.test(d.tokens[r.t0]!.lower)) continue;
    if (r && !d.tokens[r.t1]?.possessive && (r.entity?.type === 'person' || r.entity?.type === 'organization' || r.kind === 'anon')) return prop('colon-intro', speakerOfRef(d, r), null);
  }
  return prop('colon-intro', mainSubject(d, s0, introTok), null);
}

/**
 * (a') A credit line after the quotation: a dash and a name, on the same line or the next
 * (`“…” — Captain Ilse Brandt` / `—Jane Doe, chair`), the press-release and pull-quote convention.
 */
export function dashCredit(d: Doc, site: QuoteSite): Proposal | null {
  const { text, tokens } = d;
  const m = /^[ \t]*(?:\r?\n[ \t]*)*(?:—|–|--|-)[ \t]*/.exec(text.slice(site.q.close + 1, site.q.close + 40));
  if (!m) return null;
  const at = tokAt(d, site.q.close + 1 + m[0].length);
  const t = tokens[at];
  // a credit opens with a name or title ("— Captain Ilse Brandt") or an unnamed source ("— a spokeswoman"),
  // never with an ordinary word continuing the sentence ("“bully” -- all without speaking his name")
  if (!t || !t.word || (!t.cap && !/^(a|an|the)$/.test(t.lower))) return null;
  const seg: number[] = [];
  for (let y = at; y < tokens.length && tokens[y]!.sentence === t.sentence && !/^[,.;:(]$/.test(tokens[y]!.text) && y - at < 8; y++) seg.push(y);
  const ref = seg.map((y) => d.refAt.get(y)).find((r): r is NonNullable<typeof r> => !!r && r.kind !== 'pronoun' && (r.entity?.type === 'person' || r.kind === 'anon' || r.entity?.type === 'organization'));
  const sp = ref ? speakerOfRef(d, ref) : genericNP(d, seg);
  return prop('dash-credit', sp, null);
}

/** (c0) A quote split by its attribution: `“A,” said X, “B.”` / `“A,” she said, “B.”`: B is X's. */
export function splitQuote(d: Doc, site: QuoteSite, disc: Discourse): Proposal | null {
  const { q, qi, sOpen } = site;
  if (qi === 0) return null;
  const prevQ = d.quotes[qi - 1]!;
  const prevOut = disc.byStart.get(prevQ.start);
  const between = d.text.slice(prevQ.close + 1, q.open);
  if (!prevOut?.speaker || sentenceOf(d, prevQ.open)?.index !== sOpen.index || between.length >= 160 || !/^\s*,?\s*\S/.test(between)) return null;
  if (!attributionAfter(d, tokAt(d, prevQ.close) + 1, sOpen.index)) return null;
  return { speaker: prevOut.speaker, ref: null, sieve: 'split-quote', cue: prevOut.cue, cueTok: -1 };
}

/** (c) The nearest reporting verb before the quote in its sentence (`called the plan “reckless”`). */
export function cueBefore(d: Doc, site: QuoteSite): Proposal | null {
  const { tokens } = d;
  const s0 = sentStartTok(d, site.openTok);
  for (let z = site.openTok - 1; z >= s0; z--) {
    const t = tokens[z]!;
    if (t.quoted) continue;
    if (t.lower === 'to' && tokens[z - 1]?.lower === 'according') return null;
    if (isCue(d, t) && !nounUse(d, z)) return prop('cue-before', subjectOf(d, z), t.text, z);
    if (/^(reports?|reporting)$/.test(t.lower) && /^(the|a|dismissed|denied|rejected|media|news|press|recent|earlier|some)$/.test(tokens[z - 1]?.lower ?? '')) return null;
  }
  return null;
}

/**
 * (c+) A reporting verb later in the quotation's sentence, not right after the closing mark:
 * `That would create a “summer of agony” for the mayor, said Ada Brock, a pollster.` and
 * `… will carry “weight” with voters, party spokesman Neil Oduya said.` The verb's subject must
 * stand after the quotation (a subject before it reports other words, not these).
 */
export function cueLater(d: Doc, site: QuoteSite): Proposal | null {
  if (site.after) return null;
  const { tokens } = d;
  const si = site.sClose.index;
  for (let z = site.closeTok + 1; z < tokens.length && tokens[z]!.sentence === si; z++) {
    const t = tokens[z]!;
    if (t.quoted || !isCue(d, t) || nounUse(d, z) || /ing$/.test(t.lower)) continue;
    const prev = tokens[z - 1];
    const s = prev && (prev.text === ',' || /^[”"’]$/.test(prev.text)) ? attributionAfter(d, z, si) : subjectOf(d, z);
    if (!s) return null;
    if (s.ref && s.ref.start < site.q.close) return null;
    return prop('cue-later', s, t.text, z);
  }
  return null;
}

/** Nouns of speech whose possessor is the speaker of the words they introduce. */
const SPEECH_NOUNS = /^(claims?|assertions?|conclusions?|statements?|remarks?|comments?|warnings?|descriptions?|characteri[sz]ations?|accusations?|charges?|arguments?|contentions?|promises?|pledges?|insistence|suggestions?|words|verdict|assessment|admission|boast|vow|call|retort|reply|response|quip|tweet|tweets|message|letter|email|op-ed|column|speech)$/;

/**
 * (c''') A possessor of a noun of speech before the quotation in its sentence: "FBI Director
 * James Comey’s conclusion that her actions were “…”", "the mayor’s claim that the plan is “…”".
 */
export function speechNoun(d: Doc, site: QuoteSite): Proposal | null {
  const { tokens, refAt } = d;
  const s0 = sentStartTok(d, site.openTok);
  for (let z = site.openTok - 1; z >= s0 && z >= site.openTok - 14; z--) {
    const t = tokens[z]!;
    if (t.quoted || !SPEECH_NOUNS.test(t.lower)) continue;
    const owner = refAt.get(z - 1) ?? (tokens[z - 1]?.word && !tokens[z - 1]!.cap ? refAt.get(z - 2) : undefined);
    if (!owner || !tokens[owner.t1]?.possessive || !(owner.entity?.type === 'person' || owner.entity?.type === 'organization' || owner.kind === 'anon' || owner.kind === 'pronoun')) continue;
    // the noun must introduce the words ("claim that …", "description of the plan as …"); in "denounced
    // Trump’s remarks as “…”" the quotation is the sentence subject's verdict on them
    const between = tokens.slice(z + 1, site.openTok).map((u) => u.lower);
    const introduces = between.includes('that') || (/^(descriptions?|characteri[sz]ations?|calls?)$/.test(t.lower) && (between.includes('as') || between.includes('for')));
    if (!introduces) return null;
    const sp = speakerOfRef(d, owner);
    return sp ? prop('speech-noun', sp, t.text, z) : null;
  }
  return null;
}

/** (c') "According to X" in the quote's sentence. */
export function accordingToSieve(d: Doc, site: QuoteSite): Proposal | null {
  return prop('according-to', accordingTo(d, site.sOpen.index), 'according to');
}

/**
 * (c'') A quotation embedded in a sentence (not opening it): the sentence's subject, when it
 * stands before the quotation — the speaker of a partial quotation is usually the one whose
 * words the sentence reports, whatever the verb ("sniped that Fiorina was “…”", "portraying
 * Sanders as “…”").
 */
export function clauseSubject(d: Doc, site: QuoteSite): Proposal | null {
  if (site.sentenceInitial) return null;
  const r = d.sentenceSubject.get(site.sOpen.index);
  if (!r || r.end > site.q.open) return null;
  return prop('clause-subject', speakerOfRef(d, r), null);
}

/** (d) A quotation opening its sentence continues its paragraph's last speaker. */
export function runningSpeaker(_d: Doc, site: QuoteSite, disc: Discourse): Proposal | null {
  if (!site.sentenceInitial) return null;
  const sp = disc.lastSpeakerInParagraph.get(site.q.paragraphs[0]!);
  return sp ? { speaker: sp, ref: null, sieve: 'running-speaker', cue: null, cueTok: -1 } : null;
}

/** (d') `“A.” “B,” she said.`: a quotation opening its sentence takes the attribution of the next quotation in its paragraph. */
export function nextQuote(d: Doc, site: QuoteSite): Proposal | null {
  if (!site.sentenceInitial) return null;
  const para = site.q.paragraphs[0]!;
  const later = d.quotes[site.qi + 1];
  if (!later || later.paragraphs[0] !== para) return null;
  const s = sentenceOf(d, later.close - 1) ?? site.sClose;
  const a = attributionAfter(d, tokAt(d, later.close) + 1, s.index);
  return a ? prop('next-quote', a, a.cue, a.cueTok) : null;
}

/** (d'') A quotation opening a paragraph continues the previous paragraph's last speaker. */
export function previousParagraph(_d: Doc, site: QuoteSite, disc: Discourse): Proposal | null {
  if (!site.sentenceInitial) return null;
  const para = site.q.paragraphs[0]!;
  const sp = para > 0 ? disc.lastSpeakerInParagraph.get(para - 1) : undefined;
  return sp ? { speaker: sp, ref: null, sieve: 'previous-paragraph', cue: null, cueTok: -1 } : null;
}

/** Every sieve's proposal for a quotation, in the sieves' order of precision. */
export function propose(d: Doc, site: QuoteSite, disc: Discourse): Proposal[] {
  const out: Proposal[] = [];
  for (const p of [
    trailingCue(d, site),
    dashCredit(d, site),
    colonIntro(d, site),
    splitQuote(d, site, disc),
    cueBefore(d, site),
    cueLater(d, site),
    accordingToSieve(d, site),
    speechNoun(d, site),
    clauseSubject(d, site),
    runningSpeaker(d, site, disc),
    nextQuote(d, site),
    previousParagraph(d, site, disc),
  ]) if (p) out.push(p);
  return out;
}

