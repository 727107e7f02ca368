/**
 * The attribution stages one by one (src/parse/attribution/): cues, mentions, coreference,
 * terms, sieves, candidates, features and the ranking model, each on short stories written for
 * these tests, with the values each stage must produce.
 */
import { describe, expect, it } from 'vitest';
import { attributionInputFor } from '../../src/parse/index.js';
import { candidatesFor, refsBySentenceOf } from '../../src/parse/attribution/candidates.js';
import { resolveReferences } from '../../src/parse/attribution/coref.js';
import { cueLemma, isCue, nounUse } from '../../src/parse/attribution/cues.js';
import { buildDoc, type Doc } from '../../src/parse/attribution/doc.js';
import { featuresOf, quoteFacts } from '../../src/parse/attribution/features.js';
import { collectMentions, indexMentions } from '../../src/parse/attribution/mentions.js';
import { defaultModel, readModel, scoreOf, writeModel } from '../../src/parse/attribution/model.js';
import { propose, siteOf, type Discourse } from '../../src/parse/attribution/sieves.js';
import { readTerm, titleLike } from '../../src/parse/attribution/terms.js';

const HEAD = 'Harbour story\n\n';

/** The attribution stage's view of a text, with mentions collected and resolved. */
function docOf(body: string): Doc {
  const d = buildDoc(attributionInputFor(HEAD + body));
  collectMentions(d);
  resolveReferences(d);
  indexMentions(d);
  return d;
}
const emptyDiscourse = (): Discourse => ({ lastSpeakerInParagraph: new Map(), lastSpeaker: null, lastSpeakerParagraph: -1, byStart: new Map() });
const tokenIndex = (d: Doc, word: string, nth = 1): number => {
  let seen = 0;
  return d.tokens.findIndex((t) => t.text === word && ++seen === nth);
};

describe('cues: reporting verbs in use as verbs', () => {
  it('reads every tense and form of the lexicon’s verbs, with their lemma', () => {
    const d = docOf('Ines Duarte joked that the ferry was late. She quipped about it, sighed, insisted, conceded and tweeted. Duarte says so.');
    for (const [w, lemma] of [['joked', 'joke'], ['quipped', 'quip'], ['sighed', 'sigh'], ['insisted', 'insist'], ['conceded', 'concede'], ['tweeted', 'tweet'], ['says', 'say']] as const) {
      const k = tokenIndex(d, w);
      expect(isCue(d, d.tokens[k]), w).toBe(true);
      expect(cueLemma(d.tokens[k]), w).toBe(lemma);
    }
  });

  it('rejects nouns, infinitives and gerunds after a determiner, but reads "went on to say"', () => {
    const d = docOf('The board issued a warning. It wanted to say nothing. State media dismissed reports that it failed. Duarte went on to say it was fine.');
    expect(isCue(d, d.tokens[tokenIndex(d, 'warning')])).toBe(false);
    expect(isCue(d, d.tokens[tokenIndex(d, 'say', 1)])).toBe(false);
    expect(nounUse(d, tokenIndex(d, 'reports'))).toBe(true);
    expect(isCue(d, d.tokens[tokenIndex(d, 'say', 2)])).toBe(true);
  });
});

describe('mentions and coreference', () => {
  it('collects names, pronouns, descriptions and unnamed sources, and resolves she by gender', () => {
    const d = docOf('Tomas Ferreira met Sarah Okafor at the port. She said the cranes were old. A senior official at the port agreed, and the minister left.');
    const kinds = d.refs.map((r) => `${r.kind}:${d.text.slice(r.start, r.end)}`);
    expect(kinds).toContain('name:Tomas Ferreira');
    expect(kinds).toContain('name:Sarah Okafor');
    expect(kinds).toContain('pronoun:She');
    expect(kinds.some((k) => k.startsWith('anon:A senior official'))).toBe(true);
    const she = d.refs.find((r) => r.kind === 'pronoun')!;
    expect(she.entity?.name).toBe('Sarah Okafor');
  });

  it('records each sentence’s subject, skipping an introductory phrase', () => {
    const d = docOf('Asked by Tomas Ferreira about the cranes, Sarah Okafor shrugged.');
    const subj = d.sentenceSubject.get(d.tokens[tokenIndex(d, 'Okafor')]!.sentence);
    expect(subj?.entity?.name).toBe('Sarah Okafor');
  });
});

