/**
 * Attribution stage: who said each quotation, and reported (indirect) speech.
 *
 * 1. Referring expressions: entity mentions, pronouns (he/she), descriptions ("the minister",
 *    "the company", "the elder Jatoi") and anonymous sources ("a senior official at the
 *    corporation") are collected and resolved in reading order (pronouns by gender and
 *    salience: the previous sentence's subject first, then the most recent person).
 * 2. Quotes: scare quotes and titles become `term`s; a quotation is attributed by, in order,
 *    the attribution right after it (“…,” Zakharova said / said Mark Rutte, the …), a colon
 *    introduction (she said: “…”), the nearest reporting verb before it in its sentence
 *    (called the plan “reckless”; stated that … “under any pretext”), "according to X",
 *    then the running speaker of its paragraph (a quote that continues a speaker's words).
 * 3. Indirect speech: a reporting verb followed by its content clause ("warned that …",
 *    "said the union had …", "according to …").
 * The subject of a reporting verb skips introductory phrases, appositives and relative
 * clauses ("A senior official, who spoke on condition of anonymity, said").
 */
import { lookupCountry } from './countries.js';
import type { EntityDraft } from './entities.js';
import { fold, tokenAtOrAfter } from './entities.js';
import { firstWhere } from './search.js';
import {
  CHARACTERIZING_CUES,
  CUE_FORMS,
  DIRECT_CUES,
  FUNCTION_WORDS,
  LABEL_NOUNS,
  NAMING_CUES,
  ORG_KEYWORDS,
  ROLE_HEADS,
  SOURCE_NOUNS,
  TITLE_MODIFIERS,
  WEAK_CUES,
} from './lexicon.js';
import type { QuoteSpan } from './quotemarks.js';
import type { Token } from './tokens.js';
import type { Mention, Paragraph, Quote, Sentence, Speaker } from './types.js';

/** Heads of descriptive phrases for anonymous sources. */
const ANON_HEADS = new Set(['investor', 'investors', 'shareholder', 'shareholders', 'colleague', 'colleagues', 'staffer', 'staffers', 'official', 'officials', 'source', 'sources', 'person', 'people', 'aide', 'aides', 'officer', 'manager', 'employee', 'employees', 'diplomat', 'diplomats', 'executive', 'insider', 'spokesperson', 'spokesman', 'spokeswoman', 'analyst', 'analysts', 'adviser', 'advisers', 'member', 'members', 'worker', 'workers', 'resident', 'residents', 'witness', 'witnesses', 'investigator', 'investigators', 'lawmaker', 'lawmakers']);
/** Organisation heads used in descriptions ("the ministry said"). */
const ORG_HEADS = new Set([...ORG_KEYWORDS, 'company', 'firm', 'government', 'statement', 'club', 'side', 'team', 'carrier', 'lender', 'group', 'broadcaster', 'regulator', 'insurer', 'miner']);
const INTRO_WORDS = new Set(['in', 'on', 'at', 'after', 'before', 'during', 'speaking', 'asked', 'reading', 'back', 'outside', 'among', 'for', 'with', 'earlier', 'later', 'since', 'as', 'while', 'when', 'however', 'yet', 'but', 'and', 'meanwhile', 'instead', 'still', 'internally', 'separately', 'last', 'this', 'from', 'under', 'despite', 'following', 'looking', 'without', 'by', 'addressing', 'writing', 'interviewed']);
const SKIP_BEFORE_CUE = new Set(['also', 'only', 'later', 'then', 'again', 'repeatedly', 'has', 'have', 'had', 'is', 'was', 'were', 'will', 'would', 'explicitly', 'previously', 'further', 'earlier', 'already', 'often', 'once', 'publicly', 'privately', 'reportedly', 'simply', 'just', 'never', 'not', 'quickly', 'flatly', 'firmly', 'openly', 'recently', 'separately', 'subsequently', 'initially', 'first']);
/** Prepositions of place that attach a location to a noun phrase ("officials in Sweden"). */
const LOCATIVE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'across', 'inside', 'outside', 'throughout', 'around', 'within']);
const PREPOSITIONS = new Set(['in', 'on', 'at', 'during', 'after', 'before', 'to', 'from', 'with', 'for', 'by', 'of', 'about', 'over', 'under', 'outside', 'inside', 'near', 'into', 'through', 'as', 'while', 'without', 'laughing', 'adding', 'smiling']);
const TIME_WORDS = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|earlier|later|recently|again|also|only|previously|privately|publicly)$/;

/** A referring expression: a span that refers to a speaker-capable entity or phrase. */
export interface Ref {
  start: number;
  end: number;
  /** First and last token index. */
  t0: number;
  t1: number;
  kind: 'name' | 'pronoun' | 'description' | 'anon' | 'relative';
  entity: EntityDraft | null;
  /** For anonymous sources: the descriptive phrase used as the speaker's name. */
  phrase: string | null;
  sentence: number;
}

/** Input of the attribution stage. */
export interface AttributionInput {
  text: string;
  paragraphs: Paragraph[];
  sentences: Sentence[];
  tokens: Token[];
  /** Top-level quotation spans (depth 0). */
  quotes: QuoteSpan[];
  entities: EntityDraft[];
  tokenEntity: (string | undefined)[];
}

/** Result of the attribution stage. */
export interface AttributionResult {
  quotes: Quote[];
}

const isCueWord = (t: Token | undefined): boolean => !!t && t.word && !t.cap && CUE_FORMS.has(t.lower) && !t.quoted;

/** True when a quoted text looks like a title or name: its content words are capitalised. */
export function titleLike(q: string): boolean {
  const words = q.replace(/[.,!?;:]+$/, '').split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 8) return false;
  const content = words.filter((w, k) => k === 0 || !FUNCTION_WORDS.has(w.toLowerCase()) || /^\p{Lu}/u.test(w));
  const caps = content.filter((w) => /^[\p{Lu}\d]/u.test(w));
  // "Stations are not." is a sentence, not a title: a title capitalises at least two words (or is one word).
  return caps.length === content.length && (caps.length >= 2 || (words.length === 1 && !/[.!?]$/.test(q.trim())));
}

