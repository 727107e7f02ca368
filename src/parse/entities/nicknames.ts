/**
 * Nicknames: a name the text introduces as such, in quotation marks, for a person ("Kaspar Lind,
 * a street vendor who calls himself “Dutch”", "Ilse Marten, known as “the Bulldozer”", "Greta
 * Voll, nicknamed “Iron Lady”", "Rui Dantas, whom fans call “Dutch”"). Such a quotation is a
 * name, not speech (the attribution stage reads it as a term with the same patterns) and not a
 * mention of what its words otherwise name ("Dutch" is no demonym of the Netherlands here); it
 * is an alias of the person it is applied to, and a later bare use of it ("Dutch said") is a
 * mention of that person. Newsroom style puts a nickname in quotation marks at its introduction
 * (AP Stylebook, "nicknames").
 */
import { genderOfGivenName } from '../given-names.js';
import { ROLE_HEADS } from '../lexicon.js';
import type { QuoteSpan } from '../quotemarks.js';
import type { Token } from '../tokens.js';
import { fold, tokenAtOrAfter, type EntityDoc, type EntityDraft } from './doc.js';

/**
 * Words right before a quotation's opening mark that introduce it as a name the bearer goes by.
 * Group `personal`: intros only a person takes ("calls himself", "whom fans call", "goes by",
 * "likes to be called"); the others ("known as", "nicknamed", "dubbed", "a.k.a.", "earned the
 * nickname") also name plans, places and things, and make a nickname only for a person.
 */
export const NICKNAME_INTRO =
  /\b(?:(?<personal>(?:calls?|called|calling) (?:himself|herself|themselves)|(?:whom|who) (?:[\p{L}’'-]+ ){1,3}(?:calls?|called|dubbed|nicknamed)|(?:goes|go|went|going) by(?: the (?:name|nickname)(?: of)?)?|(?:likes|like|liked|prefers|prefer|preferred) to be (?:called|known as))|(?:(?:also|better|widely|affectionately|popularly|locally|simply|universally) )?(?:known(?: [\p{L}’'-]+){0,3}|referred to) as|nicknamed|dubbed|a\.k\.a\.?|aka|(?:earned|earning|got|acquired|won) (?:the|a) (?:nickname|moniker|sobriquet))$/iu;

/** {@link NICKNAME_INTRO} with any run of whitespace (a line break included) between its words. */
const INTRO_RE = new RegExp(NICKNAME_INTRO.source.replace(/ /g, '\\s+'), NICKNAME_INTRO.flags);

/**
 * Whether a quotation reads as a name: at most five words, the first (after a leading "the")
 * capitalised and the others capitalised or small joining words ("Iron Lady", "the Bulldozer",
 * "Kuya Teddy", "the Man of Steel"). A description in quotation marks ("very pro-choice", "a
 * horrible human being") is a characterisation, not a nickname.
 */
export function nameLike(quoted: string): boolean {
  const words = quoted.replace(/[\s,.;:!?]+$/u, '').trim().replace(/^the\s+/i, '').split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 5) return false;
  return /^[\p{Lu}\d]/u.test(words[0]!) && words.every((w) => /^[\p{Lu}\d]/u.test(w) || /^(of|the|and|de|da|del|la|le|von|van)$/.test(w));
}

/**
 * Whether a quotation is introduced as a nickname: the text before its opening mark ends in a
 * nickname intro ("who calls himself", "known to fans as", "nicknamed") and it reads as a name
 * ({@link nameLike}); the attribution stage's term reading asks this.
 * @param lead the sentence's text up to the opening mark
 * @param quoted the quotation's text
 */
export function nicknameIntro(lead: string, quoted: string): boolean {
  return nameLike(quoted) && INTRO_RE.test(lead.trimEnd());
}

/** The reflexive pronoun of a "calls himself/herself" intro, for the bearer's gender. */
const REFLEXIVE = /\b(himself|herself)$/i;

/** Forms of "be" and adverbs between a bearer and a "known as" intro ("Dantas is widely known as"). */
const BE_FORMS = new Set(['is', 'was', 'are', 'were', 'been', 'has', 'had', 'have', 'became', 'becomes', 'also', 'still', 'often', 'now']);

/** Relative pronouns between a bearer and its intro ("Lind, who goes by"). */
const RELATIVES = new Set(['who', 'whom']);

/** A quotation introduced as a nickname. */
export interface NicknameSpan {
  /** The quotation (marks excluded). */
  quote: QuoteSpan;
  /** The nickname as written, without trailing punctuation ("the Bulldozer"). */
  text: string;
  /** Offset of the nickname's first character. */
  start: number;
  /** Index of the intro's first token ("calls" in "who calls himself"; "known" in "known as"). */
  introTok: number;
  /** The intro is one only a person takes (see {@link NICKNAME_INTRO}). */
  personal: boolean;
  /** The bearer's gender as the intro shows it ("himself" male, "herself" female), else null. */
  gender: 'female' | 'male' | null;
  /** Set once read: the person it is applied to, or null when none is. */
  bearer?: EntityDraft | null;
}

