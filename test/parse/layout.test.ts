import { describe, expect, it } from 'vitest';
import { layout } from '../../src/parse/layout.js';

const body = (text: string, l = layout(text)): string[] => l.paragraphs.map((p) => text.slice(p.start, p.end));

describe('layout: headline', () => {
  it('takes a short unpunctuated first line as the headline', () => {
    const text = 'Ferry fares to rise 18% after subsidy cut\n\nPORTLAND, Maine (Wire) — Fares will rise.\n\nThe board voted 5-2.';
    const l = layout(text);
    expect(l.title).toBe('Ferry fares to rise 18% after subsidy cut');
    expect(l.titleSpan).toEqual({ start: 0, end: 41 });
    expect(body(text, l)).toEqual(['Fares will rise.', 'The board voted 5-2.']);
    expect(l.paragraphs.map((p) => p.index)).toEqual([0, 1]);
  });

  it('keeps a first line that is a sentence or a quotation as body text', () => {
    expect(layout('The council met on Tuesday.\nIt voted to close the pool.').title).toBeNull();
    expect(layout('“We will not move,” the mayor said\nThe council met on Tuesday.').title).toBeNull();
  });

  it('accepts a question as a headline', () => {
    expect(layout('Is the ferry worth saving?\nThe board meets on Tuesday.').title).toBe('Is the ferry worth saving?');
  });

  it('does not take a lone line as a headline (nothing follows it)', () => {
    const l = layout('Ferry fares to rise');
    expect(l.title).toBeNull();
    expect(l.paragraphs).toHaveLength(1);
  });
});

describe('layout: byline', () => {
  it('reads a "By" line after the headline and keeps it out of the paragraphs', () => {
    const text = 'Fund manager convicted\nBy Helen Achterberg and Tom Roe\n\nA federal jury convicted her.';
    const l = layout(text);
    expect(l.title).toBe('Fund manager convicted');
    expect(l.byline).toBe('Helen Achterberg and Tom Roe');
    expect(body(text, l)).toEqual(['A federal jury convicted her.']);
  });

  it('does not take a sentence starting with "By" as a byline', () => {
    const text = 'Fund manager convicted\nBy the end of the trial, the jury had heard from 40 witnesses who described years of fraud at the firm.\nShe was convicted.';
    expect(layout(text).byline).toBeNull();
  });
});

describe('layout: dateline', () => {
  it('reads MOSCOW — and starts the first paragraph after the dash', () => {
    const text = 'Moscow warns NATO\n\nMOSCOW — Russia warned on Thursday.';
    const l = layout(text);
    expect(l.dateline).toMatchObject({ place: 'MOSCOW', date: null, wire: null });
    expect(text.slice(l.dateline!.start, l.dateline!.start + 6)).toBe('MOSCOW');
    expect(body(text, l)).toEqual(['Russia warned on Thursday.']);
  });

  it('reads a place with a region and a wire in parentheses', () => {
    const text = 'Headline here now\nSANTIAGO, Chile (Wire) — The central bank cut rates.';
    const l = layout(text);
    expect(l.dateline).toMatchObject({ place: 'SANTIAGO', wire: 'Wire', date: null });
    expect(body(text, l)).toEqual(['The central bank cut rates.']);
  });

  it('reads a two-word place with a hyphen dash', () => {
    const l = layout('Headline here now\nSAN FRANCISCO (Wire) - Lumora said Wednesday it would cut jobs.');
    expect(l.dateline).toMatchObject({ place: 'SAN FRANCISCO', wire: 'Wire' });
  });

  it('reads a place with a non-ASCII capital (TROMSØ)', () => {
    const text = 'Glacier retreats\nTROMSØ, Norway — A glacier has lost a fifth of its ice.';
    const l = layout(text);
    expect(l.dateline?.place).toBe('TROMSØ');
    expect(body(text, l)).toEqual(['A glacier has lost a fifth of its ice.']);
  });

  // Parser bug (reported): the region/date part of the dateline pattern admits no digits,
  // so any dated dateline ("March 3", "Aug. 14") is not recognised and stays in the lede.
  it('reads a dated wire dateline: LONDON, March 3 (Wire) -', () => {
    const text = 'Headline here now\nLONDON, March 3 (Wire) - The Bank of England held rates.';
    const l = layout(text);
    expect(l.dateline).toMatchObject({ place: 'LONDON', date: 'March 3', wire: 'Wire' });
    expect(body(text, l)).toEqual(['The Bank of England held rates.']);
  });

  it('reads a dated dateline with region and abbreviated month: BOISE, Idaho, Aug. 14 (Wire) -', () => {
    const text = 'Headline here now\nBOISE, Idaho, Aug. 14 (Wire) - A wildfire forced 3,400 people from their homes.';
    const l = layout(text);
    expect(l.dateline).toMatchObject({ place: 'BOISE', date: 'Aug. 14', wire: 'Wire' });
    expect(body(text, l)).toEqual(['A wildfire forced 3,400 people from their homes.']);
  });

  it('finds no dateline in a lede that opens with a capitalised word', () => {
    expect(layout('Headline here now\nA federal jury convicted her on Friday.').dateline).toBeNull();
    expect(layout('Headline here now\nI — for one — disagree, she said.').dateline).toBeNull();
  });

  it('reads a dateline only at the start of the body, not in a later paragraph', () => {
    const text = 'Headline here now\nThe talks resumed.\nGENEVA — Delegates met again.';
    const l = layout(text);
    expect(l.dateline).toBeNull();
    expect(body(text, l)).toEqual(['The talks resumed.', 'GENEVA — Delegates met again.']);
  });

  it('handles CRLF line ends and blank lines', () => {
    const text = 'Headline here now\r\n\r\nKAMPALA, Uganda — Health workers began.\r\n\r\nThe vaccine is free.\r\n';
    const l = layout(text);
    expect(l.title).toBe('Headline here now');
    expect(l.dateline?.place).toBe('KAMPALA');
    expect(body(text, l)).toEqual(['Health workers began.', 'The vaccine is free.']);
  });
});
