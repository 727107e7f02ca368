/** `--page` in typed commands (terminal, `cli ask`): a page number, or a clear error, never topic words. */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE, parseCommandText, readPageArgument } from '../../src/core/commandText.js';

const PAGE_HELP = `--page takes a page number from 1 to ${MAX_PAGE}, e.g. --page 2`;

describe('--page', () => {
  it('takes a page number at the end or before other words', () => {
    expect(parseCommandText('/quotes okafor --page 2')).toEqual({ ok: true, command: 'quotes', args: 'okafor', page: 2 });
    expect(parseCommandText('/quotes okafor --page=3')).toEqual({ ok: true, command: 'quotes', args: 'okafor', page: 3 });
    expect(parseCommandText('/quotes --page 2 okafor about the ferry')).toEqual({ ok: true, command: 'quotes', args: 'okafor about the ferry', page: 2 });
    expect(parseCommandText('/quotes --page 4')).toEqual({ ok: true, command: 'quotes', args: '', page: 4 });
  });

  it.each([
    ['/quotes okafor --page -1', '“-1”'],
    ['/quotes okafor --page abc', '“abc”'],
    ['/quotes okafor --page 0', '“0”'],
    ['/quotes okafor --page 2.5', '“2.5”'],
    ['/quotes okafor --page 1001', '“1001”'],
    ['/quotes okafor --page 99999999999', '“99999999999”'],
    ['/quotes okafor --page', 'nothing'],
    ['/quotes okafor --page=', 'nothing'],
  ])('refuses %s with its own message', (line, shown) => {
    expect(parseCommandText(line)).toEqual({ ok: false, error: `${PAGE_HELP} (got ${shown}).` });
  });

  it('reads a --page value given apart (cli ask --page N) the same way', () => {
    expect(readPageArgument('7')).toEqual({ ok: true, page: 7 });
    expect(readPageArgument('abc')).toEqual({ ok: false, error: `${PAGE_HELP} (got “abc”).` });
    expect(readPageArgument(' 2')).toMatchObject({ ok: false });
  });

  it('leaves words that only contain "--page" alone', () => {
    expect(parseCommandText('/search front--page news')).toEqual({ ok: true, command: 'search', args: 'front--page news' });
  });
});
