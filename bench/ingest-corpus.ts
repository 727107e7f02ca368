/**
 * A generated corpus of wire-style stories for the ingest benchmark and the 10,000-story test.
 * Stories are built from small pools of invented places, people and events with a seeded PRNG,
 * so every run writes the same files; every story is distinct (its number is in the headline
 * and in a sentence of the body).
 */
import fs from 'node:fs';
import path from 'node:path';

const PLACES = ['PORT ELLIS', 'WESTHAVEN', 'KESTREL BAY', 'NORTHAM', 'VALMORA', 'SAINT-MALÔ', 'LONDON', 'NAIROBI', 'OSAKA', 'LIMA'];
const PEOPLE = [
  ['Hanne Solberg', 'mayor'],
  ['Tomas Varga', 'union leader'],
  ['Lena Brandt', 'chief operating officer'],
  ['Rafael Ortiz', 'transport minister'],
  ['Mette Kjaer', 'fisheries spokeswoman'],
  ['Noor Haddad', 'city planner'],
  ['Pol Arenas', 'harbour master'],
  ['Lin Okafor', 'economist'],
] as const;
const EVENTS = [
  ['council approves', 'bridge plan'],
  ['workers strike over', 'night shifts'],
  ['ministry announces', 'rail funding'],
  ['storm disrupts', 'ferry services'],
  ['court rules on', 'harbour dispute'],
  ['company reports', 'record profits'],
  ['voters reject', 'parking fees'],
  ['scientists warn of', 'falling fish stocks'],
] as const;
const CUES = ['said', 'told reporters', 'said in a statement', 'added'];

/** Mulberry32: a small seeded PRNG, enough for varied test text (also drives bench/synthetic.ts). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The text of generated story `n` (0-based): headline, dateline, 5–8 paragraphs with quotes,
 * amounts and names. Roughly 1.5–2.5 KB.
 * @param revision a non-zero revision changes one paragraph (a correction)
 */
export function syntheticStory(n: number, revision = 0): string {
  const r = prng(n * 7919 + 17);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const place = pick(PLACES);
  const [verb, topic] = pick(EVENTS);
  const [who, role] = pick(PEOPLE);
  const [other, otherRole] = pick(PEOPLE);
  const amount = Math.floor(r() * 900) + 100;
  const pct = (r() * 20).toFixed(1);
  const paras = [
    `${place} — The ${topic} story number ${n} developed on Tuesday as officials said ${amount} people were affected, a figure ${pct} percent higher than last year.`,
    `“We will not accept a plan that leaves ${amount} families waiting,” ${who}, the ${role}, ${pick(CUES)}.`,
    `${other}, the ${otherRole}, said the costs would reach $${(amount / 10).toFixed(1)} million and that talks would resume on Friday.`,
    `The ${topic} has divided opinion in ${place.charAt(0)}${place.slice(1).toLowerCase()} for months, with residents split over who should pay.`,
    `“This is about trust,” ${who} added, saying a decision was expected within ${Math.floor(r() * 10) + 2} weeks.`,
  ];
  const extra = Math.floor(r() * 4);
  for (let i = 0; i < extra; i++) {
    paras.push(`Critics said the ${topic} would cost ${Math.floor(r() * 50) + 5} jobs, a claim ${other} rejected as “premature” in remarks to reporters on day ${i + 2}.`);
  }
  if (revision > 0) paras.push(`Correction (revision ${revision}): an earlier version of this story gave the wrong figure for the number of people affected.`);
  const headline = `${who.split(' ')[1]} says ${verb} ${topic} in story ${n}`;
  return `${headline.charAt(0).toUpperCase()}${headline.slice(1)}\n\n${paras.join('\n\n')}\n`;
}

/**
 * Writes `count` generated `.txt` stories into `dir` (created if needed), 500 to a sub-folder.
 * @returns the file paths, in the order written
 */
export function writeSyntheticFolder(dir: string, count: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `batch-${String(Math.floor(i / 500)).padStart(3, '0')}`);
    if (i % 500 === 0) fs.mkdirSync(sub, { recursive: true });
    const f = path.join(sub, `story-${String(i).padStart(5, '0')}.txt`);
    fs.writeFileSync(f, syntheticStory(i));
    files.push(f);
  }
  return files;
}
