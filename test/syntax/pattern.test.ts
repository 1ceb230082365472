import { describe, expect, it } from 'vitest';
import { parseIpAddress } from '../../src/syntax/ip.js';
import { parsePattern } from '../../src/syntax/pattern/index.js';
import type { PatternItem } from '../../src/syntax/ast.js';

/** The problems of a pattern as `[code, offset, length]`, in the order they were found. */
function problemsOf(text: string): [string, number, number][] {
  return parsePattern(text).problems.map((problem) => [problem.code, problem.offset, problem.length]);
}

/** Parses a pattern that must have no problem at all. */
function clean(text: string): PatternItem[] {
  const { items, problems } = parsePattern(text);
  expect(problems).toEqual([]);
  return items;
}

const any = { kind: 'any' } as const;
const star = (capture: number | null, offset: number, length = 1, lazy = false) =>
  ({ kind: 'wildcard', width: 'many', charClass: any, lazy, capture, offset, length }) as const;
const percent = (capture: number | null, offset: number, length = 1) =>
  ({ kind: 'wildcard', width: 'one', charClass: any, lazy: false, capture, offset, length }) as const;
const literal = (text: string, offset: number, length = text.length) => ({ kind: 'literal', text, offset, length }) as const;

describe('literals and quotes (P2, P3)', () => {
  it('keeps a plain pattern as one literal item', () => {
    expect(clean('abc')).toEqual([literal('abc', 0)]);
  });

  it('E30: literals between wildcards keep their spelling (case-blindness is the matcher’s job)', () => {
    expect(clean('Tcp_Local|*')).toEqual([literal('Tcp_Local|', 0), star(0, 10)]);
  });

  it('E27: `$* $% $$` are literal characters merged with their neighbours', () => {
    expect(clean('a$*b$%c$$d')).toEqual([literal('a*b%c$d', 0, 10)]);
  });

  it('E27: `$ ` is a literal space; `$<TAB>` (dollar, real tab) a literal tab', () => {
    expect(clean('Hello$ *')).toEqual([literal('Hello ', 0, 7), star(0, 7)]);
    expect(clean('a$\tb')).toEqual([literal('a\tb', 0, 4)]);
  });

  it('E44: a pattern may end in a quoted space', () => {
    expect(clean('H|%:*$ ')).toEqual([literal('H|', 0), percent(0, 2), literal(':', 3), star(1, 4), literal(' ', 5, 2)]);
  });

  it('E43: quotes inside a literal run between wildcards', () => {
    expect(clean('*|mr_local|"*,$ *"@am.sigurd.example.com')).toEqual([
      star(0, 0),
      literal('|mr_local|"', 1),
      star(1, 12),
      literal(', ', 13, 3),
      star(2, 16),
      literal('"@am.sigurd.example.com', 17),
    ]);
  });

  it('P2: characters that are special elsewhere are ordinary here', () => {
    expect(clean(`"'()|@!#\\/`)).toEqual([literal(`"'()|@!#\\/`, 0)]);
  });
});

describe('wildcards and numbering (P3, P4)', () => {
  it('E19: `PSI$%*::*` numbers the two stars 0 and 1 (the `$%` is a literal)', () => {
    const { items, captureCount } = parsePattern('PSI$%*::*');
    expect(items).toEqual([literal('PSI%', 0, 5), star(0, 5), literal('::', 6), star(1, 8)]);
    expect(captureCount).toBe(2);
  });

  it('E23: `%` is numbered like `*`', () => {
    expect(clean('%*')).toEqual([percent(0, 0), star(1, 1)]);
  });

  it('P11: `a%c` has one saved item', () => {
    expect(parsePattern('a%c').captureCount).toBe(1);
  });

  it('E31: items numbered 10 and above are saved but get an info', () => {
    const text = '*|*|*|*|*|*|*|*|*|*|*';
    const { items, captureCount, problems } = parsePattern(text);
    expect(captureCount).toBe(11);
    expect(items[20]).toEqual(star(10, 20));
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'info', code: 'unreferenceable-capture', offset: 20, length: 1 }),
    ]);
  });
});

