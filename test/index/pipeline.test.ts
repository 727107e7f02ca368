import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { ingestInput, ingestPaths, MAX_ARTICLE_FILE_BYTES, readArticleFile } from '../../src/ingest/pipeline.js';
import { MAX_ARTICLE_CHARS } from '../../src/parse/index.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const STORY = 'Harbour ferry fares frozen\n\nPORTSMOUTH — The harbour ferry will keep its fares for another year, the operator said on Monday.\n';

describe('readArticleFile', () => {
  it('reads UTF-8 as is, a byte-order mark included, other encodings as ingest decodes them, and explains what it refuses', () => {
    const f = (name: string, data: string | Buffer) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, data);
      return p;
    };
    expect(readArticleFile(f('bom.txt', '\uFEFFHeadline\n\nBody “quoted”.'))).toBe('\uFEFFHeadline\n\nBody “quoted”.');
    expect(() => readArticleFile(f('bin.txt', Buffer.from([1, 0, 2])))).toThrow(/bin\.txt: looks like a binary file/);
    expect(readArticleFile(f('latin.txt', Buffer.from('Le café est fermé, a dit Jean Roux.', 'latin1')))).toBe('Le café est fermé, a dit Jean Roux.');
    expect(readArticleFile(f('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ferry story', 'utf16le')])))).toContain('Ferry story');
    if (fs.existsSync('/dev/zero')) expect(() => readArticleFile('/dev/zero')).toThrow(/is not a regular file/);
    expect(() => readArticleFile(path.join(dir, 'missing.txt'))).toThrow(/missing\.txt: no such file/);
    expect(() => readArticleFile(dir)).toThrow(/is a folder/);
    expect(() => readArticleFile(f('big.txt', 'x'.repeat(2048)), 1024)).toThrow(/big\.txt: too large \(2\.0 KiB; the limit is 1 KiB\)$/);
    expect(MAX_ARTICLE_FILE_BYTES).toBe(10 * 1024 * 1024);
  });
});

describe('refusal wording', () => {
  it('parse (readArticleFile) and ingest (ingestPaths) refuse a big or binary file in the same words', async () => {
    const big = path.join(dir, 'twenty.txt');
    // A sparse file: 20 MiB on paper, nothing on disk.
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 20 * 1024 * 1024 + 1);
    const bin = path.join(dir, 'photo.txt');
    fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x00, 0x01]));
    expect(() => readArticleFile(big)).toThrow(`${big}: too large (20.0 MiB; the limit is 10 MiB)`);
    expect(() => readArticleFile(bin)).toThrow(`${bin}: looks like a binary file (it contains NUL bytes), not a story`);
    const index = SqliteIndex.open(':memory:');
    try {
      const out = await ingestPaths(index, [big, bin]);
      expect(out).toEqual([
        { ok: false, ref: big, error: 'too large (20.0 MiB; the limit is 10 MiB)' },
        { ok: false, ref: bin, error: 'looks like a binary file (it contains NUL bytes), not a story' },
      ]);
    } finally {
      await index.close();
    }
  });
});

describe('ingestInput and ingestPaths', () => {
  it('stores a 5 MB story as a truncated, warned, partial parse and keeps the rest of the index', async () => {
    const index = SqliteIndex.open(':memory:');
    const first = await ingestInput(index, { text: STORY, source: 'test' });
    expect(first).toMatchObject({ ok: true, status: 'added' });
    let big = 'A very long story\n\n';
    const para = 'LONDON — The council met again on Tuesday and said nothing new, officials said. “We are still talking,” said Jo Park, the council leader.\n';
    while (big.length < 5 * 1024 * 1024) big += para;
    const out = await ingestInput(index, { text: big, source: 'big' });
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.warnings).toContain(`article truncated to ${MAX_ARTICLE_CHARS} characters`);
    expect(await index.storyCount()).toBe(2);
    expect((await index.search('harbour ferry')).map((h) => h.title)).toEqual(['Harbour ferry fares frozen']);
    await index.close();
  }, 180_000);

  it('refuses empty and invalid input with a reason, storing nothing', async () => {
    const index = SqliteIndex.open(':memory:');
    expect(await ingestInput(index, { text: '  \n\u200B\n ', source: 't' })).toEqual({ ok: false, ref: 't', error: 'no article text (the story is empty or has no letters or digits)' });
    expect(await ingestInput(index, { text: STORY, source: 't', publishedAt: 'yesterday' })).toEqual({ ok: false, ref: 't', error: 'publishedAt: expected an ISO 8601 date or date-time' });
    expect(await index.storyCount()).toBe(0);
    await index.close();
  });

  it('ingests files and folders, reports failures per file, and turns an edited file into a revision', async () => {
    const folder = path.join(dir, 'stories');
    fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'one.txt'), STORY);
    fs.writeFileSync(path.join(folder, 'sub', 'two.txt'), STORY.replace('ferry', 'bus'));
    fs.writeFileSync(path.join(folder, 'empty.txt'), '');
    const index = SqliteIndex.open(':memory:');
    const outcomes = await ingestPaths(index, [folder, path.join(dir, 'nowhere')]);
    expect(outcomes.map((o) => [path.basename(o.ref), o.ok ? o.status : 'failed'])).toEqual([
      ['nowhere', 'failed'],
      ['empty.txt', 'failed'],
      ['one.txt', 'added'],
      ['two.txt', 'added'],
    ]);
    fs.writeFileSync(path.join(folder, 'one.txt'), `${STORY}\nThe operator will review fares in the spring.\n`);
    const again = await ingestPaths(index, [path.join(folder, 'one.txt'), path.join(folder, 'sub')]);
    expect(again.map((o) => (o.ok ? [o.status, o.revision] : ['failed']))).toEqual([
      ['updated', 2],
      ['unchanged', 1],
    ]);
    expect(await index.storyCount()).toBe(2);
    // A fixed guid per file name: the same file from another folder is the same story.
    const copy = path.join(dir, 'copy');
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(folder, 'sub', 'two.txt'), path.join(copy, 'two.txt'));
    const byName = (ref: string) => `example:${path.basename(ref)}`;
    await ingestPaths(index, [path.join(folder, 'sub')], { guidOf: byName });
    const moved = await ingestPaths(index, [copy], { guidOf: byName });
    expect(moved.map((o) => o.ok && o.status)).toEqual(['unchanged']);
    await index.close();
  });
});
