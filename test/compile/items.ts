// Builds PatternItem[] by hand for matcher tests: each helper stands for one P3 construct, and
// `pattern` numbers the saved items left to right (P4) the way the parser does.
import ipaddr from 'ipaddr.js';
import type { BackmatchItem, CharClass, CodeRange, IpItem, LiteralItem, PatternItem, WildcardItem } from '../../src/syntax/ast.js';

type Placement = 'offset' | 'length';

/** An item before numbering: saved items say whether saving is on (P6) instead of their number. */
export type Unnumbered =
  | Omit<LiteralItem, Placement>
  | Omit<BackmatchItem, Placement>
  | (Omit<WildcardItem, Placement | 'capture'> & { save: boolean })
  | (Omit<IpItem, Placement | 'capture'> & { save: boolean });

const GLOB_RANGES: Record<string, readonly CodeRange[]> = {
  A: [[65, 90], [97, 122]],
  B: [[48, 49]],
  D: [[48, 57]],
  H: [[48, 57], [65, 70]],
  O: [[48, 55]],
  S: [[36, 36], [48, 57], [65, 90], [95, 95], [97, 122]],
  T: [[9, 9], [11, 11], [32, 32]],
  X: [[48, 57], [65, 70]],
};

const ANY: CharClass = { kind: 'any' };

/** Literal text, matched case-blind (P1). */
export function lit(text: string): Unnumbered {
  return { kind: 'literal', text };
}

/** `*` (greedy), `$_*` (lazy), `$@*` (unsaved). */
export function star(options: { lazy?: boolean; save?: boolean } = {}): Unnumbered {
  return { kind: 'wildcard', width: 'many', charClass: ANY, lazy: options.lazy ?? false, save: options.save ?? true };
}

/** `%`. */
export function one(options: { save?: boolean } = {}): Unnumbered {
  return { kind: 'wildcard', width: 'one', charClass: ANY, lazy: false, save: options.save ?? true };
}

/** `$X%` / `$X*` for a glob letter X. */
export function glob(letter: keyof typeof GLOB_RANGES, width: 'one' | 'many', options: { lazy?: boolean; save?: boolean } = {}): Unnumbered {
  const charClass = { kind: 'glob', letter, ranges: GLOB_RANGES[letter] } as CharClass;
  return { kind: 'wildcard', width, charClass, lazy: options.lazy ?? false, save: options.save ?? true };
}

/** `$[…]%` / `$[…]*` with its members given as ranges of characters, e.g. `['a', 'c'], ['-', '-']`. */
export function set(members: ReadonlyArray<readonly [string, string]>, width: 'one' | 'many', options: { lazy?: boolean; save?: boolean } = {}): Unnumbered {
  const ranges = members.map(([low, high]) => [low.codePointAt(0)!, high.codePointAt(0)!] as const);
  return { kind: 'wildcard', width, charClass: { kind: 'set', ranges }, lazy: options.lazy ?? false, save: options.save ?? true };
}

/** `$n*`. */
export function back(ref: number): Unnumbered {
  return { kind: 'backmatch', ref };
}

/**
 * `$(addr/n)` (prefix form), `$<addr/n>` (ignore form: n low bits ignored) or `${addr/n}`, with
 * the subnet normalised as the parser does (P9.1): host bits masked off.
 */
export function ip(text: string, options: { form?: 'prefix' | 'ignore' | 'v6'; save?: boolean } = {}): Unnumbered {
  const [address, bits] = text.split('/');
  const parsed = ipaddr.parse(address);
  const size = parsed.kind() === 'ipv4' ? 32 : 128;
  const form = options.form ?? 'prefix';
  const written = bits === undefined ? (form === 'ignore' ? 0 : size) : Number(bits);
  const prefixLength = form === 'ignore' ? size - written : written;
  const network = parsed.toByteArray().map((byte, index) => {
    const keep = Math.min(8, Math.max(0, prefixLength - index * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return { kind: 'ip', form, family: parsed.kind(), address, prefixLength, network, save: options.save ?? true };
}

/** Numbers the saved items from 0 (P4) and gives each item its place in an imagined source text. */
export function pattern(...parts: Unnumbered[]): PatternItem[] {
  let next = 0;
  return parts.map((part, index) => {
    const placed = { ...part, offset: index, length: 1 };
    if (!('save' in placed)) return placed as PatternItem;
    const { save, ...item } = placed;
    return { ...item, capture: save ? next++ : null } as PatternItem;
  });
}
