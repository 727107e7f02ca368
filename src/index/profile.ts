/**
 * The read side that both backends share: quote rows, story citations and the /who profile of an
 * entity, written once in the SQL that SQLite and PostgreSQL have in common. Each backend gives a
 * `SqlReader`: how to run a query with `@name` parameters, how to spell "the list in parameter
 * @x", and its newest-first order.
 *
 * Scale: a profile reads the newest `PROFILE_STORIES` stories that mention the entity (found
 * through the entities (key, sort_at) index; the count of all of them comes from the catalog),
 * never the entity's whole history, so /who costs about the same for a name seen twice and for a
 * country seen in 10,000 stories. Names, roles and affiliations of
 * related entities come from the entity catalog (catalog.ts), not from their stories.
 */
import type { MentionKind } from '../parse/types.js';
import type { AmountRecord, EntityProfile, MentionForm, MentionSentence, QuoteRecord, RelatedEntity, StoryRef } from './types.js';

/** How the shared queries reach one backend. */
export interface SqlReader {
  /** Runs `sql` (with `@name` parameters) and returns its rows. */
  all<T>(sql: string, params: Record<string, unknown>): Promise<T[]>;
  /** SQL true when `column` is in the text list bound to `@name`. */
  in(column: string, name: string): string;
  /** SQL true when `column` is not in the text list bound to `@name` (null when `column` is null). */
  notIn(column: string, name: string): string;
  /** The value to bind for a list parameter. */
  listValue(values: readonly string[]): unknown;
  /** `ORDER BY` terms for newest story first (alias `s` is the stories table). */
  newest: string;
  /** SQL true when `column` equals, ignoring case, any text in the list bound to `@name`. */
  inListIgnoringCase(column: string, name: string): string;
}

/** Stories a /who profile reads: the newest that mention the entity. */
export const PROFILE_STORIES = 50;
/** Related entities a profile lists at most. */
const RELATED = 40;

/**
 * Join order: the queries below start from the entity's rows (`entities` by key and story) and
 * reach mentions, quotes and amounts through their indexes; `CROSS JOIN` tells SQLite to keep that
 * order (it otherwise started from every mention of the stories: 4x slower). PostgreSQL reads it
 * as a plain join and plans as it likes.
 */
/** A story is surfaced when it has no embargo or its embargo has lifted at `@now`. */
export const VISIBLE = '(s.embargo_until IS NULL OR s.embargo_until <= @now)';

/** The speaker name a quote without one is shown under (and counted under, see `quoteRepeats`). */
export const UNNAMED_SPEAKER = 'unnamed source';

/**
 * The condition `quoteRepeats` adds for a quote's speaker (binding `@speaker`): its key, or for a
 * quote without one, no key and the same name, case aside (a missing name is `UNNAMED_SPEAKER`).
 */
export function repeatSpeakerCondition(q: { speakerKey: string | null; speakerName: string }): { sql: string; speaker: string } {
  return q.speakerKey
    ? { sql: 'q.speaker_key = @speaker', speaker: q.speakerKey }
    : { sql: `q.speaker_key IS NULL AND lower(coalesce(q.speaker_name, '${UNNAMED_SPEAKER}')) = lower(@speaker)`, speaker: q.speakerName };
}

interface QuoteRow {
  story_id: string;
  quote_id: string;
  kind: 'direct' | 'indirect';
  partial: number | boolean;
  text: string;
  start_offset: number;
  end_offset: number;
  speaker_name: string | null;
  speaker_key: string | null;
  cue: string | null;
  context: string;
  sentence: number;
  title: string;
  date: string | null;
  undated: number | boolean;
  url: string | null;
}

/**
 * Direct and indirect quotes of surfaced stories matching `where` (SQL over alias `q`, with the
 * `@now` parameter in `params`), newest story first (or `order`), in reading order; `tail` is
 * appended (LIMIT).
 */
