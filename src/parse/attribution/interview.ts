/**
 * Interview stage: Q&A transcripts. An interview printed as a transcript marks its turns with
 * `Q:` / `A:` (or `Q.` / `A.`, `Q —`) or with the speakers' names (`RUIZ: …`, `Dana Ruiz: …`)
 * instead of quotation marks. The answers are the interviewee's direct quotes; the questions are
 * not quotes. A `Q:`/`A:` transcript's answers go to the interview's subject: the person the
 * article mentions most outside the transcript (the byline's writer excluded).
 */
import type { EntityDraft } from '../entities/index.js';
import type { Quote } from '../types.js';
import { fold } from '../entities/index.js';
import { sentenceOf, type Doc } from './doc.js';

const QA_PREFIX = /^[ \t]*(Q|A)\s*(?:[:.]|[—–-])\s+/;
const NAME_PREFIX = /^[ \t]*((?:\p{Lu}[\p{L}’'.-]*\s+){0,3}\p{Lu}[\p{L}’'.-]*)\s*:\s+/u;

/** One turn of a transcript: the paragraph, where its words start, and who speaks. */
interface Turn {
  para: number;
  start: number;
  end: number;
  who: 'Q' | 'A' | EntityDraft;
}

/**
 * The answers of Q&A transcripts in the article as direct quotes (ids assigned by the caller).
 * @param byline the article's byline, whose writer is the interviewer, not the subject
 */
export function findInterviewAnswers(d: Doc, byline: string | null): Quote[] {
  const turns: Turn[] = [];
  const persons = d.entities.filter((e) => e.type === 'person');
  for (const p of d.paragraphs) {
    const body = d.text.slice(p.start, p.end);
    if (/[“”"«»„]/.test(body.slice(0, 3))) continue;
    const qa = QA_PREFIX.exec(body);
    if (qa) {
      turns.push({ para: p.index, start: p.start + qa[0].length, end: p.end, who: qa[1] as 'Q' | 'A' });
      continue;
    }
    const nm = NAME_PREFIX.exec(body);
    if (nm) {
      const key = fold(nm[1]!.replace(/\.$/, ''));
      const who = persons.find((e) => fold(e.name) === key || e.surname === key || fold(e.name).endsWith(` ${key}`));
      if (who) turns.push({ para: p.index, start: p.start + nm[0].length, end: p.end, who });
    }
  }
  const qaTurns = turns.filter((t) => t.who === 'Q' || t.who === 'A');
  const named = turns.filter((t) => t.who !== 'Q' && t.who !== 'A') as (Turn & { who: EntityDraft })[];
  const out: Quote[] = [];
  // Q/A transcript: at least one question and one answer.
  if (qaTurns.some((t) => t.who === 'Q') && qaTurns.some((t) => t.who === 'A')) {
    const subject = interviewSubject(d, persons, qaTurns, byline);
    if (subject) for (const t of qaTurns) if (t.who === 'A') out.push(quoteOf(d, t, subject));
  }
  // Named transcript: at least two turns by two people; the one who asks (most turns ending in '?') is the interviewer.
  const speakers = new Set(named.map((t) => t.who));
  if (named.length >= 2 && speakers.size >= 2) {
    const asks = new Map<EntityDraft, number>();
    for (const t of named) if (/\?\s*$/.test(d.text.slice(t.start, t.end))) asks.set(t.who, (asks.get(t.who) ?? 0) + 1);
    const interviewer = [...asks.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const t of named) if (t.who !== interviewer) out.push(quoteOf(d, t, t.who));
  }
  return out;
}

function quoteOf(d: Doc, t: Turn, who: EntityDraft): Quote {
  let end = t.end;
  while (end > t.start && /\s/.test(d.text[end - 1]!)) end--;
  const s = sentenceOf(d, t.start);
  const e = sentenceOf(d, Math.max(t.start, end - 1)) ?? s;
  return {
    id: '', kind: 'direct', partial: false, text: d.text.slice(t.start, end), start: t.start, end,
    speaker: { name: who.name, entityId: who.id }, cue: 'interview', context: { start: s?.start ?? t.start, end: e?.end ?? end }, sentence: s?.index ?? 0,
  };
}

/** The person the article mentions most outside the transcript turns, the byline's writer excluded. */
function interviewSubject(d: Doc, persons: EntityDraft[], turns: Turn[], byline: string | null): EntityDraft | null {
  const inTurn = (pos: number): boolean => turns.some((t) => pos >= t.start && pos < t.end);
  const writer = byline ? fold(byline) : '';
  let best: EntityDraft | null = null;
  let bestN = 0;
  for (const p of persons) {
    if (writer && writer.includes(fold(p.name))) continue;
    const n = p.mentions.filter((m) => !inTurn(m.start)).length;
    if (n > bestN) [best, bestN] = [p, n];
  }
  return best;
}
