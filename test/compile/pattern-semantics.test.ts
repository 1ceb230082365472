// P1 case folding, P2 code points, P3/P5 classes, P8 back-matches, P9 IP constructs, P12 budget,
// and which matcher compilePattern picks for which shape.
import { describe, expect, it } from 'vitest';
import { compilePattern, MatchBudgetExceededError } from '../../src/compile/index.js';
import { BacktrackingMatcher } from '../../src/compile/pattern-backtrack.js';
import { AddressMatcher, LiteralStarMatcher, SegmentStarMatcher } from '../../src/compile/pattern-specialised.js';
import type { PatternItem } from '../../src/syntax/ast.js';
import { back, glob, ip, lit, one, pattern, set, star } from './items.js';
import { referenceMatch } from './reference-matcher.js';

function run(items: PatternItem[], input: string): string[] | null {
  const captures = compilePattern(items).match(input);
  expect(referenceMatch(items, input)).toEqual(captures);
  return captures;
}

describe('P1: ASCII-only case folding, captures keep the input case', () => {
  it.each([
    ['literal É against é', pattern(lit('É')), 'é', null],
    ['literal É against É', pattern(lit('É')), 'É', []],
    ['literal k against the Kelvin sign (toLowerCase would fold it)', pattern(lit('k')), '\u212a', null],
    ['literal i against dotted capital İ', pattern(lit('i')), 'İ', null],
    ['literal ss against ß', pattern(lit('ss')), 'ß', null],
    ['mixed-case literal and star', pattern(lit('MaIl.'), star()), 'mail.EXAMPLE', ['EXAMPLE']],
    ['set of é against É', pattern(set([['é', 'é']], 'one')), 'É', null],
    ['set of a–c against B', pattern(set([['a', 'c']], 'one')), 'B', ['B']],
    ['glob $A against non-ASCII letter', pattern(glob('A', 'one')), 'é', null],
    ['glob $H against upper-case hex', pattern(glob('H', 'many')), 'AbCdEf09', ['AbCdEf09']],
    ['back-match É|é', pattern(star(), lit('|'), back(0)), 'É|é', null],
    ['back-match Mixed|mIXED', pattern(star(), lit('|'), back(0)), 'Mixed|mIXED', ['Mixed']],
  ])('%s', (_name, items, input, expected) => {
    expect(run(items, input)).toEqual(expected);
  });
});

describe('P2: the unit of matching is one code point', () => {
  it.each([
    ['% takes a whole surrogate pair', pattern(one()), '𝒜', ['𝒜']],
    ['%% does not split a pair', pattern(one(), one()), '𝒜', null],
    ['a%b around an emoji', pattern(lit('a'), one(), lit('b')), 'a😀b', ['😀']],
    ['a lone surrogate counts as one character', pattern(one()), '\ud800', ['\ud800']],
    ['a set range over astral code points', pattern(set([['😀', '😏']], 'many')), '😃😅', ['😃😅']],
    ['a set range does not take half a pair', pattern(set([['\ud800', '\udfff']], 'one')), '😃', null],
    ['lazy star and % over pairs', pattern(star({ lazy: true }), one(), star()), '𝒜b𝒜', ['', '𝒜', 'b𝒜']],
    ['greedy star, %, literal, over pairs', pattern(star(), one(), lit('b')), '𝒜𝒜b', ['𝒜', '𝒜']],
    ['pairs before a back-match', pattern(star(), lit('|'), back(0), one()), '😀|😀x', ['😀', 'x']],
    ['two literals holding the halves of a pair stay two characters', pattern(lit('\ud835'), lit('\udc9c')), '𝒜', null],
    ['literal-and-star shape with pairs', pattern(star(), lit('😀'), star({ lazy: true }), lit('|')), 'a😀b😀|', ['a😀b', '']],
  ])('%s', (_name, items, input, expected) => {
    expect(run(items, input)).toEqual(expected);
  });
});

