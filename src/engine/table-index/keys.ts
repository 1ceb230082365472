import type { PatternKey } from '../../compile/pattern-keys.js';

// Key choice: what one entry of a table can be filed under (a pattern key, src/compile/pattern-keys.ts,
// as a family and a key text or address), and which of its keys the index files it under.

// Text key families: which part of the probe is looked up.
/** The whole probe (a pattern that is one literal). */
export const LITERAL_FAMILY = 0;
/** A token (a piece between `|`/`@` separators), or its beginning or end. */
export const TOKEN_FAMILY = 1;
/** The probe's first n code units (a pattern `literal*`). */
export const HEAD_FAMILY = 2;
/** The probe's last n code units (a pattern `*literal`); these keys are stored and hashed reversed. */
export const TAIL_FAMILY = 3;

export const PLACE_FIRST = 0;
export const PLACE_LAST = 1;
const PLACE_ANY = 2;
const PLACES = { first: PLACE_FIRST, last: PLACE_LAST, any: PLACE_ANY } as const;

export const FIT_WHOLE = 0;
export const FIT_PREFIX = 1;
const FIT_SUFFIX = 2;
const FITS = { whole: FIT_WHOLE, prefix: FIT_PREFIX, suffix: FIT_SUFFIX } as const;

/**
 * Token prefix and suffix keys are cut to a power of two up to this many code units. Each distinct
 * length is one more lookup per token of every probe, so a few lengths keep that cost fixed (at most
 * five such families per place and fit) whatever the literals' lengths.
 */
const LONGEST_PARTIAL_KEY = 16;

// How the entries of a key are taken: verified by their matchers, or matched by the key alone with
// these captures.
export const VERIFY = 0;
export const CAPTURES_NONE = 1;
export const CAPTURES_INPUT = 2;
export const CAPTURES_AFTER_HEAD = 3;
export const CAPTURES_BEFORE_TAIL = 4;

/** A text key family: where in the probe its text comes from, and how its entries complete. */
export interface TextFamily {
  kind: number;
  place: number;
  fit: number;
  completion: number;
  /**
   * Code units of a head, tail or token prefix or suffix key; for a literal or whole-token family
   * its longest key, beyond which no lookup can succeed.
   */
  length: number;
}

/** An address key family: one prefix length, for whole-probe addresses or for address tokens. */
export interface AddressFamily {
  prefixLength: number;
  /** VERIFY for address tokens; for a pattern that is the IP construct alone, what its match captures. */
  completion: number;
  /** Whether some key's subnet holds IPv4 (or IPv4-mapped) addresses, or other IPv6 addresses (P9.3). */
  holdsMapped: boolean;
  holdsUnmapped: boolean;
}

/**
 * One key an entry offers, before families and keys are numbered. The family is a number packing
 * its shape (`textFamilyCode`, `addressFamilyCode`) rather than a composed string name: see
 * KeyDirectory (build.ts) for what strings cost here.
 */
export interface Candidate {
  address: boolean;
  family: number;
  /** Folded key text as stored (a tail reversed); for an address key, its words as eight 16-bit units (a map key only). */
  text: string;
  words: readonly number[] | null;
  /** Higher is more selective at equal frequency. */
  rank: number;
  complete: boolean;
}

function textFamilyCode(kind: number, place: number, fit: number, completion: number, length: number): number {
  return kind | (place << 2) | (fit << 4) | (completion << 6) | (length << 9);
}

/** The text family a `textFamilyCode` packs. */
export function textFamilyOf(code: number): TextFamily {
  return { kind: code & 3, place: (code >> 2) & 3, fit: (code >> 4) & 3, completion: (code >> 6) & 7, length: code >> 9 };
}

function addressFamilyCode(prefixLength: number, completion: number): number {
  return (prefixLength << 3) | completion;
}

/** The address family an `addressFamilyCode` packs, before its keys say which addresses it holds. */
export function addressFamilyOf(code: number): AddressFamily {
  return { prefixLength: code >> 3, completion: code & 7, holdsMapped: false, holdsUnmapped: false };
}

