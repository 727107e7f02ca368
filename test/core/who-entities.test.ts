/**
 * /who over stories parsed by the real parser (not stated parses): what the entity stage reads
 * reaches the reply. Invented stories and people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { Block, BotCore, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { parseArticle } from '../../src/parse/index.js';

const NOW = new Date('2025-06-10T12:00:00Z');

const VENDOR = `Ticket sellers fight new licence rules

Kaspar Lind, a street vendor who calls himself “Dutch”, has sold match tickets outside the central station for eleven years.

“The new licence costs more than I make in a month,” Lind said on Tuesday.

Dutch said he would appeal the rules before the council votes in July.`;

const TRAMS = `Lisbon to add night trams after record summer

LISBON — Lisbon’s mayor, Rita Moura, said on Monday that the city would run trams through the night from July, after a summer of record crowds.

“People should be able to get home without a taxi,” Moura said at the depot.`;

const QUOTAS = `Fishing quota talks stall in Brussels

Lisbon ruled out any cut to the sardine quota on Thursday, and Madrid said it would not move either.

The two governments are expected to return to the table in September.`;

const HARBOUR = `Trawler crews strike over fuel costs

REYKJAVIK — Trawler crews stayed in port on Wednesday in a strike over fuel costs, the crews’ union said.

“We cannot fish at a loss,” said Jonas Eriksen, the union’s chairman.`;

let index: SqliteIndex;
let core: BotCore;

beforeAll(async () => {
  index = SqliteIndex.open(':memory:');
  await index.upsert({ text: VENDOR, url: 'https://news.example/vendor-licences', publishedAt: '2025-06-03T09:00:00Z', source: 'test' }, parseArticle(VENDOR));
  await index.upsert({ text: TRAMS, url: 'https://news.example/lisbon-trams', publishedAt: '2025-06-02T09:00:00Z', source: 'test' }, parseArticle(TRAMS));
  await index.upsert({ text: QUOTAS, url: 'https://news.example/quota-talks', publishedAt: '2025-06-05T09:00:00Z', source: 'test' }, parseArticle(QUOTAS));
  await index.upsert({ text: HARBOUR, url: 'https://news.example/trawler-strike', publishedAt: '2025-06-04T09:00:00Z', source: 'test' }, parseArticle(HARBOUR));
  core = createCore({ index, now: () => NOW });
});
afterAll(async () => {
  await index.close();
});

const ask = (args: string): Promise<Reply> => core.handle({ command: 'who', args, platform: 'terminal', userId: 'test' });
const field = (r: Reply, label: string) =>
  r.blocks
    .filter((b): b is Extract<Block, { type: 'fields' }> => b.type === 'fields')
    .flatMap((b) => b.fields)
    .find((f) => f.label === label)?.value;

describe('/who and nicknames', () => {
  it('finds a person by the nickname the story introduced, and lists it among the names', async () => {
    const r = await ask('dutch');
    expect(r.status).toBe('answer');
    expect(r.title).toBe('Kaspar Lind');
    expect(field(r, 'Type')).toBe('person');
    expect(field(r, 'Also called')?.split('; ')).toEqual(expect.arrayContaining(['Dutch', 'Lind']));
  });

  it('makes no country of the nickname', async () => {
    const r = await ask('netherlands');
    expect(r.status).toBe('notFound');
  });
});

describe('/who and capitals', () => {
  it('a capital seen only in a dateline is the city the story was filed from, and still a dateline', async () => {
    const r = await ask('reykjavik');
    expect(r.status).toBe('answer');
    expect(r.title).toBe('Reykjavik');
    expect(field(r, 'Type')).toBe('place');
    expect(field(r, 'Datelines')).toBe('REYKJAVIK');
    expect(JSON.stringify(r)).not.toContain('used for Iceland');
    expect((await ask('iceland')).status).toBe('notFound');
  });

  it('says story by story where a capital is the city and where it stands for the government', async () => {
    const r = await ask('lisbon');
    expect(r.title).toBe('Lisbon');
    expect(field(r, 'Type')).toBe('place');
    expect(field(r, 'As the city')).toBe('Lisbon to add night trams after record summer (2025-06-02)');
    expect(field(r, 'As the government of Portugal')).toBe('Fishing quota talks stall in Brussels (2025-06-05)');
    expect(field(r, 'Datelines')).toBe('LISBON');
  });

  it('gives no readings for a capital the stories use one way only', async () => {
    const r = await ask('madrid');
    expect(r.title).toBe('Spain');
    expect(field(r, 'As the city')).toBeUndefined();
  });
});