describe('P3: glob classes', () => {
  it.each([
    ['A', 'aZ', '1'],
    ['B', '01', '2'],
    ['D', '0123456789', 'a'],
    ['H', '09afAF', 'g'],
    ['O', '01234567', '8'],
    ['S', 'azAZ09_$', '-'],
    ['T', ' \t\v', '\n'],
    ['X', '09afAF', 'x'],
  ] as const)('$%s* takes %j and not %j', (letter, members, other) => {
    expect(run(pattern(glob(letter, 'many')), members)).toEqual([members]);
    expect(run(pattern(glob(letter, 'many')), members + other)).toBeNull();
    expect(run(pattern(glob(letter, 'one')), other)).toBeNull();
  });

  it('a lazy glob yields to the rest of the pattern, a greedy one keeps what it can', () => {
    expect(run(pattern(glob('D', 'many', { lazy: true }), glob('D', 'one'), star()), '1234')).toEqual(['', '1', '234']);
    expect(run(pattern(glob('D', 'many'), glob('D', 'one'), star()), '1234')).toEqual(['123', '4', '']);
  });
});

describe('P8: back-matches', () => {
  it('repeat a glob capture, an IP capture, and an empty capture', () => {
    expect(run(pattern(glob('D', 'many'), lit('-'), back(0)), '42-42')).toEqual(['42']);
    expect(run(pattern(ip('10.0.0.0/8'), lit('|'), back(0)), '10.1.2.3|10.1.2.3')).toEqual(['10.1.2.3']);
    expect(run(pattern(star(), lit('|'), back(0), lit('|')), '||')).toEqual(['']);
  });

  it('backtrack into the referenced item until the repeat fits', () => {
    expect(run(pattern(star(), lit('.'), star(), lit('='), back(1)), 'a.b.c=c')).toEqual(['a.b', 'c']);
    expect(run(pattern(star(), lit('.'), star(), lit('='), back(1)), 'a.b.c=b.c')).toEqual(['a', 'b.c']);
  });
});

describe('P9/P10: IP constructs between stars (SegmentStarMatcher)', () => {
  // `run` checks each answer against the plain backtracking reference as well.
  it.each([
    ['an IP tail followed by more text', pattern(star(), ip('10.0.0.0/8')), '10.1.2.3|', null],
    ['an IP tail after a separator', pattern(star(), ip('10.0.0.0/8')), 'a|10.1.2.3', ['a|', '10.1.2.3']],
    ['greedy star: the last address that fits', pattern(star(), lit('|'), ip('10.0.0.0/8')), 'a|10.1.2.3|10.2.2.2', ['a|10.1.2.3', '10.2.2.2']],
    ['lazy star: the tail must still end the input', pattern(star({ lazy: true }), lit('|'), ip('10.0.0.0/8')), 'a|10.1.2.3|10.2.2.2', ['a|10.1.2.3', '10.2.2.2']],
    ['a run that starts inside an address (P9.2)', pattern(star(), ip('10.0.0.0/8')), 'x10.1.2.3', ['x', '10.1.2.3']],
    ['E36 port access', pattern(lit('TCP|'), star(), lit('|25|'), ip('192.168.1.0/24'), lit('|'), star()), 'tcp|10.0.0.1|25|192.168.1.77|40000', ['10.0.0.1', '192.168.1.77', '40000']],
    ['E36, client outside the subnet', pattern(lit('TCP|'), star(), lit('|25|'), ip('192.168.1.0/24'), lit('|'), star()), 'TCP|10.0.0.1|25|192.168.2.77|40000', null],
    ['greedy middle star passes an earlier fit', pattern(star(), lit('|'), ip('10.0.0.0/8'), lit('|'), star()), '10.1.1.1|10.2.2.2|x', ['10.1.1.1', '10.2.2.2', 'x']],
    ['lazy middle star takes the first fit', pattern(star({ lazy: true }), lit('|'), ip('10.0.0.0/8'), lit('|'), star()), 'a|10.1.1.1|10.2.2.2|x', ['a', '10.1.1.1', '10.2.2.2|x']],
    ['an IPv4-mapped address in an IPv4 subnet (P9.3)', pattern(lit('a@'), ip('10.0.0.0/8'), star()), 'A@::ffff:10.0.0.1|', ['::ffff:10.0.0.1', '|']],
  ])('%s', (_name, items, input, expected) => {
    expect(compilePattern(items)).toBeInstanceOf(SegmentStarMatcher);
    expect(run(items, input)).toEqual(expected);
  });
});

