import { decodeAddress, decodedAddress, isAddressChar, MAX_ADDRESS_LENGTH, MIN_ADDRESS_LENGTH } from '../../compile/ip.js';
import { isTokenSeparator } from '../../compile/pattern-keys.js';
import { foldCode } from '../../syntax/case.js';
import type { CompiledEntry, FoundEntry } from '../entry.js';
import { buildLayout, type CandidatesOf } from './build.js';
import { FIT_PREFIX, FIT_WHOLE, PLACE_FIRST, PLACE_LAST, VERIFY, type AddressFamily, type TextFamily } from './keys.js';
import {
  END,
  FAMILY,
  FIRST,
  FNV_PRIME,
  HASH,
  hashWords,
  isMappedWords,
  isSoundLayout,
  LENGTH,
  mayHold,
  RECORD,
  START,
  TEXT_SEED,
  textHash,
  UNITS,
  WORDS,
  type IndexLayout,
} from './layout.js';
import { addSource, firstVerified, grow, scratch } from './merge.js';

// A per-table index answering M2's question "the first entry at or after position i whose pattern
// matches s" without trying every entry. Each entry is filed under one key its pattern guarantees
// (src/compile/pattern-keys.ts) — the rarest one the table offers — or on an always-check list. A
// lookup reads the probe's tokens, collects the posting lists of the keys it finds, each in entry
// order, and tries their entries in one merged ascending order from i: the first whose matcher
// agrees is exactly the entry a linear scan would take, because an entry left out by the keys
// cannot match. Keys that are the whole pattern (a literal, a literal and a star, one IP construct)
// are the match itself and skip the matcher. Text keys and address keys (IP constructs, P9) live in
// two open-addressing tables over typed arrays, so a lookup allocates nothing.

/** Counts describing an index, for reports. */
export interface TableIndexShape {
  entries: number;
  textKeys: number;
  addressKeys: number;
  families: number;
  alwaysChecked: number;
}

/** The index of one table: `firstMatch` is M2's scan from a position, without a linear walk. */
export class TableIndex implements IndexLayout {
  private readonly entries: readonly CompiledEntry[];
  // The layout's fields (documented in IndexLayout), declared so that V8 keeps them inside the object
  // for the hot path rather than in a separate property store. A compiled file stores and restores
  // them as they are, by these names.
  readonly postings!: Int32Array;
  readonly alwaysStart!: number;
  readonly textFamilies!: TextFamily[];
  readonly literalFamilies!: Int32Array;
  readonly tokenFamilies!: Int32Array;
  readonly headFamilies!: Int32Array;
  readonly tailFamilies!: Int32Array;
  readonly headLengths!: Int32Array;
  readonly tailLengths!: Int32Array;
  readonly tokensNeeded!: boolean;
  readonly textRecords!: Int32Array;
  readonly textFilter!: Int32Array;
  readonly textUnits!: Uint16Array;
  readonly addressFamilies!: AddressFamily[];
  readonly addressMasks!: Int32Array;
  readonly addressLookups!: Int32Array[];
  readonly addressRecords!: Int32Array;
  readonly addressFilter!: Int32Array;
  readonly bucketBits!: number;
  readonly mappedBuckets!: Int32Array;
  readonly unmappedBuckets!: Int32Array;
  readonly mappedAlways!: number;
  readonly unmappedAlways!: number;

  private constructor(entries: readonly CompiledEntry[], candidatesOf?: CandidatesOf) {
    this.entries = entries;
    Object.assign(this, buildLayout(entries, candidatesOf));
  }

  /** Builds the index of a table's entries (in file order); `candidatesOf` may answer an entry's keys from a cache. */
  static build(entries: readonly CompiledEntry[], candidatesOf?: CandidatesOf): TableIndex {
    return new TableIndex(entries, candidatesOf);
  }

  /** The index's arrays and figures without its entries, for a compiled file to store (src/engine/snapshot). */
  storedState(): Record<string, unknown> {
    const { entries: _entries, ...state } = this;
    return state;
  }

  /**
   * An index over `entries` from the `storedState()` of an index this imsmap version built over the same
   * entries; built afresh from the entries when the stored state breaks an invariant lookups rely on.
   */
  static fromStoredState(entries: readonly CompiledEntry[], state: Record<string, unknown>): TableIndex {
    const index: TableIndex = Object.assign(Object.create(TableIndex.prototype) as TableIndex, state, { entries });
    if (!isSoundLayout(index, entries.length)) return TableIndex.build(entries);
    // The build sizes the shared scratch for the longest complete key; no key is longer than the units kept.
    const longest = Math.min(index.textUnits.length, index.textFamilies.reduce((most, family) => Math.max(most, family.length), 0));
    if (scratch.units.length < longest) scratch.units = new Uint16Array(longest);
    return index;
  }

