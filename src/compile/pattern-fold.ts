// ASCII-only case folding (P1): `A`–`Z` fold to `a`–`z`; every other code point, `É` included,
// compares exactly, so String.prototype.toLowerCase is never applied to non-ASCII text.

/** Folds one code point (or code unit) for case-blind comparison (P1). */
export function foldCode(code: number): number {
  // One unsigned compare instead of two: codes below 65 wrap to large numbers.
  return (code - 65) >>> 0 < 26 ? code | 32 : code;
}

/** Lower-cases the ASCII letters of a text and nothing else (P1). */
export function foldAscii(text: string): string {
  // The usual probe is already lower case: testing first saves the copy.
  if (!/[A-Z]/.test(text)) return text;
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/**
 * Whether `text` holds the already folded `folded` at code-unit offset `at`, compared case-blind.
 * Compares code units without allocating; for a well-formed `folded` this equals comparing code
 * points, because a match can then neither start nor end inside a surrogate pair.
 */
export function hasFoldedAt(text: string, folded: string, at: number): boolean {
  if (at < 0 || at + folded.length > text.length) return false;
  for (let j = 0; j < folded.length; j++) {
    if (foldCode(text.charCodeAt(at + j)) !== folded.charCodeAt(j)) return false;
  }
  return true;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a text is well-formed UTF-16, the condition under which code-unit search is exact. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
