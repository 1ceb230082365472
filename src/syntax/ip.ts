/**
 * The one owner of IP address text (P9.1, P9.2): parsing and validating addresses, subnet masks, the
 * last address of a subnet and the text of an address. Patterns, tuples (A9), lint, diff and the
 * language server all read addresses here, so that no two of them can disagree about what an address
 * is. The compile stage's hand-written IPv4 decoder (src/compile/ip.ts) is held equal to `parseIpAddress`
 * by property tests.
 */
import ipaddr from 'ipaddr.js';

/** An address as ipaddr.js models it. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** The two address families. */
export type IpFamily = 'ipv4' | 'ipv6';

/** P9.2: the text an address can be made of. */
const ADDRESS_TEXT = /^[0-9A-Fa-f.:]+$/;

/**
 * Parses an address as P9.2 demands: IPv4 as exactly four decimal parts 0–255 without leading
 * zeros, IPv6 in RFC 4291 text form (`::`, trailing dotted quad, no zone). Null when it is neither.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (!ADDRESS_TEXT.test(text)) return null;
  if (!text.includes(':')) return parseFourPartDecimal(text);
  let hexText = text;
  if (text.includes('.')) {
    // ipaddr.js reads `::a.b.c.d` as IPv4-mapped and accepts leading zeros in a trailing dotted
    // quad; RFC 4291 does neither, so the quad is checked alone and handed over as two hex groups.
    const lastColon = text.lastIndexOf(':');
    const quad = parseFourPartDecimal(text.slice(lastColon + 1));
    if (!quad) return null;
    const [a, b, c, d] = quad.octets;
    hexText = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  // One parse rather than `isValid` then `parse`: `isValid` is exactly "parse does not throw".
  try {
    return ipaddr.IPv6.parse(hexText);
  } catch {
    return null;
  }
}

/** Whether a text is an address in P9.2's strict forms (the pair of `parseIpAddress`, as in ipaddr.js). */
export function isValidIpAddress(text: string): boolean {
  return parseIpAddress(text) !== null;
}

/** P9.2: four decimal parts without leading zeros; each is checked against 255 after the match. */
const FOUR_PART_DECIMAL = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/**
 * An IPv4 address written as ipaddr.js's `isValidFourPartDecimal` demands (four decimal parts,
 * 0–255, no leading zeros), or null. Read by one regular expression rather than ipaddr.js's parse,
 * which also accepts hexadecimal, octal and fewer parts only for the caller to reject them: this
 * runs for every IP construct of a file. test/syntax/fast-paths.test.ts checks the equivalence on
 * random text.
 */
function parseFourPartDecimal(text: string): ipaddr.IPv4 | null {
  const parts = FOUR_PART_DECIMAL.exec(text);
  if (parts === null) return null;
  const octets = [Number(parts[1]), Number(parts[2]), Number(parts[3]), Number(parts[4])];
  return octets.every((octet) => octet <= 255) ? new ipaddr.IPv4(octets) : null;
}

/** Subnet masks as bytes, by family and prefix length; each made by ipaddr.js on first use. */
const SUBNET_MASKS: Record<IpFamily, number[][]> = { ipv4: [], ipv6: [] };

/**
 * The mask of a prefix length (P9.1), as bytes. There are only 33 + 129 masks, so each is built once
 * rather than once per IP construct of a large file.
 */
export function subnetMask(family: IpFamily, prefixLength: number): readonly number[] {
  const ip = family === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return (SUBNET_MASKS[family][prefixLength] ??= ip.subnetMaskFromPrefixLength(prefixLength).toByteArray());
}

/** The highest address of a subnet, as bytes: the network with every bit after the prefix set. */
export function lastAddress(network: readonly number[], prefixLength: number): number[] {
  return network.map((byte, index) => byte | ((1 << Math.min(8, Math.max(0, (index + 1) * 8 - prefixLength))) - 1));
}

/** The usual text of an address given as bytes (4 for IPv4, 16 for IPv6). */
export function addressText(bytes: readonly number[]): string {
  return ipaddr.fromByteArray([...bytes]).toString();
}
