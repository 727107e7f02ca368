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

let index: SqliteIndex;
let core: BotCore;

beforeAll(async () => {
  index = SqliteIndex.open(':memory:');
  await index.upsert({ text: VENDOR, url: 'https://news.example/vendor-licences', publishedAt: '2025-06-03T09:00:00Z', source: 'test' }, parseArticle(VENDOR));
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
