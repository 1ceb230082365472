// The one IP module (src/syntax/ip.ts): patterns (P9.1, P9.2), tuples (A9) and the fast decoder of the
// compile stage must agree on what an address is. A trailing dotted quad in IPv6 text follows the same
// no-leading-zeros rule as a bare IPv4 address (P9.2: "IPv4 needs exactly four decimal parts 0–255
// with no leading zeros", "IPv6 follows RFC 4291 text form"), so `1::01.2.3.4` is no address anywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIpSchema, TupleError, validateTuple } from '../../src/access/schemas.js';
import { decodeAddress } from '../../src/compile/ip.js';
import { addressText, isValidIpAddress, lastAddress, parseIpAddress, subnetMask } from '../../src/syntax/ip.js';
import { parsePattern } from '../../src/syntax/pattern/index.js';

/** Whether a pattern `$(text)` parses without a `bad-ip` error. */
function patternAccepts(text: string): boolean {
  return !parsePattern(`$(${text})`).problems.some((problem) => problem.code === 'bad-ip');
}

/** Whether the tuple schemas accept the text as a client address (A9). */
function tupleAccepts(text: string): boolean {
  return !(validateTuple(clientIpSchema, { clientIp: text }) instanceof TupleError);
}

describe('one answer to "is this an address" (P9.2, A9)', () => {
  it.each([
    ['1::01.2.3.4', false],
    ['::ffff:01.2.3.4', false],
    ['::ffff:1.2.3.4', true],
    ['1::1.2.3.4', true],
    ['01.2.3.4', false],
    ['1.2.3.4', true],
    ['fe80::1%eth0', false],
    ['2001:db8::1', true],
  ])('%s is an address: %s, for patterns, tuples and the fast decoder alike', (text, valid) => {
    expect(isValidIpAddress(text)).toBe(valid);
    expect(parseIpAddress(text) !== null).toBe(valid);
    expect(patternAccepts(text)).toBe(valid);
    expect(tupleAccepts(text)).toBe(valid);
    expect(decodeAddress(text, 0, text.length)).toBe(valid);
  });

  it('agrees on random runs of address characters', () => {
    const run = fc
      .array(fc.constantFrom('0', '1', '01', '255', '256', '.', ':', '::', 'ffff', '1.2.3.4', '01.2.3.4'), { maxLength: 10 })
      .map((parts) => parts.join(''))
      .filter((text) => text.length > 0);
    fc.assert(
      fc.property(run, (text) => {
        const valid = isValidIpAddress(text);
        expect(patternAccepts(text)).toBe(valid);
        expect(tupleAccepts(text)).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('masks and last addresses (P9.1)', () => {
  it('a mask keeps the first n bits', () => {
    expect(subnetMask('ipv4', 20)).toEqual([255, 255, 240, 0]);
    expect(subnetMask('ipv6', 0)).toEqual(Array(16).fill(0));
  });

  it('the last address sets every bit after the prefix', () => {
    expect(addressText(lastAddress([10, 1, 0, 0], 20))).toBe('10.1.15.255');
    expect(addressText(lastAddress([10, 1, 2, 3], 32))).toBe('10.1.2.3');
    expect(addressText(lastAddress(parseIpAddress('2001:db8::')!.toByteArray(), 112))).toBe('2001:db8::ffff');
  });

  it('network and last address bound exactly the addresses the mask keeps', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }), fc.nat(32), (bytes, prefixLength) => {
        const mask = subnetMask('ipv4', prefixLength);
        const network = bytes.map((byte, index) => byte & mask[index]!);
        const last = lastAddress(network, prefixLength);
        expect(last.map((byte, index) => byte & mask[index]!)).toEqual(network);
        expect(last.map((byte, index) => byte | mask[index]!)).toEqual([255, 255, 255, 255]);
      }),
    );
  });
});
