/**
 * Reported-speech stage: speech without quotation marks. A reporting verb followed by its
 * content clause ("warned that …", "said the union had …", "made clear that …"), "according
 * to X" with the rest of its sentence, and trailing attributions ("Crews hope cooler air will
 * help, the spokeswoman said."). The attribution of a direct quotation ("“…,” she said") is
 * not reported speech.
 */
import { CHARACTERIZING_CUES, CUE_FORMS, WEAK_CUES } from '../lexicon.js';
import type { Token } from '../tokens.js';
import type { Quote, Speaker } from '../types.js';
import { isCue, nounUse } from './cues.js';
import { quotesWithin, type Doc } from './doc.js';
import { accordingTo, subjectOf, TIME_WORDS } from './grammar.js';

const PREPOSITIONS = new Set(['in', 'on', 'at', 'during', 'after', 'before', 'to', 'from', 'with', 'for', 'by', 'of', 'about', 'over', 'under', 'outside', 'inside', 'near', 'into', 'through', 'as', 'while', 'without', 'laughing', 'adding', 'smiling']);
/** Reporting verbs that take a bare content clause without "that" ("said the union had …"). */
const BARE_CLAUSE_CUES = new Set(['say', 'warn', 'insist', 'argue', 'claim', 'predict', 'estimate', 'acknowledge', 'admit', 'note', 'suggest', 'explain', 'confirm', 'report', 'announce', 'testify', 'concede', 'maintain', 'agree', 'deny', 'reveal', 'complain', 'stress', 'emphasize', 'emphasise', 'contend', 'believe', 'fear', 'hope', 'expect', 'think', 'recall', 'reiterate', 'state', 'indicate']);

/** Finds reported speech in the article; returns indirect quotes (ids are assigned by the caller). */
export function findIndirect(d: Doc): Quote[] {
  const { tokens, sentences, text } = d;
  const out: Quote[] = [];
  const push = (start: number, end: number, speaker: Speaker, cue: string, si: number): void => {
    const s = sentences[si]!;
    out.push({ id: '', kind: 'indirect', partial: false, text: text.slice(start, end), start, end, speaker, cue, context: { start: s.start, end: s.end }, sentence: si });
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.quoted || !t.word) continue;
    const si = t.sentence;
    const s = sentences[si]!;
    if (t.lower === 'according' && tokens[k + 1]?.lower === 'to') {
      const sp = accordingTo(d, si);
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
      if (content.end - content.start > 10) push(content.start, content.end, sp.speaker, text.slice(t.start, tokens[k + 1]!.end), si);
      continue;
    }
    // "made clear that", "made it clear that"
    const madeClear = /^(made|makes|make|making)$/.test(t.lower) && (tokens[k + 1]?.lower === 'clear' || (tokens[k + 1]?.lower === 'it' && tokens[k + 2]?.lower === 'clear'));
    if ((!isCue(d, t) || nounUse(d, k)) && !madeClear) continue;
    const lemma = madeClear ? 'say' : CUE_FORMS.get(t.lower)!;
    // "“…,” said Jane Doe": the attribution of a direct quote is not reported speech.
    const b1 = tokens[k - 1];
    const b2 = tokens[k - 2];
    const closeMark = (x: Token | undefined): boolean => !!x && (x.quoted || (/^[”’"']$/.test(x.text) && /[,.!?]/.test(text[x.start - 1] ?? '')));
    if (closeMark(b1) || (b1?.text === ',' && closeMark(b2))) continue;
    if (CHARACTERIZING_CUES.has(lemma) && lemma !== 'deny') continue;
    // "agree on the budget", "agrees to lend": agreement to act, not speech
    if (lemma === 'agree' && /^(on|to|with|upon)$/.test(tokens[k + 1]?.lower ?? '')) continue;
    // A verb inside a condition or a time clause ("if the bank agrees", "until member states agree") reports nobody's words.
    if (subordinateClause(d, k)) continue;
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
      const trailing = trailingAttribution(d, k, si);
      if (trailing) {
        push(trailing.start, trailing.end, trailing.speaker, t.text, si);
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
    const sp = subjectOf(d, k);
    if (!sp) continue;
    push(content.start, content.end, sp.speaker, text.slice(t.start, tokens[cueEnd]!.end), si);
  }
  return out;
}

/** True when the verb at k stands in a clause opened by if/unless/until/whether within its sentence (a condition, not a report). */
function subordinateClause(d: Doc, k: number): boolean {
  const si = d.tokens[k]!.sentence;
  for (let z = k - 1; z >= 0 && z >= k - 8 && d.tokens[z]!.sentence === si; z--) {
    const t = d.tokens[z]!;
    if (t.text === ',' || t.quoted) return false;
    if (/^(if|unless|until|till|whether|lest)$/.test(t.lower)) return true;
  }
  return false;
}

/**
 * "CONTENT, NP said [adjuncts]." with the content before the comma: the reported speech comes
 * first and its attribution closes the sentence. Not when the content is a direct quotation.
 */
function trailingAttribution(d: Doc, k: number, si: number): { start: number; end: number; speaker: Speaker } | null {
  const { tokens, text } = d;
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
  // "…, X said he hadn't thought about it": a verb inside another cue's content clause closes no attribution
  for (let z = c + 1; z < k; z++) if (isCue(d, tokens[z])) return null;
  const subj = subjectOf(d, k);
  if (!subj) return null;
  const s = d.sentences[si]!;
  const span = trimSpan(text, s.start, comma.start);
  const body = text.slice(span.start, span.end);
  if (body.split(/\s+/).length < 4 || /^[“"‘']/.test(body)) return null;
  // mostly quotation: a direct quote's own attribution
  const quoted = quotesWithin(d, span.start, span.end + 1).reduce((n, q) => n + q.end - q.start, 0);
  if (quoted > body.length / 2) return null;
  return { start: span.start, end: span.end, speaker: subj.speaker };
}

/** Trims whitespace and commas from the start, and whitespace and . , ; from the end of [s, e). */
export function trimSpan(text: string, s: number, e: number): { start: number; end: number } {
  while (s < e && /[\s,]/.test(text[s]!)) s++;
  while (e > s && /[\s.,;]/.test(text[e - 1]!)) e--;
  return { start: s, end: e };
}