describe('globs (P3)', () => {
  const glob = (text: string) => {
    const [item] = clean(text);
    if (item?.kind !== 'wildcard' || item.charClass.kind !== 'glob') throw new Error(`not a glob: ${text}`);
    return { letter: item.charClass.letter, ranges: item.charClass.ranges, width: item.width };
  };

  it.each([
    ['$A*', 'A', [[65, 90], [97, 122]]],
    ['$B*', 'B', [[48, 49]]],
    ['$D*', 'D', [[48, 57]]],
    ['$H*', 'H', [[48, 57], [65, 70], [97, 102]]],
    ['$O*', 'O', [[48, 55]]],
    ['$S*', 'S', [[36, 36], [48, 57], [65, 90], [95, 95], [97, 122]]],
    ['$T*', 'T', [[9, 9], [11, 11], [32, 32]]],
    ['$X*', 'X', [[48, 57], [65, 70], [97, 102]]],
  ])('%s accepts the class of glob %s', (text, letter, ranges) => {
    expect(glob(text)).toEqual({ letter, ranges, width: 'many' });
  });

  it('E28: glob letters are case-insensitive and `%` makes a one-character glob', () => {
    expect(glob('$d*')).toEqual(glob('$D*'));
    expect(glob('$b%').width).toBe('one');
    expect(glob('$h%').letter).toBe('H');
  });

  it('E28: `$A*$D*` and `$B%$B%` are numbered left to right', () => {
    expect(clean('$A*$D*').map((item) => item.kind === 'wildcard' && item.capture)).toEqual([0, 1]);
    expect(clean('a$T%b')).toEqual([
      literal('a', 0),
      expect.objectContaining({ width: 'one', capture: 0, offset: 1, length: 3 }),
      literal('b', 4),
    ]);
  });

  it('P3: a glob letter without `%` or `*` is bad-glob at the `$` pair', () => {
    expect(problemsOf('$D')).toEqual([['bad-glob', 0, 2]]);
    expect(problemsOf('ab$ax')).toEqual([['bad-glob', 2, 2]]);
    expect(problemsOf('$s$D%')).toEqual([['bad-glob', 0, 2]]);
  });
});

