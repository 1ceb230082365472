import type { PatternItem } from '../syntax/ast.js';
import type { CompiledPattern } from './compiled-pattern.js';
import { BacktrackingMatcher } from './pattern-backtrack.js';
import { foldAscii } from '../syntax/case.js';
import { isWellFormed } from './pattern-fold.js';
import { SubnetTest } from './ip.js';
import { AddressMatcher, LiteralStarMatcher, SegmentStarMatcher, type SegmentPart, type StarSlot } from './pattern-specialised.js';

/** Options of `compilePattern`. */
export interface CompilePatternOptions {
  /** Step budget of one match attempt of a pattern with back-matches (P12); default 1,000,000. */
  backmatchBudget?: number;
}

/** Default step budget of a back-match search (P12). */
export const DEFAULT_BACKMATCH_BUDGET = 1_000_000;

/**
 * Compiles parsed pattern items into a matcher with the P10 semantics. Throws RangeError only for
 * items no parser produces (a back-match to a capture not saved earlier) or a non-positive budget.
 */
export function compilePattern(items: readonly PatternItem[], options: CompilePatternOptions = {}): CompiledPattern {
  const budget = options.backmatchBudget ?? DEFAULT_BACKMATCH_BUDGET;
  if (!(budget > 0)) throw new RangeError(`backmatchBudget must be positive, got ${budget}`);
  checkBackmatches(items);
  const merged = mergeLiterals(items);
  const captureCount = countCaptures(items);
  const only = merged.length === 1 ? merged[0] : undefined;
  if (only?.kind === 'ip') return new AddressMatcher(only, captureCount);
  return literalStarMatcher(merged, captureCount) ?? segmentStarMatcher(merged, captureCount) ?? new BacktrackingMatcher(merged, captureCount, budget);
}

/** P4: saved items are numbered from 0, so the count is one past the highest number. */
function countCaptures(items: readonly PatternItem[]): number {
  let count = 0;
  for (const item of items) {
    if ((item.kind === 'wildcard' || item.kind === 'ip') && item.capture !== null) count = Math.max(count, item.capture + 1);
  }
  return count;
}

/** P8: a back-match must name a capture saved by an earlier item (the parser guarantees it). */
function checkBackmatches(items: readonly PatternItem[]): void {
  const saved = new Set<number>();
  for (const item of items) {
    if (item.kind === 'backmatch' && !saved.has(item.ref)) {
      throw new RangeError(`back-match $${item.ref}* names no capture saved before it`);
    }
    if ((item.kind === 'wildcard' || item.kind === 'ip') && item.capture !== null) saved.add(item.capture);
  }
}

/**
 * Joins adjacent literal items (the parser may split `a$*b` into three) and drops empty ones:
 * a literal is a single alternative, so this leaves the P10 match unchanged and saves item steps.
 * Literals with a lone surrogate stay apart: joined, two halves would become one character (P2).
 */
export function mergeLiterals(items: readonly PatternItem[]): readonly PatternItem[] {
  // Most patterns have nothing to merge: keep their items rather than copy them.
  if (!items.some((item, index) => item.kind === 'literal' && (item.text === '' || items[index + 1]?.kind === 'literal'))) return items;
  const merged: PatternItem[] = [];
  for (const item of items) {
    const previous = merged[merged.length - 1];
    if (item.kind !== 'literal') merged.push(item);
    else if (previous?.kind === 'literal' && isWellFormed(previous.text) && isWellFormed(item.text)) {
      merged[merged.length - 1] = { ...previous, text: previous.text + item.text, length: item.offset + item.length - previous.offset };
    } else if (item.text !== '') merged.push(item);
  }
  return merged;
}

/** A LiteralStarMatcher when the items have its shape (see there), else null. */
function literalStarMatcher(items: readonly PatternItem[], captureCount: number): LiteralStarMatcher | null {
  const literals: string[] = [''];
  const stars: StarSlot[] = [];
  for (const item of items) {
    if (item.kind === 'literal' && isWellFormed(item.text)) {
      literals[literals.length - 1] = item.text;
    } else if (item.kind === 'wildcard' && item.width === 'many' && item.charClass.kind === 'any') {
      // Two stars in a row (`**`) fall to the general matcher.
      if (stars.length > 0 && literals[literals.length - 1] === '') return null;
      stars.push({ lazy: item.lazy, capture: item.capture });
      literals.push('');
    } else {
      return null;
    }
  }
  return new LiteralStarMatcher(literals, stars, captureCount);
}

/**
 * A SegmentStarMatcher when the items are well-formed literals, IP constructs (at least one) and
 * plain stars with something between any two (see there), else null.
 */
function segmentStarMatcher(items: readonly PatternItem[], captureCount: number): SegmentStarMatcher | null {
  if (!items.some((item) => item.kind === 'ip')) return null;
  const segments: SegmentPart[][] = [[]];
  const stars: StarSlot[] = [];
  for (const item of items) {
    const segment = segments[segments.length - 1];
    if (item.kind === 'literal' && isWellFormed(item.text)) {
      segment.push({ literal: foldAscii(item.text) });
    } else if (item.kind === 'ip') {
      segment.push({ subnet: new SubnetTest(item), capture: item.capture });
    } else if (item.kind === 'wildcard' && item.width === 'many' && item.charClass.kind === 'any') {
      // Two stars in a row (`**`) fall to the general matcher.
      if (stars.length > 0 && segment.length === 0) return null;
      stars.push({ lazy: item.lazy, capture: item.capture });
      segments.push([]);
    } else {
      return null;
    }
  }
  return new SegmentStarMatcher(segments, stars, captureCount);
}
