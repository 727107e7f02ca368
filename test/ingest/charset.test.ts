import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBytes, normaliseCharset, repairMojibake } from '../../src/ingest/charset.js';
import { cleanText } from '../../src/ingest/text.js';

const latin = (s: string) => iconv.encode(s, 'windows-1252');

describe('decodeBytes', () => {
  it('honours the HTTP charset for ISO-8859-1, reading 0x80–0x9F as windows-1252', () => {
    const bytes = latin('“Déjà vu” — 5 €');
    const d = decodeBytes(bytes, 'text/html; charset=ISO-8859-1');
    expect(d.text).toBe('“Déjà vu” — 5 €');
    expect(d.encoding).toBe('windows-1252');
    expect(d.evidence).toBe('header');
  });

  it('reads <meta charset> and <?xml encoding?> when there is no header', () => {
    const html = latin('<html><head><meta charset="iso-8859-1"></head><body>Müller señor</body></html>');
    expect(decodeBytes(html).text).toContain('Müller señor');
    expect(decodeBytes(html).evidence).toBe('meta');
    const xml = latin('<?xml version="1.0" encoding="windows-1252"?><rss>Zürich</rss>');
    expect(decodeBytes(xml).text).toContain('Zürich');
    expect(decodeBytes(xml).evidence).toBe('xml');
  });

  it('lets a byte-order mark win and drops it', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Ærø', 'utf8')]);
    const d = decodeBytes(bytes, 'text/plain; charset=iso-8859-1');
    expect(d.text).toBe('Ærø');
    expect(d.evidence).toBe('bom');
  });

  it('overrules a stale Latin-1 declaration on valid UTF-8 bytes instead of producing mojibake', () => {
    const d = decodeBytes(Buffer.from('<p>“Zoë” — café</p>', 'utf8'), 'text/html; charset=iso-8859-1');
    expect(d.text).toBe('<p>“Zoë” — café</p>');
    expect(d.note).toMatch(/valid UTF-8/);
  });

  it('falls back to windows-1252 when bytes declared UTF-8 are not UTF-8', () => {
    const d = decodeBytes(latin('Crème brûlée'), 'text/plain; charset=utf-8');
    expect(d.text).toBe('Crème brûlée');
    expect(d.note).toMatch(/not valid UTF-8/);
  });

  it('sniffs undeclared bytes', () => {
    expect(decodeBytes(Buffer.from('naïve', 'utf8')).text).toBe('naïve');
    expect(decodeBytes(latin('naïve')).text).toBe('naïve');
  });
});

describe('charset labels', () => {
  it('normalises labels and reads Content-Type parameters', () => {
    expect(normaliseCharset('"ISO-8859-1"')).toBe('windows-1252');
    expect(normaliseCharset('UTF8')).toBe('utf-8');
    expect(normaliseCharset('x-no-such-charset')).toBeNull();
    expect(charsetFromContentType('application/rss+xml; charset="windows-1252"')).toBe('windows-1252');
    expect(charsetFromContentType('text/html')).toBeNull();
  });
});

describe('repairMojibake and cleanText', () => {
  it('repairs one round of UTF-8 read as windows-1252', () => {
    expect(repairMojibake('â€œWe wonâ€™t goâ€\u009d, said the MÃ¼ller family')).toBe('“We won’t go”, said the Müller family');
  });
  it('leaves genuine Latin-1 text alone', () => {
    for (const s of ['São Paulo', 'Ã vontade', 'café’s owner', 'Âge d’or']) expect(repairMojibake(s)).toBe(s);
  });
  it('never lets U+FFFD, controls or zero-width characters through', () => {
    expect(cleanText('a\uFFFDb\u0000c\u200Bd\u0085e\u00ADf')).toBe('abcdef');
    expect(cleanText('one\u00A0two\r\n\r\n\r\n\r\nthree')).toBe('one two\n\nthree');
  });
});