describe('character sets (P5)', () => {
  const setRanges = (text: string) => {
    const item = clean(text)[0];
    if (item?.kind !== 'wildcard' || item.charClass.kind !== 'set') throw new Error(`not a set: ${text}`);
    return item.charClass.ranges;
  };

  it('E29: ranges, and `\\-` as a quoted dash', () => {
    expect(setRanges('$[a-c\\-]*')).toEqual([[97, 99], [45, 45]]);
  });

  it('E20: `$[ax1]*@*.example.com` saves the set as item 0 and the star as item 1', () => {
    const items = clean('$[ax1]*@*.example.com');
    expect(items).toEqual([
      { kind: 'wildcard', width: 'many', charClass: { kind: 'set', ranges: [[97, 97], [120, 120], [49, 49]] }, lazy: false, capture: 0, offset: 0, length: 7 },
      literal('@', 7),
      star(1, 8),
      literal('.example.com', 9),
    ]);
  });

  it('P5: a dash first or last is a member, as is a dash that cannot form a range', () => {
    expect(setRanges('$[-a-]%')).toEqual([[45, 45], [97, 97], [45, 45]]);
    expect(setRanges('$[a-c-e]%')).toEqual([[97, 99], [45, 45], [101, 101]]);
    expect(setRanges('$[a--]%')).toEqual([[97, 97], [45, 45], [45, 45]]);
    expect(setRanges('$[-]%')).toEqual([[45, 45]]);
  });

  it('P5: a backslash quotes `]`, `\\` and any other character', () => {
    expect(setRanges('$[\\]\\\\\\q]%')).toEqual([[93, 93], [92, 92], [113, 113]]);
    expect(setRanges('$[\\--z]%')).toEqual([[45, 122]]);
  });

  it('P2: a character outside the BMP is one member', () => {
    expect(setRanges('$[😀]%')).toEqual([[0x1f600, 0x1f600]]);
  });

  it('E29: a leading `^` is a member with a caret-in-set warning; a quoted one is not warned', () => {
    const { items, problems } = parsePattern('$[^x]%');
    expect(items[0]).toMatchObject({ charClass: { kind: 'set', ranges: [[94, 94], [120, 120]] }, capture: 0 });
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'caret-in-set', 2, 1]]);
    expect(problemsOf('$[\\^x]%')).toEqual([]);
    expect(problemsOf('$[x^]%')).toEqual([]);
  });

  it('E29: an empty set is bad-glob over the whole set', () => {
    expect(problemsOf('$[]%')).toEqual([['bad-glob', 0, 3]]);
  });

  it('P5: a missing `]` is bad-glob at the `$[`', () => {
    expect(problemsOf('ab$[xyz')).toEqual([['bad-glob', 2, 2]]);
    expect(problemsOf('$[a\\]%')).toEqual([['bad-glob', 0, 2]]);
  });

  it('P5: a reversed range is bad-glob at the range', () => {
    expect(problemsOf('x$[ac-a]%')).toEqual([['bad-glob', 4, 3]]);
  });

  it('P5: a set not followed by `%` or `*` is bad-glob over the set', () => {
    expect(problemsOf('$[abc]x')).toEqual([['bad-glob', 0, 6]]);
    expect(problemsOf('*$[a]')).toEqual([['bad-glob', 1, 4]]);
  });

  it('P5: `$_` makes a `…*` set lazy and the item spans the modifier', () => {
    expect(clean('$_$[ab]*')[0]).toMatchObject({ lazy: true, offset: 0, length: 8 });
  });
});

describe('back-matches (P8)', () => {
  it('E26: `*|$0*` refers to item 0 and is not numbered', () => {
    const { items, captureCount } = parsePattern('*|$0*');
    expect(items).toEqual([star(0, 0), literal('|', 1), { kind: 'backmatch', ref: 0, offset: 2, length: 3 }]);
    expect(captureCount).toBe(1);
  });

  it('P8: a back-match takes no number, so the next star is item 1', () => {
    expect(clean('*$0**')[2]).toEqual(star(1, 4));
  });

  it('P8: a back-match must name an earlier saved item', () => {
    expect(problemsOf('$0*')).toEqual([['bad-backmatch', 0, 3]]);
    expect(problemsOf('*$1*')).toEqual([['bad-backmatch', 1, 3]]);
    expect(problemsOf('$@*$0*')).toEqual([['bad-backmatch', 3, 3]]);
  });

  it('P7: `$1%` is not a back-match but an undefined escape', () => {
    expect(problemsOf('*$1%')).toEqual([['undefined-pattern-escape', 1, 2]]);
  });
});