/**
 * The quotations of a text that are introduced as nicknames: a naming intro ({@link
 * NICKNAME_INTRO}) right before the opening mark, in the same sentence, and a quotation that
 * reads as a name ({@link nameLike}).
 * @param quotes the top-level quotation spans
 */
export function nicknameSpans(text: string, tokens: Token[], quotes: readonly QuoteSpan[]): NicknameSpan[] {
  const out: NicknameSpan[] = [];
  for (const q of [...quotes].sort((a, b) => a.open - b.open)) {
    if (!q.closed) continue;
    const raw = text.slice(q.start, q.end);
    const nick = raw.replace(/[\s,.;:!?]+$/u, '').trim();
    const nickStart = q.start + (raw.length - raw.trimStart().length);
    if (!nameLike(nick)) continue;
    const markTok = tokenAtOrAfter(tokens, q.open);
    const sentence = tokens[markTok]?.sentence;
    if (sentence === undefined) continue;
    let s0 = markTok;
    while (s0 > 0 && tokens[s0 - 1]!.sentence === sentence) s0--;
    const lead = text.slice(tokens[s0]!.start, q.open).trimEnd();
    const m = INTRO_RE.exec(lead);
    if (!m) continue;
    const introAt = tokens[s0]!.start + m.index;
    const refl = REFLEXIVE.exec(m[0]);
    out.push({
      quote: q,
      text: nick,
      start: nickStart,
      introTok: tokenAtOrAfter(tokens, introAt),
      personal: m.groups?.personal !== undefined,
      gender: refl ? (refl[1]!.toLowerCase() === 'herself' ? 'female' : 'male') : null,
    });
  }
  return out;
}

/** The person owning token k, if any. */
const personAt = (d: EntityDoc, k: number): EntityDraft | null => {
  const id = d.tokenEntity[k];
  const e = id ? d.byId.get(id) : undefined;
  return e?.type === 'person' ? e : null;
};

/**
 * The person a nickname is applied to: the name right before the intro ("Lind known as"),
 * across a form of "be" ("Dantas is known to fans as"), a comma ("Lind, nicknamed") or an
 * appositive before a relative intro ("Lind, a street vendor who calls himself"), or a definite role
 * opening the sentence when the story has named one person ("The midfielder, known as …"); never
 * one whose gender the intro contradicts ("Maria Ruiz … calls himself").
 */
export function bearerOf(d: EntityDoc, n: NicknameSpan): EntityDraft | null {
  const { tokens } = d;
  const sentence = tokens[n.introTok]?.sentence;
  const inSentence = (k: number): boolean => k >= 0 && tokens[k]!.sentence === sentence;
  let k = n.introTok - 1;
  while (inSentence(k) && (BE_FORMS.has(tokens[k]!.lower) || RELATIVES.has(tokens[k]!.lower))) k--;
  let p: EntityDraft | null = null;
  if (inSentence(k)) p = personAt(d, k);
  if (!p && inSentence(k) && tokens[k]!.text === ',') p = inSentence(k - 1) ? personAt(d, k - 1) : null;
  if (!p && inSentence(k) && tokens[k]!.text !== ',') {
    // "Lind, a street vendor who calls himself …": back over one appositive to the name before its comma.
    let j = k;
    while (inSentence(j) && k - j <= 10 && !/^[,;:.!?()“”"—–]$/.test(tokens[j]!.text) && !d.tokenEntity[j]) j--;
    if (inSentence(j) && tokens[j]!.text === ',' && inSentence(j - 1)) p = personAt(d, j - 1);
  }
  if (!p) {
    // "The midfielder, known to supporters as ‘the Metronome’": a definite role at the head of the
    // sentence stands for the only person the story has named so far
    let j = k;
    if (inSentence(j) && tokens[j]!.text === ',') j--;
    const head = tokens[j];
    if (inSentence(j - 1) && head && ROLE_HEADS.has(head.lower) && tokens[j - 1]!.lower === 'the') {
      const named = d.ents.filter((e) => e.type === 'person' && e.mentions.some((m) => m.start < head.start));
      if (named.length === 1) p = named[0]!;
    }
  }
  if (!p) return null;
  const gender = p.gender ?? (p.given ? genderOfGivenName(p.given) : null);
  if (n.gender && gender && n.gender !== gender) return null;
  return p;
}

/**
 * Reads a nickname once its bearer's sentence has been typed: records it as an alias of the
 * bearer (with a mention of kind `alias` at the quotation, marking no token) and registers it
 * so that later bare uses are mentions of the bearer.
 * @returns whether the quotation is a person's nickname (its words are then no other entity)
 */
export function readNickname(d: EntityDoc, n: NicknameSpan): boolean {
  if (n.bearer === undefined) {
    n.bearer = bearerOf(d, n);
    const p = n.bearer;
    if (p) {
      p.aliases.add(n.text);
      p.mentions.push({ start: n.start, end: n.start + n.text.length, text: n.text, kind: 'alias', sentence: d.tokens[n.introTok]!.sentence });
      const key = fold(n.text.replace(/^the\s+/i, ''));
      if (!d.nicknames.has(key)) d.nicknames.set(key, p);
    }
  }
  return n.personal || n.bearer !== null;
}
