/**
 * Coreference stage (rules): resolves pronouns and definite descriptions to entities in
 * reading order, and records each sentence's subject.
 * - he/she: the sentence's own subject before the pronoun, else the previous sentence's subject
 *   when it agrees in gender and no closer person of that gender intervenes, else the most
 *   recent compatible person or anonymous source (Hobbs-style recency with a subject preference);
 * - "the minister", "the Zambian minister": the most recently mentioned person whose role has
 *   that head noun (and whose affiliation fits the modifier), unless an anonymous source with the
 *   same head is more recent; "the company", "the central bank": the most recent organisation
 *   whose name fits; "the statement": the last organisation; "the government": the last country.
 */
import type { EntityDraft } from '../entities/index.js';
import { addRole, fold } from '../entities/index.js';
import { CUE_FORMS, FUNCTION_WORDS, ROLE_HEADS } from '../lexicon.js';
import type { Mention } from '../types.js';
import { sentStartTok, singular, type Doc, type Ref } from './doc.js';
import { ANON_HEADS, ORG_HEADS, personHeadsOf } from './mentions.js';

/** Words that open an introductory phrase before the clause's subject ("In a statement, …", "Asked about …"). */
export const INTRO_WORDS = new Set(['in', 'on', 'at', 'after', 'before', 'during', 'speaking', 'asked', 'reading', 'back', 'outside', 'among', 'for', 'with', 'earlier', 'later', 'since', 'as', 'while', 'when', 'however', 'yet', 'but', 'and', 'meanwhile', 'instead', 'still', 'internally', 'separately', 'last', 'this', 'from', 'under', 'despite', 'following', 'looking', 'without', 'by', 'addressing', 'writing', 'interviewed', 'like', 'unlike', 'besides', 'alongside', 'although', 'though', 'because', 'once', 'upon', 'throughout', 'across', 'given', 'unless', 'until', 'if']);


/** Conjunctions that may open a sentence without opening a phrase ("But Sen. Toomey refused …"). */
export const OPENING_CONJUNCTIONS = /^(but|and|yet|so|or)$/;

/** True when a reference stands in an introductory phrase of its sentence ("Asked by Mrs Marsh, she replied"). */
export function inIntro(d: Doc, r: Ref): boolean {
  const { tokens } = d;
  let k = sentStartTok(d, r.t0) - 1;
  // a conjunction opening the sentence ("But Sen. Toomey refused …", "And in a statement, she …") opens no phrase of its own
  while (k + 1 < r.t0 && OPENING_CONJUNCTIONS.test(tokens[k + 1]!.lower)) k++;
  // degree and time adverbs before an introduction's opener ("But almost immediately after she did, …")
  while (k + 2 < r.t0 && /^(almost|just|shortly|soon|immediately|even|only|right|long|well|also)$/.test(tokens[k + 1]!.lower)) k++;
  const first = tokens[k + 1]!;
  if (first === tokens[r.t0]) return false;
  const lead = first.lower;
  // a sentence-opening participle phrase ("Preceded at the lectern by Joe Arpaio, Trump launched …")
  const participle = /ing$/.test(lead) || (/ed$/.test(lead) && first.cap && first === tokens[sentStartTok(d, r.t0)]);
  if (!(INTRO_WORDS.has(lead) || participle)) return false;
  for (let q = r.t0 - 1; q > k; q--) if (tokens[q]!.text === ',') return false;
  return true;
}

/** Resolves pronouns and descriptions in `d.refs` and fills `d.sentenceSubject`. */
export function resolveReferences(d: Doc): void {
  const { refs, tokens, sentenceSubject } = d;
  const personHeads = personHeadsOf(d);
  const isSpeakerish = (r: Ref): boolean => (r.entity ? r.entity.type === 'person' : r.kind === 'anon');
  for (let ri = 0; ri < refs.length; ri++) {
    const r = refs[ri]!;
    if (r.kind === 'pronoun') {
      const t = tokens[r.t0]!;
      const g = /^(she|her)$/.test(t.lower) ? 'female' : 'male';
      const ok = (e: EntityDraft | null, ref?: Ref): boolean => (e ? e.type === 'person' && (e.gender === null || e.gender === g) : !!ref && ref.kind === 'anon');
      let pick: Ref | null = null;
      const same = sentenceSubject.get(r.sentence);
      const prev = sentenceSubject.get(r.sentence - 1);
      if (same && same.start < r.start && ok(same.entity, same)) pick = same;
      else if (prev && ok(prev.entity, prev) && (prev.entity?.gender === g || !recentOther(d, prev, r, g))) pick = prev;
      if (!pick) {
        // The most recent compatible reference, looking back a bounded window (keeps the stage linear).
        for (let z = ri - 1; z >= 0 && z >= ri - 400; z--) {
          const c = refs[z]!;
          if (c.kind === 'pronoun' || c.kind === 'relative') continue;
          if (!isSpeakerish(c) || !ok(c.entity, c)) continue;
          pick = c;
          break;
        }
      }
      if (pick) {
        r.entity = pick.entity;
        r.phrase = pick.phrase;
        if (pick.entity && pick.entity.gender === null) pick.entity.gender = g;
      }
    } else if (r.kind === 'description' && !r.entity) {
      resolveDescription(d, r, personHeads);
    }
    const possessivePronoun = r.kind === 'pronoun' && /^(his|her)$/.test(tokens[r.t0]!.lower);
    if ((r.entity?.type === 'person' || r.kind === 'anon' || r.entity?.type === 'organization') && !possessivePronoun && !sentenceSubject.has(r.sentence) && !tokens[r.t0]!.quoted) {
      // The first speaker-capable reference outside an introductory phrase is the sentence's subject.
      if (!inIntro(d, r) && !modifiesTitle(d, r, refs[ri + 1])) sentenceSubject.set(r.sentence, r);
    }
  }
}

