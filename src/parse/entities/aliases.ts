/**
 * Alias stage: the other ways a text names an organisation or place that the capitalised-run
 * stages do not see, read once every entity is known:
 *
 * - a body's name without its leading country form ("U.S. Federal Reserve" → "Federal Reserve");
 * - the generic lowercase form of a body's name ("the central bank" for the Central Bank of
 *   Chile, "the finance ministry" for the Finance Ministry): news copy uses the capitalised name
 *   once and its lowercase head words after (AP Stylebook, "capitalization": formal titles of
 *   bodies are capitalised, generic references are not);
 * - the "-n" adjective of a region ("Central American" for Central America, "Latin American");
 * - a definite description set off after a place's or body's name ("La Moneda, the presidential
 *   palace", "Carris, the city's tram operator" when Carris is a body): an appositive names the
 *   same thing.
 */
import { lookupCountry } from '../countries.js';
import type { Token } from '../tokens.js';
import { fold, type EntityDoc, type EntityDraft } from './doc.js';

/** Words that do not make a generic form on their own ("of", a country name kept out below). */
const GENERIC_STOP = new Set(['of', 'the', 'and', 'for', 'u.s.', 'us', 'uk', 'u.k.']);

/**
 * The generic lowercase form of a body's name: its words before an "of" tail, lowercased, at
 * least two words ("Central Bank of Chile" → "central bank"; "Finance Ministry" → "finance
 * ministry"), or null.
 */
export function genericForm(e: EntityDraft): string | null {
  const head = e.name.split(/\s+of\s+/i)[0]!;
  const words = head.split(/\s+/).filter((w) => !GENERIC_STOP.has(w.toLowerCase()));
  if (words.length < 2 || words.length > 4) return null;
  if (words.some((w) => /[\d&]/.test(w) || w === w.toUpperCase())) return null;
  return words.join(' ').toLowerCase();
}

/** Adds the aliases described in the module comment to `d.ents`. */
export function readAliases(d: EntityDoc): void {
  const { text, tokens, tokenEntity, byId } = d;
  const lower = text.toLowerCase();
  for (const e of d.ents) {
    if (e.type !== 'organization') continue;
    // "U.S. Federal Reserve" is also "the Federal Reserve", "Russian Foreign Ministry" the "Foreign Ministry":
    // the name without the leading country form, as a second reference uses it
    const words = e.name.split(/\s+/);
    if (words.length >= 3 && lookupCountry(words[0]!).length && !lookupCountry(words.slice(1).join(' ')).length) e.aliases.add(words.slice(1).join(' '));
    const g = genericForm(e);
    if (!g) continue;
    // word-bounded, in lowercase as written (not the capitalised name itself)
    const re = new RegExp(`(^|[^\\p{L}])${g.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[^\\p{L}]|$)`, 'u');
    const m = re.exec(lower);
    if (m && text.slice(m.index + m[1]!.length, m.index + m[1]!.length + g.length) === g) e.aliases.add(g);
  }
  // "Central American": an entity named by the "-n" adjective of a known region or place joins it
  for (const e of d.ents) {
    if ((e.type !== 'place' && e.type !== 'other') || !/an$/.test(e.name) || !e.mentions.length) continue;
    const region = d.ents.find((p) => p !== e && p.type === 'place' && fold(p.name) === fold(e.name.slice(0, -1)));
    if (!region) continue;
    region.aliases.add(e.name);
    for (const m of e.mentions) region.mentions.push({ ...m, kind: 'demonym' });
    for (let k = 0; k < tokenEntity.length; k++) if (tokenEntity[k] === e.id) tokenEntity[k] = region.id;
    e.mentions = [];
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "La Moneda, the presidential palace": a definite description right after a place's or body's name
    if (t.text === ',' && tokens[i + 1]?.lower === 'the') {
      const owner = tokenEntity[i - 1] ? byId.get(tokenEntity[i - 1]!) : undefined;
      if (!owner || (owner.type !== 'place' && owner.type !== 'organization')) continue;
      const words: Token[] = [];
      for (let k = i + 2; k < tokens.length && k < i + 6 && tokens[k]!.word && !tokens[k]!.cap && tokens[k]!.sentence === t.sentence; k++) words.push(tokens[k]!);
      const end = tokens[i + 2 + words.length];
      // the description must close the appositive (a comma or the sentence end) and be a noun phrase of two to four words
      if (words.length < 2 || words.length > 4 || (end && end.sentence === t.sentence && !/^[,.;]$/.test(end.text))) continue;
      if (words.some((w) => /^(who|which|that|is|was|has|had|said|says)$/.test(w.lower) || w.possessive)) continue;
      owner.aliases.add(words.map((w) => w.text).join(' '));
    }
  }
}
