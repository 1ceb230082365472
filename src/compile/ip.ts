import ipaddr from 'ipaddr.js';
import type { IpItem } from '../syntax/ast.js';
// One strict parser for patterns and probes alike (P9.1, P9.2): the syntax stage's.
import { parseStrictIpAddress } from '../syntax/pattern/index.js';

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

/**
 * A necessary condition for a run to parse, checked by hand because ipaddr.js rejects most
 * malformed text by throwing and catching inside (microseconds each), and an adversarial probe
 * offers a malformed run at nearly every position a star can leave at (bench: `*$(10.0.0.0/8)|*`).
 */
function mayBeAddress(run: string): boolean {
  const last = run.length - 1;
  if (run.charCodeAt(0) === DOT || run.charCodeAt(last) === DOT) return false;
  if (run.charCodeAt(0) === COLON && run.charCodeAt(1) !== COLON) return false;
  if (run.charCodeAt(last) === COLON && run.charCodeAt(last - 1) !== COLON) return false;
  if (run.includes(':')) {
    // RFC 4291 without `::`: eight groups, or six before a dotted quad.
    return run.includes('::') || countColons(run) === (run.includes('.') ? 6 : 7);
  }
  // IPv4: decimal digits in four parts.
  let dots = 0;
  for (let unit = 0; unit <= last; unit++) {
    const code = run.charCodeAt(unit);
    if (code === DOT) dots++;
    else if (code < 0x30 || code > 0x39) return false;
  }
  return dots === 3;
}

function countColons(run: string): number {
  let colons = 0;
  for (let unit = 0; unit < run.length; unit++) if (run.charCodeAt(unit) === COLON) colons++;
  return colons;
}

/** The subnet of one IP construct (P9), tested against address runs of the input. */
export class SubnetTest {
  private readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  private readonly prefixLength: number;

  constructor(item: IpItem) {
    this.network = ipaddr.fromByteArray([...item.network]);
    this.prefixLength = item.prefixLength;
  }

  /** Whether an address run parses (P9.2) and lies in the subnet, across families as P9.3 says. */
  contains(run: string): boolean {
    if (!mayBeAddress(run)) return false;
    const address = parseStrictIpAddress(run);
    if (address === null) return false;
    if (this.network instanceof ipaddr.IPv4) {
      // P9.3: an IPv4-mapped IPv6 input stands for its IPv4 address; other IPv6 never matches.
      if (address instanceof ipaddr.IPv4) return address.match(this.network, this.prefixLength);
      return address.isIPv4MappedAddress() && address.toIPv4Address().match(this.network, this.prefixLength);
    }
    // P9.3: an IPv4 input is read as ::ffff:a.b.c.d for an IPv6 subnet.
    const address6 = address instanceof ipaddr.IPv4 ? address.toIPv4MappedAddress() : address;
    return address6.match(this.network, this.prefixLength);
  }
}