describe('terms', () => {
  it('tells titles and so-called names from speech', () => {
    expect(titleLike('Operation Jade Mirror')).toBe(true);
    expect(titleLike('We will not move.')).toBe(false);
    const d = docOf('The plan, dubbed “Blue Harbour”, was dropped. “We will not move,” said Ines Duarte.');
    const [q0, q1] = d.quotes;
    const s0 = siteOf(d, 0)!;
    const s1 = siteOf(d, 1)!;
    expect(readTerm(d, q0!, s0.sOpen, s0.openTok, s0.after !== null).term).toBe(true);
    expect(readTerm(d, q1!, s1.sOpen, s1.openTok, s1.after !== null).term).toBe(false);
  });
});

describe('sieves: each names the rule that proposes a speaker', () => {
  const first = (body: string, qi = 0, disc = emptyDiscourse()): { sieve: string; name: string }[] => {
    const d = docOf(body);
    return propose(d, siteOf(d, qi)!, disc).map((p) => ({ sieve: p.sieve, name: p.speaker.name }));
  };

  it('trailing-cue: “…,” Name, appositive, told reporters', () => {
    expect(first('“The berths are full,” Kwame Asante, a spokesman for the port authority, told reporters.')[0]).toEqual({ sieve: 'trailing-cue', name: 'Kwame Asante' });
  });
  it('trailing-cue, inverted: the head of the noun phrase after the verb', () => {
    expect(first('“The berths are full,” said port authority spokesman Kwame Asante.')[0]).toEqual({ sieve: 'trailing-cue', name: 'Kwame Asante' });
    expect(first('“The berths are full,” said the authority’s deputy director, Lena Varga.')[0]).toEqual({ sieve: 'trailing-cue', name: 'Lena Varga' });
  });
  it('colon-intro, cue-before, according-to, clause-subject and dash-credit', () => {
    expect(first('Lena Varga sighed: “Not again.”')[0]).toEqual({ sieve: 'colon-intro', name: 'Lena Varga' });
    expect(first('Lena Varga called the plan “a fantasy” on Monday.')[0]).toEqual({ sieve: 'cue-before', name: 'Lena Varga' });
    expect(first('The berths were full, according to Lena Varga, who runs the “north quay” yard.').map((p) => p.sieve)).toContain('according-to');
    expect(first('Lena Varga shrugged off the plan as “a fantasy” on Monday.').map((p) => p.sieve)).toContain('clause-subject');
    expect(first('“We sail at dawn.”\n— Captain Lena Varga, master of the Sea Lark')[0]).toEqual({ sieve: 'dash-credit', name: 'Lena Varga' });
  });
  it('cue-later: a reporting verb later in the sentence whose subject follows the quote', () => {
    expect(first('The delay would mean a “winter of queues” for the islands, said Ada Brock, a ferry analyst.').map((p) => p.sieve)).toContain('cue-later');
    expect(first('The delay would mean a “winter of queues” for the islands, said Ada Brock, a ferry analyst.').find((p) => p.sieve === 'cue-later')?.name).toBe('Ada Brock');
    expect(first('Its new berth will carry “real weight” with hauliers, port spokesman Neil Oduya said.').find((p) => p.sieve === 'cue-later')?.name).toBe('Neil Oduya');
    // a verb whose subject stands before the quotation reports other words
    expect(first('Ada Brock called the berth “real weight” and said little else.').map((p) => p.sieve)).not.toContain('cue-later');
  });
  it('dash-credit: a dash credits a name or a source, never the words that continue the sentence', () => {
    expect(first('Lena Varga called his plan a “fantasy” -- all without naming him.').map((p) => p.sieve)).not.toContain('dash-credit');
    expect(first('“We sail at dawn.” — the harbour master')[0]?.sieve).toBe('dash-credit');
  });
  it('speech-noun and "as X puts it": the possessor of a claim, the columnist framing the sentence', () => {
    expect(first('The board was rattled by auditor Ines Kraft’s conclusion that its books were “a work of fiction.”').find((p) => p.sieve === 'speech-noun')?.name).toBe('Ines Kraft');
    // a verdict on someone's remarks is the subject's, not the remarks' owner's
    expect(first('Lena Varga denounced Ines Kraft’s remarks as “cheap.”').map((p) => p.sieve)).not.toContain('speech-noun');
    expect(first('As columnist Ruth Maris puts it, the board wants islanders to “pay for the privilege.”').find((p) => p.sieve === 'according-to')?.name).toBe('Ruth Maris');
  });
  it('colon-intro, inverted: the name after a fronted reporting verb', () => {
    expect(first('In other words, explained moderator Nancy Lund: “You took the money.”').find((p) => p.sieve === 'colon-intro')?.name).toBe('Nancy Lund');
  });
  it('split-quote, running-speaker, next-quote and previous-paragraph use the discourse so far', () => {
    const disc = emptyDiscourse();
    const lena = { name: 'Lena Varga', entityId: 'person:lena-varga' };
    disc.lastSpeakerInParagraph.set(0, lena);
    disc.lastSpeaker = lena;
    expect(first('Lena Varga runs the yard. “The cranes are old.”', 0, disc).map((p) => p.sieve)).toContain('running-speaker');
    expect(first('“The cranes are old.” “They break every week,” Lena Varga said.', 0).map((p) => p.sieve)).toContain('next-quote');
    expect(first('Lena Varga runs the yard.\n\n“The cranes are old.”', 0, disc).map((p) => p.sieve)).toContain('previous-paragraph');
  });
});

