// Case-blind search over text folded by the syntax stage's ASCII folding (P1).
import { foldCode } from '../syntax/case.js';

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
