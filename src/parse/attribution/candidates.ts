/**
 * Candidate stage: for each quotation, every speaker it could have — the speakers the sieves
 * propose, the alternatives a pronoun could stand for, the people, organisations and unnamed
 * sources mentioned near it, the speaker of the quotation before it — and "nobody" (a scare
 * quote, or a quotation the article does not attribute). Candidates are speakers, not
 * mentions: every mention of one entity feeds one candidate, so the ranking model compares
 * people, with the evidence for each gathered in its features.
 */
import type { EntityDraft } from '../entities/index.js';
import type { Speaker } from '../types.js';
import type { Doc, Ref } from './doc.js';
import { inIntro } from './coref.js';
import { speakerOfRef } from './grammar.js';
import type { Discourse, Proposal, QuoteSite } from './sieves.js';

/** How a candidate came into the set besides sieve proposals. */
export type CandidateOrigin = 'window' | 'pronoun-alternative' | 'last-speaker';

/** One possible speaker of a quotation. */
export interface Candidate {
  /** Identity: the entity id, `phrase:<name>` for an unnamed source, or `none`. */
  key: string;
  /** Null for the "nobody" candidate. */
  speaker: Speaker | null;
  entity: EntityDraft | null;
  /** The sieves' proposals naming this speaker, most precise first. */
  proposals: Proposal[];
  /** Other ways it entered the candidate set. */
  origins: Set<CandidateOrigin>;
  /** For pronoun alternatives: how the alternative relates to the pronoun ("last-speaker", "prev-subject", "recent-1"…). */
  alternatives: Set<string>;
  /** References to it in the window around the quotation, in text order. */
  refs: Ref[];
}

/** Sentences before the quotation's first sentence, and after its last, whose mentions are candidates. */
export const WINDOW_BEFORE = 3;
export const WINDOW_AFTER = 1;
/** How many recent people a pronoun proposal may stand for, besides the coreference stage's pick. */
const PRONOUN_ALTERNATIVES = 5;

/**
 * Builds the candidate set of one quotation (the "nobody" candidate first).
 * @param refsBySentence references by sentence index (outside quotations), from `refsBySentenceOf`
 */
export function candidatesFor(d: Doc, site: QuoteSite, proposals: Proposal[], disc: Discourse, refsBySentence: Map<number, Ref[]>): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const none: Candidate = { key: 'none', speaker: null, entity: null, proposals: [], origins: new Set(), alternatives: new Set(), refs: [] };
  const get = (speaker: Speaker, entity: EntityDraft | null): Candidate => {
    const key = speaker.entityId ?? `phrase:${speaker.name.toLowerCase()}`;
    let c = byKey.get(key);
    if (!c) {
      c = { key, speaker, entity, proposals: [], origins: new Set(), alternatives: new Set(), refs: [] };
      byKey.set(key, c);
    }
    return c;
  };
  const entityOf = (sp: Speaker): EntityDraft | null => (sp.entityId ? d.byId.get(sp.entityId) ?? null : null);

  for (const p of proposals) {
    get(p.speaker, entityOf(p.speaker)).proposals.push(p);
    if (p.ref?.kind === 'pronoun') {
      const g = /^(she|her)$/i.test(d.tokens[p.ref.t0]!.lower) ? 'female' : 'male';
      for (const [how, sp] of pronounAlternatives(d, p.ref, disc)) {
        const e = entityOf(sp);
        const agree = !e?.gender ? 'unknown' : e.gender === g ? 'match' : 'mismatch';
        get(sp, e).alternatives.add(`${how}|g:${agree}`);
      }
    }
  }
  const last = disc.lastSpeaker;
  if (last) get(last, entityOf(last)).origins.add('last-speaker');

  const s0 = site.sOpen.index - WINDOW_BEFORE;
  const s1 = site.sClose.index + WINDOW_AFTER;
  const paraLo = site.q.paragraphs[0]! - 1;
  const paraHi = site.q.paragraphs[site.q.paragraphs.length - 1]!;
  for (let si = Math.max(0, s0); si <= s1; si++) {
    const sent = d.sentences[si];
    if (!sent || sent.paragraph < paraLo || sent.paragraph > paraHi) continue;
    for (const r of refsBySentence.get(si) ?? []) {
      if (r.kind === 'relative') continue;
      if (r.entity && r.entity.type !== 'person' && r.entity.type !== 'organization') continue;
      const sp = speakerOfRef(d, r);
      if (!sp) continue;
      const c = get(sp.speaker, r.entity);
      c.origins.add('window');
      c.refs.push(r);
    }
  }
  return [none, ...byKey.values()];
}

/** References outside quotations grouped by sentence. */
export function refsBySentenceOf(d: Doc): Map<number, Ref[]> {
  const m = new Map<number, Ref[]>();
  for (const r of d.refs) {
    const list = m.get(r.sentence) ?? [];
    list.push(r);
    m.set(r.sentence, list);
  }
  return m;
}

/**
 * Who else a pronoun subject could stand for: the last quotation's speaker, the previous
 * sentence's subject, and the most recent people before the pronoun (nearest first). The
 * ranking model weighs them against the coreference stage's pick (the proposal itself).
 */
function pronounAlternatives(d: Doc, pron: Ref, disc: Discourse): [string, Speaker][] {
  const out: [string, Speaker][] = [];
  if (disc.lastSpeaker?.entityId) out.push(['last-speaker', disc.lastSpeaker]);
  const prev = d.sentenceSubject.get(pron.sentence - 1);
  if (prev?.entity?.type === 'person') out.push(['prev-subject', { name: prev.entity.name, entityId: prev.entity.id }]);
  const seen = new Set<string>();
  const from = d.refIndex.get(pron) ?? 0;
  for (let z = from - 1; z >= 0 && z >= from - 60 && seen.size < PRONOUN_ALTERNATIVES; z--) {
    const c = d.refs[z]!;
    if (c.kind === 'pronoun' || c.kind === 'relative' || c.entity?.type !== 'person' || seen.has(c.entity.id)) continue;
    seen.add(c.entity.id);
    // Where its latest mention stands: the pronoun's own sentence, an introductory phrase
    // ("Asked by Mrs Marsh, she replied"), its sentence's subject, a possessive.
    const where = c.sentence === pron.sentence ? (inIntro(d, c) ? 'intro' : 'same-sentence') : d.sentenceSubject.get(c.sentence) === c ? 'subject' : d.tokens[c.t1]?.possessive ? 'possessive' : 'other';
    out.push([`recent-${seen.size}|at:${where}`, { name: c.entity.name, entityId: c.entity.id }]);
  }
  return out;
}
