// P10/P12: compilePattern (every specialisation and the general memoised matcher) must return
// exactly what the plain backtracking reference returns, captures included.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/compile/index.js';
import { BacktrackingMatcher } from '../../src/compile/pattern-backtrack.js';
import { foldAscii } from '../../src/syntax/case.js';
import { AddressMatcher, LiteralStarMatcher } from '../../src/compile/pattern-specialised.js';
import type { PatternItem } from '../../src/syntax/ast.js';
import { back, glob, ip, lit, one, pattern, set, star, type Unnumbered } from './items.js';
import { referenceMatch } from './reference-matcher.js';

// Small alphabets so that random inputs often match: case pairs, non-ASCII case pairs (É/é must
// stay distinct), a surrogate pair, separators and address characters.
const CHARS = ['a', 'A', 'b', '.', '|', 'é', 'É', '𝒜', '1', '0', ':', 'f'];
const FRAGMENTS = [...CHARS, 'F', ' ', '10.1.2.3', '::ffff:10.1.2.3', '2001:DB8::1', '010.1.2.3', '1.2.3', '::10.1.2.3', '192.168.1.77'];
const SUBNETS = ['10.0.0.0/8', '0.0.0.0/0', '10.1.2.3', '::ffff:10.0.0.0/104', '2001:db8::/32', '::/0', '::/96'];

type Token =
  | { kind: 'lit'; text: string }
  | { kind: 'star' | 'one' | 'glob' | 'set'; lazy: boolean; save: boolean; choice: number }
  | { kind: 'back'; choice: number }
  | { kind: 'ip'; save: boolean; choice: number };

const flag = fc.boolean();
const token: fc.Arbitrary<Token> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 3 }).map((chars) => ({ kind: 'lit' as const, text: chars.join('') })) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('star' as const), lazy: flag, save: fc.boolean(), choice: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('one' as const, 'glob' as const, 'set' as const), lazy: flag, save: fc.boolean(), choice: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('back' as const), choice: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ip' as const), save: fc.boolean(), choice: fc.nat() }) },
);

const SETS: ReadonlyArray<ReadonlyArray<readonly [string, string]>> = [[['a', 'c']], [['A', 'A'], ['.', '.']], [['é', 'é'], ['1', '1']], [['𝒜', '𝒜']], [['0', '9'], [':', ':']]];
const GLOBS = ['A', 'D', 'H', 'S'] as const;

/** Turns tokens into items; a back-match names one of the captures saved before it (P8). */
function toItems(tokens: readonly Token[]): PatternItem[] {
  let saved = 0;
  const parts: Unnumbered[] = tokens.map((t): Unnumbered => {
    switch (t.kind) {
      case 'lit':
        return lit(t.text);
      case 'back':
        return saved === 0 ? lit('a') : back(t.choice % saved);
      case 'ip':
        if (t.save) saved++;
        return ip(SUBNETS[t.choice % SUBNETS.length], { save: t.save });
      default: {
        if (t.save) saved++;
        const width = t.choice % 2 === 0 ? 'one' : 'many';
        if (t.kind === 'star') return star({ lazy: t.lazy, save: t.save });
        if (t.kind === 'one') return one({ save: t.save });
        if (t.kind === 'glob') return glob(GLOBS[(t.choice >> 1) % GLOBS.length], width, { lazy: t.lazy && width === 'many', save: t.save });
        return set(SETS[(t.choice >> 1) % SETS.length], width, { lazy: t.lazy && width === 'many', save: t.save });
      }
    }
  });
  return pattern(...parts);
}

const inputs = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }).map((parts) => parts.join(''));

/** Asserts compilePattern and the general matcher both agree with the reference on one input. */
function agree(items: PatternItem[], input: string): void {
  const expected = referenceMatch(items, input);
  const compiled = compilePattern(items);
  expect(compiled.match(input)).toEqual(expected);
  // The index hands matchers the input already folded (P1); that must not change the answer.
  expect(compiled.match(input, foldAscii(input))).toEqual(expected);
  expect(new BacktrackingMatcher(items, compiled.captureCount, 1_000_000).match(input)).toEqual(expected);
}