describe('modifiers (P6)', () => {
  it('E21/P11: `$_` makes only the next star lazy', () => {
    expect(clean('$_*.*')).toEqual([star(0, 0, 3, true), literal('.', 3), star(1, 4)]);
    expect(clean('*.$_*')).toEqual([star(0, 0), literal('.', 1), star(1, 2, 3, true)]);
  });

  it('E24: `$_` on a glob', () => {
    expect(clean('$_$D*$D*')).toEqual([
      expect.objectContaining({ lazy: true, capture: 0, offset: 0, length: 5 }),
      expect.objectContaining({ lazy: false, capture: 1, offset: 5, length: 3 }),
    ]);
  });

  it('E25: `$@` turns saving off for all later items until `$^`', () => {
    const off = parsePattern('$@*@*');
    expect(off.items).toEqual([star(null, 0, 3), literal('@', 3), star(null, 4)]);
    expect(off.captureCount).toBe(0);
    const on = parsePattern('$@*@$^*');
    expect(on.items).toEqual([star(null, 0, 3), literal('@', 3), star(0, 4, 3)]);
    expect(on.captureCount).toBe(1);
  });

  it('P6: modifiers combine in any order and the item spans all of them', () => {
    expect(clean('$_$@*')).toEqual([star(null, 0, 5, true)]);
    expect(clean('$@$_*')).toEqual([star(null, 0, 5, true)]);
  });

  it('P6: a trailing `$@` or `$^` is no item and no problem', () => {
    expect(parsePattern('*$@')).toEqual({ items: [star(0, 0)], captureCount: 1, problems: [] });
  });

  it.each([
    ['$_%', 0],
    ['$_$D%', 0],
    ['*$_abc', 1],
    ['*$_$0*', 1],
    ['$_$(10.0.0.1)', 0],
    ['*$_', 1],
    ['*$_$@', 1],
  ])('P6: `$_` without effect in %s is warned at offset %i', (text, offset) => {
    const { problems } = parsePattern(text);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'lazy-without-effect', offset, 2]]);
  });

  it('P6: `$_` before a one-character item leaves it not lazy', () => {
    expect(parsePattern('$_%').items[0]).toMatchObject({ lazy: false, offset: 0, length: 3 });
  });
});

describe('worked cases at the parse level (P11, E21–E25)', () => {
  /** Saved number and laziness of each wildcard, `lit` for literals. */
  const shape = (text: string) =>
    clean(text).map((item) => (item.kind === 'wildcard' ? `${item.capture ?? '-'}${item.lazy ? 'L' : ''}` : item.kind === 'literal' ? 'lit' : item.kind));

  it.each([
    ['*.*', ['0', 'lit', '1']],
    ['$_*.*', ['0L', 'lit', '1']],
    ['*.$_*', ['0', 'lit', '1L']],
    ['$_*.$_*', ['0L', 'lit', '1L']],
    ['*@*', ['0', 'lit', '1']],
    ['$_*@*', ['0L', 'lit', '1']],
    ['%*', ['0', '1']],
    ['$D*$D*', ['0', '1']],
    ['$_$D*$D*', ['0L', '1']],
    ['$D*%*', ['0', '1', '2']],
    ['$@*@*', ['-', 'lit', '-']],
    ['$@*@$^*', ['-', 'lit', '0']],
    ['*|$0*', ['0', 'lit', 'backmatch']],
    ['a%c', ['lit', '0', 'lit']],
    ['$(10.0.0.0/8)*', ['ip', '1']],
  ])('%s', (text, expected) => {
    expect(shape(text)).toEqual(expected);
  });
});

