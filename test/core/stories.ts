/**
 * Test stories written for the core and index tests, with the parse each should have
 * (stated, not parsed: see build.ts). Invented text about public figures and invented people.
 */
import type { ArticleInput } from '../../src/index/types.js';
import type { ParsedArticle } from '../../src/parse/types.js';
import { buildParsed } from './build.js';

export interface TestStory {
  input: ArticleInput;
  parsed: ParsedArticle;
}

const WARNING = `Moscow warns against European troops in Ukraine

MOSCOW — Russia on Wednesday warned European governments against sending soldiers to Ukraine after a ceasefire, calling it a Russian red line.

“Such troops would be a legitimate target for us,” said Maria Zakharova, spokeswoman for the Russian Foreign Ministry.

Zakharova said the plan was “categorically unacceptable” to Moscow.

French President Emmanuel Macron has said Paris could send up to 6,000 troops to bases far from the front.

“Such troops would be a legitimate target for us,” Zakharova repeated later in the briefing.

NATO Secretary-General Mark Rutte said the French offer showed that Europe was ready to lead.`;

export const warning = (): TestStory => ({
  input: { text: WARNING, url: 'https://news.example/moscow-warns', publishedAt: '2025-03-05T10:00:00Z', source: 'test' },
  parsed: buildParsed(WARNING, {
    entities: [
      { name: 'Russia', type: 'country', forms: [['Moscow', 'metonym'], ['Russian', 'demonym']], countryCode: 'RU' },
      { name: 'Ukraine', type: 'country', countryCode: 'UA' },
      { name: 'France', type: 'country', forms: [['French', 'demonym'], ['Paris', 'metonym']], countryCode: 'FR' },
      {
        name: 'Maria Zakharova',
        type: 'person',
        forms: [['Zakharova', 'short']],
        roles: ['spokeswoman for the Russian Foreign Ministry'],
        affiliation: ['Russian Foreign Ministry'],
        gender: 'female',
      },
      { name: 'Emmanuel Macron', type: 'person', roles: ['French President'], affiliation: ['France'], gender: 'male' },
      { name: 'Mark Rutte', type: 'person', roles: ['NATO Secretary-General'], affiliation: ['NATO'] },
      { name: 'NATO', type: 'organization' },
      { name: 'Russian Foreign Ministry', type: 'organization' },
    ],
    quotes: [
      { text: 'Such troops would be a legitimate target for us,', speaker: 'Maria Zakharova', cue: 'said' },
      { text: 'the plan was “categorically unacceptable” to Moscow', speaker: 'Maria Zakharova', kind: 'indirect', cue: 'said' },
      { text: 'categorically unacceptable', speaker: 'Maria Zakharova', partial: true },
      { text: 'Paris could send up to 6,000 troops to bases far from the front', speaker: 'Emmanuel Macron', kind: 'indirect', cue: 'has said' },
      { text: 'Such troops would be a legitimate target for us,', speaker: 'Maria Zakharova', cue: 'repeated', occurrence: 2 },
      { text: 'the French offer showed that Europe was ready to lead', speaker: 'Mark Rutte', kind: 'indirect' },
    ],
    amounts: [{ text: '6,000 troops', value: 6000, unit: 'troops', entities: ['France', 'Emmanuel Macron'] }],
  }),
});

const WATER = `Water board names chief as dams run low

CAPE TOWN — The Western Cape Water Board appointed Thandi Ndlovu as chief executive on Monday.

“We will fix the leaks before we raise a single tariff,” Ndlovu said.

Sipho Ndlovu, a city councillor, warned that poorer households could not pay more. “The people who use the least cannot pay the most,” he said.

Dam levels stood at 38 percent, a senior official at the board said.`;

export const water = (): TestStory => ({
  input: { text: WATER, guid: 'urn:test:water', publishedAt: '2025-03-03T08:00:00Z', source: 'test' },
  parsed: buildParsed(WATER, {
    entities: [
      // The surname alone is Thandi's short form in this story ("Ndlovu said"), and Sipho's surname too.
      { name: 'Thandi Ndlovu', type: 'person', forms: [['Ndlovu', 'short']], roles: ['chief executive'], affiliation: ['Western Cape Water Board'], gender: 'female' },
      { name: 'Sipho Ndlovu', type: 'person', roles: ['city councillor'], gender: 'male' },
      { name: 'Western Cape Water Board', type: 'organization' },
      { name: 'South Africa', type: 'country', forms: [['CAPE TOWN', 'metonym']], countryCode: 'ZA' },
    ],
    quotes: [
      { text: 'We will fix the leaks before we raise a single tariff,', speaker: 'Thandi Ndlovu' },
      { text: 'The people who use the least cannot pay the most,', speaker: 'Sipho Ndlovu' },
      { text: 'Dam levels stood at 38 percent', speaker: 'a senior official at the board', kind: 'indirect' },
    ],
    amounts: [{ text: '38 percent', value: 38, unit: 'percent' }],
  }),
});

const FOLLOWUP = `Kremlin repeats warning on troops

MOSCOW — Zakharova told reporters on Friday that Russia’s position had not changed.

“Nothing has changed in our assessment,” Zakharova said.`;

/** A later story that names Zakharova by surname only: a second cross-story key for the same person. */
export const followup = (): TestStory => ({
  input: { text: FOLLOWUP, url: 'https://news.example/kremlin-repeats', publishedAt: '2025-03-07T09:00:00Z', source: 'test' },
  parsed: buildParsed(FOLLOWUP, {
    entities: [
      { name: 'Zakharova', type: 'person', gender: 'female' },
      { name: 'Russia', type: 'country', forms: [['Moscow', 'metonym']], countryCode: 'RU' },
    ],
    quotes: [
      { text: 'Russia’s position had not changed', speaker: 'Zakharova', kind: 'indirect', cue: 'told reporters' },
      { text: 'Nothing has changed in our assessment,', speaker: 'Zakharova' },
    ],
  }),
});

const EMBARGOED = `Central bank to cut rates, embargoed

LONDON — The Bank of Narnia will cut its main rate by half a point, governor Aslan Lionheart said.

“We act today so that families feel it by spring,” Lionheart said.`;

/** A story under embargo until `until`. */
export const embargoed = (until: string): TestStory => ({
  input: { text: EMBARGOED, url: 'https://news.example/embargoed', publishedAt: '2025-03-08T00:00:00Z', embargoUntil: until, source: 'test' },
  parsed: buildParsed(EMBARGOED, {
    entities: [
      { name: 'Aslan Lionheart', type: 'person', forms: [['Lionheart', 'short']], roles: ['governor'], affiliation: ['Bank of Narnia'] },
      { name: 'Bank of Narnia', type: 'organization' },
    ],
    quotes: [{ text: 'We act today so that families feel it by spring,', speaker: 'Aslan Lionheart' }],
  }),
});
