import { foldAscii } from '../../syntax/case.js';
import type { CompiledEntry, FoundEntry } from '../entry.js';
import { CAPTURES_AFTER_HEAD, CAPTURES_BEFORE_TAIL, CAPTURES_INPUT, CAPTURES_NONE } from './keys.js';
import { NONE } from './layout.js';

// Candidate merge: the posting lists a probe's keys found, tried in one ascending order of entries.

/** Query scratch shared by all indexes: lookups are synchronous and never nest. */
export const scratch = {
  /** Folded probe text of a lookup whose key must be compared (a tail's reversed). */
  units: new Uint16Array(64),
  tokenStart: new Int32Array(16),
  tokenEnd: new Int32Array(16),
  /**
   * The posting lists being merged: the entry position at their head (NONE when done), the offset
   * of that head and the end in `postings`, how their entries complete, and the head or tail length
   * that completion cuts at.
   */
  head: new Int32Array(32),
  cursor: new Int32Array(32),
  end: new Int32Array(32),
  completion: new Int32Array(32),
  edge: new Int32Array(32),
};

/** Adds a posting list, `postings[start, end)` whose first position is `first`, to the merge. */
export function addSource(sources: number, start: number, end: number, first: number, completion: number, edge: number): number {
  if (sources === scratch.cursor.length) {
    scratch.head = grow(scratch.head);
    scratch.cursor = grow(scratch.cursor);
    scratch.end = grow(scratch.end);
    scratch.completion = grow(scratch.completion);
    scratch.edge = grow(scratch.edge);
  }
  scratch.head[sources] = first;
  scratch.cursor[sources] = start;
  scratch.end[sources] = end;
  scratch.completion[sources] = completion;
  scratch.edge[sources] = edge;
  return sources + 1;
}

/** A scratch array of twice the length, holding the old contents. */
export function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** The first offset in `postings[start, end)` holding a position ≥ `from` (the lists ascend). */
function lowerBound(postings: Int32Array, start: number, end: number, from: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (postings[middle] < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Merges the sources' postings in ascending entry position from `from` and returns the first
 * entry that matches. A key found twice (a repeated token) is one list merged twice: every list
 * whose head is the position taken moves on, so no entry is tried twice.
 */
export function firstVerified(
  postings: Int32Array,
  entries: readonly CompiledEntry[],
  input: string,
  from: number,
  sources: number,
): FoundEntry | null {
  const { head, cursor, end, completion, edge } = scratch;
  for (let source = 0; source < sources; source++) {
    if (head[source] >= from) continue;
    cursor[source] = lowerBound(postings, cursor[source], end[source], from);
    head[source] = cursor[source] < end[source] ? postings[cursor[source]] : NONE;
  }
  let folded: string | null = null;
  for (;;) {
    let position = NONE;
    let taken = 0;
    for (let source = 0; source < sources; source++) {
      if (head[source] < position) {
        position = head[source];
        taken = source;
      }
    }
    if (position === NONE) return null;
    const completes = completion[taken];
    const cut = edge[taken];
    for (let source = 0; source < sources; source++) {
      if (head[source] !== position) continue;
      cursor[source]++;
      head[source] = cursor[source] < end[source] ? postings[cursor[source]] : NONE;
    }
    // A key that is the whole pattern was matched already: its captures follow from the key.
    switch (completes) {
      case CAPTURES_NONE:
        return { position, captures: [] };
      case CAPTURES_INPUT:
        return { position, captures: [input] };
      case CAPTURES_AFTER_HEAD:
        return { position, captures: [input.slice(cut)] };
      case CAPTURES_BEFORE_TAIL:
        return { position, captures: [input.slice(0, input.length - cut)] };
    }
    const matcher = entries[position].matcher;
    // Folded once per call, and only for a matcher that works on a folded copy (P1).
    const captures = matcher.usesFoldedInput ? matcher.match(input, (folded ??= foldAscii(input))) : matcher.match(input);
    if (captures) return { position, captures };
  }
}
