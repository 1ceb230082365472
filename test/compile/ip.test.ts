// P9: the address decoder behind IP constructs and the table index. Dotted quads are decoded by hand
// for speed (src/compile/ip.ts); they must give exactly what the syntax stage's strict parser
// (ipaddr.js) gives, and both families must land in the one 128-bit space P9.3 describes.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { decodeAddress, decodedAddress, isStrictDottedQuad, prefixMask, SubnetTest, subnetOf } from '../../src/compile/ip.js';
import { parseIpAddress } from '../../src/syntax/ip.js';
import { ip, pattern } from './items.js';
import type { IpItem } from '../../src/syntax/ast.js';

/** The words parseIpAddress's answer stands for, IPv4 as ::ffff:a.b.c.d (P9.3); null when it refuses. */
function expectedWords(text: string): number[] | null {
  const address = parseIpAddress(text);
  if (address === null) return null;
  const bytes = address.kind() === 'ipv4' ? [...Array(10).fill(0), 0xff, 0xff, ...address.toByteArray()] : address.toByteArray();
  return [0, 1, 2, 3].map((word) => (bytes[4 * word] << 24) | (bytes[4 * word + 1] << 16) | (bytes[4 * word + 2] << 8) | bytes[4 * word + 3]);
}

function decoded(text: string, start = 0, end = text.length): number[] | null {
  return decodeAddress(text, start, end) ? [...decodedAddress] : null;
}

const ipItem = (text: string, form?: 'prefix' | 'ignore' | 'v6'): IpItem => pattern(ip(text, { form }))[0] as IpItem;

describe("isStrictDottedQuad: the strict parser's IPv4 addresses, already in their printed form (A9)", () => {
  it('for random runs of address characters and dotted quads', () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom('0', '1', '9', '25', '255', '256', '01', '.', ':', 'a', '10.1.2.3'), { maxLength: 10 }).map((parts) => parts.join('')),
      fc.array(fc.nat(300), { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.')),
    );
    fc.assert(
      fc.property(text, (candidate) => {
        const address = parseIpAddress(candidate);
        expect(isStrictDottedQuad(candidate)).toBe(address !== null && address.kind() === 'ipv4');
        if (address !== null && address.kind() === 'ipv4') expect(address.toString()).toBe(candidate);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('decodeAddress agrees with the strict parser (P9.2)', () => {
  it.each([
    ['10.1.2.3', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['010.1.2.3', false],
    ['10.1.2.03', false],
    ['10.1.2', false],
    ['10.1.2.3.4', false],
    ['256.1.1.1', false],
    ['1..2.3', false],
    ['.1.2.3', false],
    ['1.2.3.', false],
    ['::', true],
    ['::ffff:10.1.2.3', true],
    ['2001:DB8::1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7', false],
    ['::ffff:010.1.2.3', false],
    ['fe80::1%eth0', false],
    ['abc', false],
  ])('%s parses: %s', (text, valid) => {
    expect(decoded(text)).toEqual(expectedWords(text));
    expect(decoded(text) !== null).toBe(valid);
  });

  it('for random runs of address characters', () => {
    const run = fc
      .array(fc.constantFrom('0', '1', '9', '25', '255', '256', '01', '.', ':', '::', 'a', 'F', 'ffff', '10.1.2.3'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(run, (text) => {
        expect(decoded(text)).toEqual(expectedWords(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('for every IPv4 address written in dotted quads, and IPv6 spellings', () => {
    const quad = fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }).map((parts) => parts.join('.'));
    const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).chain((groups) => {
      const address = ipaddr.IPv6.parse(groups.map((group) => group.toString(16)).join(':'));
      return fc.constantFrom(address.toString(), address.toNormalizedString(), address.toString().toUpperCase());
    });
    fc.assert(
      fc.property(fc.oneof(quad, v6), (text) => {
        expect(decoded(text)).toEqual(expectedWords(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads only the given range of a longer text', () => {
    expect(decoded('x|10.1.2.3|y', 2, 10)).toEqual(expectedWords('10.1.2.3'));
    expect(decoded('x|10.1.2.3|y', 2, 9)).toBeNull();
  });
});

describe('one 128-bit space for both families (P9.3)', () => {
  it('an IPv4 subnet /n is ::ffff:a.b.c.d/(96 + n), host bits cleared', () => {
    expect(subnetOf(ipItem('10.1.2.0/24'))).toEqual({ words: [0, 0, 0xffff, 0x0a010200], prefixLength: 120 });
    expect(subnetOf(ipItem('2001:db8::/32'))).toEqual({ words: [0x20010db8, 0, 0, 0], prefixLength: 32 });
    expect(subnetOf(ipItem('10.1.2.4/2', 'ignore'))).toEqual({ words: [0, 0, 0xffff, 0x0a010204], prefixLength: 126 });
  });

  it('prefixMask keeps the leading bits of each word', () => {
    expect([0, 1, 2, 3].map((word) => prefixMask(120, word))).toEqual([-1, -1, -1, -256]);
    expect([0, 1, 2, 3].map((word) => prefixMask(0, word))).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((word) => prefixMask(33, word))).toEqual([-1, -2147483648, 0, 0]);
  });

  it.each([
    ['10.0.0.0/8', '10.200.1.1', true],
    ['10.0.0.0/8', '::ffff:10.200.1.1', true],
    ['10.0.0.0/8', '::10.200.1.1', false],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
    ['::/0', '1.2.3.4', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['2001:db8::/32', '2001:DB8:ffff::1', true],
  ])('%s holds %s: %s', (subnet, address, inside) => {
    expect(new SubnetTest(ipItem(subnet)).contains(address)).toBe(inside);
    expect(new SubnetTest(ipItem(subnet)).contains(`a|${address}|b`, 2, 2 + address.length)).toBe(inside);
  });
});
