/**
 * Turning the bytes of a page, feed or file into text: honour the declared charset
 * (HTTP `Content-Type`, byte-order mark, `<meta charset>`, `<?xml encoding?>`), fall back
 * sensibly when there is none, and never let mojibake or U+FFFD into the index.
 *
 * Rules follow the WHATWG Encoding Standard where it matters for news: the labels
 * `iso-8859-1`, `latin1` and `us-ascii` are decoded as windows-1252 (so the curly quotes
 * and dashes that Windows newsroom systems put in bytes 0x80–0x9F survive).
 */
import iconv from 'iconv-lite';

/** Which evidence decided the encoding of a decoded buffer. */
export type CharsetEvidence = 'bom' | 'header' | 'meta' | 'xml' | 'sniffed' | 'default';

/** The result of `decodeBytes`. */
export interface DecodedText {
  text: string;
  /** The encoding actually used, as an iconv-lite name ("utf-8", "windows-1252", "shift_jis"). */
  encoding: string;
  evidence: CharsetEvidence;
  /** Set when the declaration was overruled (declared Latin-1 but the bytes are valid UTF-8, or the reverse). */
  note?: string;
}

/** Labels that the WHATWG Encoding Standard maps to windows-1252. */
const WINDOWS_1252_LABELS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'cp819',
  'ibm819',
  'iso-ir-100',
]);

/**
 * Normalises a charset label to an encoding iconv-lite can decode, or null when unknown.
 * @param label a label as written in a header or document ("ISO-8859-1", "utf8", "\"windows-1252\"")
 */
export function normaliseCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return null;
  if (l === 'utf-8' || l === 'utf8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  if (WINDOWS_1252_LABELS.has(l)) return 'windows-1252';
  return iconv.encodingExists(l) ? l : null;
}

/** The charset parameter of a `Content-Type` header value, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m ? m[2]! : null;
}

/** The encoding named by a byte-order mark at the start of `bytes`, and the mark's length. */
function bom(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** A charset declared inside the first 4 KB of a document: `<?xml encoding>`, `<meta charset>` or `<meta http-equiv>`. */
function declaredInDocument(bytes: Uint8Array): { label: string; evidence: 'meta' | 'xml' } | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return { label: xml[1]!, evidence: 'xml' };
  const meta = /<meta[^>]+charset\s*=\s*["']?([^"'\s/>;]+)/i.exec(head);
  if (meta) return { label: meta[1]!, evidence: 'meta' };
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when `bytes` contain any byte ≥ 0x80. */
function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/**
 * Decodes bytes to text.
 * Order of evidence: byte-order mark, then the HTTP `Content-Type` charset, then an in-document
 * declaration, then sniffing (valid UTF-8 → UTF-8, else windows-1252). A single-byte declaration
 * is overruled when the bytes are valid UTF-8 with multi-byte sequences (a page saved as UTF-8
 * under a stale Latin-1 declaration), because decoding those as Latin-1 yields mojibake (`â€œ`);
 * a UTF-8 declaration on bytes that are not UTF-8 falls back to windows-1252 for the same reason.
 * @param bytes the raw body
 * @param contentType the HTTP `Content-Type` header value, when the bytes came over HTTP
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string | null): DecodedText {
  const mark = bom(bytes);
  if (mark) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(mark.length)), mark.encoding), encoding: mark.encoding, evidence: 'bom' };
  }
  let declared: { encoding: string; evidence: CharsetEvidence } | null = null;
  const fromHeader = normaliseCharset(charsetFromContentType(contentType));
  if (fromHeader) declared = { encoding: fromHeader, evidence: 'header' };
  if (!declared) {
    const inDoc = declaredInDocument(bytes);
    const enc = normaliseCharset(inDoc?.label);
    if (inDoc && enc) declared = { encoding: enc, evidence: inDoc.evidence };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!declared) {
    if (isValidUtf8(bytes)) return { text: buf.toString('utf8'), encoding: 'utf-8', evidence: hasHighBytes(bytes) ? 'sniffed' : 'default' };
    return { text: iconv.decode(buf, 'windows-1252'), encoding: 'windows-1252', evidence: 'sniffed' };
  }
  if (declared.encoding === 'utf-8') {
    if (isValidUtf8(bytes)) return { text: buf.toString('utf8'), encoding: 'utf-8', evidence: declared.evidence };
    return {
      text: iconv.decode(buf, 'windows-1252'),
      encoding: 'windows-1252',
      evidence: 'sniffed',
      note: 'declared UTF-8 but the bytes are not valid UTF-8; decoded as windows-1252',
    };
  }
  if (declared.encoding === 'windows-1252' && hasHighBytes(bytes) && isValidUtf8(bytes)) {
    return {
      text: buf.toString('utf8'),
      encoding: 'utf-8',
      evidence: 'sniffed',
      note: 'declared a Latin-1 charset but the bytes are valid UTF-8; decoded as UTF-8',
    };
  }
  return { text: iconv.decode(buf, declared.encoding), encoding: declared.encoding, evidence: declared.evidence };
}

/** Characters that appear when UTF-8 bytes were decoded as windows-1252: a lead byte's character then a continuation byte's. */
const MOJIBAKE = /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/g;

/** Reverse map of windows-1252's 0x80–0x9F range, for repairing mojibake. */
const CP1252_HIGH: Record<string, number> = {};
{
  const high = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), 'windows-1252');
  for (let i = 0; i < high.length; i++) if (high[i] !== '\uFFFD') CP1252_HIGH[high[i]!] = 0x80 + i;
}

/**
 * Repairs text that went through a UTF-8 → windows-1252 mix-up once (`â€œ` → `“`, `Ã¼` → `ü`).
 * Each maximal run of characters in the windows-1252 repertoire that contains a mojibake pair is
 * re-encoded to bytes and decoded as UTF-8; a run is replaced only when its bytes are valid UTF-8,
 * so genuine Latin-1 text ("Ã" in a Portuguese name followed by a space) is left alone.
 * @returns the repaired text (the same string when nothing needed repair)
 */
export function repairMojibake(text: string): string {
  MOJIBAKE.lastIndex = 0;
  if (!MOJIBAKE.test(text)) return text;
  return text.replace(/[\u0080-\u00FF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]{2,}/g, (run) => {
    MOJIBAKE.lastIndex = 0;
    if (!MOJIBAKE.test(run)) return run;
    const bytes: number[] = [];
    for (const ch of run) {
      const code = ch.charCodeAt(0);
      const b = code <= 0xff ? code : CP1252_HIGH[ch];
      if (b === undefined) return run;
      bytes.push(b);
    }
    try {
      return strictUtf8.decode(Uint8Array.from(bytes));
    } catch {
      return run;
    }
  });
}
