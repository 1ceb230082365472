import { decodeAddress, decodedAddress, isAddressChar, MAX_ADDRESS_LENGTH, MIN_ADDRESS_LENGTH, prefixMask } from '../compile/ip.js';
import { isTokenSeparator, patternKeys, type PatternKey } from '../compile/pattern-keys.js';
import { foldAscii, foldCode } from '../syntax/case.js';
import type { CompiledEntry, FoundEntry } from './entry.js';

// A per-table index answering M2's question "the first entry at or after position i whose pattern
// matches s" without trying every entry. Each entry is filed under one key its pattern guarantees
// (src/compile/pattern-keys.ts) — the rarest one the table offers — or on an always-check list. A
// lookup reads the probe's tokens, collects the posting lists of the keys it finds, each in entry
// order, and tries their entries in one merged ascending order from i: the first whose matcher
// agrees is exactly the entry a linear scan would take, because an entry left out by the keys
// cannot match. Keys that are the whole pattern (a literal, a literal and a star, one IP construct)
// are the match itself and skip the matcher. Text keys and address keys (IP constructs, P9) live in
// two open-addressing tables over typed arrays, so a lookup allocates nothing.

// Text key families: which part of the probe is looked up.
/** The whole probe (a pattern that is one literal). */
const LITERAL_FAMILY = 0;
/** A token (a piece between `|`/`@` separators), or its beginning or end. */
const TOKEN_FAMILY = 1;
/** The probe's first n code units (a pattern `literal*`). */
const HEAD_FAMILY = 2;
/** The probe's last n code units (a pattern `*literal`); these keys are stored and hashed reversed. */
const TAIL_FAMILY = 3;

const PLACE_FIRST = 0;
const PLACE_LAST = 1;
const PLACE_ANY = 2;
const PLACES = { first: PLACE_FIRST, last: PLACE_LAST, any: PLACE_ANY } as const;

const FIT_WHOLE = 0;
const FIT_PREFIX = 1;
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
const VERIFY = 0;
const CAPTURES_NONE = 1;
const CAPTURES_INPUT = 2;
const CAPTURES_AFTER_HEAD = 3;
const CAPTURES_BEFORE_TAIL = 4;

