import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractHtmlArticle } from '../../src/ingest/html.js';
import { PageSource } from '../../src/ingest/page.js';
import { collect, fixture, MOJIBAKE, okInputs } from './helpers.js';
import { LOCAL_FETCH, send, startServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route('/news/pilots', send(fs.readFileSync(fixture('page-comments.html')), 'text/html; charset=utf-8'));
  // The Latin-1 page is served without a charset in the header: the <meta http-equiv> declares it.
  server.route('/fr/greve', send(fs.readFileSync(fixture('page-latin1.html')), 'text/html'));
  server.route('/fr/greve-header', send(fs.readFileSync(fixture('page-latin1.html')), 'text/html; charset=ISO-8859-1'));
  server.route('/moved', (_req, res) => {
    res.writeHead(302, { location: '/news/pilots' });
    res.end();
  });
});
afterAll(() => server.close());

describe('a news page with comments and link-wrapped paragraphs', () => {
  it('keeps the story, leaves out comments, navigation and link lists', async () => {
    const [input] = okInputs(await collect(new PageSource(`${server.url}/news/pilots`, { fetch: LOCAL_FETCH })));
    const text = input!.text;
    const paragraphs = text.split('\n\n');
    expect(paragraphs[0]).toBe('Harbour pilots end strike after nine days');
    expect(paragraphs[1]).toMatch(/^PORT ELLIS — Harbour pilots returned to work on Tuesday/);
    // Both link-wrapped paragraphs survive: <a><p>…</p></a> and <p><a>…</a></p>.
    expect(text).toContain('Pilots had argued that a single pilot guiding a container ship through the narrow channel at night');
    expect(text).toContain('Members voted by 212 to 31 to accept the offer');
    expect(text).toContain('“We came for safer nights and a fair wage, and we got both,” said Tomas Varga');
    expect(text).toContain('The port authority said the backlog would take about a week to clear');
    for (const junk of ['Nine days of chaos', 'Night pilotage on that channel', 'Tuesday ferry to the islands', 'Comments (3)', 'harbourwatcher', 'Storm warning issued', 'Most read', 'Ferry timetable changes', 'All rights reserved', 'Privacy', 'Weather', 'Ines Marlowe']) {
      expect(text, junk).not.toContain(junk);
    }
    expect(paragraphs).toHaveLength(7); // headline + 6 story paragraphs
  });

  it('keeps headline, byline, dates and canonical URL as metadata', async () => {
    const [input] = okInputs(await collect(new PageSource(`${server.url}/moved`, { fetch: LOCAL_FETCH })));
    expect(input).toMatchObject({
      title: 'Harbour pilots end strike after nine days',
      byline: 'Ines Marlowe',
      publishedAt: '2024-03-05T08:30:00.000Z',
      updatedAt: '2024-03-05T10:05:00.000Z',
      url: `${server.url}/news/2024/03/harbour-pilots-strike-ends`,
      guid: null,
      embargoUntil: null,
      source: `${server.url}/moved`,
    });
  });

  it('reads a page without JSON-LD from its meta tags and markup', () => {
    const html = fs
      .readFileSync(fixture('page-comments.html'), 'utf8')
      .replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '');
    const a = extractHtmlArticle(html, { url: 'https://ledger.example/x' });
    expect(a.title).toBe('Harbour pilots end strike after nine days');
    expect(a.byline).toBe('Ines Marlowe');
    expect(a.dateline).toBe('PORT ELLIS');
    expect(a.publishedAt).toBe('2024-03-05T08:30:00.000Z');
    expect(a.canonicalUrl).toBe('https://ledger.example/news/2024/03/harbour-pilots-strike-ends');
  });
});

describe('a Latin-1 page', () => {
  for (const route of ['/fr/greve', '/fr/greve-header']) {
    it(`decodes it without mojibake or U+FFFD (${route})`, async () => {
      const [input] = okInputs(await collect(new PageSource(`${server.url}${route}`, { fetch: LOCAL_FETCH })));
      const text = input!.text;
      expect(text).not.toMatch(MOJIBAKE);
      expect(input!.title).toBe('Grève des dockers à Saint-Malô');
      expect(input!.byline).toBe('Amélie Duchêne');
      expect(input!.publishedAt).toBe('2024-03-05T13:30:00.000Z');
      expect(text).toContain('SAINT-MALÔ — Les dockers du port ont cessé le travail mardi');
      // windows-1252 bytes 0x93/0x94/0x92/0x80 under an ISO-8859-1 label, and entities.
      expect(text).toContain('“Nous ne céderons pas,” a déclaré François Lefèvre');
      expect(text).toContain('l’entrée du terminal');
      expect(text).toContain('1,5 million d’€ par jour');
      expect(text).toContain('«dans les plus brefs délais» écrit le préfet');
    });
  }
});

describe('page fetch limits', () => {
  it('refuses non-http schemes and reports HTTP errors', async () => {
    await expect(collect(new PageSource('file:///etc/passwd'))).rejects.toThrow(/only http and https/);
    await expect(collect(new PageSource(`${server.url}/missing`, { fetch: LOCAL_FETCH }))).rejects.toThrow(/HTTP 404/);
  });
});

describe('a story whose every paragraph is a link', () => {
  it('keeps all the paragraphs and drops the link list beside them', () => {
    const sentence = (i: number) => `Paragraph ${i + 1}: the harbour board met on Tuesday and voted ${i + 5} to 2 on the dredging plan, which has been debated since the spring.`;
    const wrapped = Array.from({ length: 5 }, (_, i) => (i % 2 ? `<p><a href="/s/${i}">${sentence(i)}</a></p>` : `<a href="/s/${i}"><p>${sentence(i)}</p></a>`)).join('\n');
    const html = `<html><head><title>Dredging plan approved</title></head><body><div class="content"><h1>Dredging plan approved</h1>${wrapped}</div>
      <ul class="links"><li><a href="/1">Weather</a></li><li><a href="/2">Tides</a></li><li><a href="/3">Jobs</a></li></ul></body></html>`;
    const a = extractHtmlArticle(html);
    expect(a.title).toBe('Dredging plan approved');
    expect(a.paragraphs).toEqual(Array.from({ length: 5 }, (_, i) => sentence(i)));
  });
});