export async function quoteRows(db: SqlReader, where: string, params: Record<string, unknown>, tail = '', order = db.newest): Promise<QuoteRecord[]> {
  const rows = await db.all<QuoteRow>(
    `SELECT q.story_id, q.quote_id, q.kind, q.partial, q.text, q.start_offset, q.end_offset, q.speaker_name, q.speaker_key, q.cue,
       q.context, q.sentence, s.title, coalesce(s.published_at, s.first_ingested_at) AS date,
       s.published_at IS NULL AS undated, s.url
     FROM quotes q JOIN stories s ON s.id = q.story_id
     WHERE ${VISIBLE} AND q.kind IN ('direct', 'indirect') AND (${where})
     ORDER BY ${order}, q.start_offset ${tail}`,
    params,
  );
  return rows.map((r) => ({
    storyId: r.story_id,
    storyTitle: r.title,
    storyDate: r.date,
    storyUndated: Boolean(r.undated),
    storyUrl: r.url,
    kind: r.kind,
    text: r.text,
    speakerName: r.speaker_name ?? UNNAMED_SPEAKER,
    speakerKey: r.speaker_key,
    cue: r.cue,
    context: r.context,
    start: Number(r.start_offset),
    end: Number(r.end_offset),
    quoteId: r.quote_id,
    partial: r.partial === 1 || r.partial === true,
    sentence: Number(r.sentence),
  }));
}

/**
 * Everything the index holds on the entity with any of `keys`, read from the newest `limit`
 * surfaced stories that mention it; `storyCount` counts all of them.
 * @param now embargo reference time
 * @param limit stories read (default `PROFILE_STORIES`, at least 1)
 */
