/**
 * Mention stage: the referring expressions that can name a speaker, in reading order —
 * entity names (from the entity stage), personal pronouns, ", who" relatives, definite
 * descriptions ("the minister", "the elder Asante-Boateng", "the company") and indefinite
 * descriptions of unnamed sources ("a senior official at the corporation", "one of the
 * company’s early investors"). Resolution of pronouns and descriptions is the coreference
 * stage's (coref.ts).
 */
import { lookupCountry } from '../countries.js';
import { CUE_FORMS, ORG_KEYWORDS, ROLE_HEADS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import { singular, type Doc, type Ref } from './doc.js';

/** Heads of descriptive phrases for anonymous sources ("a senior official"). */
export const ANON_HEADS = new Set(['investor', 'investors', 'shareholder', 'shareholders', 'colleague', 'colleagues', 'staffer', 'staffers', 'official', 'officials', 'source', 'sources', 'person', 'people', 'aide', 'aides', 'officer', 'manager', 'employee', 'employees', 'diplomat', 'diplomats', 'executive', 'insider', 'spokesperson', 'spokesman', 'spokeswoman', 'analyst', 'analysts', 'adviser', 'advisers', 'member', 'members', 'worker', 'workers', 'resident', 'residents', 'witness', 'witnesses', 'investigator', 'investigators', 'lawmaker', 'lawmakers']);
/** Organisation heads used in descriptions ("the ministry said"). */
export const ORG_HEADS = new Set([...ORG_KEYWORDS, 'company', 'firm', 'government', 'statement', 'club', 'side', 'team', 'carrier', 'lender', 'group', 'broadcaster', 'regulator', 'insurer', 'miner', 'cooperative', 'co-op']);

/**
 * Collects the referring expressions of the article into `d.refs` (text order) and indexes
 * them (`d.refAt`: the longest reference covering each token; `d.refIndex`).
 */
export function collectMentions(d: Doc): void {
  const { tokens, tokenEntity, byId, refs } = d;
  const personHeads = personHeadsOf(d);
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
      refs.push({ start: t.start, end: tokens[j]!.end, t0: i, t1: j, kind: 'name', entity: byId.get(id)!, phrase: null, sentence: t.sentence });
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
    if (/^(the|a|an|one|two|three|several|this)$/.test(t.lower)) {
      const r = readDescription(d, i, personHeads);
      if (r) {
        refs.push(r);
        i = r.t1;
      }
    }
  }
  refs.forEach((r, i) => d.refIndex.set(r, i));
}

/** Fills `d.refAt` with the longest reference covering each token (after coreference may have widened none). */
export function indexMentions(d: Doc): void {
  for (const r of d.refs) for (let k = r.t0; k <= r.t1; k++) if (!d.refAt.has(k) || d.refAt.get(k)!.t1 - d.refAt.get(k)!.t0 < r.t1 - r.t0) d.refAt.set(k, r);
}

/**
 * A description starting at determiner token i: "the minister", "the elder Jatoi", "a senior
 * official at the corporation", "one of the company’s early investors". Null when the phrase
 * is a proper name ("the Financial Times") or has no known head noun.
 */
