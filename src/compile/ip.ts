import type { IpItem } from '../syntax/ast.js';
// The fast decoder below answers exactly as the one IP module does (P9.2); IPv6 goes through it.
import { parseIpAddress } from '../syntax/ip.js';

/** The longest address text that can parse: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
export const MAX_ADDRESS_LENGTH = 45;

/** The shortest address text that can parse: `::`. */
export const MIN_ADDRESS_LENGTH = 2;

const ADDRESS_CHARS = new Uint8Array(128);
for (const char of '0123456789abcdefABCDEF.:') ADDRESS_CHARS[char.charCodeAt(0)] = 1;

/** Whether a code point belongs to an address run (P9.2): `0`–`9`, `a`–`f`, `A`–`F`, `.`, `:`. */
export function isAddressChar(code: number): boolean {
  return code < 128 && ADDRESS_CHARS[code] === 1;
}

const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;

/**
 * Both families live in one 128-bit space of four signed 32-bit words: IPv4 a.b.c.d is the
 * IPv4-mapped ::ffff:a.b.c.d and an IPv4 subnet /n is ::ffff:a.b.c.d/(96 + n). P9.3's cross-family
 * rules then become plain prefix tests: an IPv4 subnet contains exactly the IPv4 inputs inside it and
 * their IPv4-mapped spellings, and an IPv6 subnet sees an IPv4 input as ::ffff:a.b.c.d.
 */
const IPV4_MAPPED_PREFIX = 96;
const IPV4_MAPPED_WORD = 0xffff;

/**
 * The words of the address `decodeAddress` read last. Shared scratch, so that decoding a probe
 * allocates nothing on the IPv4 path; callers read it before the next decode.
 */
export const decodedAddress = new Int32Array(4);

/**
 * Decodes `text[start, end)` as one address under P9.2's strict rules into `decodedAddress`;
 * false when the text is not an address.
 *
 * Dotted quads are decoded here by hand because parseIpAddress (ipaddr.js: regular expressions and
 * an object per address) would be most of the cost of a whole indexed lookup, while this loop
 * allocates nothing (bench/index.bench.mjs measures lookups). The rule is four decimal parts 0–255
 * without leading zeros; the property tests in test/compile/ip.test.ts hold it equal to
 * parseIpAddress. IPv6 text still goes through parseIpAddress (and allocates).
 */
export function decodeAddress(text: string, start: number, end: number): boolean {
  if (decodeDottedQuad(text, start, end)) return true;
  const colon = text.indexOf(':', start);
  return colon >= 0 && colon < end && decodeIpv6(text, start, end);
}

/**
 * Whether a whole text is an IPv4 address in P9.2's strict form, the form probes show it in (A9):
 * the access stage's test for the usual client address, without ipaddr.js's regular expressions.
 */
export function isStrictDottedQuad(text: string): boolean {
  return decodeDottedQuad(text, 0, text.length);
}

function decodeDottedQuad(text: string, start: number, end: number): boolean {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let unit = start; unit < end; unit++) {
    const code = text.charCodeAt(unit);
    if (code === DOT) {
      if (digits === 0 || dots === 3) return false;
      value = (value << 8) | part;
      dots++;
      part = 0;
      digits = 0;
    } else if (code - ZERO >>> 0 <= 9) {
      // A leading zero is only allowed as the whole part.
      if (digits === 1 && part === 0) return false;
      part = part * 10 + code - ZERO;
      if (part > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  if (dots !== 3 || digits === 0) return false;
  decodedAddress[0] = 0;
  decodedAddress[1] = 0;
  decodedAddress[2] = IPV4_MAPPED_WORD;
  decodedAddress[3] = (value << 8) | part;
  return true;
}

function decodeIpv6(text: string, start: number, end: number): boolean {
  if (!mayBeIpv6(text, start, end)) return false;
  const address = parseIpAddress(text.slice(start, end));
  if (address === null || !('parts' in address)) return false;
  const parts = address.parts;
  for (let word = 0; word < 4; word++) decodedAddress[word] = (parts[2 * word] << 16) | parts[2 * word + 1];
  return true;
}

/**
 * A necessary condition for text with a colon to parse as IPv6, checked by hand because ipaddr.js
 * rejects most malformed text by throwing and catching inside (microseconds each), and an
 * adversarial probe offers a malformed run at nearly every position a star can leave at (bench:
 * `*$(::/0)|*` in bench/pattern.bench.mjs).
 */
function mayBeIpv6(text: string, start: number, end: number): boolean {
  const last = end - 1;
  if (text.charCodeAt(start) === DOT || text.charCodeAt(last) === DOT) return false;
  if (text.charCodeAt(start) === COLON && text.charCodeAt(start + 1) !== COLON) return false;
  if (text.charCodeAt(last) === COLON && text.charCodeAt(last - 1) !== COLON) return false;
  let colons = 0;
  let dots = 0;
  let compressed = false;
  for (let unit = start; unit < end; unit++) {
    const code = text.charCodeAt(unit);
    if (code === COLON) {
      colons++;
      if (unit > start && text.charCodeAt(unit - 1) === COLON) compressed = true;
    } else if (code === DOT) dots++;
  }
  // RFC 4291 without `::`: eight groups, or six before a dotted quad.
  return compressed || colons === (dots > 0 ? 6 : 7);
}

/** A subnet in the shared 128-bit space: network words with host bits clear, and its prefix length. */
export interface Subnet {
  readonly words: readonly [number, number, number, number];
  /** Significant leading bits, 0–128. */
  readonly prefixLength: number;
}

/** The mask of one word (0–3) under a prefix length (0–128). */
export function prefixMask(prefixLength: number, word: number): number {
  const bits = Math.min(32, Math.max(0, prefixLength - 32 * word));
  return bits === 0 ? 0 : -1 << (32 - bits);
}

/** The subnet of an IP construct (P9.1) in the shared space; IPv4 subnets become IPv4-mapped ones. */
export function subnetOf(item: IpItem): Subnet {
  const bytes = item.network;
  if (item.family === 'ipv4') {
    const word = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    return { words: [0, 0, IPV4_MAPPED_WORD, word], prefixLength: IPV4_MAPPED_PREFIX + item.prefixLength };
  }
  const words = [0, 1, 2, 3].map(
    (word) => (bytes[4 * word] << 24) | (bytes[4 * word + 1] << 16) | (bytes[4 * word + 2] << 8) | bytes[4 * word + 3],
  );
  return { words: words as [number, number, number, number], prefixLength: item.prefixLength };
}

/** The subnet of one IP construct (P9), tested against address runs of the input. */
export class SubnetTest {
  private readonly network: readonly [number, number, number, number];
  private readonly masks: readonly [number, number, number, number];

  constructor(item: IpItem) {
    const { words, prefixLength } = subnetOf(item);
    this.network = words;
    this.masks = [0, 1, 2, 3].map((word) => prefixMask(prefixLength, word)) as [number, number, number, number];
  }

  /** Whether `text[start, end)` parses as an address (P9.2) lying in the subnet, across families (P9.3). */
  contains(text: string, start = 0, end = text.length): boolean {
    if (!decodeAddress(text, start, end)) return false;
    const { network, masks } = this;
    return (
      (decodedAddress[3] & masks[3]) === network[3] &&
      (decodedAddress[2] & masks[2]) === network[2] &&
      (decodedAddress[1] & masks[1]) === network[1] &&
      (decodedAddress[0] & masks[0]) === network[0]
    );
  }
}
