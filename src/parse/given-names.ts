/**
 * Gender of a person from their given name, for pronoun agreement ("Sarah Okafor … she said").
 * Data: the `gender-detection-from-name` package (MIT; given-name lists for English, Spanish,
 * French, German, Italian and Turkish), loaded on first use and kept for the process (~230 ms,
 * ~18 MB; measured by `npm run bench`). A name the lists mark for both genders, or do not know,
 * gives null: the text's own cues (Mr/Ms, spokeswoman, a resolved pronoun) decide then.
 */
import { createRequire } from 'node:module';

type Lookup = (name: string, lang?: string) => 'male' | 'female' | 'unknown';
let lookup: Lookup | null = null;

/** Loads the name lists (once per process). */
function names(): Lookup {
  if (!lookup) {
    const mod = createRequire(import.meta.url)('gender-detection-from-name') as { getGender: Lookup };
    lookup = mod.getGender;
  }
  return lookup;
}

/**
 * The usual gender of a given name ("Hillary" → female, "Donald" → male), or null when the
 * lists do not know it or it is an initial.
 * @param given a given name as written (any case; a hyphenated name is read by its first part)
 */
export function genderOfGivenName(given: string): 'female' | 'male' | null {
  const first = given.split(/[-\s]/)[0] ?? '';
  if (first.replace(/\./g, '').length < 2) return null;
  const g = names()(first, 'all');
  return g === 'unknown' ? null : g;
}