describe('candidates and features', () => {
  it('offers nobody first, every proposal, pronoun alternatives and nearby people; features never carry names', () => {
    const d = docOf('Lena Varga and Tomas Ferreira toured the yard. “The cranes are old,” she said.');
    const site = siteOf(d, 0)!;
    const disc = emptyDiscourse();
    const props = propose(d, site, disc);
    const cands = candidatesFor(d, site, props, disc, refsBySentenceOf(d));
    expect(cands[0]!.key).toBe('none');
    expect(cands.map((c) => c.speaker?.name)).toEqual(expect.arrayContaining(['Lena Varga', 'Tomas Ferreira']));
    const facts = quoteFacts(d, site, props);
    expect(facts).toMatchObject({ initial: true, end: ',', next: 'attrib', pronoun: 'female' });
    const feats = cands.map((c) => featuresOf(d, site, facts, c, disc));
    const all = feats.flat().join(' ').toLowerCase();
    for (const w of ['lena', 'varga', 'tomas', 'ferreira', 'cranes']) expect(all).not.toContain(w);
    const lena = cands.findIndex((c) => c.speaker?.name === 'Lena Varga');
    const tomas = cands.findIndex((c) => c.speaker?.name === 'Tomas Ferreira');
    expect(feats[lena]).toContain('pg:match');
    expect(feats[tomas]).toContain('pg:mismatch');
  });
});

describe('ranking model', () => {
  it('scores a candidate as the sum of its features’ weights and round-trips through its file', () => {
    const m = readModel(writeModel(new Map([['a', 1.5], ['b', -0.25], ['zero', 0]]), 'test data'));
    expect(scoreOf(m, ['a', 'b', 'unknown'])).toBeCloseTo(1.25);
    expect(m.weights.has('zero')).toBe(false);
    expect(m.trainedOn).toBe('test data');
    expect(() => readModel('{"model":"other"}')).toThrow();
  });
  it('the committed model loads once and prefers a trailing attribution to nobody', () => {
    const m = defaultModel();
    expect(m).not.toBeNull();
    expect(defaultModel()).toBe(m);
    expect(m!.weights.size).toBeGreaterThan(100);
    expect(scoreOf(m!, ['s:trailing-cue', 's1:trailing-cue', 's:trailing-cue|ref:name'])).toBeGreaterThan(scoreOf(m!, ['none', 'none:qi']));
  });
});
