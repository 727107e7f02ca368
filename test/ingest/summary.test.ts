/** The ingest summary line: stories counted apart from failures, and a rate a person can read. */
import { describe, expect, it } from 'vitest';
import { emptySummary, formatRate, formatSummary, type IngestSummary } from '../../src/ingest/runner.js';
import { formatBytes, tooLargeReason } from '../../src/ingest/size.js';

const summary = (over: Partial<IngestSummary>): IngestSummary => ({ ...emptySummary(), ...over });
const failed = (n: number) => Array.from({ length: n }, (_, i) => ({ ref: `bad-${i}.txt`, reason: 'file is empty' }));

describe('formatSummary', () => {
  it('counts only the stories stored, not the files that failed, and never shows 0/s', () => {
    // A fresh-user run: 5 stories stored, 3 files refused, 19.2 s (most of it reading a huge file).
    const text = formatSummary(summary({ added: 5, failed: failed(3), total: 8, elapsedMs: 19_200 }));
    expect(text.split('\n')[0]).toBe('ingested 5 stories in 19.2 s (3.8 s per story): 5 added, 0 updated, 0 unchanged, 3 failed');
    expect(formatSummary(summary({ added: 4, total: 4, elapsedMs: 500 })).split('\n')[0]).toBe('ingested 4 stories in 0.5 s (8.0/s): 4 added, 0 updated, 0 unchanged, 0 failed');
    expect(formatSummary(summary({ added: 1, unchanged: 999, total: 1000, elapsedMs: 2000 })).split('\n')[0]).toBe('ingested 1000 stories in 2.0 s (500/s): 1 added, 0 updated, 999 unchanged, 0 failed');
    // Nothing stored: no rate at all.
    expect(formatSummary(summary({ failed: failed(2), total: 2, elapsedMs: 300 })).split('\n')[0]).toBe('ingested 0 stories in 0.3 s: 0 added, 0 updated, 0 unchanged, 2 failed');
    expect(formatSummary(summary({ added: 1, total: 1, elapsedMs: 1000 })).split('\n')[0]).toBe('ingested 1 story in 1.0 s (1.0/s): 1 added, 0 updated, 0 unchanged, 0 failed');
  });

  it('formats rates and sizes', () => {
    expect([formatRate(3, 1000), formatRate(25, 1000), formatRate(1, 2500), formatRate(0, 1000), formatRate(3, 0)]).toEqual(['3.0/s', '25/s', '2.5 s per story', null, null]);
    expect([formatBytes(512), formatBytes(1), formatBytes(5000), formatBytes(104_858), formatBytes(20 * 1024 * 1024), formatBytes(10 * 1024 * 1024, true)]).toEqual(['512 bytes', '1 byte', '4.9 KiB', '0.1 MiB', '20.0 MiB', '10 MiB']);
    expect(tooLargeReason(20_975_324, 10_485_760)).toBe('too large (20.0 MiB; the limit is 10 MiB)');
    // Rounding would read "10.0 MiB; the limit is 10 MiB": exact counts instead.
    expect(tooLargeReason(10_485_761, 10_485_760)).toBe('too large (10485761 bytes; the limit is 10485760 bytes)');
    expect(tooLargeReason(null, 10_485_760)).toBe('too large (over the limit of 10 MiB)');
  });
});
