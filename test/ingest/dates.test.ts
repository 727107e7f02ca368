import { describe, expect, it } from 'vitest';
import { parseLooseDate } from '../../src/ingest/dates.js';

describe('parseLooseDate', () => {
  const cases: [string, string | null][] = [
    ['Tue, 05 Mar 2024 14:30:00 GMT', '2024-03-05T14:30:00.000Z'],
    ['Tue, 05 Mar 2024 14:30:00 EST', '2024-03-05T19:30:00.000Z'],
    ['Tue, 05 Mar 2024 14:30:00 -0500 (EST)', '2024-03-05T19:30:00.000Z'],
    ['Wed, 05 Mar 2024 14:30:00 +0100', '2024-03-05T13:30:00.000Z'], // wrong weekday: ignored
    ['5 Mar 24 14:30 CEST', '2024-03-05T12:30:00.000Z'], // two-digit year, no seconds
    ['Sat, 01 Jun 2024 09:00:00 BST', '2024-06-01T08:00:00.000Z'],
    ['Mon, 10 Jun 2024 18:00:00 AEST', '2024-06-10T08:00:00.000Z'],
    ['2024-03-05T14:30:00Z', '2024-03-05T14:30:00.000Z'],
    ['2024-03-05T14:30:00.250+05:30', '2024-03-05T09:00:00.250Z'],
    ['2024-03-05 14:30', '2024-03-05T14:30:00.000Z'],
    ['20240305T143000Z', '2024-03-05T14:30:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['March 5, 2024 2:30 PM ET', '2024-03-05T19:30:00.000Z'], // US eastern standard time
    ['July 4, 2024 2:30 p.m. ET', '2024-07-04T18:30:00.000Z'], // US eastern daylight time
    ['Tuesday, 5th March 2024 at 09:15 GMT+1', '2024-03-05T08:15:00.000Z'],
    ['05.03.2024 14:30', '2024-03-05T14:30:00.000Z'], // European day.month.year
    ['25/12/2023 08:00', '2023-12-25T08:00:00.000Z'],
    ['5 Mar 2024 1430 GMT', '2024-03-05T14:30:00.000Z'],
    ['1709649000', '2024-03-05T14:30:00.000Z'],
    ['the afternoon of Tuesday', null],
    ['Tue, 05 Mar 2024 14:30:00 XYZ', null], // unknown zone: not guessed
    ['31 Feb 2024', null],
    ['2024-03-05T25:00:00Z', null],
    ['', null],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseLooseDate(input)).toBe(expected);
  });
});