/**
 * True when a name modifies a title before another person's name ("Trump campaign chairman Paul
 * Manafort", "Sanders spokesman Michael Briggs"): the head of that noun phrase is the second name.
 * @param next the reference after r in text order
 */
export function modifiesTitle(d: Doc, r: Ref, next: Ref | undefined): boolean {
  const { tokens } = d;
  if (!next || next.entity?.type !== 'person' || next.t0 <= r.t1 + 1 || next.t0 > r.t1 + 5) return false;
  let role = false;
  for (let z = r.t1 + 1; z < next.t0; z++) {
    const t = tokens[z]!;
    // only the words of a title may stand between: no verb ("Holt denounced Governor Dahl"), no function word
    if (!t.word || t.quoted || FUNCTION_WORDS.has(t.lower) || /ed$/.test(t.lower) || CUE_FORMS.has(t.lower)) return false;
    if (ROLE_HEADS.has(t.lower)) role = true;
  }
  return role;
}

/** A closer person of the pronoun's gender, mentioned after the previous subject, wins over it. */
function recentOther(d: Doc, prev: Ref, r: Ref, g: string): boolean {
  const { refs } = d;
  const from = d.refIndex.get(prev) ?? 0;
  for (let z = from + 1; z < refs.length && z < from + 200; z++) {
    const c = refs[z]!;
    if (c.start >= r.start) break;
    // a possessive modifier ("the candidate’s appeal") is less salient than the subject it follows
    if (c.entity && c.entity !== prev.entity && c.entity.type === 'person' && c.entity.gender === g && !d.tokens[c.t1]?.possessive && !(c.sentence === r.sentence && inIntro(d, c))) return true;
  }
  return false;
}

/**
 * The story's principal person at reference r: the person with the most mentions before r, if
 * they were mentioned in r's paragraph or the two before it and nobody else has as many.
 */
function principalPerson(d: Doc, r: Ref): EntityDraft | null {
  let best: EntityDraft | null = null;
  let bestN = 0;
  let tie = false;
  for (const e of d.entities) {
    if (e.type !== 'person') continue;
    const n = e.mentions.filter((m) => m.start < r.start).length;
    if (n > bestN) [best, bestN, tie] = [e, n, false];
    else if (n === bestN && n > 0) tie = true;
  }
  if (!best || tie) return null;
  const para = (si: number): number => d.sentences[si]?.paragraph ?? -9;
  const recent = best.mentions.some((m) => m.start < r.start && para(m.sentence) >= para(r.sentence) - 2);
  return recent ? best : null;
}

/** Roles that lead a body ("general secretary of the union", "president", "chair"). */
const LEADING_ROLE = /\b(president|secretary|chairman|chairwoman|chair|chief|director|leader|head|governor|minister|mayor|commissioner|founder)\b/i;

/** Words that name a public body rather than a business ("Competition Bureau", "Federal Trade Commission"). */
const PUBLIC_BODY_WORDS = new Set(['bureau', 'commission', 'ministry', 'department', 'court', 'agency', 'authority', 'council', 'parliament', 'congress', 'senate', 'assembly', 'committee', 'government', 'office', 'police', 'army', 'navy', 'university', 'school', 'hospital', 'party', 'union', 'federation', 'association', 'cooperative', 'regulator', 'reserve', 'service']);