export async function entityProfile(db: SqlReader, keys: string[], now: Date, limit = PROFILE_STORIES): Promise<EntityProfile> {
  const p: Record<string, unknown> = { keys: db.listValue(keys), now: now.toISOString() };
  const n = Math.max(1, Math.floor(limit));
  const cols = `s.id, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.published_at IS NULL AS undated, s.url, s.dateline`;
  type StoryRow = { id: string; title: string; date: string | null; undated: number | boolean; url: string | null; dateline: string | null };
  // The newest entity rows come from the (key, sort_at) index; twice the limit leaves room for
  // embargoed stories and a story holding two of the keys.
  const scan = 2 * n;
  let rows = await db.all<StoryRow>(
    `SELECT ${cols} FROM stories s
     WHERE s.id IN (SELECT e.story_id FROM entities e WHERE ${db.in('e.key', 'keys')} ORDER BY e.sort_at DESC LIMIT @scan) AND ${VISIBLE}
     ORDER BY ${db.newest} LIMIT @limit`,
    { ...p, scan, limit: n },
  );
  // Fewer than asked for: were there more entity rows than the scan read (embargoed stories)?
  const scanned = async () => Number((await db.all<{ c: number | string }>(`SELECT count(*) AS c FROM (SELECT 1 FROM entities e WHERE ${db.in('e.key', 'keys')} LIMIT @scan) x`, { ...p, scan }))[0]?.c ?? 0);
  if (rows.length < n && (await scanned()) >= scan) {
    // Many of the newest were embargoed: read them all the slow way.
    rows = await db.all<StoryRow>(
      `SELECT ${cols} FROM stories s WHERE s.id IN (SELECT e.story_id FROM entities e WHERE ${db.in('e.key', 'keys')}) AND ${VISIBLE} ORDER BY ${db.newest} LIMIT @limit`,
      { ...p, limit: n },
    );
  }
  const stories = rows.map((r): StoryRef => ({ storyId: r.id, title: r.title, date: r.date, undated: Boolean(r.undated), url: r.url, dateline: r.dateline }));
  // All of them when fewer than the limit were found; else the catalog's count (see catalog.ts).
  const storyCount =
    rows.length < n
      ? rows.length
      : Math.max(rows.length, Number((await db.all<{ c: number | string | null }>(`SELECT sum(stories) AS c FROM entity_catalog WHERE ${db.in('key', 'keys')}`, p))[0]?.c ?? 0));
  if (stories.length === 0) return { stories, storyCount: 0, mentions: [], forms: [], quotesBy: [], quotesAbout: [], amounts: [], related: [] };

  const refOf = new Map(stories.map((s) => [s.storyId, s]));
  const order = new Map(stories.map((s, i) => [s.storyId, i]));
  const byStory = <T extends { story: StoryRef }>(a: T, b: T) => order.get(a.story.storyId)! - order.get(b.story.storyId)!;
  const pi = { ...p, ids: db.listValue(stories.map((s) => s.storyId)) };

  // The queries below depend only on the stories: they run together (on PostgreSQL, on several
  // pooled connections at once; SQLite answers each at once anyway).
  const mentionRowsP = db.all<{ story_id: string; sentence: number; surface: string; kind: MentionKind; text: string }>(
    `SELECT m.story_id, m.sentence, m.text AS surface, m.kind, se.text
     FROM entities e CROSS JOIN mentions m CROSS JOIN sentences se
     WHERE ${db.in('e.story_id', 'ids')} AND ${db.in('e.key', 'keys')} AND m.story_id = e.story_id AND m.entity_id = e.local_id
       AND se.story_id = m.story_id AND se.idx = m.sentence
     ORDER BY m.story_id, m.sentence, m.start_offset`,
    pi,
  );

  const quotesByP = quoteRows(db, `${db.in('q.story_id', 'ids')} AND ${db.in('q.speaker_key', 'keys')}`, pi);
  const quotesAboutP = quoteRows(
    db,
    // Driven from the entity's own mentions (a few per story), not from every quote of the stories.
    `${db.in('q.story_id', 'ids')} AND (q.speaker_key IS NULL OR ${db.notIn('q.speaker_key', 'keys')}) AND (q.story_id, q.quote_id) IN (
       SELECT q2.story_id, q2.quote_id FROM entities e CROSS JOIN mentions m CROSS JOIN quotes q2
       WHERE ${db.in('e.story_id', 'ids')} AND ${db.in('e.key', 'keys')} AND m.story_id = e.story_id AND m.entity_id = e.local_id
         AND q2.story_id = m.story_id AND m.start_offset >= q2.start_offset AND m.end_offset <= q2.end_offset)`,
    pi,
  );

  const LINKED = `EXISTS (SELECT 1 FROM amount_entities ae JOIN entities e ON e.story_id = ae.story_id AND e.local_id = ae.entity_id
                 WHERE ae.story_id = a.story_id AND ae.amount_idx = a.idx AND ${db.in('e.key', 'keys')})`;
  const amountRowsP = db.all<{ story_id: string; value: number; unit: string; text: string; sentence: number; sentence_text: string; linked: number | boolean }>(
    // Amounts the parser tied to it, and amounts in sentences that mention it (from its mentions).
    `SELECT a.story_id, a.value, a.unit, a.text, a.sentence, coalesce(se.text, '') AS sentence_text, ${LINKED} AS linked
     FROM amounts a LEFT JOIN sentences se ON se.story_id = a.story_id AND se.idx = a.sentence
     WHERE ${db.in('a.story_id', 'ids')} AND (a.story_id, a.idx) IN (
       SELECT ae.story_id, ae.amount_idx FROM entities e CROSS JOIN amount_entities ae
       WHERE ${db.in('e.story_id', 'ids')} AND ${db.in('e.key', 'keys')} AND ae.story_id = e.story_id AND ae.entity_id = e.local_id
       UNION
       SELECT a2.story_id, a2.idx FROM entities e CROSS JOIN mentions m CROSS JOIN amounts a2
       WHERE ${db.in('e.story_id', 'ids')} AND ${db.in('e.key', 'keys')} AND m.story_id = e.story_id AND m.entity_id = e.local_id
         AND a2.story_id = m.story_id AND a2.sentence = m.sentence)
     ORDER BY a.story_id, a.start_offset`,
    pi,
  );

  // Entities sharing sentences with it in those stories, plus those whose affiliation names it.
  const sharedP = db.all<{ key: string; sentences: number | string; stories: number | string }>(
    `SELECT e2.key, count(DISTINCT m2.story_id || ':' || m2.sentence) AS sentences, count(DISTINCT m2.story_id) AS stories
     FROM entities e1 CROSS JOIN mentions m1 CROSS JOIN mentions m2 CROSS JOIN entities e2
     WHERE ${db.in('e1.story_id', 'ids')} AND ${db.in('e1.key', 'keys')} AND m1.story_id = e1.story_id AND m1.entity_id = e1.local_id
       AND m2.story_id = m1.story_id AND m2.sentence = m1.sentence
       AND e2.story_id = m2.story_id AND e2.local_id = m2.entity_id AND ${db.notIn('e2.key', 'keys')}
     GROUP BY e2.key ORDER BY sentences DESC, stories DESC, e2.key LIMIT ${RELATED}`,
    pi,
  );
  const namesP = db.all<{ n: string }>(
    `SELECT name AS n FROM entity_catalog WHERE ${db.in('key', 'keys')}
     UNION SELECT text FROM entity_terms WHERE ${db.in('key', 'keys')} AND term = 'alias' AND refs > 0
       AND coalesce(alias_kind, '') NOT IN ('pronoun', 'description')`,
    p,
  );
  const [mentionRows, quotesBy, quotesAbout, amountRows, shared, names] = await Promise.all([mentionRowsP, quotesByP, quotesAboutP, amountRowsP, sharedP, namesP]);
  const seen = new Set<string>();
  const mentions: MentionSentence[] = [];
  const formSeen = new Set<string>();
  const forms: MentionForm[] = [];
  for (const r of mentionRows) {
    const story = refOf.get(r.story_id);
    if (!story) continue;
    const f = `${r.story_id}\u0000${r.surface}\u0000${r.kind}`;
    if (!formSeen.has(f)) {
      formSeen.add(f);
      forms.push({ story, surface: r.surface, kind: r.kind });
    }
    const k = `${r.story_id}:${r.sentence}`;
    if (seen.has(k)) continue;
    seen.add(k);
    mentions.push({ story, sentence: Number(r.sentence), text: r.text, surface: r.surface, kind: r.kind });
  }
  mentions.sort((a, b) => byStory(a, b) || a.sentence - b.sentence);
  forms.sort(byStory);

  const amounts: AmountRecord[] = amountRows
    .map((r) => ({
      story: refOf.get(r.story_id)!,
      value: Number(r.value),
      unit: r.unit,
      text: r.text,
      sentence: Number(r.sentence),
      sentenceText: r.sentence_text,
      linked: r.linked === 1 || r.linked === true,
    }))
    .sort((a, b) => Number(b.linked) - Number(a.linked) || byStory(a, b) || a.sentence - b.sentence);

  const affiliated = names.length
    ? await db.all<{ key: string }>(
        `SELECT DISTINCT e.key FROM affiliations af JOIN entities e ON e.story_id = af.story_id AND e.local_id = af.entity_id
         JOIN stories s ON s.id = af.story_id
         WHERE ${db.inListIgnoringCase('af.name', 'names')} AND ${db.notIn('e.key', 'keys')} AND ${VISIBLE} LIMIT ${RELATED}`,
        { ...p, names: db.listValue(names.map((r) => r.n)) },
      )
    : [];
  const relatedKeys = new Map<string, { sentences: number; stories: number }>();
  for (const r of shared) relatedKeys.set(r.key, { sentences: Number(r.sentences), stories: Number(r.stories) });
  for (const r of affiliated) if (!relatedKeys.has(r.key)) relatedKeys.set(r.key, { sentences: 0, stories: 0 });
  return { stories, storyCount, mentions, forms, quotesBy, quotesAbout, amounts, related: await relatedEntities(db, relatedKeys) };
}

