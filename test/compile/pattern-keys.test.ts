// Issue 5: the keys a table index files an entry under are facts about every input the pattern
// matches (P1 anchoring and case folding, P9 address runs). A key that failed for one matching input
// would make the index skip an entry the linear scan takes.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { patternKeys, type PatternKey } from '../../src/compile/pattern-keys.js';
import { parseIpAddress } from '../../src/syntax/ip.js';
import { back, glob, ip, lit, one, pattern, star, type Unnumbered } from './items.js';
import { referenceMatch } from './reference-matcher.js';

const fold = (text: string): string => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** An address as a 128-bit number, IPv4 as ::ffff:a.b.c.d (P9.3); null when it does not parse strictly (P9.2). */
function addressValue(text: string): bigint | null {
  const address = parseIpAddress(text);
  if (address === null) return null;
  const mapped = address instanceof ipaddr.IPv4 ? address.toIPv4MappedAddress() : address;
  return mapped.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function inSubnet(text: string, { words, prefixLength }: { words: readonly number[]; prefixLength: number }): boolean {
  const value = addressValue(text);
  if (value === null) return false;
  const network = words.reduce((sum, word) => (sum << 32n) | BigInt(word >>> 0), 0n);
  const shift = BigInt(128 - prefixLength);
  return value >> shift === network >> shift;
}

/** Whether a key holds for an input, worked out independently of the index. */
function holds(key: PatternKey, input: string): boolean {
  const tokens = input.split(/[|@]/);
  switch (key.kind) {
    case 'literal':
      return fold(input) === key.text;
    case 'address':
      return inSubnet(input, key.subnet);
    case 'head':
      return fold(input).startsWith(key.text);
    case 'tail':
      return fold(input).endsWith(key.text);
    case 'address-token':
      return tokens.some((token) => inSubnet(token, key.subnet));
    case 'token': {
      const places = key.place === 'first' ? [tokens[0]] : key.place === 'last' ? [tokens[tokens.length - 1]] : tokens;
      return places.map(fold).some((token) => (key.fit === 'whole' ? token === key.text : key.fit === 'prefix' ? token.startsWith(key.text) : token.endsWith(key.text)));
    }
  }
}

describe('patternKeys: which facts each pattern shape offers', () => {
  it.each<[string, Unnumbered[], PatternKey[]]>([
    ['one literal (folded)', [lit('Foo|Bar')], [{ kind: 'literal', text: 'foo|bar' }]],
    ['nothing at all', [], [{ kind: 'literal', text: '' }]],
    ['one IP construct', [ip('10.0.0.0/8', { save: false })], [{ kind: 'address', subnet: { words: [0, 0, 0xffff, 0x0a000000], prefixLength: 104 }, saved: false }]],
    ['a literal and a star', [lit('tcp_local|'), star()], [{ kind: 'head', text: 'tcp_local|', saved: true }]],
    ['a star and a literal', [star({ save: false }), lit('@Example.com')], [{ kind: 'tail', text: '@example.com', saved: false }]],
    [
      'per-address rule: first token, inner tokens',
      [lit('tcp_local|user1@example.com|'), star(), lit('|x')],
      [
        { kind: 'token', place: 'first', fit: 'whole', text: 'tcp_local' },
        { kind: 'token', place: 'any', fit: 'whole', text: 'user1' },
        { kind: 'token', place: 'any', fit: 'whole', text: 'example.com' },
        { kind: 'token', place: 'last', fit: 'whole', text: 'x' },
      ],
    ],
    [
      'pieces touching stars say how a token begins or ends',
      [star(), lit('|ab@cd'), star(), lit('ef|'), star()],
      [
        { kind: 'token', place: 'any', fit: 'whole', text: 'ab' },
        { kind: 'token', place: 'any', fit: 'prefix', text: 'cd' },
        { kind: 'token', place: 'any', fit: 'suffix', text: 'ef' },
      ],
    ],
    [
      'E36: an IP construct between separators is a whole token',
      [lit('TCP|'), star(), lit('|25|'), ip('192.168.1.0/24'), lit('|'), star()],
      [
        { kind: 'token', place: 'first', fit: 'whole', text: 'tcp' },
        { kind: 'token', place: 'any', fit: 'whole', text: '25' },
        { kind: 'address-token', subnet: { words: [0, 0, 0xffff, -1062731520], prefixLength: 120 } },
      ],
    ],
    ['an IP construct a star touches is no token', [star(), ip('10.0.0.0/8'), lit('|x')], [{ kind: 'token', place: 'last', fit: 'whole', text: 'x' }]],
    ['a literal edge without separators', [lit('abc'), one(), star()], [{ kind: 'token', place: 'first', fit: 'prefix', text: 'abc' }]],
    ['only wildcards', [star(), lit('|'), star()], []],
    ['a back-match: always tried in order (P12 budget errors)', [lit('a|'), star(), lit('|'), back(0)], []],
  ])('%s', (_name, parts, keys) => {
    expect(patternKeys(pattern(...parts))).toEqual(keys);
  });
});

describe('patternKeys: every key holds for every input the pattern matches', () => {
  type Part = { kind: 'lit'; text: string } | { kind: 'star'; lazy: boolean } | { kind: 'one' } | { kind: 'digits' } | { kind: 'ip'; subnet: string };
  const SUBNETS = ['10.0.0.0/8', '10.1.2.3', '::ffff:10.0.0.0/104', '2001:db8::/32', '0.0.0.0/0'];
  const part: fc.Arbitrary<Part> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('|', '@', 'a', 'B', 'tcp|', '|x@', 'é', 'a|b').map((text) => ({ kind: 'lit' as const, text })) },
    { weight: 3, arbitrary: fc.boolean().map((lazy) => ({ kind: 'star' as const, lazy })) },
    { weight: 1, arbitrary: fc.constantFrom({ kind: 'one' as const }, { kind: 'digits' as const }) },
    { weight: 2, arbitrary: fc.constantFrom(...SUBNETS).map((subnet) => ({ kind: 'ip' as const, subnet })) },
  );
  const FILLS: Record<Part['kind'], readonly string[]> = {
    lit: [],
    star: ['', 'a', '|', 'x@y', 'B|c', '10.1.2.3'],
    one: ['a', '|', '@', '1'],
    digits: ['', '7', '25'],
    ip: ['10.1.2.3', '::ffff:10.9.9.9', '2001:DB8::1', '9.9.9.9'],
  };

  it('for inputs built from the pattern (most of them match) and free text', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), fc.boolean(), (parts, choices, upper) => {
        const items = pattern(
          ...parts.map((p): Unnumbered => {
            if (p.kind === 'lit') return lit(p.text);
            if (p.kind === 'star') return star({ lazy: p.lazy });
            if (p.kind === 'one') return one();
            if (p.kind === 'digits') return glob('D', 'many');
            return ip(p.subnet);
          }),
        );
        const built = parts.map((p, index) => (p.kind === 'lit' ? p.text : FILLS[p.kind][choices[index] % FILLS[p.kind].length])).join('');
        const input = upper ? built.toUpperCase() : built;
        if (referenceMatch(items, input) === null) return;
        for (const key of patternKeys(items)) expect(holds(key, input), JSON.stringify(key)).toBe(true);
      }),
      { numRuns: 6000 },
    );
  });
});
