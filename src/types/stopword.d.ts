/** The part of `stopword` (npm) the core uses: its English stop-word list. The package ships no types. */
declare module 'stopword' {
  /** English stop words, lower case ("a", "in", "the", …). */
  export const eng: readonly string[];
}