  /** Counts for reports: entries, distinct keys, key families, entries on the always-check list. */
  get shape(): TableIndexShape {
    const occupied = (records: Int32Array): number => records.filter((_, at) => at % RECORD === FAMILY && records[at] !== 0).length;
    return {
      entries: this.entries.length,
      textKeys: occupied(this.textRecords),
      addressKeys: occupied(this.addressRecords),
      families: this.textFamilies.length + this.addressFamilies.length,
      alwaysChecked: this.postings.length - this.alwaysStart,
    };
  }

  /**
   * The first entry at or after `from` whose pattern matches `input`, with its captures (M2), as the
   * linear scan `findFirstMatch` finds it. Allocates nothing unless an entry matches, apart from
   * folding an input with capital letters once for the matchers that verify candidates.
   */
  firstMatch(input: string, from: number): FoundEntry | null {
    let sources = 0;
    if (this.alwaysStart < this.postings.length) {
      sources = addSource(sources, this.alwaysStart, this.postings.length, this.postings[this.alwaysStart], VERIFY, 0);
    }
    if (this.literalFamilies.length > 0) sources = this.lookUpLiteral(input, sources);
    if (this.headFamilies.length > 0) sources = this.lookUpEdge(input, this.headFamilies, this.headLengths, true, sources);
    if (this.tailFamilies.length > 0) sources = this.lookUpEdge(input, this.tailFamilies, this.tailLengths, false, sources);
    if (this.tokensNeeded) {
      const tokens = splitTokens(input);
      if (this.tokenFamilies.length > 0) sources = this.lookUpTokens(input, tokens, sources);
      if (this.addressFamilies.length > 0) sources = this.lookUpAddresses(input, tokens, sources);
    }
    return firstVerified(this.postings, this.entries, input, from, sources);
  }

  /** The whole probe in the literal family. */
  private lookUpLiteral(input: string, sources: number): number {
    const family = this.literalFamilies[0];
    const length = input.length;
    if (length > this.textFamilies[family].length) return sources;
    const units = scratch.units;
    let running = TEXT_SEED;
    for (let unit = 0; unit < length; unit++) {
      const code = foldCode(input.charCodeAt(unit));
      units[unit] = code;
      running = Math.imul(running ^ code, FNV_PRIME);
    }
    return this.lookUpText(family, textHash(running, family), length, sources);
  }

  /**
   * The probe's heads (or tails) of every length a head (tail) family has, in one pass from the
   * start (end): the running hash of the first n units is the hash of the head of length n.
   */
  private lookUpEdge(input: string, families: Int32Array, lengths: Int32Array, heads: boolean, sources: number): number {
    const units = scratch.units;
    const length = input.length;
    let running = TEXT_SEED;
    let next = 0;
    for (let unit = 0; unit < length && next < families.length; unit++) {
      const code = foldCode(input.charCodeAt(heads ? unit : length - 1 - unit));
      units[unit] = code;
      running = Math.imul(running ^ code, FNV_PRIME);
      while (next < families.length && lengths[next] === unit + 1) {
        sources = this.lookUpText(families[next], textHash(running, families[next]), unit + 1, sources);
        next++;
      }
    }
    return sources;
  }

  /** Every token (the first, the last or any, as each family says) in the token families. */
  private lookUpTokens(input: string, tokens: number, sources: number): number {
    const { tokenStart, tokenEnd } = scratch;
    const families = this.tokenFamilies;
    for (let token = 0; token < tokens; token++) {
      const start = tokenStart[token];
      const end = tokenEnd[token];
      // The whole token's hash serves every whole-token family; the family is mixed in last.
      let whole = TEXT_SEED;
      for (let unit = start; unit < end; unit++) whole = Math.imul(whole ^ foldCode(input.charCodeAt(unit)), FNV_PRIME);
      for (let index = 0; index < families.length; index++) {
        const id = families[index];
        const family = this.textFamilies[id];
        if ((family.place === PLACE_FIRST && token !== 0) || (family.place === PLACE_LAST && token !== tokens - 1)) continue;
        if (family.fit === FIT_WHOLE) {
          if (end - start <= family.length) sources = this.lookUpText(id, textHash(whole, id), end - start, sources);
          continue;
        }
        if (end - start < family.length) continue;
        let running = TEXT_SEED;
        const from = family.fit === FIT_PREFIX ? start : end - family.length;
        for (let unit = from; unit < from + family.length; unit++) running = Math.imul(running ^ foldCode(input.charCodeAt(unit)), FNV_PRIME);
        sources = this.lookUpText(id, textHash(running, id), family.length, sources);
      }
    }
    return sources;
  }

