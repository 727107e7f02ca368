import { describe, expect, it } from 'vitest';
import { findAmounts } from '../../src/parse/amounts.js';
import { layout } from '../../src/parse/layout.js';
import { splitSentences } from '../../src/parse/sentences.js';

/** Amounts of a text whose first line is a sentence, as `[value, unit, surface text]`. */
function amounts(text: string): [number, string, string][] {
  const l = layout(text);
  return findAmounts(text, splitSentences(text, l.paragraphs)).map((a) => [a.value, a.unit, a.text]);
}

describe('amounts: money', () => {
  it('applies million/billion and currency symbols', () => {
    expect(amounts('The deal is worth $6.8 billion, and the fund lost £41 million and €2,500.')).toEqual([
      [6_800_000_000, 'dollars', '$6.8 billion'],
      [41_000_000, 'pounds', '£41 million'],
      [2500, 'euros', '€2,500'],
    ]);
  });

  it('reads the short multiplier m and bn', () => {
    expect(amounts('He joined for £2.5m in a deal that valued the club at £1.2bn overall.').map(([v, u]) => [v, u])).toEqual([
      [2_500_000, 'pounds'],
      [1_200_000_000, 'pounds'],
    ]);
  });

  it('keeps rates: a year, a share, a week', () => {
    expect(amounts('It pays €60 million a year and $47 a share, and wages of £140,000 a week.')).toEqual([
      [60_000_000, 'euros a year', '€60 million a year'],
      [47, 'dollars a share', '$47 a share'],
      [140_000, 'pounds a week', '£140,000 a week'],
    ]);
  });

  it('reads currency words after the number', () => {
    expect(amounts('The grant of 14 million kroner and 1.2 billion rand was approved.').map(([v, u]) => [v, u])).toEqual([
      [14_000_000, 'kroner'],
      [1_200_000_000, 'rand'],
    ]);
  });
});

describe('amounts: percentages and counts', () => {
  it('reads %, percent, per cent and percentage points', () => {
    expect(amounts('Fares rise 18% this year, grants fell 9 percent, 40 per cent missed checks and rates fell 2 percentage points.').map(([v, u]) => [v, u])).toEqual([
      [18, 'percent'],
      [9, 'percent'],
      [40, 'percent'],
      [2, 'percentage points'],
    ]);
  });

  it('reads counted nouns, including after an adjective', () => {
    expect(amounts('About 3,400 residents fled and 600 firefighters and 14 shell companies were involved.').map(([v, u]) => [v, u])).toEqual([
      [3400, 'residents'],
      [600, 'firefighters'],
      [14, 'shell companies'],
    ]);
  });

  // Parser bug (reported): a capitalised demonym other than the six hard-coded ones
  // (French, British, American, Russian, Ukrainian, Chinese, German) stops the counted noun.
  it.fails('reads a count whose noun follows a demonym (400 Senegalese fishing boats)', () => {
    const got = amounts('It kept more than 400 Senegalese fishing boats out of its waters.');
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe(400);
    expect(got[0]![1]).toMatch(/boats$/);
  });

  it('leaves out years, dates, times and ordinals', () => {
    expect(amounts('In 2022 the council met on Sept. 12 at 4:12 p.m. for the 3rd time.')).toEqual([]);
  });
});