function readDescription(d: Doc, i: number, personHeads: Set<string>): Ref | null {
  const { tokens, tokenEntity, byId, text } = d;
  const det = tokens[i]!;
  // "Renee Ostrowski, a spokeswoman for …": an appositive describes the named person; it is not an anonymous source.
  if (det.lower !== 'the' && tokens[i - 1]?.text === ',') {
    const id = tokenEntity[i - 2];
    if (id && byId.get(id)?.type === 'person') return null;
  }
  let j = i + 1;
  // "one of the company’s early investors": the head comes after "of".
  if (/^(one|two|three|several|some|many)$/.test(det.lower) && tokens[j]?.lower === 'of') {
    j++;
    while (tokens[j] && (/^(the|its|their|his|her)$/.test(tokens[j]!.lower) || tokens[j]!.possessive)) j++;
  }
  const mods: Token[] = [];
  while (j < tokens.length && j - i <= 8 && tokens[j]!.word && tokens[j]!.sentence === det.sentence && !tokens[j]!.quoted) {
    const u = tokens[j]!;
    const low = u.lower;
    if (low === 'elder' || low === 'younger') {
      // the elder Asante-Boateng: the family member of that seniority
      const n = tokens[j + 1];
      const id = n ? tokenEntity[n.i] : undefined;
      if (id) {
        let k = n!.i;
        while (tokenEntity[k + 1] === id) k++;
        const named = byId.get(id)!;
        const fam = d.entities.filter((e) => e.type === 'person' && e.surname && e.surname === named.surname);
        const want = low === 'elder' ? 'elder' : 'younger';
        const other = low === 'elder' ? 'younger' : 'elder';
        const sen = new Map(fam.map((e) => [e, seniorityOf(d, e)] as const));
        // the one marked so; else the one not marked the other way; else by order of introduction
        // (a family is usually introduced elder first: "X founded it; his son Y runs it")
        const byOrder = [...fam].sort((a, b) => (a.mentions[0]?.start ?? 0) - (b.mentions[0]?.start ?? 0));
        const pick = fam.find((e) => sen.get(e) === want) ?? (fam.some((e) => sen.get(e) === other) ? fam.find((e) => sen.get(e) !== other) : undefined) ?? (want === 'elder' ? byOrder[0] : byOrder[byOrder.length - 1]) ?? named;
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
      let phraseEnd = j;
      if (indefinite && /^(familiar|close|loyal|linked|allied|briefed)$/.test(tokens[j + 1]?.lower ?? '')) {
        // Anonymous: keep adjectival post-modifiers ("familiar with the talks", "close to the board").
        let k = j + 2;
        while (k < tokens.length && tokens[k]!.word && tokens[k]!.sentence === det.sentence && !CUE_FORMS.has(tokens[k]!.lower) && k - j < 8) k++;
        phraseEnd = k - 1;
        end = phraseEnd;
      } else if (indefinite && (ANON_HEADS.has(head) || (ROLE_HEADS.has(head) && !ORG_HEADS.has(head)))) {
        // Span through a prepositional tail ("at the corporation") so nested names do not steal the subject;
        // not for a thing ("a post from Arianna Huffington", "a statement from the mayor"), whose tail names its author.
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
        phrase: anon ? phrase : null, sentence: det.sentence, head, mods: mods.map((m) => m.lower),
      };
      if (anon) {
        const list = d.anonByHead.get(singular(head)) ?? [];
        list.push(ref);
        d.anonByHead.set(singular(head), list);
      }
      return ref;
    }
    // "a former FreshHarvest pricing analyst": a name used as a modifier of an indefinite source noun
    // "the Ghana international", "the Chile coach": a country's name modifying a role after "the"
    const countryRole = det.lower === 'the' && lookupCountry(u.base).length > 0 && !!tokens[j + 1] && tokens[j + 1]!.word && !tokens[j + 1]!.cap && ROLE_HEADS.has(tokens[j + 1]!.lower);
    const headAhead = countryRole || (det.lower !== 'the' && [1, 2, 3].some((dd) => {
      const x = tokens[j + dd];
      return !!x && x.word && !x.cap && x.sentence === det.sentence && (ANON_HEADS.has(x.lower) || ROLE_HEADS.has(x.lower));
    }));
    if (u.cap && !u.possessive && !headAhead && !(lookupCountry(u.base).some((h) => h.kind === 'demonym') && tokens[j + 1]?.word && !tokens[j + 1]!.cap)) return null; // "the Financial Times" is a name
    mods.push(u);
    j++;
  }
  return null;
}

/**
 * Whether a person is the elder or younger of a family: as the entity stage read it (Sr./Jr.,
 * "father", "son" in a role), else from a kinship noun right before the first mention ("his son
 * Sami Haddad", "her mother Ana").
 */
function seniorityOf(d: Doc, e: { seniority: 'elder' | 'younger' | null; mentions: { start: number }[] }): 'elder' | 'younger' | null {
  if (e.seniority) return e.seniority;
  const first = e.mentions[0];
  if (!first) return null;
  const before = d.text.slice(Math.max(0, first.start - 12), first.start).toLowerCase();
  if (/\b(son|daughter|grandson|granddaughter)\s+$/.test(before)) return 'younger';
  if (/\b(father|mother|grandfather|grandmother)\s+$/.test(before)) return 'elder';
  return null;
}

/** Head nouns of the roles the text gave its people ("glaciologist"), usable alone later ("the glaciologist said"). */
export function personHeadsOf(d: Doc): Set<string> {
  return new Set(d.entities.filter((e) => e.type === 'person').flatMap((e) => [...e.heads]));
}
