import { prefixMask } from '../../compile/ip.js';
import { patternKeys } from '../../compile/pattern-keys.js';
import type { CompiledEntry } from '../entry.js';
import {
  addressFamilyOf,
  candidateOf,
  chooseKeys,
  FIT_WHOLE,
  HEAD_FAMILY,
  LITERAL_FAMILY,
  TAIL_FAMILY,
  TOKEN_FAMILY,
  VERIFY,
  textFamilyOf,
  type AddressFamily,
  type Candidate,
  type TextFamily,
} from './keys.js';
import {
  addToFilter,
  END,
  FAMILY,
  FIRST,
  freeRecord,
  HASH,
  hashText,
  hashWords,
  holdsMapped,
  isMapped,
  LENGTH,
  MAPPED_PREFIX,
  newFilter,
  RECORD,
  slotCount,
  START,
  UNITS,
  WORDS,
  type IndexLayout,
} from './layout.js';
import { scratch } from './merge.js';

// Build: a table's entries filed under their chosen keys, laid out in records, postings and filters.

/** The keys an entry could be filed under: a function of its pattern alone. */
export type CandidatesOf = (entry: CompiledEntry) => readonly Candidate[];

/** An entry's candidate keys, worked out from its pattern. */
export function entryCandidates(entry: CompiledEntry): readonly Candidate[] {
  return patternKeys(entry.source.patternItems).map(candidateOf);
}

/** The layout of the index of a table's entries (in file order). */
export function buildLayout(entries: readonly CompiledEntry[], candidatesOf: CandidatesOf = entryCandidates): IndexLayout {
  const chosen = chooseKeys(entries.map(candidatesOf));

  // Number families and keys in order of first use; count each key's entries.
  const text = new KeyDirectory();
  const address = new KeyDirectory();
  const entryKey = new Int32Array(entries.length);
  let alwaysChecked = 0;
  chosen.forEach((candidate, position) => {
    if (candidate === null) alwaysChecked++;
    entryKey[position] = candidate === null ? -1 : (candidate.address ? address : text).add(candidate);
  });

  // Postings, in entry order within each list.
  const textPostings = text.postingOffsets(0);
  const addressPostings = address.postingOffsets(textPostings[text.size]);
  const alwaysStart = addressPostings[address.size];
  const postings = new Int32Array(alwaysStart + alwaysChecked);
  const nextText = textPostings.slice(0, text.size);
  const nextAddress = addressPostings.slice(0, address.size);
  let nextAlways = alwaysStart;
  entryKey.forEach((key, position) => {
    const candidate = chosen[position];
    if (candidate === null) postings[nextAlways++] = position;
    else if (candidate.address) postings[nextAddress[key]++] = position;
    else postings[nextText[key]++] = position;
  });

  return {
    postings,
    alwaysStart,
    ...textKeys(text, textPostings, postings, address.size > 0),
    ...addressKeys(address, addressPostings, postings),
  };
}

type TextLayout = Pick<
  IndexLayout,
  | 'textFamilies'
  | 'literalFamilies'
  | 'tokenFamilies'
  | 'headFamilies'
  | 'tailFamilies'
  | 'headLengths'
  | 'tailLengths'
  | 'tokensNeeded'
  | 'textRecords'
  | 'textFilter'
  | 'textUnits'
>;

