import { prefixMask } from '../../compile/ip.js';
import type { AddressFamily, TextFamily } from './keys.js';

// Record layout and hashing: how an index holds its keys in typed arrays, so a lookup allocates nothing.

/**
 * The arrays and figures of a table's index, apart from its entries: what the build makes, lookups
 * read, and a compiled file stores (src/engine/snapshot) as they are.
 */
export interface IndexLayout {
  /** Entry positions: each text key's list, each address key's list, then the always-check list, all ascending. */
  readonly postings: Int32Array;
  readonly alwaysStart: number;

  readonly textFamilies: TextFamily[];
  /** Text families by kind; head and tail families by ascending length. */
  readonly literalFamilies: Int32Array;
  readonly tokenFamilies: Int32Array;
  readonly headFamilies: Int32Array;
  readonly tailFamilies: Int32Array;
  /** The key length of each head and tail family, read once per probe character. */
  readonly headLengths: Int32Array;
  readonly tailLengths: Int32Array;
  readonly tokensNeeded: boolean;
  /** Text key records in open-addressing slots (see RECORD); a complete key's units at textUnits[record[UNITS]…]. */
  readonly textRecords: Int32Array;
  readonly textFilter: Int32Array;
  readonly textUnits: Uint16Array;

  readonly addressFamilies: AddressFamily[];
  /** Four words of mask per address family. */
  readonly addressMasks: Int32Array;
  /**
   * The address families a probe address must be looked up in, by [IPv4 or IPv4-mapped][probe is a
   * single token]: an IPv4 probe skips families of plain IPv6 subnets and the reverse (P9.3), and a
   * probe of several tokens skips whole-pattern families.
   */
  readonly addressLookups: Int32Array[];
  /** Address key records in open-addressing slots (see RECORD). */
  readonly addressRecords: Int32Array;
  readonly addressFilter: Int32Array;
  /**
   * Which address families hold a key under the probe's leading bits (see addressBuckets, build.ts): one mask
   * of family bits per value of the top `bucketBits` bits of an IPv4 (mapped) address's last word or
   * of another address's first word, and the families of shorter prefixes, looked up always. Empty
   * when the table has more families than a mask has bits: then every family is looked up.
   */
  readonly bucketBits: number;
  readonly mappedBuckets: Int32Array;
  readonly unmappedBuckets: Int32Array;
  readonly mappedAlways: number;
  readonly unmappedAlways: number;
}

// FNV-1a over folded 16-bit units (text) or 32-bit words (addresses), with a final avalanche. A text
// key's family is mixed in after its units, so one pass over a token or a probe's head serves every
// family that looks at it.
export const FNV_PRIME = 0x01000193;
export const TEXT_SEED = 0x811c9dc5;

function familyMix(family: number): number {
  return Math.imul(family + 1, 0x9e3779b1);
}

function finishHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}

/** The hash of a text key from the running FNV state over its units. */
export function textHash(running: number, family: number): number {
  return finishHash(running ^ familyMix(family));
}

/** The hash of a key text (already folded, a tail reversed) under a text family. */
export function hashText(text: string, family: number): number {
  let running = TEXT_SEED;
  for (let unit = 0; unit < text.length; unit++) running = Math.imul(running ^ text.charCodeAt(unit), FNV_PRIME);
  return textHash(running, family);
}

/** The hash of an address key's words under an address family. */
export function hashWords(family: number, w0: number, w1: number, w2: number, w3: number): number {
  let hash = TEXT_SEED ^ familyMix(family);
  hash = Math.imul(hash ^ w0, FNV_PRIME);
  hash = Math.imul(hash ^ w1, FNV_PRIME);
  hash = Math.imul(hash ^ w2, FNV_PRIME);
  hash = Math.imul(hash ^ w3, FNV_PRIME);
  return finishHash(hash);
}

/**
 * A key is one record of eight 32-bit fields stored in its own open-addressing slot: family + 1
 * (0 marks a free slot), the key's postings START and END and the FIRST entry position among them,
 * then the HASH, where a complete key's UNITS start and the key's LENGTH (text keys), or the four
 * WORDS of the network (address keys). A lookup thus reads one 32-byte record, and a key with a
 * single entry — the usual case — never reads `postings` at all. With slot, family, offsets and
 * postings in separate arrays, a found key cost four cache misses at 100,000 entries.
 */