describe('IP constructs (P9)', () => {
  const ip = (text: string) => {
    const item = parsePattern(text).items.find((each) => each.kind === 'ip');
    if (!item || item.kind !== 'ip') throw new Error(`no IP item in ${text}`);
    return item;
  };

  it('E34: `$(192.45.67.89/24)` masks the host bits and warns at the construct', () => {
    const { items, problems } = parsePattern('$(192.45.67.89/24)');
    expect(items).toEqual([
      { kind: 'ip', form: 'prefix', family: 'ipv4', address: '192.45.67.89', prefixLength: 24, network: [192, 45, 67, 0], capture: 0, offset: 0, length: 18 },
    ]);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'host-bits-set', 0, 18]]);
  });

  it('oracle-ms6-2: `$(123.45.67.89/24)` is valid with the host-bits warning', () => {
    const { items, problems } = parsePattern('$(123.45.67.89/24)');
    expect(items[0]).toMatchObject({ network: [123, 45, 67, 0], prefixLength: 24 });
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'host-bits-set', 0, 18]]);
  });

  it('oracle-ms6-1: a /32 has no host bits', () => {
    expect(problemsOf('$(123.45.67.89/32)')).toEqual([]);
  });

  it('E35: the ignore-bits form keeps 32 − n bits', () => {
    expect(ip('$<123.45.67.4/2>')).toMatchObject({ form: 'ignore', prefixLength: 30, network: [123, 45, 67, 4] });
    expect(ip('$<123.45.67.0/8>')).toMatchObject({ prefixLength: 24, network: [123, 45, 67, 0] });
    expect(problemsOf('$<123.45.67.5/2>')).toEqual([['host-bits-set', 0, 16]]);
  });

  it('P9.1: without `/n` every form needs the exact address', () => {
    expect(ip('$(10.1.2.3)').prefixLength).toBe(32);
    expect(ip('$<10.1.2.3>').prefixLength).toBe(32);
    expect(ip('${2001:db8::1}').prefixLength).toBe(128);
  });

  it('E37: IPv6 in the prefix and IPv6 forms, and the ignore form for IPv6', () => {
    const network = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(ip('$(2001:db8::/32)')).toMatchObject({ form: 'prefix', family: 'ipv6', prefixLength: 32, network });
    expect(ip('${2001:db8::/32}')).toMatchObject({ form: 'v6', family: 'ipv6', prefixLength: 32, network });
    expect(ip('$<2001:db8::/96>')).toMatchObject({ form: 'ignore', family: 'ipv6', prefixLength: 32, network });
    expect(ip('$(::ffff:10.0.0.0/104)')).toMatchObject({ family: 'ipv6', network: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 0] });
  });

  it('P9.1: RFC 4291 `::a.b.c.d` is IPv4-compatible, not IPv4-mapped', () => {
    expect(ip('$(::1.2.3.4)').network).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
  });

  it('P9.1: IPv4 written in `${…}` is accepted with an info', () => {
    const { items, problems } = parsePattern('${10.0.0.0/8}');
    expect(items[0]).toMatchObject({ form: 'v6', family: 'ipv4', prefixLength: 8 });
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['info', 'ipv4-in-ipv6-form', 0, 13]]);
  });

  it('E36: IP constructs are numbered with the wildcards', () => {
    const items = clean('TCP|*|25|$(192.168.1.0/24)|*');
    expect(items.map((item) => ('capture' in item ? item.capture : '-'))).toEqual(['-', 0, '-', 1, '-', 2]);
    expect(items[3]).toMatchObject({ kind: 'ip', address: '192.168.1.0', offset: 9, length: 17 });
  });

  it('P6: saving off applies to IP constructs and the item spans `$@`', () => {
    expect(ip('$@$(10.0.0.0/8)')).toMatchObject({ capture: null, offset: 0, length: 15 });
  });

  it('E38: a bit count out of range is bad-ip at `/n`', () => {
    expect(problemsOf('$(10.0.0.0/33)')).toEqual([['bad-ip', 10, 3]]);
    expect(problemsOf('${::/129}')).toEqual([['bad-ip', 4, 4]]);
    expect(problemsOf('$(10.0.0.0/)')).toEqual([['bad-ip', 10, 1]]);
    expect(problemsOf('$(10.0.0.0/8x)')).toEqual([['bad-ip', 10, 3]]);
  });

  it.each([
    ['$(010.0.0.0/8)', 2, 9],
    ['$(10.1.2/8)', 2, 6],
    ['$(10.0.0.256)', 2, 10],
    ['$(1::01.2.3.4)', 2, 11],
    ['$(fe80::1%eth0)', 2, 12],
    ['$(1:2:3:4:5:6:7:8:9)', 2, 17],
    ['$(mail.example)', 2, 12],
  ])('P9.1: %s has a malformed address (bad-ip at the address)', (text, offset, length) => {
    expect(problemsOf(text)).toEqual([['bad-ip', offset, length]]);
  });

  it('P9: an empty construct or a missing closer is bad-ip', () => {
    expect(problemsOf('$()')).toEqual([['bad-ip', 0, 3]]);
    expect(problemsOf('*$(10.0.0.0/8')).toEqual([['bad-ip', 1, 2]]);
    expect(problemsOf('$<10.0.0.0')).toEqual([['bad-ip', 0, 2]]);
  });

  it('P9.5: a literal address character right after the construct is warned at that character', () => {
    expect(parsePattern('$(10.0.0.0/8)1').problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([
      ['warning', 'ip-swallows-literal', 13, 1],
    ]);
    expect(problemsOf('$(10.0.0.0/8).x')).toEqual([['ip-swallows-literal', 13, 1]]);
    expect(problemsOf('$(10.0.0.0/8)|x')).toEqual([]);
    expect(problemsOf('$(10.0.0.0/8)*')).toEqual([]);
  });
});

