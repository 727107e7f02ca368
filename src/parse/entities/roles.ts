/**
 * Roles and affiliations: the titles and descriptions the text gives a person at the
 * introducing mention (wire style: "French President Emmanuel Macron", "Maria Zakharova,
 * spokeswoman for the Russian Foreign Ministry,", "Northgate’s manager, Rui Fonseca,", "the
 * collector Walter P. Dunmore", "X, who heads Y,", "appointed X as its chief executive"), the
 * gender cues in them, the organisations and countries named inside them, and the owners that
 * show a name to be an organisation ("Kestrel Build's chief executive").
 */
import { CUE_FORMS, FEMALE_WORDS, FUNCTION_WORDS, MALE_WORDS, ROLE_HEADS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import { lastMentionBefore, persons, tokenAtOrAfter, tokenStartingAt, type EntityDoc, type EntityDraft } from './doc.js';
import {
  APPOINTED_ROLE_OPENERS,
  APPOINTED_ROLE_STOPS,
  APPOINTMENT_VERBS,
  CITY_BODIES,
  CLAUSE_VERBS,
  KIN_NOUNS,
  MALE_PRONOUNS,
  NOT_AGENT_ENDINGS,
  ORG_OWNED,
  PRE_ROLE_OPENERS,
  PREDICATE_OPENERS,
  RELATIVE_PRONOUNS,
  ROLE_CLAUSE_VERBS,
  ROLE_PRONOUNS,
  TITLE_ABBREVIATIONS,
} from './lexicon.js';

/**
 * Records a role phrase on a person (deduplicated, whitespace-normalised, leading article and
 * trailing punctuation dropped; longer than 120 characters is no role). Also records the head
 * nouns a later description may use ("the minister", "the governor" for "Gov."), and a family
 * relation's seniority ("father" elder, "son" younger).
 * @param start offset of the phrase in the text
 * @param end end offset of the phrase
 */
export function addRole(p: EntityDraft, raw: string, start: number, end: number): void {
  // abbreviated titles are written out ("retired Gen." → "retired general", "Sen." → "senator"):
  // AP style abbreviates a title only before a full name, and a role stands alone
  const role = raw
    .replace(/\s+/g, ' ')
    .replace(/^(?:a|an|the)\s+/i, '')
    .replace(/[,.;:]+$/, '')
    .trim()
    .replace(/\b([A-Z][a-z]{1,4})\.?(?=\s|$)/g, (m, w: string) => TITLE_ABBREVIATIONS[w.toLowerCase()] ?? m);
  if (!role || role.length > 120) return;
  if (p.roles.some((r) => r.toLowerCase() === role.toLowerCase())) return;
  p.roles.push(role);
  p.roleSpans.push({ start, end, text: role });
  const words = role.toLowerCase().split(/\s+/);
  for (const w of words) {
    const h = w.replace(/[’']s$/, '').replace(/[.,]$/, '');
    const full = TITLE_ABBREVIATIONS[h] ?? h;
    if (ROLE_HEADS.has(full) || ROLE_HEADS.has(h + '.') || TITLE_ABBREVIATIONS[h]) p.heads.add(full);
  }
  // The head noun of the role phrase ("glaciologist", "director of research" → "director") can be used alone later.
  const headWord = /^([\p{L}-]+)/u.exec(role.toLowerCase().split(/\s+(?:of|for|at|in|with|to|who|on)\s+/)[0]!.split(/\s+/).pop() ?? '')?.[1];
  if (headWord && headWord.length > 3 && !/[’']s$/.test(headWord)) p.heads.add(TITLE_ABBREVIATIONS[headWord] ?? headWord);
  const last = role.toLowerCase().split(/\s+/).pop()!;
  if (/^(father|mother|elder|senior)$/.test(last) || /\b(father|mother)\b/.test(role.toLowerCase())) p.seniority ??= 'elder';
  if (/\b(son|daughter)\b/.test(role.toLowerCase())) p.seniority ??= 'younger';
}

/** Sets a person's gender from a gendered word ("spokeswoman", "Mrs."), unless already known; a masculine pronoun is not enough. */
export function genderFromWord(e: EntityDraft, w: string): void {
  if (e.gender) return;
  if (FEMALE_WORDS.has(w)) e.gender = 'female';
  else if (MALE_WORDS.has(w) && !MALE_PRONOUNS.has(w)) e.gender = 'male';
}

/** Gender cues in a person's roles ("spokeswoman", "son"); pronouns in a role are someone else's ("her deputy"). */
export function genderFromRoles(e: EntityDraft): void {
  for (const r of e.roles) for (const w of r.toLowerCase().split(/[\s-]+/)) if (!ROLE_PRONOUNS.has(w)) genderFromWord(e, w);
}

/** Whether w ends with one of the endings. */
const endsWithAny = (w: string, endings: ReadonlySet<string>): boolean => [...endings].some((x) => w.endsWith(x));

/** A lowercase word that reads as a job title: a role head, or an agent-noun ending ("glaciologist", "collector") that is not a common word. */
const roleNoun = (t: Token): boolean => ROLE_HEADS.has(t.lower) || (/(ist|ologist|er|or|ian)$/.test(t.lower) && t.lower.length > 5 && !FUNCTION_WORDS.has(t.lower) && !endsWithAny(t.lower, NOT_AGENT_ENDINGS));

/**
 * Reads the roles around a person's introducing mention (the first name or short mention):
 * after ("Maria Zakharova, spokeswoman for …,"; "X, who heads Y,"), before ("Northgate’s
 * manager, Rui Fonseca,"), a lowercase pre-role ("the collector Walter P. Dunmore", "campaign
 * chairman John Podesta") and an appointment ("appointed Marta Leal as its chief executive").
 */
export function readRoles(d: EntityDoc, e: EntityDraft): void {
  const { text, tokens, tokenEntity, byId } = d;
  for (const m of e.mentions) {
    if (m.kind !== 'name' && m.kind !== 'short') continue;
    const firstTok = tokenStartingAt(tokens, m.start);
    if (firstTok < 0) continue;
    let lastTok = firstTok;
    while (lastTok + 1 < tokens.length && tokens[lastTok + 1]!.start < m.end) lastTok++;
    const sent = tokens[firstTok]!.sentence;
    // After: ", [a|an|the] … ROLE …,"
    const comma = tokens[lastTok + 1];
    if (comma?.text === ',' && comma.sentence === sent) {
      let k = lastTok + 2;
      const startTok = tokens[k];
      const phrase: Token[] = [];
      while (k < tokens.length && tokens[k]!.sentence === sent && !/^[,;:.“”"‘’()—–]$/.test(tokens[k]!.text)) phrase.push(tokens[k++]!);
      // "a spokeswoman for the forest who has worked fires for 16 years": the role ends before its relative clause.
      const whoAt = phrase.findIndex((t, z) => z > 1 && RELATIVE_PRONOUNS.has(t.lower));
      if (whoAt > 0) phrase.splice(whoAt);
      // "Anthony Lund, president of the association stated, “…”": an appositive left open ends before the reporting verb.
      const cueAt = phrase.findIndex((t, z) => z > 1 && !t.cap && CUE_FORMS.has(t.lower) && !/ing$/.test(t.lower));
      if (cueAt > 0) phrase.splice(cueAt);
      if (startTok && phrase.length && phrase.length <= 14) {
        const lows = phrase.map((t) => t.lower);
        const hasRole = lows.some((w) => ROLE_HEADS.has(w) || ROLE_HEADS.has(w.replace(/s$/, '')));
        const isWho = lows[0] === 'who';
        // a possessive owner ("Carris's finance director", "Rubio's deputy") leaves the role to the named person
        const personInside = phrase.some((t) => !t.possessive && tokenEntity[t.i] && byId.get(tokenEntity[t.i]!)?.type === 'person' && byId.get(tokenEntity[t.i]!) !== e);
        const verbFirst = /(ed|ing)$/.test(lows[0]!) && !ROLE_HEADS.has(lows[0]!);
        // a predicate ("Kasongo, told reporters …") or the next conjunct ("Rebekah, and Sanders …") is no appositive
        const cueFirst = CUE_FORMS.has(lows[0]!) || PREDICATE_OPENERS.has(lows[0]!) || /^(and|or|but|nor)$/.test(lows[0]!);
        if (cueFirst) {
          // "Kasongo, told reporters …" is a predicate, not an appositive.
        } else if (isWho && phrase.length >= 3 && ROLE_CLAUSE_VERBS.has(lows[1]!) && /^(the|a|an)$|^\p{Lu}/u.test(phrase[2]!.text)) {
          addRole(e, text.slice(phrase[1]!.start, phrase[phrase.length - 1]!.end), phrase[1]!.start, phrase[phrase.length - 1]!.end);
        } else if (hasRole && !isWho && !verbFirst && !(personInside && !lows.some((w) => KIN_NOUNS.has(w)))) {
          addRole(e, text.slice(phrase[0]!.start, phrase[phrase.length - 1]!.end), phrase[0]!.start, phrase[phrase.length - 1]!.end);
        }
      }
    }
    // Before: "[Det|Poss] … ROLE, NAME,"
    const prev = tokens[firstTok - 1];
    if (prev?.text === ',' && prev.sentence === sent) {
      let k = firstTok - 2;
      const phrase: Token[] = [];
      // the phrase starts after a conjunction that opens a new noun phrase ("Sanders and his wife, Jane,"
      // → "his wife"), not one inside the role ("the player’s father and adviser, Kofi …")
      while (k >= 0 && tokens[k]!.sentence === sent && !/^[,;:.“”"‘’()—–]$/.test(tokens[k]!.text) && !(/^(and|or|but|with)$/.test(tokens[k]!.lower) && /^(his|her|their|its|the|a|an|my|our)$/.test(tokens[k + 1]?.lower ?? ''))) phrase.unshift(tokens[k--]!);
      // Drop a leading clause word: "Among the strikers was" is not a role.
      const lastW = phrase[phrase.length - 1];
      if (lastW && phrase.length <= 8 && (ROLE_HEADS.has(lastW.lower) || ROLE_HEADS.has(lastW.lower + '.')) && !phrase.some((t) => CLAUSE_VERBS.has(t.lower))) {
        addRole(e, text.slice(phrase[0]!.start, lastW.end), phrase[0]!.start, lastW.end);
      }
    }
    // Lowercase pre-role: "the collector Walter P. Dunmore", "retired Gen." handled as title.
    const p1 = tokens[firstTok - 1];
    const p2 = tokens[firstTok - 2];
    if (p1 && p1.word && !p1.cap && roleNoun(p1) && p2 && (PRE_ROLE_OPENERS.has(p2.lower) || p2.text === ',') && p1.sentence === sent) {
      addRole(e, p1.text, p1.start, p1.end);
    } else if (p1 && p1.word && !p1.cap && roleNoun(p1) && p1.sentence === sent) {
      // A lowercase job title with its modifiers before the name: "campaign chairman John Podesta",
      // "Democratic pollster Stan Greenberg", "board treasurer Tess Whitcombe".
      let k = firstTok - 2;
      while (k >= 0 && firstTok - 1 - k <= 3 && tokens[k]!.word && tokens[k]!.sentence === sent && !FUNCTION_WORDS.has(tokens[k]!.lower) && (!tokens[k]!.cap || tokens[k]!.initial || k === firstTok - 2) && !CUE_FORMS.has(tokens[k]!.lower)) k--;
      const s0 = tokens[k + 1]!;
      addRole(e, text.slice(s0.start, p1.end), s0.start, p1.end);
    }
    // "appointed Marta Leal as its chief executive", "named X as chair": the role after "as".
    const v = tokens[firstTok - 1];
    const as = tokens[lastTok + 1];
    if (v && APPOINTMENT_VERBS.has(v.lower) && as?.lower === 'as' && as.sentence === sent) {
      let k = lastTok + 2;
      while (tokens[k] && APPOINTED_ROLE_OPENERS.has(tokens[k]!.lower)) k++;
      const r0 = k;
      while (tokens[k] && tokens[k]!.word && tokens[k]!.sentence === sent && k - r0 < 6 && !APPOINTED_ROLE_STOPS.has(tokens[k]!.lower)) k++;
      const role = tokens.slice(r0, k);
      if (role.length && role.some((t) => ROLE_HEADS.has(t.lower))) addRole(e, text.slice(role[0]!.start, role[role.length - 1]!.end), role[0]!.start, role[role.length - 1]!.end);
    }
    break; // roles are read at the first (introducing) mention only
  }
}

/**
 * Affiliations of people: organisations and countries named inside their role phrases, and
 * possessive owners ("the museum's director" → the museum the text named). An owner of a role
 * typed as a place is an organisation ("Almansa’s sporting director"), unless the role is one of
 * the city's own offices ("Lisbon’s mayor").
 */
export function resolveAffiliations(d: EntityDoc): void {
  const { ents, tokenEntity, tokens, byId } = d;
  for (const e of ents) {
    if (e.type !== 'person') continue;
    for (const r of e.roleSpans) {
      for (let z = tokenAtOrAfter(tokens, r.start); z < tokens.length && tokens[z]!.start < r.end; z++) {
        const t = tokens[z]!;
        if (t.end > r.end) continue;
        const id = tokenEntity[t.i];
        const o = id ? byId.get(id) : undefined;
        // A city's own offices and bodies leave it a place ("Lisbon’s mayor", "Lisbon's city council").
        if (o && o.type === 'place' && t.possessive && !CITY_BODIES.has(tokens[t.i + 1]?.lower ?? '')) o.type = 'organization';
        if (o && o !== e && o.type !== 'person' && o.type !== 'place') e.affiliation.add(o.name);
        // "the museum's director", "the corporation's chief executive", "the company’s country director"
        if (!id && t.possessive && t.word && !t.cap) {
          const prevDet = tokens[t.i - 1];
          const head = t.lower;
          if ((prevDet && /^(the|its)$/.test(prevDet.lower)) || tokens[t.i - 2]?.lower === 'the') {
            const org = [...ents]
              .filter((x) => x.type === 'organization' && (x.heads.has(head) || x.nameTokens.includes(head)) && x.mentions[0]!.start < t.start)
              .sort((a, b) => lastMentionBefore(b, t.start) - lastMentionBefore(a, t.start))[0];
            if (org) e.affiliation.add(org.name);
          }
        }
      }
    }
  }
}

/**
 * "Kestrel Build's chief executive", "Dunmore Rovers' players": a name with no role, gender or
 * many aliases whose possessive owns staff, shares or a board ({@link ORG_OWNED}) is an organisation.
 */
export function retypeOwners(d: EntityDoc): void {
  const { tokens, tokenEntity } = d;
  for (const e of persons(d)) {
    if (e.roles.length || e.gender || e.aliases.size > 2) continue;
    const owned = e.mentions.some((m) => {
      const k = tokenStartingAt(tokens, m.start);
      if (k < 0) return false;
      let z = k;
      while (tokens[z + 1] && tokens[z + 1]!.start < m.end + 2 && tokenEntity[z + 1] === e.id) z++;
      const poss = tokens[z]!.possessive || /^[’']$/.test(tokens[z + 1]?.text ?? '');
      const next = tokens[z + (tokens[z]!.possessive ? 1 : 2)];
      return poss && !!next && ORG_OWNED.has(next.lower);
    });
    if (owned) e.type = 'organization';
  }
}