describe('P9: IP constructs', () => {
  it.each([
    ['10.1.2.3', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['010.1.2.3', false],
    ['10.01.2.3', false],
    ['10.1.2', false],
    ['10.1.2.3.4', false],
    ['256.1.1.1', false],
    ['0xa.1.2.3', false],
    ['167838211', false],
    ['::', true],
    ['::1', true],
    ['2001:DB8::1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7::', true],
    ['::ffff:10.1.2.3', true],
    ['1:2:3:4:5:6:1.2.3.4', true],
    ['::10.1.2.3', true],
    ['1::2::3', false],
    ['12345::', false],
    ['00001::', false],
    ['1:2:3:4:5:6:7:8:9', false],
    [':1::', false],
    ['1::2:', false],
    ['::ffff:010.1.2.3', false],
    ['::ffff:10.1.2', false],
    ['1:2:3:4:5:6:7:1.2.3.4', false],
    ['::1.2.3.4:5', false],
    ['1.2.3.4::', false],
  ])('strict parse of %s → %s (::/0 holds every address, IPv4 as mapped)', (text, valid) => {
    expect(run(pattern(ip('::/0')), text)).toEqual(valid ? [text] : null);
    expect(run(pattern(lit('<'), ip('::/0'), lit('>')), `<${text}>`)).toEqual(valid ? [text] : null);
  });

  it('::a.b.c.d is IPv4-compatible, not IPv4-mapped (ipaddr.js would map it)', () => {
    expect(run(pattern(ip('10.0.0.0/8')), '::10.1.2.3')).toBeNull();
    expect(run(pattern(ip('::/96')), '::10.1.2.3')).toEqual(['::10.1.2.3']);
    expect(run(pattern(ip('::/96')), '10.1.2.3')).toBeNull();
    expect(run(pattern(ip('::ffff:0:0/96')), '10.1.2.3')).toEqual(['10.1.2.3']);
    expect(run(pattern(ip('10.0.0.0/8')), '::FFFF:a01:203')).toEqual(['::FFFF:a01:203']);
  });

  it('takes the longest run from the current position, never a shorter one', () => {
    expect(run(pattern(ip('10.0.0.0/8'), lit('x')), '10.1.2.3x')).toEqual(['10.1.2.3']);
    expect(run(pattern(ip('10.0.0.0/8'), lit('b')), '10.1.2.3b')).toBeNull();
    expect(run(pattern(star(), ip('10.0.0.0/8')), 'host10.1.2.3')).toEqual(['host', '10.1.2.3']);
    // Greedy star first: at `host1` the run `0.1.2.3` is an address inside 0.0.0.0/0.
    expect(run(pattern(star(), ip('0.0.0.0/0')), 'host10.1.2.3')).toEqual(['host1', '0.1.2.3']);
    expect(run(pattern(ip('::/0')), `${'1:'.repeat(22)}:`)).toBeNull();
    expect(run(pattern(star(), ip('::/0')), 'hostfe80::1')).toEqual(['hostfe80', '::1']);
    expect(run(pattern(star({ lazy: true }), ip('::/0')), 'hostfe80::1')).toEqual(['host', 'fe80::1']);
  });

  it('unsaved constructs take no number; one construct alone is an AddressMatcher', () => {
    expect(run(pattern(ip('10.0.0.0/8', { save: false })), '10.9.9.9')).toEqual([]);
    expect(run(pattern(ip('10.0.0.0/8', { save: false }), lit('|'), star()), '10.9.9.9|x')).toEqual(['x']);
    expect(compilePattern(pattern(ip('10.0.0.0/8'))).captureCount).toBe(1);
  });
});

describe('P12: back-match budget', () => {
  // Backtracking over the items before a back-match is not memoised: exponential without a budget.
  const explosive = pattern(star(), lit('a'), star(), lit('a'), star(), lit('a'), star(), lit('a'), star(), lit('a'), star(), lit('|'), back(0));

  it('throws MatchBudgetExceededError past the default budget of 1,000,000 steps', () => {
    let thrown: unknown;
    try {
      compilePattern(explosive).match('a'.repeat(4096));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MatchBudgetExceededError);
    expect((thrown as MatchBudgetExceededError).code).toBe('MatchBudgetExceeded');
    expect((thrown as MatchBudgetExceededError).budget).toBe(1_000_000);
  });

  it('honours a configured budget, and a sufficient budget gives the answer', () => {
    expect(() => compilePattern(explosive, { backmatchBudget: 50 }).match('a'.repeat(40))).toThrow(MatchBudgetExceededError);
    expect(compilePattern(explosive, { backmatchBudget: 10_000_000 }).match('a'.repeat(20))).toBeNull();
    expect(compilePattern(explosive).match('xaaaaay|x')).toEqual(['x', '', '', '', '', 'y']);
  });

  it('patterns without back-matches never run out of budget', () => {
    const hostile = compilePattern(pattern(star(), lit('a'), star(), lit('a'), star(), lit('a'), star(), glob('D', 'one')), { backmatchBudget: 1 });
    expect(hostile.match('a'.repeat(4096))).toBeNull();
  });
});

describe('compilePattern picks a matcher by shape, and rejects items no parser makes', () => {
  it.each([
    ['one literal', pattern(lit('abc')), LiteralStarMatcher],
    ['nothing at all', pattern(), LiteralStarMatcher],
    ['literal prefix and final star', pattern(lit('tcp_local|'), star()), LiteralStarMatcher],
    ['star and literal suffix', pattern(star({ save: false }), lit('@example.com')), LiteralStarMatcher],
    ['literals between single stars', pattern(star(), lit('|'), star({ lazy: true }), lit('@sesta.com|'), star()), LiteralStarMatcher],
    ['one IP construct', pattern(ip('10.0.0.0/8')), AddressMatcher],
    ['literals, stars and an IP construct (E36)', pattern(lit('TCP|'), star(), lit('|25|'), ip('192.168.1.0/24'), lit('|'), star()), SegmentStarMatcher],
    ['an IP construct and two stars in a row', pattern(ip('10.0.0.0/8'), star(), star()), BacktrackingMatcher],
    ['two stars in a row', pattern(star(), star()), BacktrackingMatcher],
    ['a % item', pattern(lit('a'), one()), BacktrackingMatcher],
    ['a glob star', pattern(glob('D', 'many')), BacktrackingMatcher],
    ['a literal with a lone surrogate', pattern(star(), lit('\udc00')), BacktrackingMatcher],
    ['a back-match', pattern(star(), back(0)), BacktrackingMatcher],
  ])('%s', (_name, items, type) => {
    expect(compilePattern(items)).toBeInstanceOf(type);
  });

  it('merges adjacent literals (E27: a$*b$%c$$d)', () => {
    const compiled = compilePattern(pattern(lit('a'), lit('*'), lit('b'), lit('%'), lit('c'), lit('$'), lit('d')));
    expect(compiled).toBeInstanceOf(LiteralStarMatcher);
    expect(compiled.match('A*B%C$D')).toEqual([]);
  });

  it('counts captures by number (P4), with unsaved items left out', () => {
    expect(compilePattern(pattern(star({ save: false }), one(), ip('::/0', { save: false }), glob('D', 'many'))).captureCount).toBe(2);
  });

  it('throws RangeError for a back-match to a later or missing capture, or a bad budget', () => {
    expect(() => compilePattern(pattern(back(0), star()))).toThrow(RangeError);
    expect(() => compilePattern(pattern(star({ save: false }), back(0)))).toThrow(RangeError);
    expect(() => compilePattern(pattern(star()), { backmatchBudget: 0 })).toThrow(RangeError);
  });
});
