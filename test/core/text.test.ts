/** The core's small text helpers: clipping never leaves half a character. */
import { describe, expect, it } from 'vitest';
import { clip, echo } from '../../src/core/text.js';

/** True when every high surrogate is followed by a low one and no low one stands alone. */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('clip', () => {
  it('cuts on a word boundary with an ellipsis', () => {
    expect(clip('Zakharova said the plan was unacceptable to Moscow', 30)).toBe('Zakharova said the plan was…');
    expect(clip('short', 30)).toBe('short');
  });

  it('never splits an emoji (a surrogate pair) when it has to cut inside a word', () => {
    const emoji = '😀'.repeat(150);
    for (const max of [59, 60, 61]) {
      const out = clip(emoji, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith('…')).toBe(true);
      expect(wellFormed(out)).toBe(true);
    }
    expect(wellFormed(echo(emoji))).toBe(true);
    expect(wellFormed('a\ud83d…')).toBe(false);
  });
});
