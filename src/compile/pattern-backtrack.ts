import type { PatternItem } from '../syntax/ast.js';
import { MatchBudgetExceededError } from './errors.js';
import { MAX_ADDRESS_LENGTH, MIN_ADDRESS_LENGTH, SubnetTest, isAddressChar } from './ip.js';
import type { CompiledPattern } from './compiled-pattern.js';
import { classAccepts, compileCharClass, type CharTest } from './pattern-charclass.js';
import { foldAscii, foldCode } from '../syntax/case.js';
import { hasFoldedAt, isWellFormed } from './pattern-fold.js';

// Item kinds, as small integers so the hot loop switches on a byte instead of a string.
const LITERAL = 0;
const ONE = 1;
const GREEDY = 2;
const LAZY = 3;
const BACKMATCH = 4;
const ADDRESS = 5;

/** Largest stamp a memo byte can hold; the memo is wiped once per this many searches. */
const LAST_STAMP = 255;

/**
 * Scratch space of every search, so that a miss allocates nothing. It is shared by all compiled
 * patterns, which bounds its memory by one search however many patterns a table holds; that is
 * safe because a search is synchronous and never calls code that could start another.
 */
const scratch = {
  /** The input, folded (P1), one entry per code point (P2). */
  codes: new Int32Array(64),
  /** Code-unit offset of each code point; filled only for inputs with surrogate pairs. */
  unitOffsets: new Int32Array(65),
  paired: false,
  /** Failed states of the current search hold `stamp`; older stamps are stale, so no clearing per search. */
  memo: new Uint8Array(0),
  stamp: 0,
  /** Bytes of `memo` that may hold a stamp since the last wipe. */
  memoUsed: 0,
  /**
   * Where each item of the current path starts and ends, in code points. Shared like the rest: two
   * typed arrays per pattern were heap kept by every table entry.
   */
  starts: new Int32Array(16),
  ends: new Int32Array(16),
};

/**
 * The general matcher (P10, P12): a depth-first search over (item, position) states that decides
 * items left to right and tries each variable item's alternatives in P10 order. A `*`/`…*` item is
 * a loop state with two moves, "take one more character" and "leave", tried take-first when greedy
 * and leave-first when lazy; fixed items, back-matches and IP constructs have one alternative.
 *
 * Failed states are remembered in a memo so none is explored twice. A state's outcome may only
 * be remembered when it cannot depend on earlier choices, which holds for every item after the
 * last back-match: a pattern without back-matches thus runs in O(k × n) time and memory, and one
 * with back-matches is plain backtracking over its leading items under a step budget.
 */
export class BacktrackingMatcher implements CompiledPattern {
  readonly captureCount: number;
  readonly usesFoldedInput = false;

  // Per item, in plain arrays of small integers: a typed array costs a fixed overhead of heap even
  // when it holds two values (V8: object, buffer and store), and a matcher would have five of them
  // plus one per literal; plain arrays read as fast in the loops below.
  private readonly kinds: number[];
  /** Folded code points of each literal item. */
  private readonly literals: Array<number[] | null>;
  private readonly classes: Array<CharTest | null>;
  private readonly subnets: Array<SubnetTest | null>;
  /** Capture number of each item, -1 when it saves nothing. */
  private readonly captureOf: number[];
  /** For a back-match, the index of the item whose capture it repeats. */
  private readonly referencedItem: number[];
  /** First item whose failed states may be remembered (just after the last back-match). */
  private readonly memoFrom: number;
  private readonly budget: number;
  /** Fewest characters any match needs. */
  private readonly minLength: number;
  /** Folded leading and trailing literal ('' when none) for a reject before the input is read. */
  private readonly head: string;
  private readonly tail: string;