/** The text keys' families, records, filter and kept units; `addresses` says whether address keys need the probe's tokens too. */
function textKeys(text: KeyDirectory, textPostings: Int32Array, postings: Int32Array, addresses: boolean): TextLayout {
  const textFamilies: TextFamily[] = text.families.map(textFamilyOf);
  for (let key = 0; key < text.size; key++) {
    const family = textFamilies[text.family[key]];
    if (family.kind === LITERAL_FAMILY || (family.kind === TOKEN_FAMILY && family.fit === FIT_WHOLE)) {
      family.length = Math.max(family.length, text.texts[key].length);
    }
  }
  const familiesOf = (kind: number): Int32Array =>
    Int32Array.from(textFamilies.flatMap((family, id) => (family.kind === kind ? [id] : [])).sort((a, b) => textFamilies[a].length - textFamilies[b].length));
  const literalFamilies = familiesOf(LITERAL_FAMILY);
  const tokenFamilies = familiesOf(TOKEN_FAMILY);
  const headFamilies = familiesOf(HEAD_FAMILY);
  const tailFamilies = familiesOf(TAIL_FAMILY);
  // Only a complete key keeps its text, to be compared: a token key's entries are verified by their matchers.
  let keptUnits = 0;
  let longest = 0;
  for (let key = 0; key < text.size; key++) {
    if (textFamilies[text.family[key]].completion === VERIFY) continue;
    keptUnits += text.texts[key].length;
    longest = Math.max(longest, text.texts[key].length);
  }
  if (scratch.units.length < longest) scratch.units = new Uint16Array(longest);
  const textUnits = new Uint16Array(keptUnits);
  const textRecords = new Int32Array(RECORD * slotCount(text.size));
  const textFilter = newFilter(text.size);
  let unitsAt = 0;
  for (let key = 0; key < text.size; key++) {
    const keyText = text.texts[key];
    const hash = text.hash[key];
    addToFilter(textFilter, hash);
    const record = freeRecord(textRecords, hash);
    fillRecord(textRecords, record, text.family[key], textPostings[key], textPostings[key + 1], postings);
    textRecords[record + HASH] = hash;
    textRecords[record + LENGTH] = keyText.length;
    if (textFamilies[text.family[key]].completion === VERIFY) continue;
    textRecords[record + UNITS] = unitsAt;
    for (let unit = 0; unit < keyText.length; unit++) textUnits[unitsAt++] = keyText.charCodeAt(unit);
  }
  return {
    textFamilies,
    literalFamilies,
    tokenFamilies,
    headFamilies,
    tailFamilies,
    headLengths: headFamilies.map((id) => textFamilies[id].length),
    tailLengths: tailFamilies.map((id) => textFamilies[id].length),
    tokensNeeded: tokenFamilies.length > 0 || addresses,
    textRecords,
    textFilter,
    textUnits,
  };
}

type AddressLayout = Pick<
  IndexLayout,
  | 'addressFamilies'
  | 'addressMasks'
  | 'addressLookups'
  | 'addressRecords'
  | 'addressFilter'
  | 'bucketBits'
  | 'mappedBuckets'
  | 'unmappedBuckets'
  | 'mappedAlways'
  | 'unmappedAlways'
>;

/** The address keys' families, masks, records, filter and buckets. */
function addressKeys(address: KeyDirectory, addressPostings: Int32Array, postings: Int32Array): AddressLayout {
  const addressFamilies: AddressFamily[] = address.families.map(addressFamilyOf);
  const addressMasks = new Int32Array(4 * addressFamilies.length);
  addressFamilies.forEach(({ prefixLength }, family) => {
    for (let word = 0; word < 4; word++) addressMasks[4 * family + word] = prefixMask(prefixLength, word);
  });
  const addressRecords = new Int32Array(RECORD * slotCount(address.size));
  const addressFilter = newFilter(address.size);
  for (let key = 0; key < address.size; key++) {
    const words = address.words[key]!;
    const family = addressFamilies[address.family[key]];
    if (holdsMapped(words, family.prefixLength)) family.holdsMapped = true;
    if (!isMapped(words) || family.prefixLength < MAPPED_PREFIX) family.holdsUnmapped = true;
    const hash = address.hash[key];
    addToFilter(addressFilter, hash);
    const record = freeRecord(addressRecords, hash);
    fillRecord(addressRecords, record, address.family[key], addressPostings[key], addressPostings[key + 1], postings);
    for (let word = 0; word < 4; word++) addressRecords[record + WORDS + word] = words[word];
  }
  const addressLookups = [false, true].flatMap((mapped) =>
    [false, true].map((single) =>
      Int32Array.from(
        addressFamilies.flatMap((family, index) => {
          const holds = mapped ? family.holdsMapped : family.holdsUnmapped;
          return holds && (single || family.completion === VERIFY) ? [index] : [];
        }),
      ),
    ),
  );
  const buckets = addressBuckets(addressFamilies, address);
  return {
    addressFamilies,
    addressMasks,
    addressLookups,
    addressRecords,
    addressFilter,
    bucketBits: buckets.bits,
    mappedBuckets: buckets.mapped,
    unmappedBuckets: buckets.unmapped,
    mappedAlways: buckets.mappedAlways,
    unmappedAlways: buckets.unmappedAlways,
  };
}

/** Writes the fields every record has: family, postings and their first entry. */
function fillRecord(records: Int32Array, record: number, family: number, start: number, end: number, postings: Int32Array): void {
  records[record + FAMILY] = family + 1;
  records[record + START] = start;
  records[record + END] = end;
  records[record + FIRST] = postings[start];
}

/**
 * Families and keys of one kind (text or address) numbered in order of first use, with their
 * hashes and entry counts. Keys are told apart in a temporary open-addressing table by hash, then
 * text. Maps keyed by composed strings (`family + text`) made a large ORIG_SEND_ACCESS compile
 * slowly, much of it in the garbage collector; numbered families and this table allocate no
 * composed string (bench/index.bench.mjs measures the compile).
 */
