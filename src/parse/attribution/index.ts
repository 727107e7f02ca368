/**
 * Attribution: who said each quotation, and reported (indirect) speech. A pipeline of small
 * stages, each in its own module with its own tests:
 *
 *   mentions  (mentions.ts)  referring expressions: names, pronouns, descriptions, anonymous sources
 *   coref     (coref.ts)     pronouns and descriptions resolved to entities, sentence subjects
 *   cues      (cues.ts)      reporting verbs in use as verbs
 *   terms     (terms.ts)     quotations that are titles, names or labels, not speech
 *   sieves    (sieves.ts)    named rules proposing a speaker from clause grammar (grammar.ts)
 *   ranking   (candidates.ts, features.ts, model.ts)  every proposal and nearby mention is a
 *             candidate; a linear model learned from real news picks one, or none
 *   interview (interview.ts) Q&A transcripts: the answers are the interviewee's quotes
 *   indirect  (indirect.ts)  reported speech without quotation marks
 */
import type { Quote, Speaker } from '../types.js';
import { candidatesFor, refsBySentenceOf, type Candidate } from './candidates.js';
import { resolveReferences } from './coref.js';
import { buildDoc, type AttributionInput } from './doc.js';
import { findIndirect } from './indirect.js';
import { findInterviewAnswers } from './interview.js';
import { collectMentions, indexMentions } from './mentions.js';
import { defaultModel, scoreOf, type RankingModel } from './model.js';
import { featuresOf, quoteFacts } from './features.js';
import { propose, siteOf, type Discourse, type QuoteSite } from './sieves.js';
import { readTerm } from './terms.js';

export type { AttributionInput } from './doc.js';
export { titleLike } from './terms.js';

/** Result of the attribution stage. */
export interface AttributionResult {
  quotes: Quote[];
}

/** One quotation's ranking problem, as handed to a trace (for training and evaluation). */
export interface RankingTrace {
  site: QuoteSite;
  candidates: Candidate[];
  /** Features of each candidate, in the candidates' order. */
  features: string[][];
  /** Index of the chosen candidate. */
  chosen: number;
}

/** Options of the attribution stage. */
export interface AttributionOptions {
  /**
   * The ranking model: undefined = the committed one; null = no model, the most precise
   * sieve's proposal wins (the rules alone, as used to bootstrap training).
   */
  model?: RankingModel | null;
  /** The article's byline (its writer is never an interview's subject). */
  byline?: string | null;
  /** Called with each quotation's candidates and features (training and evaluation scripts). */
  trace?: (t: RankingTrace) => void;
}

/** Runs the attribution stage over one article; never throws for well-formed stage input. */
export function attribute(inp: AttributionInput, options: AttributionOptions = {}): AttributionResult {
  const model = options.model === undefined ? defaultModel() : options.model;
  const d = buildDoc(inp);
  collectMentions(d);
  resolveReferences(d);
  indexMentions(d);
  const refsBySentence = refsBySentenceOf(d);
  const { text } = d;
  const out: Quote[] = [];
  const disc: Discourse = { lastSpeakerInParagraph: new Map(), lastSpeaker: null, lastSpeakerParagraph: -1, byStart: new Map() };
  for (let qi = 0; qi < d.quotes.length; qi++) {
    const site = siteOf(d, qi);
    if (!site) continue;
    // A pair of marks around nothing (or only punctuation) quotes nobody and nothing.
    if (!/[\p{L}\p{N}]/u.test(text.slice(site.q.start, site.q.end))) continue;
    const { q, sOpen, sClose } = site;
    const base = { id: '', start: q.start, end: q.end, text: text.slice(q.start, q.end), context: { start: sOpen.start, end: sClose.end }, sentence: sOpen.index } as const;
    const term = readTerm(d, q, sOpen, site.openTok, site.after !== null);
    if (term.term) {
      if (term.knownAs) {
        // "known to his supporters as “Kuya Teddy”": an alias of the sentence's person.
        const subj = d.sentenceSubject.get(sOpen.index);
        if (subj?.entity?.type === 'person') subj.entity.aliases.add(base.text.replace(/[,.]$/, ''));
      }
      out.push({ ...base, kind: 'term', partial: !site.sentenceInitial, speaker: null, cue: null });
      continue;
    }
    const proposals = propose(d, site, disc);
    const candidates = candidatesFor(d, site, proposals, disc, refsBySentence);
    const facts = quoteFacts(d, site, proposals);
    const features = candidates.map((c) => featuresOf(d, site, facts, c, disc));
    let chosen = 0;
    if (model) {
      let best = -Infinity;
      candidates.forEach((c, i) => {
        // Grammar, not preference: "she said" never names a man, nor "he said" a woman, whose gender the text or name shows.
        if (facts.pronoun && c.entity?.type === 'person' && c.entity.gender && c.entity.gender !== facts.pronoun) return;
        const s = scoreOf(model, features[i]!);
        if (s > best) [best, chosen] = [s, i];
      });
    } else if (proposals[0]) chosen = candidates.findIndex((c) => c.proposals[0] === proposals[0]);
    options.trace?.({ site, candidates, features, chosen });
    const pick = candidates[chosen]!;
    const speaker: Speaker | null = pick.speaker;
    const cue = pick.proposals[0]?.cue ?? null;
    const partial = !site.sentenceInitial && !site.after;
    out.push({ ...base, kind: !speaker && partial ? 'term' : 'direct', partial, speaker, cue });
    disc.byStart.set(q.start, { speaker, cue });
    if (speaker) {
      for (const p of q.paragraphs) disc.lastSpeakerInParagraph.set(p, speaker);
      disc.lastSpeaker = speaker;
      disc.lastSpeakerParagraph = q.paragraphs[q.paragraphs.length - 1]!;
    }
    // Places do not speak: a place given as a speaker is the body that governs it ("Manchester said").
    const spoken = speaker?.entityId ? d.byId.get(speaker.entityId) : undefined;
    if (spoken?.type === 'place') spoken.type = 'organization';
  }
  // Transcript answers (no quotation marks), unless a quotation already covers them.
  for (const a of findInterviewAnswers(d, options.byline ?? null)) if (!out.some((q) => q.start < a.end && a.start < q.end)) out.push(a);
  out.push(...findIndirect(d));
  out.sort((a, b) => a.start - b.start || (a.kind === 'indirect' ? 1 : -1));
  out.forEach((q, i) => (q.id = `q${i + 1}`));
  return { quotes: out };
}