/** The largest power of two not above `length`, capped at LONGEST_PARTIAL_KEY. */
function partialLength(length: number): number {
  let cut = 1;
  while (cut * 2 <= Math.min(length, LONGEST_PARTIAL_KEY)) cut *= 2;
  return cut;
}

/** An address key's words as a string of eight 16-bit units, to tell keys apart and count them. */
function addressText([a, b, c, d]: readonly number[]): string {
  return String.fromCharCode(a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, c >>> 16, c & 0xffff, d >>> 16, d & 0xffff);
}

function reversed(text: string): string {
  let result = '';
  for (let unit = text.length - 1; unit >= 0; unit--) result += text[unit];
  return result;
}

/** A pattern key as the index files it: family, key text or words, rank and completeness. */
export function candidateOf(key: PatternKey): Candidate {
  const text = (kind: number, completion: number, length: number, units: string, rank: number): Candidate => ({
    address: false,
    family: textFamilyCode(kind, PLACE_ANY, FIT_WHOLE, completion, length),
    text: units,
    words: null,
    rank,
    complete: completion !== VERIFY,
  });
  switch (key.kind) {
    case 'literal':
      return text(LITERAL_FAMILY, CAPTURES_NONE, 0, key.text, 0);
    case 'head':
      return text(HEAD_FAMILY, key.saved ? CAPTURES_AFTER_HEAD : CAPTURES_NONE, key.text.length, key.text, 0);
    case 'tail':
      return text(TAIL_FAMILY, key.saved ? CAPTURES_BEFORE_TAIL : CAPTURES_NONE, key.text.length, reversed(key.text), 0);
    case 'address':
    case 'address-token': {
      const { words, prefixLength } = key.subnet;
      const completion = key.kind === 'address-token' ? VERIFY : key.saved ? CAPTURES_INPUT : CAPTURES_NONE;
      return {
        address: true,
        family: addressFamilyCode(prefixLength, completion),
        text: addressText(words),
        words,
        rank: 100 + prefixLength,
        complete: completion !== VERIFY,
      };
    }
    case 'token': {
      const place = PLACES[key.place];
      const fit = FITS[key.fit];
      const placeRank = place === PLACE_ANY ? 0 : 1;
      const length = fit === FIT_WHOLE ? 0 : partialLength(key.text.length);
      const units = fit === FIT_WHOLE ? key.text : fit === FIT_PREFIX ? key.text.slice(0, length) : key.text.slice(key.text.length - length);
      return {
        address: false,
        family: textFamilyCode(TOKEN_FAMILY, place, fit, VERIFY, length),
        text: units,
        words: null,
        rank: fit === FIT_WHOLE ? 200 + placeRank : 2 * length + placeRank,
        complete: false,
      };
    }
  }
}

/**
 * Picks each entry's key: a key that is the whole match outright, otherwise the one the fewest
 * entries of the table share (its posting list is what a probe carrying it must try), the more
 * specific at equal counts. Null puts the entry on the always-check list.
 */
export function chooseKeys(candidates: ReadonlyArray<readonly Candidate[]>): Array<Candidate | null> {
  const frequency = new Map<number, Map<string, number>>();
  const countsOf = (candidate: Candidate): Map<string, number> => {
    const family = candidate.address ? -1 - candidate.family : candidate.family;
    let counts = frequency.get(family);
    if (counts === undefined) frequency.set(family, (counts = new Map()));
    return counts;
  };
  for (const keys of candidates) {
    for (const key of keys) {
      if (key.complete) continue;
      const counts = countsOf(key);
      counts.set(key.text, (counts.get(key.text) ?? 0) + 1);
    }
  }
  return candidates.map((keys) => {
    let best: Candidate | null = null;
    let bestCount = Infinity;
    for (const key of keys) {
      if (key.complete) return key;
      const count = countsOf(key).get(key.text)!;
      if (count < bestCount || (count === bestCount && key.rank > best!.rank)) {
        best = key;
        bestCount = count;
      }
    }
    return best;
  });
}
