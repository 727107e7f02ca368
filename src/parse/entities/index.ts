/**
 * Entity stage: people, countries, organisations and places, their mentions merged (full name,
 * surname, possessive, acronym, demonym, capital-as-metonym), the roles the text gives them and
 * their affiliations and gender cues. A pipeline of small stages, each in its own module with
 * its own tests:
 *
 *   mentions (mentions.ts) capitalised runs → candidate mentions; headline-case sentences
 *   evidence (evidence.ts) what supports each type: honorifics, reporting verbs, appositives,
 *                          titles, given names, country data, gazetteer, outlets, city context
 *   typing   (typing.ts)   each candidate's type, from the most precise evidence down
 *   merging  (merging.ts)  surname-only and honorific mentions, short forms, acronyms, headlines
 *   nicknames (nicknames.ts) quoted names introduced as a person's ("who calls himself “Dutch”")
 *   roles    (roles.ts)    roles, affiliations, gender cues, owners that are organisations
 *   aliases  (aliases.ts)  generic lowercase forms of bodies, region adjectives, appositive descriptions
 *   confirm  (confirm.ts)  after attribution: a person stays one only with support
 *
 * Rules follow wire-copy conventions: a person is introduced once with full name (and usually a
 * title or appositive) and referred to by surname afterwards (AP Stylebook, "names"; Reuters
 * Handbook, "second reference"). Word lists: ./lexicon.ts and ../lexicon.ts.
 */
import type { QuoteSpan } from '../quotemarks.js';
import { readAliases } from './aliases.js';
import type { Token } from '../tokens.js';
import { newEntityDoc, persons, type EntityStage } from './doc.js';
import { linkKnown, relinkByHonorific } from './merging.js';
import { chunks, headlineSentences } from './mentions.js';
import { nicknameSpans, readNickname } from './nicknames.js';
import { genderFromRoles, readRoles, resolveAffiliations, retypeOwners } from './roles.js';
import { classify } from './typing.js';

export { confirmPersons, finishEntities } from './confirm.js';
export { fold, tokenAtOrAfter, type EntityDoc, type EntityDraft, type EntityStage } from './doc.js';
export { addRole } from './roles.js';

/**
 * Runs the entity stage over one article.
 * @param text article text
 * @param tokens all tokens of the article (headline included)
 * @param skip offsets where no entity may start (inside quoted titles)
 * @param quotes the top-level quotation spans (for nicknames introduced in quotation marks)
 * @returns the entity drafts and the entity of each token inside a mention; never throws
 */
export function findEntities(text: string, tokens: Token[], skip: (at: number) => boolean = () => false, quotes: readonly QuoteSpan[] = []): EntityStage {
  const d = newEntityDoc(text, tokens, skip);
  const all = chunks(tokens);
  const nicknames = nicknameSpans(text, tokens, quotes);
  let nextNick = 0;
  // Title Case headlines and all-caps crossheads capitalise every word, so a capitalised run there
  // is no evidence of a name ("Lone Player Stands", "WikiLeaks Shows Desperate Plea"): their runs
  // are read last and may only mention entities the body introduced.
  const headline = headlineSentences(tokens);
  for (const c of all) {
    if (headline.has(c.toks[0]!.sentence)) continue;
    const at = c.toks[0]!.start;
    // A nickname is read once the text before it is typed (its bearer comes first).
    while (nextNick < nicknames.length && nicknames[nextNick]!.quote.open < at) readNickname(d, nicknames[nextNick++]!);
    const inNick = nicknames.find((n) => n.quote.start <= at && at < n.quote.end);
    if (inNick && readNickname(d, inNick)) continue;
    classify(d, c, c.toks);
    // a nickname quoted inside the name is the person's alias
    const owner = c.nickname ? d.tokenEntity[c.toks[c.toks.length - 1]!.i] : undefined;
    if (owner && d.byId.get(owner)?.type === 'person') d.byId.get(owner)!.aliases.add(c.nickname!);
  }
  while (nextNick < nicknames.length) readNickname(d, nicknames[nextNick++]!);
  for (const c of all) if (headline.has(c.toks[0]!.sentence)) linkKnown(d, c.toks);
  // A broadcaster's programme named after its host ("ABC’s “This Week With George Stephanopoulos”",
  // "MSNBC’s “Andrea Mitchell Reports”"): inside that title, known entities and a given name with its
  // surname are read, as in a headline. Other quoted titles stay unread ("Operation Jade Mirror").
  const inTitles = { ...d, skip: () => false };
  for (const c of all) {
    const t0 = c.toks[0]!;
    if (headline.has(t0.sentence) || !skip(t0.start)) continue;
    let k = t0.i - 1;
    while (k >= 0 && !/^[“"‘]$/.test(tokens[k]!.text) && t0.i - k < 8) k--;
    const owner = tokens[k - 1];
    const ownerEntity = owner?.possessive && d.tokenEntity[owner.i] ? d.byId.get(d.tokenEntity[owner.i]!) : undefined;
    if (ownerEntity?.type === 'organization') linkKnown(inTitles, c.toks);
  }

  for (const e of persons(d)) readRoles(d, e);
  for (const e of persons(d)) genderFromRoles(e);
  relinkByHonorific(d);
  resolveAffiliations(d);
  retypeOwners(d);
  readAliases(d);
  return { entities: d.ents, tokenEntity: d.tokenEntity };
}
