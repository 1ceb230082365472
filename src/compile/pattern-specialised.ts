import type { IpItem } from '../syntax/ast.js';
import { MAX_ADDRESS_LENGTH, MIN_ADDRESS_LENGTH, SubnetTest, isAddressChar } from './ip.js';
import type { CompiledPattern } from './compiled-pattern.js';
import { foldAscii, foldCode } from '../syntax/case.js';
import { hasFoldedAt } from './pattern-fold.js';

/** One `*` of a literal-and-star pattern. */
export interface StarSlot {
  lazy: boolean;
  capture: number | null;
}

/**
 * Scratch for `latest` of LiteralStarMatcher and SegmentStarMatcher, shared by every instance: a
 * match is synchronous and never starts another, and a typed array per pattern costs a V8 object,
 * buffer and store however small it is.
 */
let latestScratch = new Int32Array(8);

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
  /** Inner literals are found by the native indexOf/lastIndexOf, on the folded input. */
  readonly usesFoldedInput: boolean;
  /** Folded literals L0…Lm. */
  private readonly literals: readonly string[];
  private readonly stars: readonly StarSlot[];
  private readonly literalLength: number;
  /** L0 and Lm again, held directly: the edge test of a miss then reads one object less. */
  private readonly head: string;
  private readonly tail: string;

  constructor(literals: readonly string[], stars: readonly StarSlot[], captureCount: number) {
    this.literals = literals.map(foldAscii);
    this.stars = stars;
    this.captureCount = captureCount;
    this.literalLength = literals.reduce((sum, literal) => sum + literal.length, 0);
    this.head = this.literals[0];
    this.tail = this.literals[stars.length];
    this.usesFoldedInput = stars.length > 1;
  }

  /** Captures of the P10 match, or null; `folded` is the input folded (P1) if the caller has it. */
  match(input: string, folded?: string): string[] | null {
    const { head, tail } = this;
    const length = input.length;
    if (length < this.literalLength) return null;
    // With the folded input at hand, the edges are native comparisons (memcmp) instead of a folding loop.
    if (folded !== undefined ? !folded.startsWith(head) || !folded.endsWith(tail) : !hasFoldedAt(input, head, 0) || !hasFoldedAt(input, tail, length - tail.length)) {
      return null;
    }
    const { literals, stars } = this;
    const starCount = stars.length;
    if (starCount === 0) return length === head.length ? [] : null;
    const tailStart = length - tail.length;
    if (latestScratch.length <= starCount) latestScratch = new Int32Array(2 * (starCount + 1));
    const latest = latestScratch;
    latest[starCount] = tailStart;
    let searched = input;
    if (starCount > 1) {
      // Inner literals need a search: fold once (P1) so the native indexOf/lastIndexOf can do it.
      searched = folded ?? foldAscii(input);
      for (let j = starCount - 1; j >= 1; j--) {
        const last = latest[j + 1] - literals[j].length;
        const at = last < head.length ? -1 : searched.lastIndexOf(literals[j], last);
        if (at < head.length) return null;
        latest[j] = at;
      }
    }
    const captures: string[] = new Array(this.captureCount).fill('');
    let cursor = head.length;
    for (let j = 1; j <= starCount; j++) {
      const star = stars[j - 1];
      const at = j === starCount ? tailStart : star.lazy ? searched.indexOf(literals[j], cursor) : latest[j];
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
  readonly usesFoldedInput = false;
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

/** One item of a segment: a folded literal, or an IP construct with its capture number. */
export type SegmentPart = { literal: string } | { subnet: SubnetTest; capture: number | null };

const EMPTY = -1;
const OPENS_WITH_ADDRESS = -2;

/** IP captures of the segment matched last by `segmentEnd`: start and end of each IP part, in order. */
let spanScratch = new Int32Array(16);

/**
 * Patterns of literals, IP constructs and plain `*`, with at least one IP construct and something
 * between any two stars — PORT_ACCESS's `TCP|*|25|$(192.168.1.0/24)|*`. It reads the input a few
 * times without a memo, backtracking or loading the input into code points, so it is faster and
 * smaller than the general matcher (bench/pattern.bench.mjs).
 *
 * The argument of LiteralStarMatcher carries over with segments S0 *1 S1 … *m Sm in place of
 * literals, where a segment is the literals and IP constructs between two stars. Whether a segment
 * matches at a position, and where it then ends, is decided without choice: each IP construct
 * takes the longest address run from where it stands (P9.2, P10). So "the rest fits after x"
 * still holds exactly for x ≤ latest[1], with latest[j] the last position where Sj matches and
 * ends by latest[j+1]; a greedy star puts its segment there and a lazy one at the first match from
 * the cursor, which ends by latest[j+1] too because a run's end never moves left as its start moves
 * right. Unlike a literal, an IP tail may match at several positions: the last star then takes the
 * last one when greedy, the first from the cursor when lazy. Address runs are ASCII, so code-unit
 * positions are code-point boundaries here as well (P2).
 */
export class SegmentStarMatcher implements CompiledPattern {
  readonly captureCount: number;
  readonly usesFoldedInput = false;
  private readonly segments: readonly (readonly SegmentPart[])[];
  private readonly stars: readonly StarSlot[];
  /** Fewest code units each segment can match. */
  private readonly minimum: readonly number[];
  /** The folded first code unit of each segment; OPENS_WITH_ADDRESS or EMPTY otherwise. */
  private readonly lead: readonly number[];

  constructor(segments: readonly (readonly SegmentPart[])[], stars: readonly StarSlot[], captureCount: number) {
    // Copies of exact size, and plain arrays rather than typed ones: arrays grown by push keep room
    // for more elements, and a typed array costs a fixed overhead however small; tables hold many
    // thousands of these matchers.
    this.segments = segments.map((parts) => parts.slice());
    this.stars = stars.slice();
    this.captureCount = captureCount;
    this.minimum = segments.map((parts) =>
      parts.reduce((sum, part) => sum + ('literal' in part ? part.literal.length : MIN_ADDRESS_LENGTH), 0),
    );
    this.lead = segments.map(([first]) => (first === undefined ? EMPTY : 'literal' in first ? first.literal.charCodeAt(0) : OPENS_WITH_ADDRESS));
  }

  /** Captures of the P10 match, or null. */
  match(input: string): string[] | null {
    const { stars, minimum } = this;
    const starCount = stars.length;
    const length = input.length;
    const headEnd = this.segmentEnd(input, 0, 0, false);
    if (headEnd < 0 || (starCount === 0 && headEnd !== length)) return null;
    if (latestScratch.length <= starCount) latestScratch = new Int32Array(2 * (starCount + 1));
    const latest = latestScratch;
    // Right to left: the last place each segment fits, the tail ending exactly at the end.
    let limit = length;
    for (let j = starCount; j >= 1; j--) {
      let at = limit - minimum[j];
      for (; at >= headEnd; at--) {
        if (!this.mayStartAt(input, j, at)) continue;
        const end = this.segmentEnd(input, j, at, false);
        if (end >= 0 && (j === starCount ? end === length : end <= limit)) break;
      }
      if (at < headEnd) return null;
      latest[j] = limit = at;
    }
    const captures: string[] = new Array(this.captureCount).fill('');
    let cursor = this.captureSegment(input, 0, 0, captures);
    for (let j = 1; j <= starCount; j++) {
      const star = stars[j - 1];
      let at = latest[j];
      if (star.lazy) {
        // The first match from the cursor; latest[j] is one, so the search ends by there, and its
        // end is no later than latest[j]'s (see above).
        for (at = cursor; ; at++) {
          if (!this.mayStartAt(input, j, at)) continue;
          const end = this.segmentEnd(input, j, at, false);
          if (end >= 0 && (j < starCount || end === length)) break;
        }
      }
      if (star.capture !== null) captures[star.capture] = input.slice(cursor, at);
      cursor = this.captureSegment(input, j, at, captures);
    }
    return captures;
  }

  /** A quick test of a segment's first character, so that most positions are passed over without a call. */
  private mayStartAt(input: string, j: number, at: number): boolean {
    const lead = this.lead[j];
    if (lead === EMPTY) return true;
    if (lead === OPENS_WITH_ADDRESS) return at < input.length && isAddressChar(input.charCodeAt(at));
    return foldCode(input.charCodeAt(at)) === lead;
  }

  /**
   * Where segment j ends when it starts at `at`, or -1 when it does not match there. With `record`,
   * the IP parts' spans are left in `spanScratch`.
   */
  private segmentEnd(input: string, j: number, at: number, record: boolean): number {
    let position = at;
    let span = 0;
    for (const part of this.segments[j]) {
      if ('literal' in part) {
        if (!hasFoldedAt(input, part.literal, position)) return -1;
        position += part.literal.length;
        continue;
      }
      // P9.2: the longest run only; a run longer than any address cannot parse.
      let end = position;
      while (end < input.length && end - position <= MAX_ADDRESS_LENGTH && isAddressChar(input.charCodeAt(end))) end++;
      if (end === position || end - position > MAX_ADDRESS_LENGTH || !part.subnet.contains(input, position, end)) return -1;
      if (record) {
        if (spanScratch.length < span + 2) spanScratch = new Int32Array(2 * spanScratch.length);
        spanScratch[span++] = position;
        spanScratch[span++] = end;
      }
      position = end;
    }
    return position;
  }

  /** Matches segment j at `at` once more, writing its IP captures; returns where it ends. */
  private captureSegment(input: string, j: number, at: number, captures: string[]): number {
    const end = this.segmentEnd(input, j, at, true);
    let span = 0;
    for (const part of this.segments[j]) {
      if ('literal' in part) continue;
      if (part.capture !== null) captures[part.capture] = input.slice(spanScratch[span], spanScratch[span + 1]);
      span += 2;
    }
    return end;
  }
}
