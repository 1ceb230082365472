// ASCII-only case folding, the one owner for every stage (P1, F4, T4 item 1): `A`–`Z` and `a`–`z` are
// each other's case; every other code point, `É`, `ß`, `ſ` and dotless `ı` included, has no other case.
// String.prototype.toUpperCase and toLowerCase are never applied to non-ASCII text, because Unicode
// folding would make `ſ` equal `S` in one place and not in another.

const HAS_ASCII_UPPER = /[A-Z]/;
const ASCII_UPPER_RUNS = /[A-Z]+/g;
const HAS_ASCII_LOWER = /[a-z]/;
const ASCII_LOWER_RUNS = /[a-z]+/g;

/** Folds one code point (or code unit) for case-blind comparison (P1): an ASCII capital becomes lower case. */
export function foldCode(code: number): number {
  // One unsigned compare instead of two: codes below 65 wrap to large numbers.
  return (code - 65) >>> 0 < 26 ? code | 32 : code;
}

/** Lower-cases the ASCII letters of a text and nothing else (P1, T4 item 1). */
export function foldAscii(text: string): string {
  // The usual probe is already lower case: testing first saves the copy.
  return HAS_ASCII_UPPER.test(text) ? text.replace(ASCII_UPPER_RUNS, (run) => run.toLowerCase()) : text;
}

/** Upper-cases the ASCII letters of a text and nothing else: table names (F4), flags, `$U` (T4 item 1). */
export function asciiUpper(text: string): string {
  // Most names and flags are written in upper case already: testing first saves the copy.
  return HAS_ASCII_LOWER.test(text) ? text.replace(ASCII_LOWER_RUNS, (run) => run.toUpperCase()) : text;
}

/** The other case of an ASCII letter; any other code point is its own (P1, P5). */
export function otherCase(code: number): number {
  return ((code | 32) - 97) >>> 0 < 26 ? code ^ 32 : code;
}
