/** Shared helpers for ingest tests: fixture paths, collecting a source's items, a capturing logger. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestLogger, Source, SourceItem } from '../../src/ingest/types.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string): string => path.join(FIXTURES, name);

/** Runs one pass of a source and returns everything it yielded. */
export async function collect(source: Source): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of source.items()) out.push(item);
  return out;
}

/** The inputs of the ok items; fails the test if any item failed. */
export function okInputs(items: SourceItem[]) {
  const bad = items.filter((i) => !i.ok);
  if (bad.length) throw new Error(`unexpected failed items: ${JSON.stringify(bad)}`);
  return items.map((i) => (i.ok ? i.input : null!));
}

/** A logger that records every call. */
export function capturingLogger(): IngestLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

/** Mojibake and replacement characters that must never reach the index. */
export const MOJIBAKE = /â€|Ã[\u0080-\u00BF©¨ª«®¼½¾§]|Â[\u00A0-\u00BF]|\uFFFD/;