  constructor(items: readonly PatternItem[], captureCount: number, budget: number) {
    const count = items.length;
    this.captureCount = captureCount;
    this.kinds = new Array<number>(count).fill(LITERAL);
    this.literals = [];
    this.classes = [];
    this.subnets = [];
    this.captureOf = new Array<number>(count).fill(-1);
    this.referencedItem = new Array<number>(count).fill(-1);
    let lastBackmatch = -1;
    let minLength = 0;
    items.forEach((item, index) => {
      this.literals.push(null);
      this.classes.push(null);
      this.subnets.push(null);
      switch (item.kind) {
        case 'literal': {
          const codePoints = Array.from(foldAscii(item.text), (char) => char.codePointAt(0)!);
          this.kinds[index] = LITERAL;
          this.literals[index] = codePoints;
          minLength += codePoints.length;
          break;
        }
        case 'wildcard':
          this.kinds[index] = item.width === 'one' ? ONE : item.lazy ? LAZY : GREEDY;
          this.classes[index] = compileCharClass(item.charClass);
          this.captureOf[index] = item.capture ?? -1;
          if (item.width === 'one') minLength += 1;
          break;
        case 'backmatch':
          this.kinds[index] = BACKMATCH;
          this.referencedItem[index] = items.findIndex((other) => other.kind !== 'literal' && other.kind !== 'backmatch' && other.capture === item.ref);
          lastBackmatch = index;
          break;
        case 'ip':
          this.kinds[index] = ADDRESS;
          this.subnets[index] = new SubnetTest(item);
          this.captureOf[index] = item.capture ?? -1;
          minLength += MIN_ADDRESS_LENGTH;
          break;
      }
    });
    this.memoFrom = lastBackmatch + 1;
    this.budget = lastBackmatch < 0 ? Infinity : budget;
    this.minLength = minLength;
    this.head = edgeLiteral(items[0]);
    this.tail = edgeLiteral(items[count - 1]);
  }

  /** Captures of the P10 match, or null; throws MatchBudgetExceededError past the step budget. */
  match(input: string): string[] | null {
    // Rejects that read a few code units only: most entries of a table fail here, before the
    // O(n) pass over the input. Code units outnumber code points, hence the length test's form.
    if (input.length < this.minLength) return null;
    if (!hasFoldedAt(input, this.head, 0) || !hasFoldedAt(input, this.tail, input.length - this.tail.length)) {
      return null;
    }
    const length = this.loadInput(input);
    if (length < this.minLength) return null;
    return this.search(input, length);
  }

  /** Folds the input once (P1) into `codes`, one entry per code point (P2); returns their number. */
  private loadInput(input: string): number {
    const units = input.length;
    if (scratch.codes.length < units) scratch.codes = new Int32Array(Math.max(units, scratch.codes.length * 2));
    const { codes } = scratch;
    let count = 0;
    let paired = false;
    for (let unit = 0; unit < units; unit++) {
      const code = input.codePointAt(unit)!;
      if (code > 0xffff) {
        // Offsets are only needed once a pair has made code points and code units diverge.
        if (!paired) {
          paired = true;
          if (scratch.unitOffsets.length <= units) scratch.unitOffsets = new Int32Array(Math.max(units + 1, scratch.unitOffsets.length * 2));
          for (let before = 0; before < count; before++) scratch.unitOffsets[before] = before;
        }
        scratch.unitOffsets[count] = unit;
        codes[count++] = code;
        unit++;
        continue;
      }
      if (paired) scratch.unitOffsets[count] = unit;
      codes[count++] = foldCode(code);
    }
    if (paired) scratch.unitOffsets[count] = units;
    scratch.paired = paired;
    return count;
  }

  /** The code-unit offset of a code-point position of the loaded input. */
  private unitAt(position: number): number {
    return scratch.paired ? scratch.unitOffsets[position] : position;
  }

  private search(input: string, length: number): string[] | null {
    const { kinds, classes, budget } = this;
    if (scratch.starts.length < kinds.length) {
      scratch.starts = new Int32Array(2 * kinds.length);
      scratch.ends = new Int32Array(2 * kinds.length);
    }
    const { starts, ends } = scratch;
    const { codes } = scratch;
    const itemCount = kinds.length;
    const width = length + 1;
    this.beginMemo(width);
    let steps = 0;
    let item = 0;
    let position = 0;
    search: for (;;) {
      // Descend: take the first alternative of each item until the end or a failure.
      for (;;) {
        if (item === itemCount) {
          if (position === length) return this.captures(input);
          break;
        }
        if (this.hasFailed(item, position, width)) break;
        if (++steps > budget) throw new MatchBudgetExceededError(budget);
        starts[item] = position;
        const kind = kinds[item];
        if (kind === GREEDY) {
          // Take while the class allows, stopping before a loop state already known to fail: the
          // scan then never re-walks characters an earlier visit of this item ruled out.
          const charClass = classes[item]!;
          let end = position;
          while (end < length && classAccepts(charClass, codes[end]) && !this.hasFailed(item, end + 1, width)) end++;
          steps += end - position;
          ends[item] = end;
          position = end;
        } else if (kind === LAZY) {
          ends[item] = position;
        } else {
          const end = this.fixedEnd(input, item, position, length);
          if (end < 0) {
            this.markFailed(item, position, width);
            break;
          }
          if (kind === BACKMATCH) steps += end - position;
          ends[item] = end;
          position = end;
        }
        item++;
      }
      // Backtrack: the state just reached failed; move the nearest loop item to its next
      // alternative, recording every state whose alternatives are now all exhausted.
      for (;;) {
        if (--item < 0) return null;
        const kind = kinds[item];
        const start = starts[item];
        const end = ends[item];
        if (kind === GREEDY) {
          // Taking more was ruled out before leaving at `end`, and leaving there just failed.
          this.markFailed(item, end, width);
          if (end > start) {
            ends[item] = position = end - 1;
            item++;
            continue search;
          }
        } else if (kind === LAZY) {
          if (end < length && classAccepts(classes[item]!, codes[end]) && !this.hasFailed(item, end + 1, width)) {
            ends[item] = position = end + 1;
            item++;
            continue search;
          }
          // Each state start…end had left first and then taken into the next one: all failed.
          for (let state = start; state <= end; state++) this.markFailed(item, state, width);
        } else {
          this.markFailed(item, start, width);
        }
      }
    }
  }