function resolveDescription(d: Doc, r: Ref, personHeads: Set<string>): void {
  const { entities, text } = d;
  const head = r.head;
  if (!head) return;
  const mods = r.mods ?? [];
  const before = (e: EntityDraft): number => {
    let best = -1;
    for (const m of e.mentions) if (m.start < r.start && m.start > best) best = m.start;
    return best;
  };
  let cands: EntityDraft[] = [];
  if ((ROLE_HEADS.has(head) || personHeads.has(head)) && !ORG_HEADS.has(head)) {
    cands = entities.filter((e) => e.type === 'person' && (e.heads.has(head) || e.roles.some((ro) => new RegExp(`\\b${escapeRe(head)}\\b`, 'i').test(ro))) && before(e) >= 0);
    // "the union leader": a generic word for whoever leads ("leader", "head", "boss") names the person
    // holding a leading role in the body its modifiers name (a general secretary of the union)
    if (!cands.length && /^(leader|head|boss|chief)$/.test(head) && mods.length) {
      cands = entities.filter((e) => e.type === 'person' && before(e) >= 0 && e.roles.some((ro) => LEADING_ROLE.test(ro) && mods.some((m) => /^[a-z]+$/.test(m) && new RegExp(`\\b${escapeRe(m)}\\b`, 'i').test(ro))));
    }
    // "the Zambian minister": prefer the one whose role or affiliation names that country.
    const demonyms = mods.filter((m) => /^\p{Lu}/u.test(m) || /(an|ian|ese|ish|i)$/.test(m));
    if (demonyms.length && cands.length > 1) {
      const narrowed = cands.filter((e) => [...e.affiliation, ...e.roles].some((a) => demonyms.some((dm) => fold(a).includes(fold(dm).slice(0, 4)))));
      if (narrowed.length) cands = narrowed;
    }
    // Anonymous sources with the same head compete by recency ("the manager said").
    const anon = d.anonByHead.get(singular(head))?.filter((a) => a.start < r.start) ?? [];
    const lastAnon = anon[anon.length - 1];
    const bestPerson = cands.sort((a, b) => before(b) - before(a))[0];
    if (lastAnon && (!bestPerson || lastAnon.start > before(bestPerson))) {
      r.kind = 'anon';
      r.phrase = lastAnon.phrase;
      return;
    }
    if (bestPerson) {
      r.entity = bestPerson;
      bestPerson.mentions.push(mentionOf(d, r, 'description'));
      // the description is one of the names the text uses for that person ("the spokeswoman"), as an
      // organisation's is ("the company"), and a role the text gives them ("the union leader")
      const role = text.slice(r.start, r.end).replace(/[’']s$/, '');
      if (/^the\s/i.test(role)) {
        bestPerson.aliases.add(role.replace(/^The\b/, 'the'));
        if (!bestPerson.roles.some((ro) => fold(ro).includes(fold(role.replace(/^the\s+/i, ''))))) addRole(bestPerson, role, r.start, r.end);
      }
    } else if (!lastAnon && /^the$/i.test(d.tokens[r.t0]!.lower) && ROLE_HEADS.has(head) && !/s$/.test(head)) {
      // "The midfielder, known to supporters as …", "value the Ghana international at £110 million": a
      // definite role nobody holds yet describes the story's principal person, when that person was
      // named in the last two paragraphs and holds no role with that head. Recorded as a role only; the
      // reference stays unresolved, so no speech is credited on this guess.
      const principal = principalPerson(d, r);
      if (principal && !principal.roles.some((ro) => fold(ro).includes(head))) addRole(principal, text.slice(r.start, r.end), r.start, r.end);
    }
    return;
  }
  if (ANON_HEADS.has(head)) {
    const anon = d.anonByHead.get(singular(head))?.filter((a) => a.start < r.start) ?? [];
    const lastAnon = anon[anon.length - 1];
    if (lastAnon) {
      r.kind = 'anon';
      r.phrase = lastAnon.phrase;
    }
    return;
  }
  if (ORG_HEADS.has(head)) {
    if (head === 'statement') {
      // "said in a statement": an indefinite statement is an adjunct, not a reference to an earlier one
      if (!/^(the|this|that)$/i.test(d.tokens[r.t0]!.lower)) return;
      // "the statement said": the organisation that last spoke in a statement, else the last organisation.
      cands = entities.filter((e) => e.type === 'organization' && before(e) >= 0);
    } else if (head === 'government') {
      cands = entities.filter((e) => e.type === 'country' && before(e) >= 0);
    } else {
      cands = entities.filter((e) => (e.type === 'organization' || e.type === 'place') && (e.heads.has(head) || e.nameTokens.includes(head) || (head === 'company' && e.company) || (head === 'club' && e.type !== 'place') || (head === 'side' && e.type !== 'place')) && before(e) >= 0);
      // "the company said" when no name says "company": the business named before it, never a public body
      if (!cands.length && (head === 'company' || head === 'firm')) cands = entities.filter((e) => (e.type === 'organization' || e.type === 'other') && !e.nameTokens.some((w) => PUBLIC_BODY_WORDS.has(w)) && !e.heads.has('outlet') && before(e) >= 0);
      // "the central bank" → "Central Bank of Chile": modifiers must fit the name when given.
      if (mods.length) {
        const fit = cands.filter((e) => mods.every((m) => e.nameTokens.includes(m) || !/^[a-z]+$/.test(m) || ['same', 'country', "country's", 'national', 'state-owned', 'own'].includes(m)));
        if (fit.length) cands = fit;
      }
    }
    const best = cands.sort((a, b) => before(b) - before(a))[0];
    if (best) {
      r.entity = best;
      best.mentions.push(mentionOf(d, r, 'description'));
      if (head !== 'statement' && head !== 'government') best.aliases.add(text.slice(r.start, r.end).replace(/^The\b/, 'the'));
    }
  }
}

function mentionOf(d: Doc, r: Ref, kind: Mention['kind']): Mention {
  return { start: r.start, end: r.end, text: d.text.slice(r.start, r.end), kind, sentence: r.sentence };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