describe('undefined and dangling `$` (P7, F8)', () => {
  it('E32: `*$Y` is undefined-pattern-escape at offset 1 with the separator hint', () => {
    expect(parsePattern('*$Y').problems).toEqual([
      {
        severity: 'error',
        code: 'undefined-pattern-escape',
        message: '`$Y` is not valid in a pattern',
        offset: 1,
        length: 2,
        hint: 'is the white space between pattern and template missing?',
      },
    ]);
  });

  it('P7: a template glued to its pattern is reported at its first `$`', () => {
    const text = 'TCP|*|25|*|*$N500$ Please';
    expect(parsePattern(text).problems).toEqual([
      expect.objectContaining({
        code: 'undefined-pattern-escape',
        message: '`$N` is not valid in a pattern',
        offset: text.indexOf('$N'),
        length: 2,
        hint: 'is the white space between pattern and template missing?',
      }),
    ]);
  });

  it.each(['$N', '$Y', '$C', '$=', '$]', '$|', '$😀'])('P7: `%s` is undefined in a pattern', (escape) => {
    expect(problemsOf(`a${escape}`)).toEqual([['undefined-pattern-escape', 1, escape.length]]);
  });

  it('F8: a `$` at the end is dangling', () => {
    expect(problemsOf('abc$')).toEqual([['dangling-dollar', 3, 1]]);
  });
});

describe('parseIpAddress (P9.2)', () => {
  it.each(['0.0.0.0', '255.255.255.255', '10.1.2.3', '::', '::1', '2001:DB8::1', '2001:db8:0:0::5', '::ffff:10.1.2.3', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:1.2.3.4'])(
    'accepts %s',
    (text) => {
      expect(parseIpAddress(text)).not.toBeNull();
    },
  );

  it.each(['', '010.1.2.3', '10.1.2', '1.2.3.4.5', '256.1.1.1', '0x1.2.3.4', '1::2::3', '12345::1', 'fe80::1%eth0', '::1.2.3.04', '1:2:3:4:5:6:7:1.2.3.4', ' 1.2.3.4'])(
    'rejects %j',
    (text) => {
      expect(parseIpAddress(text)).toBeNull();
    },
  );

  it('reads a trailing dotted quad as the last 32 bits', () => {
    expect(parseIpAddress('::ffff:10.1.2.3')?.toByteArray()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 1, 2, 3]);
  });
});

describe('severities (F16)', () => {
  it.each([
    ['$D', 'bad-glob', 'error'],
    ['*$N', 'undefined-pattern-escape', 'error'],
    ['$0*', 'bad-backmatch', 'error'],
    ['$(1.2.3)', 'bad-ip', 'error'],
    ['a$', 'dangling-dollar', 'error'],
    ['$[^a]%', 'caret-in-set', 'warning'],
    ['$_%', 'lazy-without-effect', 'warning'],
    ['$(1.2.3.4/8)', 'host-bits-set', 'warning'],
    ['$(1.0.0.0/8)1', 'ip-swallows-literal', 'warning'],
    ['${1.0.0.0/8}', 'ipv4-in-ipv6-form', 'info'],
    ['%%%%%%%%%%%', 'unreferenceable-capture', 'info'],
  ])('%s reports %s as %s', (text, code, severity) => {
    expect(parsePattern(text).problems).toEqual([expect.objectContaining({ code, severity })]);
  });
});