/** Runs the attribution stage. */
export function attribute(inp: AttributionInput): AttributionResult {
  const { text, tokens, sentences, entities, tokenEntity } = inp;
  const byId = new Map(entities.map((e) => [e.id, e]));
  const refs: Ref[] = [];
  /** Head nouns of the roles the text gave its people ("glaciologist"), usable alone later ("the glaciologist said"). */
  const personHeads = new Set(entities.filter((e) => e.type === 'person').flatMap((e) => [...e.heads]));
  const anonByHead = new Map<string, Ref[]>();

  /** A reporting verb in use as a verb: not "a stark warning", "to counter", "state media". */
  const isCue = (t: Token | undefined): boolean => {
    if (!isCueWord(t)) return false;
    const p1 = tokens[t!.i - 1];
    const p2 = tokens[t!.i - 2];
    if (p1?.lower === 'to') return false;
    if (/ing$/.test(t!.lower) && (/^(a|an|the|his|her|its|their|this|our|any|no)$/.test(p1?.lower ?? '') || /^(a|an|the|his|her|its|their)$/.test(p2?.lower ?? '') && p1?.word && !p1.cap)) return false;
    if (CUE_FORMS.get(t!.lower) === t!.lower && !/^(say|warn|note|argue|insist|claim|contend|estimate|believe|fear|expect|agree|suggest|predict|report|tell|add|concede|acknowledge|admit|maintain)$/.test(t!.lower)) return false;
    if (CUE_FORMS.get(t!.lower) === t!.lower && tokens[t!.i + 1]?.lower === 'that' && p1?.word) return true;
    if (CUE_FORMS.get(t!.lower) === t!.lower && !(p1 && (refAt.has(p1.i) || /^(they|we|i|you|who|that)$/.test(p1.lower) || (p1.word && !p1.cap && /s$/.test(p1.lower)) || p1.cap))) return false;
    return true;
  };

  // --- 1. Referring expressions -------------------------------------------------------------
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.quoted) continue;
    const id = tokenEntity[i];
    const nextTok = tokens[i + 1];
    const mentionKind = id ? byId.get(id)!.mentions.find((m) => m.start === t.start)?.kind : undefined;
    if (id && mentionKind === 'demonym' && nextTok?.word && !nextTok.cap) continue;
    if (id) {
      let j = i;
      while (j + 1 < tokens.length && tokenEntity[j + 1] === id && !tokens[j]!.possessive) j++;
      const e = byId.get(id)!;
      // Extend back over a title that precedes the name ("Health Minister Dr. Miriam Nakato").
      refs.push({ start: t.start, end: tokens[j]!.end, t0: i, t1: j, kind: 'name', entity: e, phrase: null, sentence: t.sentence });
      i = j;
      continue;
    }
    if (!t.word) continue;
    if (/^(he|she|his|her)$/.test(t.lower)) {
      refs.push({ start: t.start, end: t.end, t0: i, t1: i, kind: 'pronoun', entity: null, phrase: null, sentence: t.sentence });
      continue;
    }
    if (/^(who|which)$/.test(t.lower) && tokens[i - 1]?.text === ',') {
      refs.push({ start: t.start, end: t.end, t0: i, t1: i, kind: 'relative', entity: null, phrase: null, sentence: t.sentence });
      continue;
    }
    // Descriptions and anonymous sources: "the minister", "the elder Jatoi", "a senior official at the corporation".
    if (/^(the|a|an|one|two|three|several|this)$/.test(t.lower)) {
      const d = readDescription(i);
      if (d) {
        refs.push(d);
        i = d.t1;
      }
    }
  }

  function readDescription(i: number): Ref | null {
    const det = tokens[i]!;
    // "Renee Ostrowski, a spokeswoman for …": an appositive describes the named person; it is not an anonymous source.
    if (det.lower !== 'the' && tokens[i - 1]?.text === ',') {
      const id = tokenEntity[i - 2];
      if (id && byId.get(id)?.type === 'person') return null;
    }
    let j = i + 1;
    // "one of the company’s early investors", "two of the bank's directors": the head comes after "of".
    if (/^(one|two|three|several|some|many)$/.test(det.lower) && tokens[j]?.lower === 'of') {
      j++;
      while (tokens[j] && (/^(the|its|their|his|her)$/.test(tokens[j]!.lower) || tokens[j]!.possessive)) j++;
    }
    const mods: Token[] = [];
    while (j < tokens.length && j - i <= 8 && tokens[j]!.word && tokens[j]!.sentence === det.sentence && !tokens[j]!.quoted) {
      const u = tokens[j]!;
      const low = u.lower;
      if (low === 'elder' || low === 'younger') {
        // the elder Asante-Boateng
        const n = tokens[j + 1];
        const id = n ? tokenEntity[n.i] : undefined;
        if (id) {
          let k = n!.i;
          while (tokenEntity[k + 1] === id) k++;
          const named = byId.get(id)!;
          const fam = entities.filter((e) => e.type === 'person' && e.surname && e.surname === named.surname);
          const pick = fam.find((e) => e.seniority === (low === 'elder' ? 'elder' : 'younger')) ?? fam.find((e) => e.seniority !== (low === 'elder' ? 'younger' : 'elder') && e !== named) ?? named;
          pick.aliases.add(text.slice(det.start, tokens[k]!.end).replace(/^The\b/, 'the'));
          return { start: det.start, end: tokens[k]!.end, t0: i, t1: k, kind: 'description', entity: pick, phrase: null, sentence: det.sentence };
        }
      }
      const head = low.replace(/[’']s$/, '');
      const isHead = ROLE_HEADS.has(head) || ORG_HEADS.has(head) || ANON_HEADS.has(head) || personHeads.has(head);
      const next = tokens[j + 1];
      const nextIsNoun = next && next.word && !next.cap && (ROLE_HEADS.has(next.lower) || ORG_HEADS.has(next.lower) || ANON_HEADS.has(next.lower)) && next.sentence === det.sentence;
      if (isHead && !nextIsNoun && !u.possessive) {
        const indefinite = det.lower !== 'the' && det.lower !== 'this';
        let end = j;
        // Anonymous: keep adjectival post-modifiers ("familiar with the talks", "close to the board"), drop locative PPs.
        let phraseEnd = j;
        if (indefinite && /^(familiar|close|loyal|linked|allied|briefed)$/.test(tokens[j + 1]?.lower ?? '')) {
          let k = j + 2;
          while (k < tokens.length && tokens[k]!.word && tokens[k]!.sentence === det.sentence && !CUE_FORMS.has(tokens[k]!.lower) && k - j < 8) k++;
          phraseEnd = k - 1;
          end = phraseEnd;
        } else if (indefinite) {
          // Span through a prepositional tail ("at the corporation") so nested names do not steal the subject.
          let k = j + 1;
          if (/^(at|in|to|with|from|for|of|within|inside|on)$/.test(tokens[k]?.lower ?? '')) {
            k++;
            while (k < tokens.length && (tokens[k]!.word || /^[’']$/.test(tokens[k]!.text)) && tokens[k]!.sentence === det.sentence && !CUE_FORMS.has(tokens[k]!.lower) && k - j < 8) k++;
            end = k - 1;
          }
        }
        const anon = indefinite && (ANON_HEADS.has(head) || (ROLE_HEADS.has(head) && !ORG_HEADS.has(head)));
        const phrase = text.slice(det.start, tokens[phraseEnd]!.end);
        const ref: Ref = {
          start: det.start, end: tokens[end]!.end, t0: i, t1: end, kind: anon ? 'anon' : 'description', entity: null,
          phrase: anon ? phrase : null, sentence: det.sentence,
        };
        (ref as Ref & { head: string; mods: Token[] }).head = head;
        (ref as Ref & { head: string; mods: Token[] }).mods = mods;
        if (anon) {
          const list = anonByHead.get(singular(head)) ?? [];
          list.push(ref);
          anonByHead.set(singular(head), list);
        }
        return ref;
      }
      // "a former FreshHarvest pricing analyst": a name used as a modifier of an indefinite source noun
      const headAhead = det.lower !== 'the' && [1, 2, 3].some((d) => {
        const x = tokens[j + d];
        return !!x && x.word && !x.cap && x.sentence === det.sentence && (ANON_HEADS.has(x.lower) || ROLE_HEADS.has(x.lower));
      });
      if (u.cap && !u.possessive && !headAhead && !(lookupCountry(u.base).some((h) => h.kind === 'demonym') && tokens[j + 1]?.word && !tokens[j + 1]!.cap)) return null; // "the Financial Times" is a name
      mods.push(u);
      j++;
    }
    return null;
  }

  // First token of each sentence; clause searches look back at most WINDOW tokens (keeps the stage linear).
  const WINDOW = 80;
  const sentFirst = new Map<number, number>();
  for (let k = tokens.length - 1; k >= 0; k--) sentFirst.set(tokens[k]!.sentence, k);
  const sentStartTok = (k: number): number => Math.max(sentFirst.get(tokens[k]?.sentence ?? -1) ?? 0, k - WINDOW);
  const refIndex = new Map<Ref, number>(refs.map((r, i) => [r, i]));
  /** Quotes lying within [from, to), by binary search over their (sorted) starts. */
  const quotesWithin = (from: number, to: number): QuoteSpan[] => {
    const qs = inp.quotes;
    const lo = firstWhere(qs, (q) => q.start >= from);
    const out: QuoteSpan[] = [];
    for (let k = lo; k < qs.length && qs[k]!.start < to; k++) if (qs[k]!.end <= to) out.push(qs[k]!);
    return out;
  };

  // --- Resolution of pronouns and descriptions (reading order) ---------------------------------
  const sentenceSubject = new Map<number, Ref>();
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
      else if (prev && ok(prev.entity, prev) && (prev.entity?.gender === g || !recentOther(prev, r, g))) pick = prev;
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
      resolveDescription(r);
    }
    const possessivePronoun = r.kind === 'pronoun' && /^(his|her)$/.test(tokens[r.t0]!.lower);
    if ((r.entity?.type === 'person' || r.kind === 'anon' || r.entity?.type === 'organization') && !possessivePronoun && !sentenceSubject.has(r.sentence) && !tokens[r.t0]!.quoted) {
      // The first speaker-capable reference outside an introductory phrase is the sentence's subject.
      if (!inIntro(r)) sentenceSubject.set(r.sentence, r);
    }
  }

  function recentOther(prev: Ref, r: Ref, g: string): boolean {
    // A closer person of the pronoun's gender, mentioned after the previous subject, wins over it.
    const from = refIndex.get(prev) ?? 0;
    for (let z = from + 1; z < refs.length && z < from + 200; z++) {
      const c = refs[z]!;
      if (c.start >= r.start) break;
      // a person named in an introductory phrase ("Asked by Mrs Marsh, she replied") is not the clause's subject
      if (c.entity && c.entity !== prev.entity && c.entity.type === 'person' && c.entity.gender === g && !(c.sentence === r.sentence && inIntro(c))) return true;
    }
    return false;
  }

  function inIntro(r: Ref): boolean {
    // Tokens from sentence start to the ref: an introductory phrase ends with a comma and starts with a preposition/participle.
    const k = sentStartTok(r.t0) - 1;
    const first = tokens[k + 1]!;
    if (first === tokens[r.t0]) return false;
    const lead = first.lower;
    if (!(INTRO_WORDS.has(lead) || /ing$/.test(lead))) return false;
    for (let q = r.t0 - 1; q > k; q--) if (tokens[q]!.text === ',') return false;
    return true;
  }

  function resolveDescription(r: Ref): void {
    const x = r as Ref & { head?: string; mods?: Token[] };
    const head = x.head;
    if (!head) return;
    const mods = (x.mods ?? []).map((m) => m.lower);
    const before = (e: EntityDraft): number => {
      let best = -1;
      for (const m of e.mentions) if (m.start < r.start && m.start > best) best = m.start;
      return best;
    };
    let cands: EntityDraft[] = [];
    if ((ROLE_HEADS.has(head) || personHeads.has(head)) && !ORG_HEADS.has(head)) {
      cands = entities.filter((e) => e.type === 'person' && (e.heads.has(head) || e.roles.some((ro) => new RegExp(`\\b${escapeRe(head)}\\b`, 'i').test(ro))) && before(e) >= 0);
      // "the Zambian minister": prefer the one whose role or affiliation names that country.
      const demonyms = mods.filter((m) => /^\p{Lu}/u.test(m) || /(an|ian|ese|ish|i)$/.test(m));
      if (demonyms.length && cands.length > 1) {
        const narrowed = cands.filter((e) => [...e.affiliation, ...e.roles].some((a) => demonyms.some((d) => fold(a).includes(fold(d).slice(0, 4)))));
        if (narrowed.length) cands = narrowed;
      }
      // Anonymous sources with the same head compete by recency ("the manager said").
      const anon = anonByHead.get(singular(head))?.filter((a) => a.start < r.start) ?? [];
      const lastAnon = anon[anon.length - 1];
      const bestPerson = cands.sort((a, b) => before(b) - before(a))[0];
      if (lastAnon && (!bestPerson || lastAnon.start > before(bestPerson))) {
        r.kind = 'anon';
        r.phrase = lastAnon.phrase;
        return;
      }
      if (bestPerson) {
        r.entity = bestPerson;
        bestPerson.mentions.push(mentionOf(r, 'description'));
      }
      return;
    }
    if (ANON_HEADS.has(head)) {
      const anon = anonByHead.get(singular(head))?.filter((a) => a.start < r.start) ?? [];
      const lastAnon = anon[anon.length - 1];
      if (lastAnon) {
        r.kind = 'anon';
        r.phrase = lastAnon.phrase;
      }
      return;
    }
    if (ORG_HEADS.has(head)) {
      if (head === 'statement') {
        // "the statement said": the organisation that last spoke in a statement, else the last organisation.
        cands = entities.filter((e) => e.type === 'organization' && before(e) >= 0);
      } else if (head === 'government') {
        cands = entities.filter((e) => e.type === 'country' && before(e) >= 0);
      } else {
        cands = entities.filter((e) => (e.type === 'organization' || e.type === 'place') && (e.heads.has(head) || e.nameTokens.includes(head) || (head === 'company' && e.company) || (head === 'club' && e.type !== 'place') || (head === 'side' && e.type !== 'place')) && before(e) >= 0);
        // "the central bank" → "Central Bank of Chile": modifiers must fit the name when given.
        if (mods.length) {
          const fit = cands.filter((e) => mods.every((m) => e.nameTokens.includes(m) || !/^[a-z]+$/.test(m) || ['same', 'country', "country's", 'national', 'state-owned', 'own'].includes(m)));
          if (fit.length) cands = fit;
        }
      }
      const best = cands.sort((a, b) => before(b) - before(a))[0];
      if (best) {
        r.entity = best;
        best.mentions.push(mentionOf(r, 'description'));
        if (head !== 'statement' && head !== 'government') best.aliases.add(text.slice(r.start, r.end).replace(/^The\b/, 'the'));
      }
    }
  }

  function mentionOf(r: Ref, kind: Mention['kind']): Mention {
    return { start: r.start, end: r.end, text: text.slice(r.start, r.end), kind, sentence: r.sentence };
  }

  // --- 2. Subjects of reporting verbs ---------------------------------------------------------
  const refAt = new Map<number, Ref>();
  for (const r of refs) for (let k = r.t0; k <= r.t1; k++) if (!refAt.has(k) || (refAt.get(k)!.t1 - refAt.get(k)!.t0) < r.t1 - r.t0) refAt.set(k, r);

  /** Speaker for a reference (entity, anonymous phrase), or null. */
  const speakerOfRef = (r: Ref | undefined): Speaker | null => {
    if (!r) return null;
    if (r.kind === 'relative') {
      // ", who announced": the reference right before the comma.
      const ante = findRefEndingBefore(r.t0 - 1);
      return ante ? speakerOfRef(ante) : null;
    }
    if (r.entity) {
      if (r.entity.type === 'place') r.entity.type = 'organization'; // places do not speak
      return { name: r.entity.name, entityId: r.entity.id };
    }
    if (r.phrase) return { name: cleanPhrase(r.phrase), entityId: null };
    return null;
  };
  const findRefEndingBefore = (k: number): Ref | undefined => {
    // skip the comma and appositive segments back to the nearest reference ending there
    let q = k;
    while (q >= 0 && tokens[q]!.text === ',') q--;
    for (; q >= 0 && q > k - 14; q--) {
      const r = refAt.get(q);
      if (r && r.kind !== 'pronoun' && r.kind !== 'relative') return r;
    }
    return undefined;
  };

  /** Segments (comma-separated, quotes opaque) of tokens [from, to). */
  const segments = (from: number, to: number): number[][] => {
    const segs: number[][] = [[]];
    for (let k = from; k < to; k++) {
      const t = tokens[k]!;
      if (t.text === ',' && !t.quoted) segs.push([]);
      else segs[segs.length - 1]!.push(k);
    }
    return segs.filter((s) => s.length);
  };
  const isIntroSeg = (seg: number[], idx: number): boolean => {
    const first = tokens[seg[0]!]!;
    return idx === 0 && (INTRO_WORDS.has(first.lower) || (/ing$/.test(first.lower) && !first.cap) || (/ly$/.test(first.lower) && first.word && !first.cap));
  };
  const isAsideSeg = (seg: number[]): boolean => {
    const first = tokens[seg[0]!]!;
    // "retired paramedic Huw Jenkins" is an appositive name, not a participle clause
    if (TITLE_MODIFIERS.has(first.lower)) return false;
    return /^(who|which|whose|asked|speaking|because|where|when)$/.test(first.lower) || (/(ed|ing)$/.test(first.lower) && !first.cap && !/^(the|a|an)$/.test(first.lower));
  };
  /** The reference or phrase a segment names (its first reference, or a generic noun phrase). */
  const segRef = (seg: number[]): Ref | undefined => {
    const rs = seg.map((x) => refAt.get(x)).filter((r): r is Ref => !!r && r.kind !== 'relative' && r.kind !== 'pronoun' || (!!r && r.kind === 'pronoun' && !!(r.entity || r.phrase)));
    return rs.find((r) => r.entity?.type === 'person' || r.kind === 'anon') ?? rs.find((r) => r.entity?.type === 'organization') ?? rs[0];
  };
  const segSpeaker = (seg: number[]): Speaker | null => {
    const r = segRef(seg);
    if (r && seg.indexOf(r.t0) <= 4) return speakerOfRef(r);
    return genericNP(seg) ?? (r ? speakerOfRef(r) : null);
  };
  /** A noun phrase without a known referent: "Analysts in Moscow", "Congolese officials", "critics". */
  const genericNP = (seg: number[]): Speaker | null => {
    const words = seg.map((k) => tokens[k]!).filter((t) => !t.quoted || true);
    if (!words.length || words.length > 12) return null;
    // A quoted title inside the phrase names the source: the bank’s quarterly “Monetary Policy Report”.
    const q = quotesWithin(words[0]!.start, words[words.length - 1]!.end + 1).find((s) => titleLike(text.slice(s.start, s.end)));
    if (/^(that|to|of|in|on|at|for|with|as|by)$/.test(words[0]!.lower)) return null;
    if (q) return { name: text.slice(q.start, q.end).replace(/[,.]$/, ''), entityId: null };
    const firstTok = words[0]!;
    if (/^(while|and|but|as|whereas)$/.test(firstTok.lower)) words.shift();
    if (!words.length) return null;
    let end = words.length;
    for (let k = 1; k < words.length; k++) {
      const w = words[k]!;
      const prevLow = words[k - 1]!.lower;
      if (/^(in|within|at|from|near|on|for|with|published|who|which|that|alike)$/.test(w.lower) && !/^(familiar|close)$/.test(prevLow)) {
        end = k;
        break;
      }
    }
    const span = words.slice(0, end);
    const last = span[span.length - 1]!;
    if (!last.word || FUNCTION_WORDS.has(last.lower) && !/^(officials|analysts|critics)$/.test(last.lower)) return null;
    if (span.some((t) => CUE_FORMS.has(t.lower) && !t.cap && !SOURCE_NOUNS.has(t.lower))) return null;
    return { name: text.slice(span[0]!.start, last.end), entityId: null };
  };

  /**
   * Subject of the reporting verb at token k: the noun phrase right before it, else (after a
   * comma, or for a participle or coordinated verb) the head segment of the clause.
   */
  const subjectOf = (k: number): Speaker | null => {
    const s0 = sentStartTok(k);
    // "who announced": relative pronoun right before the verb (allowing adverbs).
    let q = k - 1;
    for (;;) {
      const t = tokens[q];
      if (!t || q < s0) break;
      if (SKIP_BEFORE_CUE.has(t.lower) || TIME_WORDS.test(t.lower)) {
        q--;
        // "on Tuesday", "last week" between the subject and its verb
        if (/^(on|last|this)$/.test(tokens[q]?.lower ?? '') && TIME_WORDS.test(t.lower)) q--;
        continue;
      }
      if (/^(week|month|year|night|morning|evening)$/.test(t.lower) && /^(last|this|next)$/.test(tokens[q - 1]?.lower ?? '')) {
        q -= 2;
        continue;
      }
      break;
    }
    const participle = /ing$/.test(tokens[k]!.lower);
    if (q >= s0) {
      const t = tokens[q]!;
      const r = refAt.get(q);
      if (r && (r.kind !== 'relative' || !participle)) {
        const head = placeModifiedSubject(s0, q, r.t0);
        if (head) return head;
        const sp = speakerOfRef(r);
        if (sp) return sp;
      }
      if (!participle && t.text !== ',' && !/^(and|but|or)$/.test(t.lower) && !t.quoted && t.text !== '”' && t.text !== '’') {
        // A noun phrase without a referent directly before the verb.
        let b = q;
        // stop at a comma, a quotation, or the relative word of an object clause ("a campaign that officials say …")
        while (b > s0 && tokens[b - 1]!.text !== ',' && !tokens[b - 1]!.quoted && !/^[“”"‘’:;]$/.test(tokens[b - 1]!.text) && !/^(that|which|but|and|whom)$/.test(tokens[b - 1]!.lower) && q - b < 10) b--;
        const seg: number[] = [];
        for (let z = b; z <= q; z++) seg.push(z);
        const g = genericNP(seg);
        if (g && !/^(he|she|it|they|we|i|you)$/i.test(g.name)) return g;
      }
    }
    return mainSubject(s0, k);
  };
  /**
   * "Officials in Sweden said", "union members at the port of Gothenburg said": the name right
   * before the verb sits in a place phrase that modifies the subject, so the subject is the noun
   * phrase before the preposition (a person, organisation or source named there, else that phrase
   * as a description), not the place. Null when the clause has no such shape.
   * @param q last token before the verb; t0 first token of the name ending at q
   */
  const placeModifiedSubject = (s0: number, q: number, t0: number): Speaker | null => {
    let b = q;
    while (b > s0 && tokens[b - 1]!.text !== ',' && !tokens[b - 1]!.quoted && !/^[“”"‘’:;]$/.test(tokens[b - 1]!.text) && !/^(that|which|but|and|whom|who)$/.test(tokens[b - 1]!.lower) && q - b < 10) b--;
    let p = -1;
    for (let z = b + 1; z < t0; z++) {
      if (LOCATIVE_PREPOSITIONS.has(tokens[z]!.lower)) {
        p = z;
        break;
      }
    }
    if (p < 0) return null;
    const head: number[] = [];
    for (let z = b; z < p; z++) head.push(z);
    if (head.some((z) => !tokens[z]!.word || tokens[z]!.quoted || CUE_FORMS.has(tokens[z]!.lower) || /^(who|which|that|whose|when|if)$/.test(tokens[z]!.lower))) return null;
    // A person or source named there first ("NATO Secretary-General Mark Rutte in Brussels"), then an organisation.
    const named = head.map((z) => refAt.get(z)).filter((hr): hr is NonNullable<typeof hr> => hr !== undefined && hr.t0 >= b);
    const who = named.find((hr) => hr.kind === 'anon' || hr.entity?.type === 'person') ?? named.find((hr) => hr.entity !== undefined && hr.entity !== null && hr.entity.type !== 'country' && hr.entity.type !== 'place');
    if (who) return speakerOfRef(who);
    return genericNP(head);
  };

  /** The head segment of the clause in [s0, k): skipping introductory phrases, asides and appositives. */
  const mainSubject = (s0: number, k: number): Speaker | null => {
    const segs = segments(s0, k);
    const cands = segs.filter((seg, idx) => !isIntroSeg(seg, idx) && !isAsideSeg(seg));
    // Prefer the last candidate segment that names a person before the verb segment ("the trade minister, Jean-Baptiste Kasongo,").
    for (let z = cands.length - 1; z >= 0; z--) {
      const seg = cands[z]!;
      const r = segRef(seg);
      if (r && r.t0 === seg[0] || (r && seg.indexOf(r.t0) <= 2 && (r.entity?.type === 'person' || r.kind === 'anon'))) {
        const segIsVerbSeg = seg.includes(k - 1) && seg.some((x) => CUE_FORMS.has(tokens[x]!.lower));
        if (!segIsVerbSeg || z === 0) {
          if (z > 0 && /^(a|an|the)$/.test(tokens[seg[0]!]!.lower) && !(r.entity?.type === 'person')) {
            continue; // an appositive description ("an advocacy group"): keep looking left
          }
          return speakerOfRef(r);
        }
      }
    }
    return cands[0] ? segSpeaker(cands[0]) : null;
  };

  // --- 3. Quotes ---------------------------------------------------------------------------
  const out: Quote[] = [];
  const tokAt = (pos: number): number => tokenAtOrAfter(tokens, pos);
  const sentenceOf = (pos: number): Sentence | undefined => sentences[firstWhere(sentences, (s) => s.start > pos) - 1];
  const paragraphSpeaker = new Map<number, Speaker>();
  const outByStart = new Map<number, Quote>();
  const lastSpeakerInParagraph = new Map<number, Speaker>();

  const quotes = inp.quotes;
  for (let qi = 0; qi < quotes.length; qi++) {
    const q = quotes[qi]!;
    const qText = text.slice(q.start, q.end);
    const sOpen = sentenceOf(q.open);
    const sClose = sentenceOf(Math.max(q.open, q.close - 1)) ?? sOpen;
    if (!sOpen || !sClose) continue;
    const context = { start: sOpen.start, end: sClose.end };
    const openTok = tokAt(q.open); // the opening mark token
    const closeTok = tokAt(q.close); // the closing mark token
    const afterTok = closeTok + 1;
    const sentenceInitial = !text.slice(sOpen.start, q.open).trim();
    const base = { id: `q${out.length + 1}`, start: q.start, end: q.end, text: qText, context, sentence: sOpen.index } as const;

    // Terms: titles, names of things, scare quotes after a naming cue or before a label noun.
    const prevWords = tokens.slice(Math.max(0, openTok - 4), openTok).filter((t) => t.word && t.sentence === sOpen.index);
    const prevLows = prevWords.map((t) => t.lower);
    const calledAsName = prevWords.length >= 2 && prevWords[prevWords.length - 1]!.lower === 'called' && !/^(he|she|they|we|i|you|who|what|which|critics|officials|analysts)$/.test(prevWords[prevWords.length - 2]!.lower) && !refAt.has(prevWords[prevWords.length - 2]!.i);
    const namingBefore = prevLows.slice(-2).some((w) => NAMING_CUES.has(w)) || calledAsName || /\b(known|referred to)(?: [\w’']+){0,3} as$/i.test(text.slice(Math.max(sOpen.start, q.open - 40), q.open).trim()) || /\bcode name$/.test(text.slice(Math.max(0, q.open - 12), q.open).trim());
    const after = text.slice(q.close + 1, Math.min(text.length, q.close + 40));
    const labelAfter = new RegExp(`^\\s*(?:[\\w-]+\\s+){0,2}?[\\w-]*,?\\s+(?:a|an|the)\\s+(?:[\\w-]+\\s+)?(${[...LABEL_NOUNS].join('|')})\\b`).test(after) || /^\s*,?\s*(?:a|an)\s+(?:memoir|book|report|study|film|documentary|programme|program|series|campaign|crackdown|operation|novel|album|song|play|plan|initiative|project|designation|law|bill)\b/.test(after);
    const namingKnownAs = /\b(known|referred to)(?: [\w’']+){0,3} as$/i.test(text.slice(Math.max(sOpen.start, q.open - 40), q.open).trim());
    const afterAttrib = attributionAfter(afterTok, sClose.index);
    const titled = titleLike(qText) && !afterAttrib;
    const soCalledFragment = namingBefore && qText.split(/\s+/).length <= 8;
    if (soCalledFragment || labelAfter || titled) {
      if (namingKnownAs) {
        // "known to his supporters as “Kuya Teddy”": an alias of the sentence's person.
        const subj = sentenceSubject.get(sOpen.index);
        if (subj?.entity?.type === 'person') subj.entity.aliases.add(qText.replace(/[,.]$/, ''));
      }
      out.push({ ...base, kind: 'term', partial: !sentenceInitial, speaker: null, cue: null });
      continue;
    }

    let speaker: Speaker | null = null;
    let cue: string | null = null;
    // (a) attribution right after the quote
    if (afterAttrib) ({ speaker, cue } = afterAttrib);
    // (b) colon introduction: “she said: ‘…’”, or a paragraph ending in a colon before it
    if (!speaker) {
      const lead = text.slice(sOpen.start, q.open).trim();
      let introTok = -1;
      if (lead.endsWith(':')) introTok = openTok - 1;
      else if (!lead && q.paragraphs[0]! > 0) {
        const prevPara = inp.paragraphs[q.paragraphs[0]! - 1]!;
        if (text.slice(prevPara.start, prevPara.end).trim().endsWith(':')) introTok = tokAt(prevPara.end) - 1;
      }
      if (introTok >= 0) {
        const s0 = sentStartTok(introTok);
        let cueK = -1;
        for (let z = introTok; z >= s0; z--) if (isCue(tokens[z]) && !tokens[z]!.quoted) { cueK = z; break; }
        if (cueK >= 0) {
          speaker = subjectOf(cueK);
          cue = tokens[cueK]!.text;
        } else {
          speaker = mainSubject(s0, introTok);
          cue = null;
        }
      }
    }
    // (c0) a quote split by its attribution: “A,” said X, “B.” / “A,” she said, “B.”
    if (!speaker && qi > 0) {
      const prevQ = quotes[qi - 1]!;
      const prevOut = outByStart.get(prevQ.start);
      const between = text.slice(prevQ.close + 1, q.open);
      if (prevOut?.speaker && sentenceOf(prevQ.open)?.index === sOpen.index && between.length < 160 && /^\s*,?\s*\S/.test(between) && attributionAfter(tokAt(prevQ.close) + 1, sOpen.index)) {
        speaker = prevOut.speaker;
        cue = prevOut.cue;
      }
    }
    // (c) the nearest reporting verb before the quote in its sentence; "according to X"
    if (!speaker) {
      const s0 = sentStartTok(openTok);
      for (let z = openTok - 1; z >= s0; z--) {
        const t = tokens[z]!;
        if (t.quoted) continue;
        if (t.lower === 'to' && tokens[z - 1]?.lower === 'according') break;
        if (isCue(t) && !nounUse(z)) {
          if (SOURCE_NOUNS.has(t.lower) && nounUse(z)) break;
          speaker = subjectOf(z);
          cue = t.text;
          break;
        }
        if (/^(reports?|reporting)$/.test(t.lower) && /^(the|a|dismissed|denied|rejected|media|news|press|recent|earlier|some)$/.test(tokens[z - 1]?.lower ?? '')) break;
      }
      if (!speaker) {
        const acc = accordingTo(sOpen.index);
        if (acc) {
          speaker = acc;
          cue = 'according to';
        }
      }
    }
    // (d) the running speaker: a quote standing alone continues its paragraph's (or the previous paragraph's) speaker
    const standalone = sentenceInitial;
    if (!speaker && standalone) {
      const para = q.paragraphs[0]!;
      speaker = lastSpeakerInParagraph.get(para) ?? null;
      if (!speaker) {
        // a later attributed quote in the same paragraph ("“A.” “B,” she said.")
        const nextQ = quotes[qi + 1];
        const later = nextQ && nextQ.paragraphs[0] === para ? nextQ : undefined;
        if (later) {
          const lt = attributionAfter(tokAt(later.close) + 1, (sentenceOf(later.close - 1) ?? sClose).index);
          if (lt) ({ speaker, cue } = lt);
        }
      }
      if (!speaker && para > 0) speaker = paragraphSpeaker.get(para - 1) ?? null;
      if (speaker) cue = cue ?? null;
    }
    const partial = !sentenceInitial && !afterAttrib;
    const kind: Quote['kind'] = !speaker && partial ? 'term' : 'direct';
    out.push({ ...base, kind, partial, speaker, cue });
    outByStart.set(q.start, out[out.length - 1]!);
    if (speaker) {
      for (const p of q.paragraphs) {
        lastSpeakerInParagraph.set(p, speaker);
        paragraphSpeaker.set(p, speaker);
      }
    }
  }

  /** True when a cue word at k is used as a noun ("dismissed reports that"). */
  function nounUse(k: number): boolean {
    const t = tokens[k]!;
    if (!/^(reports?|claims?|calls?|statements?|warnings?|promises?|pledges?|estimates?|forecasts?|notes?)$/.test(t.lower)) return false;
    const p = tokens[k - 1];
    return !p || /^(the|a|an|his|her|their|its|dismissed|denied|rejected|media|news|press|recent|earlier|some|these|those|such|of|amid)$/.test(p.lower) || CUE_FORMS.has(p.lower);
  }

  /** Attribution starting at token k right after a closing quotation mark, within sentence si. */
  function attributionAfter(k: number, si: number): { speaker: Speaker | null; cue: string } | null {
    let z = k;
    while (z < tokens.length && tokens[z]!.text === ',' ) z++;
    const t = tokens[z];
    if (!t || t.sentence !== si || t.quoted) return null;
    if (/^(while|and|but|as|whereas|because|although|though|when|after|before|if|so|which|who|that|with|where)$/.test(t.lower)) return null;
    // inverted: said Mark Rutte, the NATO secretary-general
    if (isCue(t) && DIRECT_CUES.has(CUE_FORMS.get(t.lower)!) && !/ing$/.test(t.lower)) {
      const r = refAt.get(z + 1) ?? refAt.get(z + 2);
      if (r && r.kind !== 'relative') {
        const sp = speakerOfRef(r);
        if (sp) return { speaker: sp, cue: t.text };
      }
      // "said a senior official" / generic
      const seg: number[] = [];
      for (let y = z + 1; y < tokens.length && tokens[y]!.sentence === si && tokens[y]!.text !== ',' && tokens[y]!.text !== '.' && y - z < 10; y++) seg.push(y);
      const g = genericNP(seg);
      if (g) return { speaker: g, cue: t.text };
      return null;
    }
    // normal: “…,” NP (adv) cue — the NP opens with a name, a determiner or a pronoun
    if (!(t.cap || /^(the|a|an|his|her|their|its|one|two|he|she|they|we|i|it)$/.test(t.lower) || NAME_PARTICLE_RE.test(t.lower))) return null;
    for (let y = z; y < tokens.length && y - z < 12; y++) {
      const u = tokens[y]!;
      if (u.sentence !== si || u.quoted) return null;
      if (/^[.;:!?“”"‘’]$/.test(u.text) || (u.text === ',' && y > z)) return null;
      if (isCue(u) && DIRECT_CUES.has(CUE_FORMS.get(u.lower)!) && y > z) {
        const sp = subjectOf(y);
        if (!sp) return null;
        let cueText = u.text;
        const obj = tokens[y + 1];
        if (CUE_FORMS.get(u.lower) === 'tell' && obj && obj.sentence === si && obj.word) {
          let e = y + 1;
          if (/^(the|a|an)$/.test(obj.lower)) while (tokens[e + 1]?.cap && tokens[e + 1]!.sentence === si) e++;
          cueText = text.slice(u.start, tokens[e]!.end);
        } else if (/^in$/.test(obj?.lower ?? '') && /^(a|its)$/.test(tokens[y + 2]?.lower ?? '') && tokens[y + 3]?.lower === 'statement') {
          cueText = text.slice(u.start, tokens[y + 3]!.end);
        }
        return { speaker: sp, cue: cueText };
      }
    }
    return null;
  }

  /** "According to X" in sentence si: X as a speaker. */
  function accordingTo(si: number): Speaker | null {
    const s = sentences[si]!;
    const m = /\b[Aa]ccording to\s+/.exec(text.slice(s.start, s.end));
    if (!m) return null;
    const k = tokAt(s.start + m.index + m[0].length);
    const r = refAt.get(k) ?? refAt.get(k + 1);
    if (r && r.t0 <= k + 1) {
      const sp = speakerOfRef(r);
      if (sp) return sp;
    }
    const seg: number[] = [];
    for (let y = k; y < tokens.length && tokens[y]!.sentence === si && !/^[,.;:]$/.test(tokens[y]!.text) && y - k < 10; y++) seg.push(y);
    return genericNP(seg);
  }

  // --- 4. Indirect speech ----------------------------------------------------------------------
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.quoted || !t.word) continue;
    const si = t.sentence;
    const s = sentences[si]!;
    if (t.lower === 'according' && tokens[k + 1]?.lower === 'to') {
      const sp = accordingTo(si);
      if (!sp) continue;
      // content: the sentence without the "according to …" phrase
      const phraseStart = t.start;
      let phraseEnd = s.end;
      let commaAfter = tokens.slice(k + 2, k + 16).find((u) => u.sentence === si && u.text === ',');
      // A comma inside a quoted title ("Monetary Policy Report,”) ends the phrase at the closing mark.
      if (commaAfter?.quoted) {
        const close = tokens[commaAfter.i + 1];
        commaAfter = close && /^[”’"']$/.test(close.text) ? close : tokens.slice(k + 2).find((u) => u.sentence === si && u.text === ',' && !u.quoted);
      }
      if (commaAfter) phraseEnd = commaAfter.end;
      let cs = s.start;
      let ce = s.end;
      if (phraseStart <= s.start + 1) cs = phraseEnd;
      else if (!commaAfter || commaAfter.end >= s.end - 1) ce = phraseStart;
      const content = trimSpan(text, cs, ce);
      if (content.end - content.start > 10) out.push({ id: '', kind: 'indirect', partial: false, text: text.slice(content.start, content.end), start: content.start, end: content.end, speaker: sp, cue: text.slice(t.start, tokens[k + 1]!.end), context: { start: s.start, end: s.end }, sentence: si });
      continue;
    }
    // "made clear that", "made it clear that"
    const madeClear = /^(made|makes|make|making)$/.test(t.lower) && (tokens[k + 1]?.lower === 'clear' || (tokens[k + 1]?.lower === 'it' && tokens[k + 2]?.lower === 'clear'));
    if ((!isCue(t) || nounUse(k)) && !madeClear) continue;
    const lemma = madeClear ? 'say' : CUE_FORMS.get(t.lower)!;
    // "“…,” said Jane Doe": the attribution of a direct quote is not reported speech.
    const b1 = tokens[k - 1];
    const b2 = tokens[k - 2];
    const closeMark = (x: Token | undefined): boolean => !!x && (x.quoted || (/^[”’"']$/.test(x.text) && /[,.!?]/.test(text[x.start - 1] ?? '')));
    if (closeMark(b1) || (b1?.text === ',' && closeMark(b2))) continue;
    if (CHARACTERIZING_CUES.has(lemma) && lemma !== 'deny') continue;
    // skip objects and adjuncts: "told reporters in Johannesburg that", "said in a statement that", "said Wednesday that"
    let z = k + 1;
    let sawThat = false;
    let cueEnd = k;
    const limit = k + 9;
    if (madeClear) z = tokens[k + 1]!.lower === 'clear' ? k + 2 : k + 3;
    for (; z < tokens.length && z < limit && tokens[z]!.sentence === si; z++) {
      const u = tokens[z]!;
      if (u.lower === 'that' && !u.quoted) {
        sawThat = true;
        cueEnd = z;
        z++;
        break;
      }
      if (u.quoted || /^[“"‘:]$/.test(u.text)) break;
      if (z === k + 1 && !u.word) break;
      if (z === k + 1 && !PREPOSITIONS.has(u.lower) && !(lemma === 'tell') && !TIME_WORDS.test(u.lower) && !/^(only|also)$/.test(u.lower)) break;
    }
    if (!sawThat) {
      // Trailing attribution: "Crews hope cooler air will help, the spokeswoman said." / "…, it said on Thursday."
      const trailing = trailingAttribution(k, si);
      if (trailing) {
        out.push({ id: '', kind: 'indirect', partial: false, text: text.slice(trailing.start, trailing.end), start: trailing.start, end: trailing.end, speaker: trailing.speaker, cue: t.text, context: { start: s.start, end: s.end }, sentence: si });
        continue;
      }
      z = k + 1;
      while (z < tokens.length && tokens[z]!.sentence === si && (TIME_WORDS.test(tokens[z]!.lower) || /^(only|also)$/.test(tokens[z]!.lower))) z++;
      // Without "that", only verbs of saying take a bare clause ("said the union had …"); "declared a state
      // of emergency", "asked not to be named", "added a second goal" are not reported speech.
      if (lemma === 'tell' || WEAK_CUES.has(lemma) || !BARE_CLAUSE_CUES.has(lemma)) continue;
    }
    const first = tokens[z];
    const opensQuote = sawThat && first && /^[“"‘']$/.test(first.text);
    // The clause may open with a figure ("told reporters that 1,200 workers would …").
    const opensFigure = sawThat && first !== undefined && /^\d/.test(first.text);
    if (!first || first.sentence !== si || (first.quoted && !opensQuote) || (!first.word && !opensQuote && !opensFigure) || (PREPOSITIONS.has(first.lower) && !sawThat)) continue;
    if (tokens[z - 1]?.text === ',' && !sawThat) continue;
    const content = trimSpan(text, first.start, s.end);
    const words = text.slice(content.start, content.end).split(/\s+/).length;
    if (words < 3) continue;
    // The cue right after a direct quote ("“…,” she said") is that quote's attribution, not reported speech.
    const sp = subjectOf(k);
    if (!sp) continue;
    const cueText = text.slice(t.start, tokens[cueEnd]!.end);
    out.push({ id: '', kind: 'indirect', partial: false, text: text.slice(content.start, content.end), start: content.start, end: content.end, speaker: sp, cue: cueText, context: { start: s.start, end: s.end }, sentence: si });
  }

  /**
   * "CONTENT, NP said [adjuncts]." with the content before the comma: the reported speech comes
   * first and its attribution closes the sentence. Not when the content is a direct quotation.
   */
  function trailingAttribution(k: number, si: number): { start: number; end: number; speaker: Speaker } | null {
    // after the cue: only adjuncts to the end of the sentence ("on Thursday", "in a statement")
    let rest = 0;
    for (let z = k + 1; z < tokens.length && tokens[z]!.sentence === si; z++) {
      if (tokens[z]!.quoted || /^[“"‘]$/.test(tokens[z]!.text) || tokens[z]!.lower === 'that') return null;
      rest++;
    }
    if (rest > 7) return null;
    const after = tokens[k + 1];
    if (after && after.sentence === si && after.word && !PREPOSITIONS.has(after.lower) && !TIME_WORDS.test(after.lower) && !/^(reporters|journalists)$/.test(after.lower)) return null;
    // before the cue: ", NP" with a short subject
    let c = k - 1;
    while (c >= 0 && tokens[c]!.sentence === si && tokens[c]!.text !== ',' && k - c <= 6) c--;
    const comma = tokens[c];
    if (!comma || comma.text !== ',' || comma.quoted || comma.sentence !== si) return null;
    const subj = subjectOf(k);
    if (!subj) return null;
    const s = sentences[si]!;
    const span = trimSpan(text, s.start, comma.start);
    const body = text.slice(span.start, span.end);
    if (body.split(/\s+/).length < 4 || /^[“"‘']/.test(body)) return null;
    // mostly quotation: a direct quote's own attribution
    const quoted = quotesWithin(span.start, span.end + 1).reduce((n, q) => n + q.end - q.start, 0);
    if (quoted > body.length / 2) return null;
    return { start: span.start, end: span.end, speaker: subj };
  }

  out.sort((a, b) => a.start - b.start || (a.kind === 'indirect' ? 1 : -1));
  out.forEach((q, i) => (q.id = `q${i + 1}`));
  return { quotes: out };
}

function trimSpan(text: string, s: number, e: number): { start: number; end: number } {
  while (s < e && /[\s,]/.test(text[s]!)) s++;
  while (e > s && /[\s.,;]/.test(text[e - 1]!)) e--;
  return { start: s, end: e };
}

const NAME_PARTICLE_RE = /^(de|del|della|dela|delos|van|von|der|den|di|da|dos|du|le|al|el|bin|ibn)$/;
/** Reporting verbs that take a bare content clause without "that" ("said the union had …"). */
const BARE_CLAUSE_CUES = new Set(['say', 'warn', 'insist', 'argue', 'claim', 'predict', 'estimate', 'acknowledge', 'admit', 'note', 'suggest', 'explain', 'confirm', 'report', 'announce', 'testify', 'concede', 'maintain', 'agree', 'deny', 'reveal', 'complain', 'stress', 'emphasize', 'emphasise', 'contend', 'believe', 'fear', 'hope', 'expect', 'think', 'recall', 'reiterate', 'state', 'indicate']);
const singular = (w: string): string => (w.endsWith('s') && w.length > 3 && !w.endsWith('ss') ? w.slice(0, -1) : w);
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Normalises an anonymous-source phrase for display: whitespace collapsed, lowercase article. */
function cleanPhrase(p: string): string {
  return p.replace(/\s+/g, ' ').replace(/^(A|An|The|One|Two)\b/, (m) => m.toLowerCase()).trim();
}