describe('differential: compiled matchers against the P10 reference', () => {
  it('random patterns of every item kind', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), inputs, (tokens, input) => agree(toItems(tokens), input)),
      { numRuns: 4000 },
    );
  });

  it('inputs built from the pattern itself, so that most runs match', () => {
    const literalOf = (t: Token): string => (t.kind === 'lit' ? t.text : '');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 6, maxLength: 6 }), (tokens, fillers) => {
        const input = tokens.map((t, index) => literalOf(t) || fillers[index]).join('');
        agree(toItems(tokens), input);
      }),
      { numRuns: 3000 },
    );
  });

  it('literal-and-star patterns (LiteralStarMatcher), greedy, lazy, saved and unsaved', () => {
    const literal = fc.array(fc.constantFrom('a', 'A', 'b', 'é', '𝒜'), { minLength: 1, maxLength: 2 }).map((chars) => chars.join(''));
    const shape = fc.record({
      head: fc.option(literal),
      middles: fc.array(fc.record({ text: literal, lazy: flag, save: fc.boolean() }), { maxLength: 4 }),
      last: fc.record({ lazy: flag, save: fc.boolean() }),
      tail: fc.option(literal),
      starless: fc.boolean(),
    });
    const text = fc.array(fc.constantFrom('a', 'A', 'b', 'é', 'É', '𝒜'), { maxLength: 14 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(shape, text, (s, input) => {
        const parts: Unnumbered[] = s.head === null ? [] : [lit(s.head)];
        if (!s.starless || s.head === null) {
          for (const middle of s.middles) parts.push(star(middle), lit(middle.text));
          parts.push(star(s.last));
        }
        if (s.tail !== null) parts.push(lit(s.tail));
        const items = pattern(...parts);
        expect(compilePattern(items)).toBeInstanceOf(LiteralStarMatcher);
        agree(items, input);
      }),
      { numRuns: 4000 },
    );
  });

  it('literals, IP constructs and stars (SegmentStarMatcher), greedy, lazy, saved and unsaved', () => {
    const part = fc.oneof(
      fc.constantFrom('|', '@', 'a', 'TCP|', '|25|', 'é').map((text) => ({ kind: 'lit' as const, text })),
      fc.record({ kind: fc.constant('ip' as const), subnet: fc.constantFrom(...SUBNETS), save: fc.boolean() }),
      fc.record({ kind: fc.constant('star' as const), lazy: flag, save: fc.boolean() }),
    );
    // Inputs that look like PORT_ACCESS probes, so that address runs fall where the constructs stand.
    const text = fc
      .array(fc.constantFrom('|', '@', 'a', 'TCP', '25', '10.1.2.3', '10.9.8.7', '::ffff:10.1.2.3', '2001:db8::5', '1.2.3', 'é', '7'), { maxLength: 9 })
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 7 }), text, (parts, input) => {
        const items = pattern(
          ...parts.map((p): Unnumbered => (p.kind === 'lit' ? lit(p.text) : p.kind === 'ip' ? ip(p.subnet, { save: p.save }) : star({ lazy: p.lazy, save: p.save }))),
        );
        agree(items, input);
      }),
      { numRuns: 5000 },
    );
  }, 120_000);

  it('single IP constructs (AddressMatcher)', () => {
    const addressText = fc.oneof(
      inputs,
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((parts) => parts.join('.')),
      fc.array(fc.constantFrom('0', '1', 'a', 'F', 'ffff', '::', ':', '.', '10.1.2.3', '01'), { maxLength: 7 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(fc.constantFrom(...SUBNETS), fc.boolean(), addressText, (subnet, saved, input) => {
        const items = pattern(ip(subnet, { save: saved }));
        expect(compilePattern(items)).toBeInstanceOf(AddressMatcher);
        agree(items, input);
      }),
      { numRuns: 3000 },
    );
  });

  it('every well-formed address text, in any spelling, is accepted (P9.2)', () => {
    const anyAddress = compilePattern(pattern(ip('::/0')));
    const spellings = fc.oneof(
      fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }).map((bytes) => bytes.join('.')),
      fc.tuple(fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0x2001, 0xdb8), { minLength: 8, maxLength: 8 }), fc.nat(4), fc.boolean()).map(([groups, style, upper]) => {
        const address = ipaddr.IPv6.parse(groups.map((group) => group.toString(16)).join(':'));
        const [a, b, c, d] = address.toByteArray().slice(12);
        const texts = [address.toString(), address.toNormalizedString(), address.toNormalizedString().split(':').map((group) => group.padStart(4, '0')).join(':'), `${address.toNormalizedString().split(':').slice(0, 6).join(':')}:${a}.${b}.${c}.${d}`, `::ffff:${a}.${b}.${c}.${d}`];
        const text = texts[style];
        return upper ? text.toUpperCase() : text;
      }),
    );
    fc.assert(
      fc.property(spellings, (text) => {
        expect(referenceMatch(pattern(ip('::/0')), text)).toEqual([text]);
        expect(anyAddress.match(text)).toEqual([text]);
      }),
      { numRuns: 3000 },
    );
  });

  it('compiled patterns reused for many inputs, interleaved (shared scratch and memo stamps)', () => {
    const withBackmatch = pattern(star(), lit('a'), star({ lazy: true }), glob('D', 'one'), star(), lit('|'), back(0), star());
    const memoised = pattern(star(), lit('a'), star({ lazy: true }), glob('D', 'one'), star(), lit('b'), one());
    const compiled = [withBackmatch, memoised].map((items) => ({ items, matcher: compilePattern(items) }));
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'A', 'b', '1', '|', 'é', '𝒜', 'aa|a', 'ab1', '12'), { maxLength: 30 }), fc.nat(1), (parts, which) => {
        const input = parts.join('');
        const { items, matcher } = compiled[which];
        expect(matcher.match(input)).toEqual(referenceMatch(items, input));
      }),
      { numRuns: 2500 },
    );
  });
});