/** Name, type, roles and affiliation of each related key, from the catalog, in the order of `counts`. */
async function relatedEntities(db: SqlReader, counts: Map<string, { sentences: number; stories: number }>): Promise<RelatedEntity[]> {
  if (counts.size === 0) return [];
  const rk = { rkeys: db.listValue([...counts.keys()]) };
  const info = new Map<string, RelatedEntity>();
  for (const r of await db.all<{ key: string; name: string; type: RelatedEntity['type'] }>(`SELECT key, name, type FROM entity_catalog WHERE ${db.in('key', 'rkeys')}`, rk)) {
    const c = counts.get(r.key)!;
    info.set(r.key, { key: r.key, name: r.name, type: r.type, roles: [], affiliation: [], sharedSentences: c.sentences, sharedStories: c.stories });
  }
  for (const r of await db.all<{ key: string; term: 'role' | 'affiliation'; text: string }>(
    `SELECT key, term, text FROM entity_terms WHERE ${db.in('key', 'rkeys')} AND term IN ('role', 'affiliation') AND refs > 0 ORDER BY at DESC, position, folded`,
    rk,
  )) {
    const e = info.get(r.key);
    if (e) (r.term === 'role' ? e.roles : e.affiliation).push(r.text);
  }
  return [...counts.keys()].map((k) => info.get(k)).filter((e): e is RelatedEntity => e !== undefined);
}