/** A text key family: where in the probe its text comes from, and how its entries complete. */
interface TextFamily {
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
interface AddressFamily {
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
 * KeyDirectory for what strings cost here.
 */
interface Candidate {
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

function textFamilyOf(code: number): TextFamily {
  return { kind: code & 3, place: (code >> 2) & 3, fit: (code >> 4) & 3, completion: (code >> 6) & 7, length: code >> 9 };
}

function addressFamilyCode(prefixLength: number, completion: number): number {
  return (prefixLength << 3) | completion;
}

/** Query scratch shared by all indexes: lookups are synchronous and never nest. */
const scratch = {
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

/** Counts describing an index, for reports. */
export interface TableIndexShape {
  entries: number;
  textKeys: number;
  addressKeys: number;
  families: number;
  alwaysChecked: number;
}

/** The index of one table: `firstMatch` is M2's scan from a position, without a linear walk. */
export class TableIndex {
  private readonly entries: readonly CompiledEntry[];
  /** Entry positions: each text key's list, each address key's list, then the always-check list, all ascending. */
  private readonly postings: Int32Array;
  private readonly alwaysStart: number;

  private readonly textFamilies: TextFamily[];
  /** Text families by kind; head and tail families by ascending length. */
  private readonly literalFamilies: Int32Array;
  private readonly tokenFamilies: Int32Array;
  private readonly headFamilies: Int32Array;
  private readonly tailFamilies: Int32Array;
  /** The key length of each head and tail family, read once per probe character. */
  private readonly headLengths: Int32Array;
  private readonly tailLengths: Int32Array;
  private readonly tokensNeeded: boolean;
  /** Text key records in open-addressing slots (see RECORD); a complete key's units at textUnits[record[UNITS]…]. */
  private readonly textRecords: Int32Array;
  private readonly textFilter: Int32Array;
  private readonly textUnits: Uint16Array;

  private readonly addressFamilies: AddressFamily[];
  /** Four words of mask per address family. */
  private readonly addressMasks: Int32Array;
  /**
   * The address families a probe address must be looked up in, by [IPv4 or IPv4-mapped][probe is a
   * single token]: an IPv4 probe skips families of plain IPv6 subnets and the reverse (P9.3), and a
   * probe of several tokens skips whole-pattern families.
   */
  private readonly addressLookups: Int32Array[];
  /** Address key records in open-addressing slots (see RECORD). */
  private readonly addressRecords: Int32Array;
  private readonly addressFilter: Int32Array;
  /**
   * Which address families hold a key under the probe's leading bits (see ADDRESS_BUCKETS): one mask
   * of family bits per value of the top `bucketBits` bits of an IPv4 (mapped) address's last word or
   * of another address's first word, and the families of shorter prefixes, looked up always. Empty
   * when the table has more families than a mask has bits: then every family is looked up.
   */
  private readonly bucketBits: number;
  private readonly mappedBuckets: Int32Array;
  private readonly unmappedBuckets: Int32Array;
  private readonly mappedAlways: number;
  private readonly unmappedAlways: number;

  private constructor(entries: readonly CompiledEntry[]) {
    this.entries = entries;
    const chosen = chooseKeys(entries.map((entry) => patternKeys(entry.source.patternItems).map(candidateOf)));

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
    this.alwaysStart = addressPostings[address.size];
    this.postings = new Int32Array(this.alwaysStart + alwaysChecked);
    const nextText = textPostings.slice(0, text.size);
    const nextAddress = addressPostings.slice(0, address.size);
    let nextAlways = this.alwaysStart;
    entryKey.forEach((key, position) => {
      const candidate = chosen[position];
      if (candidate === null) this.postings[nextAlways++] = position;
      else if (candidate.address) this.postings[nextAddress[key]++] = position;
      else this.postings[nextText[key]++] = position;
    });

    // Text keys.
    this.textFamilies = text.families.map(textFamilyOf);
    for (let key = 0; key < text.size; key++) {
      const family = this.textFamilies[text.family[key]];
      if (family.kind === LITERAL_FAMILY || (family.kind === TOKEN_FAMILY && family.fit === FIT_WHOLE)) {
        family.length = Math.max(family.length, text.texts[key].length);
      }
    }
    const familiesOf = (kind: number): Int32Array =>
      Int32Array.from(
        this.textFamilies.flatMap((family, id) => (family.kind === kind ? [id] : [])).sort((a, b) => this.textFamilies[a].length - this.textFamilies[b].length),
      );
    this.literalFamilies = familiesOf(LITERAL_FAMILY);
    this.tokenFamilies = familiesOf(TOKEN_FAMILY);
    this.headFamilies = familiesOf(HEAD_FAMILY);
    this.tailFamilies = familiesOf(TAIL_FAMILY);
    this.headLengths = this.headFamilies.map((id) => this.textFamilies[id].length);
    this.tailLengths = this.tailFamilies.map((id) => this.textFamilies[id].length);
    this.tokensNeeded = this.tokenFamilies.length > 0 || address.size > 0;
    // Only a complete key keeps its text, to be compared: a token key's entries are verified by their matchers.
    let keptUnits = 0;
    let longest = 0;
    for (let key = 0; key < text.size; key++) {
      if (this.textFamilies[text.family[key]].completion === VERIFY) continue;
      keptUnits += text.texts[key].length;
      longest = Math.max(longest, text.texts[key].length);
    }
    if (scratch.units.length < longest) scratch.units = new Uint16Array(longest);
    this.textUnits = new Uint16Array(keptUnits);
    this.textRecords = new Int32Array(RECORD * slotCount(text.size));
    this.textFilter = newFilter(text.size);
    let unitsAt = 0;
    for (let key = 0; key < text.size; key++) {
      const keyText = text.texts[key];
      const hash = text.hash[key];
      addToFilter(this.textFilter, hash);
      const record = freeRecord(this.textRecords, hash);
      this.fillRecord(this.textRecords, record, text.family[key], textPostings[key], textPostings[key + 1]);
      this.textRecords[record + HASH] = hash;
      this.textRecords[record + LENGTH] = keyText.length;
      if (this.textFamilies[text.family[key]].completion === VERIFY) continue;
      this.textRecords[record + UNITS] = unitsAt;
      for (let unit = 0; unit < keyText.length; unit++) this.textUnits[unitsAt++] = keyText.charCodeAt(unit);
    }

    // Address keys.
    this.addressFamilies = address.families.map((code) => ({ prefixLength: code >> 3, completion: code & 7, holdsMapped: false, holdsUnmapped: false }));
    this.addressMasks = new Int32Array(4 * this.addressFamilies.length);
    this.addressFamilies.forEach(({ prefixLength }, family) => {
      for (let word = 0; word < 4; word++) this.addressMasks[4 * family + word] = prefixMask(prefixLength, word);
    });
    this.addressRecords = new Int32Array(RECORD * slotCount(address.size));
    this.addressFilter = newFilter(address.size);
    for (let key = 0; key < address.size; key++) {
      const words = address.words[key]!;
      const family = this.addressFamilies[address.family[key]];
      if (holdsMapped(words, family.prefixLength)) family.holdsMapped = true;
      if (!isMapped(words) || family.prefixLength < MAPPED_PREFIX) family.holdsUnmapped = true;
      const hash = address.hash[key];
      addToFilter(this.addressFilter, hash);
      const record = freeRecord(this.addressRecords, hash);
      this.fillRecord(this.addressRecords, record, address.family[key], addressPostings[key], addressPostings[key + 1]);
      for (let word = 0; word < 4; word++) this.addressRecords[record + WORDS + word] = words[word];
    }
    const buckets = addressBuckets(this.addressFamilies, address);
    this.bucketBits = buckets.bits;
    this.mappedBuckets = buckets.mapped;
    this.unmappedBuckets = buckets.unmapped;
    this.mappedAlways = buckets.mappedAlways;
    this.unmappedAlways = buckets.unmappedAlways;
    this.addressLookups = [false, true].flatMap((mapped) =>
      [false, true].map((single) =>
        Int32Array.from(
          this.addressFamilies.flatMap((family, index) => {
            const holds = mapped ? family.holdsMapped : family.holdsUnmapped;
            return holds && (single || family.completion === VERIFY) ? [index] : [];
          }),
        ),
      ),
    );
  }

  /** Writes the fields every record has: family, postings and their first entry. */
  private fillRecord(records: Int32Array, record: number, family: number, start: number, end: number): void {
    records[record + FAMILY] = family + 1;
    records[record + START] = start;
    records[record + END] = end;
    records[record + FIRST] = this.postings[start];
  }

  /** Builds the index of a table's entries (in file order). */
  static build(entries: readonly CompiledEntry[]): TableIndex {
    return new TableIndex(entries);
  }

  /** The index's arrays and figures without its entries, for a compiled file to store (src/engine/snapshot). */
  storedState(): Record<string, unknown> {
    const { entries: _entries, ...state } = this;
    return state;
  }

  /** An index over `entries` from the `storedState()` of an index this imsmap version built over the same entries. */
  static fromStoredState(entries: readonly CompiledEntry[], state: Record<string, unknown>): TableIndex {
    const index: TableIndex = Object.assign(Object.create(TableIndex.prototype) as TableIndex, state, { entries });
    // The constructor sizes the shared scratch for the longest complete key; no key is longer than the units kept.
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
    return this.firstVerified(input, from, sources);
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

  /**
   * Merges the sources' postings in ascending entry position from `from` and returns the first
   * entry that matches. A key found twice (a repeated token) is one list merged twice: every list
   * whose head is the position taken moves on, so no entry is tried twice.
   */
  private firstVerified(input: string, from: number, sources: number): FoundEntry | null {
    const { postings, entries } = this;
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

/** IPv4 addresses sit at ::ffff:0:0/96 in the shared space (src/compile/ip.ts). */
const MAPPED_PREFIX = 96;

function isMappedWords(a: number, b: number, c: number): boolean {
  return a === 0 && b === 0 && c === 0xffff;
}

function isMapped(words: readonly number[]): boolean {
  return isMappedWords(words[0], words[1], words[2]);
}

/** Whether a subnet holds IPv4-mapped addresses: it is inside ::ffff:0:0/96 or contains it. */
function holdsMapped(words: readonly number[], prefixLength: number): boolean {
  if (prefixLength >= MAPPED_PREFIX) return isMapped(words);
  return words[0] === 0 && words[1] === 0 && words[2] === (0xffff & prefixMask(prefixLength, 2));
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

/** Adds a posting list, `postings[start, end)` whose first position is `first`, to the merge. */
function addSource(sources: number, start: number, end: number, first: number, completion: number, edge: number): number {
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

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
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

// FNV-1a over folded 16-bit units (text) or 32-bit words (addresses), with a final avalanche. A text
// key's family is mixed in after its units, so one pass over a token or a probe's head serves every
// family that looks at it.
const FNV_PRIME = 0x01000193;
const TEXT_SEED = 0x811c9dc5;

function familyMix(family: number): number {
  return Math.imul(family + 1, 0x9e3779b1);
}

function finishHash(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}

/** The hash of a text key from the running FNV state over its units. */
function textHash(running: number, family: number): number {
  return finishHash(running ^ familyMix(family));
}

/** The hash of a key text (already folded, a tail reversed) under a text family. */
function hashText(text: string, family: number): number {
  let running = TEXT_SEED;
  for (let unit = 0; unit < text.length; unit++) running = Math.imul(running ^ text.charCodeAt(unit), FNV_PRIME);
  return textHash(running, family);
}

/** The hash of an address key's words under an address family. */
function hashWords(family: number, w0: number, w1: number, w2: number, w3: number): number {
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
const RECORD = 8;
const FAMILY = 0;
const START = 1;
const END = 2;
const FIRST = 3;
const HASH = 4;
const UNITS = 5;
const LENGTH = 6;
const WORDS = 4;

/** The head of an exhausted posting list: above every entry position. */
const NONE = 0x7fffffff;

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

function newFilter(keys: number): Int32Array {
  let bits = 1024;
  while (bits < FILTER_BITS_PER_KEY * keys && bits < LARGEST_FILTER_BITS) bits *= 2;
  return new Int32Array(bits / 32);
}

function addToFilter(filter: Int32Array, hash: number): void {
  const bit = (hash >>> FILTER_SHIFT) & (filter.length * 32 - 1);
  filter[bit >>> 5] |= 1 << (bit & 31);
}

function mayHold(filter: Int32Array, hash: number): boolean {
  const bit = (hash >>> FILTER_SHIFT) & (filter.length * 32 - 1);
  return (filter[bit >>> 5] & (1 << (bit & 31))) !== 0;
}

/** A power of two at least twice the number of keys, so probe chains stay short. */
function slotCount(keys: number): number {
  let slots = 8;
  while (slots < 2 * keys) slots *= 2;
  return slots;
}

/** The offset of the first free record from the hash's slot on (linear probing). */
function freeRecord(records: Int32Array, hash: number): number {
  const mask = records.length - 1;
  let record = Math.imul(hash, RECORD) & mask;
  while (records[record + FAMILY] !== 0) record = (record + RECORD) & mask;
  return record;
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
function candidateOf(key: PatternKey): Candidate {
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
function chooseKeys(candidates: readonly Candidate[][]): Array<Candidate | null> {
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
