import type { IpItem, PatternItem } from '../syntax/ast.js';
import { subnetOf, type Subnet } from './ip.js';
import { mergeLiterals } from './pattern.js';
import { foldAscii } from '../syntax/case.js';
import { isWellFormed } from './pattern-fold.js';

// What a table index may key an entry on: facts every input the pattern matches must have, read off
// the pattern's literals and IP constructs. Matching is anchored and case-blind (P1), so a literal at
// the pattern's start or end stands at the input's start or end; `|` and `@` cut inputs into tokens
// (`tcp_local|user@example.com|…`), and a literal piece that a separator or an edge closes on both
// sides is a whole token of every matching input, wherever the stars around it fall.

/** Where in the input a token key must be found. */
export type TokenPlace = 'first' | 'last' | 'any';

/** How the key text relates to that token: all of it, its beginning or its end. */
export type TokenFit = 'whole' | 'prefix' | 'suffix';

/** One necessary condition on the inputs a pattern matches. */
export type PatternKey =
  /** The pattern is this folded literal and nothing else: equality is the match, with no captures. */
  | { kind: 'literal'; text: string }
  /** The pattern is this IP construct alone: the input is an address in the subnet (P9); `saved` makes it capture 0. */
  | { kind: 'address'; subnet: Subnet; saved: boolean }
  /**
   * The pattern is this folded literal and one `*` after it (`head`) or before it (`tail`): the input
   * starts (ends) with the literal and the star takes the rest, which is capture 0 when `saved`.
   */
  | { kind: 'head' | 'tail'; text: string; saved: boolean }
  /** Some token of the input (the first, the last or any) equals, starts with or ends with this folded text. */
  | { kind: 'token'; place: TokenPlace; fit: TokenFit; text: string }
  /** Some token of the input is an address in the subnet (P9.2: the construct's run is that whole token). */
  | { kind: 'address-token'; subnet: Subnet };

/** The token separators, `|` and `@`. */
export function isTokenSeparator(code: number): boolean {
  return code === 0x7c || code === 0x40;
}

const SEPARATORS = /[|@]/;

/**
 * The keys of a pattern; empty when it has none, and always empty for a pattern with a back-match:
 * its search may end in MatchBudgetExceeded (P12), which a linear scan raises in entry order, so an
 * index must try it in order like the scan does rather than leave it out on a key.
 */
export function patternKeys(items: readonly PatternItem[]): PatternKey[] {
  if (items.some((item) => item.kind === 'backmatch')) return [];
  const merged = mergeLiterals(items);
  if (merged.length === 0) return [{ kind: 'literal', text: '' }];
  const only = merged.length === 1 ? merged[0] : undefined;
  if (only?.kind === 'literal' && isWellFormed(only.text)) return [{ kind: 'literal', text: foldAscii(only.text) }];
  if (only?.kind === 'ip') return [{ kind: 'address', subnet: subnetOf(only), saved: only.capture !== null }];
  const edge = literalAndStar(merged);
  if (edge !== null) return [edge];
  const keys: PatternKey[] = [];
  merged.forEach((item, index) => {
    const first = index === 0;
    const last = index === merged.length - 1;
    if (item.kind === 'literal' && isWellFormed(item.text)) literalKeys(foldAscii(item.text), first, last, keys);
    else if (item.kind === 'ip' && closedBySeparators(merged, index)) keys.push(addressTokenKey(item));
  });
  return keys;
}

/**
 * Keys from one literal: its pieces between separators. An inner piece is a whole token; the first
 * piece ends a token (and is the whole first token at the pattern's start); the last piece begins a
 * token (the whole last token at the pattern's end). A literal without separators only says how
 * the input begins or ends, when it stands at that edge.
 */
function literalKeys(text: string, first: boolean, last: boolean, keys: PatternKey[]): void {
  const pieces = text.split(SEPARATORS);
  const final = pieces.length - 1;
  if (final === 0) {
    if (first && text !== '') keys.push({ kind: 'token', place: 'first', fit: 'prefix', text });
    if (last && text !== '') keys.push({ kind: 'token', place: 'last', fit: 'suffix', text });
    return;
  }
  pieces.forEach((piece, index) => {
    if (index === 0) {
      if (first) keys.push({ kind: 'token', place: 'first', fit: 'whole', text: piece });
      else if (piece !== '') keys.push({ kind: 'token', place: 'any', fit: 'suffix', text: piece });
    } else if (index === final) {
      if (last) keys.push({ kind: 'token', place: 'last', fit: 'whole', text: piece });
      else if (piece !== '') keys.push({ kind: 'token', place: 'any', fit: 'prefix', text: piece });
    } else {
      keys.push({ kind: 'token', place: 'any', fit: 'whole', text: piece });
    }
  });
}

/** The head or tail key of a pattern that is one well-formed literal and one `*` (P10: the star takes the rest either way). */
function literalAndStar(items: readonly PatternItem[]): PatternKey | null {
  if (items.length !== 2) return null;
  const [first, second] = items;
  const star = first.kind === 'literal' ? second : first;
  const literal = first.kind === 'literal' ? first : second;
  if (literal.kind !== 'literal' || !isWellFormed(literal.text)) return null;
  if (star.kind !== 'wildcard' || star.width !== 'many' || star.charClass.kind !== 'any') return null;
  return { kind: literal === first ? 'head' : 'tail', text: foldAscii(literal.text), saved: star.capture !== null };
}

/** Whether an IP construct starts at the pattern's start or after a separator and ends at its end or before one. */
function closedBySeparators(items: readonly PatternItem[], index: number): boolean {
  const before = items[index - 1];
  const after = items[index + 1];
  const openedBy = before === undefined || (before.kind === 'literal' && isTokenSeparator(before.text.charCodeAt(before.text.length - 1)));
  const closedBy = after === undefined || (after.kind === 'literal' && isTokenSeparator(after.text.charCodeAt(0)));
  return openedBy && closedBy;
}

function addressTokenKey(item: IpItem): PatternKey {
  return { kind: 'address-token', subnet: subnetOf(item) };
}
