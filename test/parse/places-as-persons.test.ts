/**
 * The check that lists places typed as persons (scripts/check/places-as-persons.ts), on parses
 * written for the test and on a story parsed by the real parser.
 */
import { describe, expect, it } from 'vitest';
import { placeKind, placesAsPersons, readJsonl } from '../../scripts/check/places-as-persons.js';
import { parseArticle } from '../../src/parse/index.js';

describe('check:places', () => {
  it('knows countries, subdivisions and cities, and nothing else', () => {
    expect(placeKind('Georgia')).toBe('country');
    expect(placeKind('North Carolina')).toBe('subdivision');
    expect(placeKind('San Bernardino')).toBe('city');
    expect(placeKind('Dana Whitlow')).toBeNull();
    expect(placeKind('French')).toBeNull();
  });

  it('lists only persons whose whole name is a place', () => {
    const parses = [
      { file: 'a.txt', entities: [{ name: 'Arizona', type: 'person' }, { name: 'Arizona', type: 'place' }, { name: 'Dana Whitlow', type: 'person' }] },
      { file: 'b.txt', entities: [{ name: 'Britain', type: 'person' }] },
    ];
    expect(placesAsPersons(parses)).toEqual([
      { file: 'a.txt', name: 'Arizona', is: 'subdivision' },
      { file: 'b.txt', name: 'Britain', is: 'country' },
    ]);
  });

  it('reads parse --jsonl lines, skips error lines and refuses other shapes', () => {
    const text = [JSON.stringify({ file: 'a.txt', entities: [{ name: 'Nevada', type: 'person', aliases: [] }] }), JSON.stringify({ file: 'b.txt', error: 'unreadable' }), ''].join('\n');
    expect(readJsonl(text)).toEqual([{ file: 'a.txt', entities: [{ name: 'Nevada', type: 'person', aliases: [] }] }]);
    expect(() => readJsonl(JSON.stringify({ entities: 'none' }))).toThrow(/line 1/);
  });

  it('finds none in a story whose states follow "of" and "from"', () => {
    const p = parseArticle('Delegates\n\n“We should end it,” said Sen. Dana Whitlow of Oregon, who leads the group. The senator from Vermont said the system was broken.');
    expect(placesAsPersons([{ file: 'x', entities: p.entities }])).toEqual([]);
  });
});