class KeyDirectory {
  /** Family codes by family number. */
  readonly families: number[] = [];
  /** Per key: family number, hash, text, address words, entries filed under it. */
  readonly family: number[] = [];
  readonly hash: number[] = [];
  readonly texts: string[] = [];
  readonly words: Array<readonly number[] | null> = [];
  private readonly counts: number[] = [];
  private readonly familyIndex = new Map<number, number>();
  private slots = new Int32Array(1024);

  get size(): number {
    return this.family.length;
  }

  /** The number of the candidate's key, counting one more entry for it. */
  add(candidate: Candidate): number {
    let family = this.familyIndex.get(candidate.family);
    if (family === undefined) {
      family = this.families.length;
      this.families.push(candidate.family);
      this.familyIndex.set(candidate.family, family);
    }
    const words = candidate.words;
    const hash = words === null ? hashText(candidate.text, family) : hashWords(family, words[0], words[1], words[2], words[3]);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const key = this.slots[slot] - 1;
      if (this.family[key] === family && this.hash[key] === hash && this.texts[key] === candidate.text) {
        this.counts[key]++;
        return key;
      }
    }
    const key = this.family.length;
    this.family.push(family);
    this.hash.push(hash);
    this.texts.push(candidate.text);
    this.words.push(words);
    this.counts.push(1);
    this.slots[slot] = key + 1;
    if (2 * this.family.length > this.slots.length) this.rehash();
    return key;
  }

  /** Where each key's postings start, from `base`, with the end of the last one appended. */
  postingOffsets(base: number): Int32Array {
    const offsets = new Int32Array(this.size + 1);
    offsets[0] = base;
    this.counts.forEach((count, key) => (offsets[key + 1] = offsets[key] + count));
    return offsets;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    const mask = this.slots.length - 1;
    this.hash.forEach((hash, key) => {
      let slot = hash & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = key + 1;
    });
  }
}

/**
 * A CIDR table of blocklist shape has a handful of prefix lengths, and a probe address must be looked
 * up in each: six hashes and six reads of the filter per probe, where most find nothing. A mask of the
 * families with a key under the address's leading bits (the top 16 at most: one 32-bit mask per value of those bits and address space)
 * leaves the one or two lengths that can hold it, and none for an address outside every block.
 * Families of prefixes shorter than those bits are in the always-looked-up mask. Bits per key count
 * keep small tables small: about two buckets per key, from 16 buckets up.
 */
const LARGEST_BUCKET_BITS = 16;
const SMALLEST_BUCKET_BITS = 4;
/** Family bits of a 32-bit mask. */
const MASK_FAMILIES = 32;

interface AddressBuckets {
  bits: number;
  mapped: Int32Array;
  unmapped: Int32Array;
  mappedAlways: number;
  unmappedAlways: number;
}

function addressBuckets(families: readonly AddressFamily[], keys: KeyDirectory): AddressBuckets {
  const none = new Int32Array(0);
  if (families.length === 0 || families.length > MASK_FAMILIES) return { bits: 0, mapped: none, unmapped: none, mappedAlways: -1, unmappedAlways: -1 };
  let bits = SMALLEST_BUCKET_BITS;
  while (bits < LARGEST_BUCKET_BITS && 1 << bits < 2 * keys.size) bits++;
  let mapped = none;
  let unmapped = none;
  let mappedAlways = 0;
  let unmappedAlways = 0;
  for (let key = 0; key < keys.size; key++) {
    const words = keys.words[key]!;
    const family = keys.family[key];
    const { prefixLength } = families[family];
    const bit = 1 << family;
    if (isMapped(words) && prefixLength >= MAPPED_PREFIX) {
      if (prefixLength - MAPPED_PREFIX < bits) mappedAlways |= bit;
      else (mapped.length === 0 ? (mapped = new Int32Array(1 << bits)) : mapped)[words[3] >>> (32 - bits)] |= bit;
      continue;
    }
    // A key that is not inside ::ffff:0:0/96 may still contain it (::/0): IPv4 probes look it up always.
    if (holdsMapped(words, prefixLength)) mappedAlways |= bit;
    if (prefixLength < bits) unmappedAlways |= bit;
    else (unmapped.length === 0 ? (unmapped = new Int32Array(1 << bits)) : unmapped)[words[0] >>> (32 - bits)] |= bit;
  }
  return { bits, mapped, unmapped, mappedAlways, unmappedAlways };
}
