/**
 * A parse-worker module for tests (loaded by `createParsePool({ workerModule })`): the real
 * parser, except for stories carrying a marker, which make the worker misbehave on purpose:
 * `[[worker-exit]]` ends the worker thread (exit code 7), `[[worker-throw]]` throws,
 * `[[worker-hang]]` never returns, `[[slow-parse:MS]]` blocks MS milliseconds before parsing.
 */
import { parseArticle } from '../../src/parse/index.js';
import type { ParsedArticle } from '../../src/parse/types.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

export default function standInParse(text: string): ParsedArticle {
  if (text.includes('[[worker-exit]]')) process.exit(7);
  if (text.includes('[[worker-throw]]')) throw new Error('stand-in parser refused this story');
  if (text.includes('[[worker-hang]]')) for (;;);
  const slow = /\[\[slow-parse:(\d+)\]\]/.exec(text);
  if (slow) Atomics.wait(pause, 0, 0, Number(slow[1]));
  return parseArticle(text);
}