  /** Where a single-alternative item ends when it starts at `position`, or -1 if it fails there. */
  private fixedEnd(input: string, item: number, position: number, length: number): number {
    const { codes } = scratch;
    switch (this.kinds[item]) {
      case LITERAL: {
        const literal = this.literals[item]!;
        if (position + literal.length > length) return -1;
        for (let j = 0; j < literal.length; j++) if (codes[position + j] !== literal[j]) return -1;
        return position + literal.length;
      }
      case ONE:
        return position < length && classAccepts(this.classes[item]!, codes[position]) ? position + 1 : -1;
      case BACKMATCH: {
        // P8: the referenced text again, case-blind; both sides are folded already.
        const referenced = this.referencedItem[item];
        const from = scratch.starts[referenced];
        const size = scratch.ends[referenced] - from;
        if (position + size > length) return -1;
        for (let j = 0; j < size; j++) if (codes[position + j] !== codes[from + j]) return -1;
        return position + size;
      }
      default: {
        // P9.2: the longest run only. A run longer than any address cannot parse, so the scan
        // stops there: each visit costs at most MAX_ADDRESS_LENGTH + 1 characters.
        let end = position;
        while (end < length && end - position <= MAX_ADDRESS_LENGTH && isAddressChar(codes[end])) end++;
        if (end === position || end - position > MAX_ADDRESS_LENGTH) return -1;
        // An address run is ASCII, so its code units follow its first one.
        const from = this.unitAt(position);
        return this.subnets[item]!.contains(input, from, from + end - position) ? end : -1;
      }
    }
  }

  private captures(input: string): string[] {
    const captures: string[] = new Array(this.captureCount).fill('');
    for (let item = 0; item < this.kinds.length; item++) {
      const capture = this.captureOf[item];
      if (capture >= 0) captures[capture] = input.slice(this.unitAt(scratch.starts[item]), this.unitAt(scratch.ends[item]));
    }
    return captures;
  }

  /** Starts a search's memo of `rows × width` states without clearing it (stamps, see `scratch`). */
  private beginMemo(width: number): void {
    const size = (this.kinds.length - this.memoFrom) * width;
    if (size === 0) return;
    if (scratch.memo.length < size) {
      scratch.memo = new Uint8Array(Math.max(size, scratch.memo.length * 2));
      scratch.stamp = 0;
      scratch.memoUsed = 0;
    }
    if (++scratch.stamp > LAST_STAMP) {
      // Wrapped: wipe the bytes used since the last wipe (amortised over 255 searches).
      scratch.memo.fill(0, 0, scratch.memoUsed);
      scratch.stamp = 1;
      scratch.memoUsed = 0;
    }
    scratch.memoUsed = Math.max(scratch.memoUsed, size);
  }

  private hasFailed(item: number, position: number, width: number): boolean {
    return item >= this.memoFrom && scratch.memo[(item - this.memoFrom) * width + position] === scratch.stamp;
  }

  private markFailed(item: number, position: number, width: number): void {
    if (item >= this.memoFrom) scratch.memo[(item - this.memoFrom) * width + position] = scratch.stamp;
  }
}

/** The folded text of a well-formed literal at a pattern's edge, else '' (no quick reject). */
function edgeLiteral(item: PatternItem | undefined): string {
  return item?.kind === 'literal' && isWellFormed(item.text) ? foldAscii(item.text) : '';
}
