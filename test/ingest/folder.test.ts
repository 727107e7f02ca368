import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileGuid, markdownToStory, splitFrontMatter } from '../../src/ingest/files.js';
import { FolderSource, FolderWatcher, listStoryFiles } from '../../src/ingest/folder.js';
import type { SourceItem } from '../../src/ingest/types.js';
import { collect, fixture, MOJIBAKE } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-folder-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};

const MD = `---
title: "Tram line opens to the airport"
author: By Noor Haddad
date: 2024-03-07T08:00:00Z
url: https://ledger.example/news/tram
---
# Draft heading that the front matter overrides

KESTREL BAY — The new tram line to the airport opened on Thursday,
cutting the journey from the city centre to **22 minutes**, the
[transport authority](https://example.org/ta) said.

- Trams will run every *eight* minutes at peak times.
- Tickets cost the same as on the bus.

## Reaction

> "It is a good start," said commuter Lin Okafor.

\`\`\`
code that is not story text
\`\`\`
`;

describe('a folder of .txt, .md, .html and .json files', () => {
  it('yields one item per story, with failures for unreadable files, and ignores other files', async () => {
    const txt = write('a-plain.txt', 'Ferry fares rise 5 percent\n\nWESTHAVEN — Ferry fares will rise 5 percent from April, the operator said.\n');
    const fm = write('b-front.txt', '---\nguid: desk-778\nembargo: 2099-05-01 09:00 GMT\n---\nHospital wing approved\n\nThe health board approved a new hospital wing on Friday.\n');
    const md = write('c-tram.md', MD);
    write('sub/d-page.html', fs.readFileSync(fixture('page-latin1.html')));
    write('sub/deeper/e-wire.json', fs.readFileSync(fixture('wire-batch.json')));
    const bin = write('f-binary.txt', Buffer.from([0x47, 0x49, 0x46, 0x38, 0x00, 0x01, 0x02]));
    const empty = write('g-empty.md', '');
    write('photo.jpg', 'not a story');
    write('.hidden.txt', 'Hidden story\n\nNot to be read.');
    write('.git/h.txt', 'Inside a hidden folder\n\nNot to be read.');

    const src = new FolderSource(dir);
    expect(await src.estimate()).toBe(7);
    const items = await collect(src);
    const ok = items.filter((i): i is Extract<SourceItem, { ok: true }> => i.ok);
    const failed = items.filter((i) => !i.ok);
    expect(ok).toHaveLength(6); // txt, front-matter txt, md, html, and the batch's two usable stories
    expect(failed.map((f) => !f.ok && f.reason)).toEqual([
      'looks like a binary file (it contains NUL bytes), not a story',
      'file is empty',
      'pubstatus is withheld: not a usable story',
      expect.stringMatching(/^not a ninjs story: uri: /),
      'type is picture: not a text story',
    ]);
    expect(failed).toHaveLength(5);
    expect(failed.some((f) => f.ref === bin && !f.ok && /binary/.test(f.reason))).toBe(true);
    expect(failed.some((f) => f.ref === empty && !f.ok && f.reason === 'file is empty')).toBe(true);

    const byRef = new Map(ok.map((i) => [i.ref, i.input]));
    expect(byRef.get(txt)).toMatchObject({ guid: fileGuid(txt), source: txt, title: null });
    expect(byRef.get(txt)!.text).toBe('Ferry fares rise 5 percent\n\nWESTHAVEN — Ferry fares will rise 5 percent from April, the operator said.');
    expect(byRef.get(fm)).toMatchObject({ guid: 'desk-778', embargoUntil: '2099-05-01T09:00:00.000Z' });
    expect(byRef.get(fm)!.text.startsWith('Hospital wing approved')).toBe(true);
    expect(byRef.get(md)).toMatchObject({
      title: 'Tram line opens to the airport',
      byline: 'Noor Haddad',
      publishedAt: '2024-03-07T08:00:00.000Z',
      url: 'https://ledger.example/news/tram',
      guid: null,
    });
    expect(byRef.get(md)!.text.split('\n\n')).toEqual([
      'Tram line opens to the airport',
      'KESTREL BAY — The new tram line to the airport opened on Thursday, cutting the journey from the city centre to 22 minutes, the transport authority said.',
      'Trams will run every eight minutes at peak times.',
      'Tickets cost the same as on the bus.',
      'Reaction',
      '"It is a good start," said commuter Lin Okafor.',
    ]);
    const html = ok.find((i) => i.ref.endsWith('d-page.html'))!.input;
    expect(html.title).toBe('Grève des dockers à Saint-Malô');
    expect(html.text).not.toMatch(MOJIBAKE);
    expect(ok.filter((i) => i.ref.includes('e-wire.json')).map((i) => i.input.guid)).toEqual([
      'urn:newsml:wire.example:20240306:budget-embargo',
      'urn:newsml:wire.example:20240306:markets',
    ]);
  });

  it('lists files in sorted order and fails clearly for a missing folder', async () => {
    write('b.txt', 'x');
    write('a/c.md', 'y');
    write('a.json', '{}');
    expect((await listStoryFiles(dir)).map((f) => path.relative(dir, f))).toEqual(['a.json', 'a/c.md', 'b.txt']);
    expect((await listStoryFiles(dir, { recursive: false })).map((f) => path.relative(dir, f))).toEqual(['a.json', 'b.txt']);
    await expect(collect(new FolderSource(path.join(dir, 'nope')))).rejects.toThrow(/folder not found/);
    write('big.txt', 'x'.repeat(5000));
    const items = await collect(new FolderSource(dir, { maxFileBytes: 4096 }));
    expect(items.find((i) => i.ref.endsWith('big.txt'))).toMatchObject({ ok: false, reason: 'too large (4.9 KiB; the limit is 4 KiB)' });
  });
});