export const RECORD = 8;
export const FAMILY = 0;
export const START = 1;
export const END = 2;
export const FIRST = 3;
export const HASH = 4;
export const UNITS = 5;
export const LENGTH = 6;
export const WORDS = 4;

/** The head of an exhausted posting list: above every entry position. */
export const NONE = 0x7fffffff;

/**
 * A bit filter in front of each record table, 16 bits per key (about 2 bytes), answering "no such
 * key" from memory that stays in the processor's cache. A probe looks up every token in every text
 * family and every address in every prefix length, and most lookups find nothing: without the filter
 * each of those read a random record of a table of megabytes, a cache miss apiece (seven per probe
 * for a CIDR table with seven prefix lengths). It uses hash bits above those that pick the slot.
 */
const FILTER_BITS_PER_KEY = 16;
const FILTER_SHIFT = 7;
const LARGEST_FILTER_BITS = 1 << 25;

/** An empty filter sized for this many keys. */
export function newFilter(keys: number): Int32Array {
  let bits = 1024;
  while (bits < FILTER_BITS_PER_KEY * keys && bits < LARGEST_FILTER_BITS) bits *= 2;
  return new Int32Array(bits / 32);
}

/** Marks a key's hash in the filter. */
export function addToFilter(filter: Int32Array, hash: number): void {
  const bit = (hash >>> FILTER_SHIFT) & (filter.length * 32 - 1);
  filter[bit >>> 5] |= 1 << (bit & 31);
}

/** False when no key of the filter has this hash. */
export function mayHold(filter: Int32Array, hash: number): boolean {
  const bit = (hash >>> FILTER_SHIFT) & (filter.length * 32 - 1);
  return (filter[bit >>> 5] & (1 << (bit & 31))) !== 0;
}

/** A power of two at least twice the number of keys, so probe chains stay short. */
export function slotCount(keys: number): number {
  let slots = 8;
  while (slots < 2 * keys) slots *= 2;
  return slots;
}

/**
 * Whether a layout restored from a compiled file keeps the invariants lookups rely on without checking
 * them per probe: each record table a power of two in size with a free slot (a probe sequence ends),
 * every posting list inside `postings`, and every entry position one of the table's `entries`. A
 * layout that does not is rebuilt from the entries rather than trusted.
 */
export function isSoundLayout(layout: IndexLayout, entries: number): boolean {
  const { postings } = layout;
  if (!(layout.alwaysStart >= 0 && layout.alwaysStart <= postings.length)) return false;
  for (const position of postings) if (position < 0 || position >= entries) return false;
  for (const records of [layout.textRecords, layout.addressRecords]) {
    if (records.length < RECORD || (records.length & (records.length - 1)) !== 0) return false;
    let free = false;
    for (let record = 0; record < records.length; record += RECORD) {
      if (records[record + FAMILY] === 0) {
        free = true;
        continue;
      }
      const start = records[record + START];
      const end = records[record + END];
      const first = records[record + FIRST];
      if (!(start >= 0 && start <= end && end <= postings.length && first >= 0 && first < entries)) return false;
    }
    if (!free) return false;
  }
  return true;
}

/** The offset of the first free record from the hash's slot on (linear probing). */
export function freeRecord(records: Int32Array, hash: number): number {
  const mask = records.length - 1;
  let record = Math.imul(hash, RECORD) & mask;
  while (records[record + FAMILY] !== 0) record = (record + RECORD) & mask;
  return record;
}

/** IPv4 addresses sit at ::ffff:0:0/96 in the shared space (src/compile/ip.ts). */
export const MAPPED_PREFIX = 96;

/** Whether an address's first three words put it in ::ffff:0:0/96 (an IPv4 address). */
export function isMappedWords(a: number, b: number, c: number): boolean {
  return a === 0 && b === 0 && c === 0xffff;
}

export function isMapped(words: readonly number[]): boolean {
  return isMappedWords(words[0], words[1], words[2]);
}

/** Whether a subnet holds IPv4-mapped addresses: it is inside ::ffff:0:0/96 or contains it. */
export function holdsMapped(words: readonly number[], prefixLength: number): boolean {
  if (prefixLength >= MAPPED_PREFIX) return isMapped(words);
  return words[0] === 0 && words[1] === 0 && words[2] === (0xffff & prefixMask(prefixLength, 2));
}
