/**
 * The `parse --json` output shape (contract: ../shared/contracts/parse-json.md):
 * title, dateline place, quotes with offsets/speaker/cue, entities with aliases/roles/mention
 * counts, amounts and the extractive summary as sentence strings. Extra fields are allowed.
 */
import type { ParsedArticle } from './types.js';

/** JSON-ready view of a parse, in the contract's shape plus a few extra fields. */
export function toContractJson(parsed: ParsedArticle): Record<string, unknown> {
  return {
    title: parsed.title,
    dateline: parsed.dateline?.place ?? null,
    byline: parsed.byline,
    quotes: parsed.quotes.map((q) => ({
      kind: q.kind,
      partial: q.partial,
      text: q.text,
      start: q.start,
      end: q.end,
      speaker: q.speaker ? { name: q.speaker.name, entityId: q.speaker.entityId } : null,
      cue: q.cue,
    })),
    entities: parsed.entities.map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      aliases: e.aliases,
      roles: e.roles,
      affiliation: e.affiliation,
      gender: e.gender,
      mentions: e.mentions.length,
    })),
    amounts: parsed.amounts.map((a) => ({ value: a.value, unit: a.unit, text: a.text, start: a.start, end: a.end })),
    summary: parsed.summary.map((i) => parsed.sentences[i]!.text),
    warnings: parsed.warnings,
  };
}