describe('front matter and Markdown', () => {
  it('splits front matter only when it opens the file', () => {
    expect(splitFrontMatter('---\ntitle: A\n---\nBody')).toEqual({ meta: { title: 'A' }, body: 'Body' });
    expect(splitFrontMatter('Body\n---\ntitle: A\n---\n').meta).toEqual({});
  });
  it('turns Setext headings, numbered lists, tables and escapes into text', () => {
    const s = markdownToStory('Budget passes\n=============\n\n1. First point\n2) Second \\*point\\*\n\n| Party | Seats |\n|---|---|\n| Greens | 12 |\n\n![chart](c.png) Turnout was 61 percent.&nbsp;Final.');
    expect(s.title).toBe('Budget passes');
    expect(s.paragraphs).toEqual(['First point', 'Second *point*', 'Party Seats', 'Greens 12', 'Turnout was 61 percent. Final.']);
  });
});

describe('watching a folder', () => {
  it('ingests new and changed files once they have settled, not files already there', async () => {
    write('old.txt', 'Old story here\n\nAlready ingested by the backfill.');
    const seen: string[] = [];
    const watcher = new FolderWatcher(dir, async (items) => {
      for (const i of items) if (i.ok) seen.push(i.input.text.split('\n')[0]!);
    }, { intervalMs: 40 });
    await watcher.start();
    try {
      write('new.txt', 'A new story arrives\n\nWritten after the watcher started.');
      await waitFor(() => seen.length >= 1);
      expect(seen).toEqual(['A new story arrives']);
      await new Promise((r) => setTimeout(r, 30));
      write('new.txt', 'A corrected story arrives\n\nThe file was edited.\n');
      await waitFor(() => seen.length >= 2);
      expect(seen).toEqual(['A new story arrives', 'A corrected story arrives']);
      const polls = watcher.polls;
      await waitFor(() => watcher.polls >= polls + 3);
      expect(seen).toHaveLength(2); // nothing re-ingested while unchanged
    } finally {
      await watcher.stop();
    }
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