  /**
   * Adds the postings of the text key of `family` with this hash and length. A complete key is the
   * match itself, so its text (in the scratch units) is compared. A token key's entries are all
   * verified by their matchers, so an equal hash is enough to try them: a collision costs a few
   * verifications, never a wrong answer, and the key text is neither stored nor read (one cache
   * miss less per lookup at 100,000 entries).
   */
  private lookUpText(family: number, hash: number, length: number, sources: number): number {
    if (!mayHold(this.textFilter, hash)) return sources;
    const { textRecords: records, textUnits } = this;
    const units = scratch.units;
    const { completion } = this.textFamilies[family];
    const edge = this.textFamilies[family].length;
    const mask = records.length - 1;
    for (let record = Math.imul(hash, RECORD) & mask; records[record] !== 0; record = (record + RECORD) & mask) {
      if (records[record] !== family + 1 || records[record + HASH] !== hash || records[record + LENGTH] !== length) continue;
      if (completion === VERIFY) {
        sources = addSource(sources, records[record + START], records[record + END], records[record + FIRST], VERIFY, 0);
        continue;
      }
      const at = records[record + UNITS];
      let unit = 0;
      while (unit < length && textUnits[at + unit] === units[unit]) unit++;
      if (unit === length) return addSource(sources, records[record + START], records[record + END], records[record + FIRST], completion, edge);
    }
    return sources;
  }

  /** Looks up every address token of the probe in the address families; returns the new number of sources. */
  private lookUpAddresses(input: string, tokens: number, sources: number): number {
    const { tokenStart, tokenEnd } = scratch;
    const { addressMasks: masks, addressRecords: records } = this;
    const mask = records.length - 1;
    for (let token = 0; token < tokens; token++) {
      const start = tokenStart[token];
      const end = tokenEnd[token];
      if (end - start < MIN_ADDRESS_LENGTH || end - start > MAX_ADDRESS_LENGTH) continue;
      let unit = start;
      while (unit < end && isAddressChar(input.charCodeAt(unit))) unit++;
      if (unit < end || !decodeAddress(input, start, end)) continue;
      // Indexed reads: destructuring a typed array goes through its iterator.
      const a = decodedAddress[0];
      const b = decodedAddress[1];
      const c = decodedAddress[2];
      const d = decodedAddress[3];
      const mapped = isMappedWords(a, b, c);
      const families = this.addressLookups[(mapped ? 2 : 0) + (tokens === 1 ? 1 : 0)];
      const shift = 32 - this.bucketBits;
      const present =
        this.bucketBits === 0
          ? -1
          : mapped
            ? this.mappedAlways | (this.mappedBuckets.length === 0 ? 0 : this.mappedBuckets[d >>> shift])
            : this.unmappedAlways | (this.unmappedBuckets.length === 0 ? 0 : this.unmappedBuckets[a >>> shift]);
      for (let index = 0; index < families.length; index++) {
        const family = families[index];
        if ((present & (1 << family)) === 0) continue;
        const m = 4 * family;
        const w0 = a & masks[m];
        const w1 = b & masks[m + 1];
        const w2 = c & masks[m + 2];
        const w3 = d & masks[m + 3];
        const hash = hashWords(family, w0, w1, w2, w3);
        if (!mayHold(this.addressFilter, hash)) continue;
        for (let record = Math.imul(hash, RECORD) & mask; records[record] !== 0; record = (record + RECORD) & mask) {
          if (
            records[record] === family + 1 &&
            records[record + WORDS + 3] === w3 &&
            records[record + WORDS + 2] === w2 &&
            records[record + WORDS + 1] === w1 &&
            records[record + WORDS] === w0
          ) {
            const completion = this.addressFamilies[family].completion;
            sources = addSource(sources, records[record + START], records[record + END], records[record + FIRST], completion, 0);
            break;
          }
        }
      }
    }
    return sources;
  }
}

/** Splits the probe at `|` and `@` into the scratch token bounds; returns the number of tokens. */
function splitTokens(input: string): number {
  let tokens = 0;
  let start = 0;
  const length = input.length;
  for (let unit = 0; unit <= length; unit++) {
    if (unit < length && !isTokenSeparator(input.charCodeAt(unit))) continue;
    if (tokens === scratch.tokenStart.length) {
      scratch.tokenStart = grow(scratch.tokenStart);
      scratch.tokenEnd = grow(scratch.tokenEnd);
    }
    scratch.tokenStart[tokens] = start;
    scratch.tokenEnd[tokens] = unit;
    tokens++;
    start = unit + 1;
  }
  return tokens;
}
