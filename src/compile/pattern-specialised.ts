import type { IpItem } from '../syntax/ast.js';
import { MAX_ADDRESS_LENGTH, SubnetTest, isAddressChar } from './ip.js';
import type { CompiledPattern } from './pattern.js';
import { foldAscii, hasFoldedAt } from './pattern-fold.js';

/** One `*` of a literal-and-star pattern. */
export interface StarSlot {
  lazy: boolean;
  capture: number | null;
}

/**
 * Patterns made of well-formed literals and plain `*` only, with a non-empty literal between any
 * two stars: `abc`, `tcp_local|*`, `*@example.com`, `*|*@sesta.com|*|*`. It needs neither the input
 * in code points nor backtracking, and returns exactly the P10 captures:
 *
 * Write the pattern L0 *1 L1 *2 … *m Lm (L0 and Lm may be empty). L0 must be a prefix and Lm a
 * suffix of the input. The rest L1…Lm-1 fits in order after a position x exactly when x ≤ latest[1],
 * where latest[m] is the start of Lm and latest[j] is the last occurrence of Lj that ends by
 * latest[j+1] (found right to left). Deciding the stars left to right as P10 does, with the cursor
 * just after L(j-1): a greedy *j takes its longest choice whose rest still fits, which puts Lj at
 * latest[j]; a lazy *j takes its shortest, which puts Lj at its first occurrence from the cursor —
 * that occurrence ends by latest[j+1] because latest[j] itself is one. The last star must reach Lm.
 *
 * Stars take any character, so code-unit positions give the same texts as code-point positions:
 * a well-formed literal never matches from or up to the middle of a surrogate pair (P2).
 */
export class LiteralStarMatcher implements CompiledPattern {
  readonly captureCount: number;
  /** Folded literals L0…Lm. */
  private readonly literals: readonly string[];
  private readonly stars: readonly StarSlot[];
  private readonly literalLength: number;
  /** Scratch for `latest`, reused so that a miss allocates nothing but the folded input. */
  private readonly latest: Int32Array;

  constructor(literals: readonly string[], stars: readonly StarSlot[], captureCount: number) {
    this.literals = literals.map(foldAscii);
    this.stars = stars;
    this.captureCount = captureCount;
    this.literalLength = literals.reduce((sum, literal) => sum + literal.length, 0);
    this.latest = new Int32Array(stars.length + 1);
  }

  /** Captures of the P10 match, or null. */
  match(input: string): string[] | null {
    const { literals, stars } = this;
    const starCount = stars.length;
    const head = literals[0];
    const tail = literals[starCount];
    const length = input.length;
    if (starCount === 0) return length === head.length && hasFoldedAt(input, head, 0) ? [] : null;
    if (length < this.literalLength || !hasFoldedAt(input, head, 0) || !hasFoldedAt(input, tail, length - tail.length)) {
      return null;
    }
    const tailStart = length - tail.length;
    const latest = this.latest;
    latest[starCount] = tailStart;
    let folded = input;
    if (starCount > 1) {
      // Inner literals need a search: fold once (P1) so the native indexOf/lastIndexOf can do it.
      folded = foldAscii(input);
      for (let j = starCount - 1; j >= 1; j--) {
        const last = latest[j + 1] - literals[j].length;
        const at = last < head.length ? -1 : folded.lastIndexOf(literals[j], last);
        if (at < head.length) return null;
        latest[j] = at;
      }
    }
    const captures: string[] = new Array(this.captureCount).fill('');
    let cursor = head.length;
    for (let j = 1; j <= starCount; j++) {
      const star = stars[j - 1];
      const at = j === starCount ? tailStart : star.lazy ? folded.indexOf(literals[j], cursor) : latest[j];
      if (star.capture !== null) captures[star.capture] = input.slice(cursor, at);
      cursor = at + literals[j].length;
    }
    return captures;
  }
}

/**
 * A pattern that is one IP construct (the typical INTERNAL_IP entry). The construct takes the
 * longest address run (P9.2) and the match is anchored (P1), so the whole input must be the run:
 * one scan and one parse, without loading the input into code points.
 */
export class AddressMatcher implements CompiledPattern {
  readonly captureCount: number;
  private readonly subnet: SubnetTest;
  private readonly saved: boolean;

  constructor(item: IpItem, captureCount: number) {
    this.subnet = new SubnetTest(item);
    this.saved = item.capture !== null;
    this.captureCount = captureCount;
  }

  /** Captures of the match (the address as written, if saved), or null. */
  match(input: string): string[] | null {
    if (input.length === 0 || input.length > MAX_ADDRESS_LENGTH) return null;
    for (let unit = 0; unit < input.length; unit++) if (!isAddressChar(input.charCodeAt(unit))) return null;
    if (!this.subnet.contains(input)) return null;
    return this.saved ? [input] : [];
  }
}
