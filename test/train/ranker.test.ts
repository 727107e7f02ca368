/**
 * The attribution model's trainer and the gold-corpus reader used by npm run train:attribution.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldOf, loadCorpus, nth, sameName } from '../../scripts/train/corpus.js';
import { examplesOf, evaluate } from '../../scripts/train/attribution.js';
import { trainRanker, type RankingExample } from '../../scripts/train/ranker.js';

/** A toy ranking problem: the candidate with feature `right` is always the answer. */
function toy(): RankingExample[] {
  const out: RankingExample[] = [];
  for (let i = 0; i < 40; i++) {
    const cands = [['none'], ['near', i % 2 ? 'right' : 'wrong'], ['far', i % 2 ? 'wrong' : 'right']];
    out.push({ candidates: cands, positives: [i % 2 ? 1 : 2], weight: 1 });
  }
  return out;
}

describe('trainRanker', () => {
  it('learns which feature marks the right candidate', () => {
    const w = trainRanker(toy(), { epochs: 20, rate: 0.3, l2: 1e-4 });
    expect(w.get('right')!).toBeGreaterThan(1);
    expect(w.get('wrong')!).toBeLessThan(-1);
  });
  it('is deterministic: the same examples give the same weights', () => {
    const a = trainRanker(toy(), { epochs: 5, rate: 0.3, l2: 1e-4 });
    const b = trainRanker(toy(), { epochs: 5, rate: 0.3, l2: 1e-4 });
    expect([...a.entries()]).toEqual([...b.entries()]);
  });
});

describe('gold corpus reader', () => {
  it('matches names as the scorer does: surname with compatible given names, titles ignored', () => {
    expect(sameName('Maria Zakharova', ['Zakharova'])).toBe(true);
    expect(sameName('Sen. Ruth Adebayo', ['Ruth Adebayo'])).toBe(true);
    expect(sameName('Sami Haddad', ['Farid Haddad'])).toBe(false);
    expect(sameName(null, ['Anyone'])).toBe(false);
  });
  it('finds the n-th occurrence and assigns stable folds', () => {
    expect(nth('a b a b a', 'a', 3)).toBe(8);
    expect(nth('a b', 'c', 1)).toBe(-1);
    expect(foldOf('story-1', 5)).toBe(foldOf('story-1', 5));
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => foldOf(x, 3))).size).toBeGreaterThan(1);
  });
  it('loads a gold folder, labels the parser’s candidates and scores end to end', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-'));
    fs.writeFileSync(path.join(dir, 'ferry.txt'), 'Ferry board vote\n\n“The timetable stays,” said Ines Duarte, the board chair. Its old hull is a “floating museum” these days.\n');
    fs.writeFileSync(path.join(dir, 'ferry.gold.json'), JSON.stringify({ id: 'ferry', file: 'ferry.txt', quotes: [{ text: 'The timetable stays,', occurrence: 1, speaker: ['Ines Duarte'], kind: 'direct' }], not_quotes: ['floating museum'] }));
    const [a] = loadCorpus(dir);
    expect(a!.complete).toBe(true);
    expect(a!.quotes[0]).toMatchObject({ speaker: ['Ines Duarte'] });
    const ex = examplesOf(a!, null);
    expect(ex).toHaveLength(2);
    expect(ex[0]!.positives.length).toBeGreaterThan(0);
    expect(ex[1]!.positives).toEqual([0]); // the scare quote is nobody's
    const f = evaluate([a!], null);
    expect(f).toMatchObject({ quotes: 1, found: 1, attributed: 1, spurious: 0 });
    expect(() => loadCorpus(path.join(dir, 'missing'))).toThrow();
  });
});
