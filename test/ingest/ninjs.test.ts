import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoryFile } from '../../src/ingest/files.js';
import { ninjsItems } from '../../src/ingest/ninjs.js';
import { fixture } from './helpers.js';

describe('IPTC ninjs', () => {
  it('reads a ninjs 1.x story: uri as guid, body_html over body_text, located as dateline', () => {
    const items = ninjsItems(fs.readFileSync(fixture('wire-ninjs1.json'), 'utf8'), 'wire-ninjs1.json');
    expect(items).toHaveLength(1);
    const item = items[0]!;
    if (!item.ok) throw new Error(item.reason);
    expect(item.input).toMatchObject({
      guid: 'urn:newsml:wire.example:20240305:ledger-0042',
      title: 'Airline cancels 60 flights as air traffic controllers walk out',
      byline: 'Rafael Ortiz',
      publishedAt: '2024-03-05T06:00:00.000Z',
      updatedAt: '2024-03-05T06:20:00.000Z',
      embargoUntil: null,
      url: null,
      source: 'wire-ninjs1.json',
    });
    expect(item.input.text.split('\n\n')).toEqual([
      'Airline cancels 60 flights as air traffic controllers walk out',
      'VALMORA — Coastline Air cancelled 60 flights on Tuesday as air traffic controllers began a 24-hour walkout over staffing, leaving about 9,000 passengers stranded.',
      '“We regret the disruption and are rebooking passengers as fast as we can,” said Lena Brandt, the airline’s chief operating officer.',
      'The controllers’ union said the strike would end at midnight.',
    ]);
  });

  it('reads a ninjs 2.x batch, validating each object on its own', () => {
    const items = ninjsItems(fs.readFileSync(fixture('wire-batch.json'), 'utf8'), 'batch.json');
    expect(items.map((i) => i.ok)).toEqual([true, false, false, false, true]);
    const [embargoed, withheld, noUri, picture, markets] = items;
    if (!embargoed!.ok || !markets!.ok) throw new Error('expected ok items');
    expect(embargoed!.input).toMatchObject({ title: 'Finance minister to unveil record budget', byline: 'Wire staff', embargoUntil: '2099-01-01T00:00:00.000Z' });
    expect(embargoed!.input.text).toBe(
      'Finance minister to unveil record budget\n\nCAPITAL CITY — The finance minister will present a record budget of 410 billion on Thursday, officials said.\n\nThe budget includes new spending on rail and hospitals.',
    );
    expect(withheld).toMatchObject({ ok: false, reason: 'pubstatus is withheld: not a usable story' });
    expect(noUri).toMatchObject({ ok: false, ref: 'batch.json#2' });
    expect(!noUri!.ok && noUri!.reason).toMatch(/^not a ninjs story: uri: /);
    expect(picture).toMatchObject({ ok: false, reason: 'type is picture: not a text story' });
    expect(markets!.input).toMatchObject({ title: 'Shares close higher on bank results', publishedAt: '2024-03-06T15:30:00.000Z', updatedAt: '2024-03-06T15:30:00.000Z' });
    expect(markets!.input.text).toContain('LONDON — Shares closed 1.2 percent higher on Wednesday');
  });

  it('reports JSON that is not ninjs with a clear reason', () => {
    expect(() => ninjsItems('{"uri": ', 'x.json')).toThrow(/not valid JSON/);
    expect(() => ninjsItems('[]', 'x.json')).toThrow(/no ninjs objects/);
    expect(ninjsItems('{"uri": 42}', 'x.json')[0]).toMatchObject({ ok: false });
    expect(ninjsItems('"just a string"', 'x.json')[0]).toMatchObject({ ok: false });
    expect(ninjsItems('{"uri":"urn:x","headline":"No body"}', 'x.json')[0]).toMatchObject({ ok: false, reason: 'no body (body_text, body_html or bodies)' });
    const wrapped = ninjsItems('{"items":[{"uri":"urn:a","body_text":"One paragraph of text."}]}', 'x.json');
    expect(wrapped[0]).toMatchObject({ ok: true, input: { guid: 'urn:a', text: 'One paragraph of text.' } });
  });

  it('says a JSON file is not ninjs rather than "not text" (JSON is mostly punctuation)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ninjs-'));
    try {
      const file = path.join(dir, 'settings.json');
      fs.writeFileSync(file, JSON.stringify({ theme: { colours: ['#000', '#fff'], sizes: { a: 1, b: 2 } }, flags: [true, false] }));
      const [item] = await readStoryFile(file);
      expect(item).toMatchObject({ ok: false });
      expect(item!.ok ? '' : item!.reason).toMatch(/ninjs/);
      expect(item!.ok ? '' : item!.reason).not.toMatch(/binary|look like text/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
