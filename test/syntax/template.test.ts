import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/syntax/template/index.js';
import type { TemplateNode } from '../../src/syntax/ast.js';

/** The problems of a template as `[code, offset, length]`, in the order they were found. */
function problemsOf(text: string, captureCount?: number): [string, number, number][] {
  return parseTemplate(text, { captureCount }).problems.map((problem) => [problem.code, problem.offset, problem.length]);
}

/** Parses a template that must have no problem at all. */
function clean(text: string, captureCount?: number): TemplateNode[] {
  const { nodes, problems } = parseTemplate(text, { captureCount });
  expect(problems).toEqual([]);
  return nodes;
}

const literal = (text: string, offset: number, length = text.length) => ({ kind: 'literal', text, offset, length }) as const;
const capture = (index: number, offset: number) => ({ kind: 'capture', index, offset, length: 2 }) as const;
const flag = (name: string, offset: number, length = 2) => ({ kind: 'flag', flag: name, offset, length }) as const;
const control = (letter: 'C' | 'E' | 'L' | 'R', offset: number) => ({ kind: 'control', control: letter, offset, length: 2 }) as const;

describe('literals and quotes (T1, T2)', () => {
  it('keeps plain text as one literal', () => {
    expect(clean('H|F:')).toEqual([literal('H|F:', 0)]);
  });

  it('F8/T2: `$ `, `$<TAB>` and `$$` are literal characters merged with their neighbours', () => {
    expect(clean('Internet$ access$ not$ permitted')).toEqual([literal('Internet access not permitted', 0, 32)]);
    expect(clean('a$\tb$$c')).toEqual([literal('a\tb$c', 0, 7)]);
  });

  it('T2: the closers of bracketed lookups are ordinary outside a lookup', () => {
    expect(clean('a|b]c}d[e{f#g?h;i,')).toEqual([literal('a|b]c}d[e{f#g?h;i,', 0)]);
  });

  it('the empty template has no nodes', () => {
    expect(parseTemplate('')).toEqual({ nodes: [], problems: [] });
  });
});

describe('templates of the examples and the corpus', () => {
  it('E41: `$0@siroe.com$Y$D`', () => {
    expect(clean('$0@siroe.com$Y$D', 2)).toEqual([capture(0, 0), literal('@siroe.com', 2), flag('Y', 12), flag('D', 14)]);
  });

  it('E44: `H|$0:$1$ $2$R$Y` keeps the quoted space inside the literal', () => {
    expect(clean('H|$0:$1$ $2$R$Y', 3)).toEqual([
      literal('H|', 0),
      capture(0, 2),
      literal(':', 4),
      capture(1, 5),
      literal(' ', 7, 2),
      capture(2, 9),
      control('R', 11),
      flag('Y', 13),
    ]);
  });

  it('oracle-ms6-skeleton-3: brackets outside a lookup are text', () => {
    expect(clean('$Y[Flags]NewAddress')).toEqual([flag('Y', 0), literal('[Flags]NewAddress', 2)]);
  });

  it('gross-3: a routine argument with an empty field and two quoted substitutions', () => {
    const text = '$[/path/to/grosscheck.so,grosscheck,127.0.0.1,,1111,$2,$=$8$_,$=$6$_]';
    const [routine] = clean(text, 11);
    expect(routine).toMatchObject({ kind: 'routine', image: '/path/to/grosscheck.so', routine: 'grosscheck', length: text.length });
    expect(routine?.kind === 'routine' && routine.argument.map((node) => node.kind)).toEqual([
      'literal', 'capture', 'literal', 'quote', 'capture', 'case', 'literal', 'quote', 'capture', 'case',
    ]);
  });
});

describe('substitutions (T3)', () => {
  it('E19: `$1@$0.psi.siroe.com`', () => {
    expect(clean('$1@$0.psi.siroe.com', 2)).toEqual([capture(1, 0), literal('@', 2), capture(0, 3), literal('.psi.siroe.com', 5)]);
  });

  it('E31: `$10` is `$1` followed by the literal `0`', () => {
    expect(clean('$9|$10', 11)).toEqual([capture(9, 0), literal('|', 2), capture(1, 3), literal('0', 5)]);
  });

  it('T3: `$n` beyond the pattern’s saved items is a missing-capture warning', () => {
    const { nodes, problems } = parseTemplate('[$3]', { captureCount: 0 });
    expect(nodes).toEqual([literal('[', 0), capture(3, 1), literal(']', 3)]);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'missing-capture', 1, 2]]);
    expect(problemsOf('$0$1$2', 2)).toEqual([['missing-capture', 4, 2]]);
  });

  it('T3: without a capture count nothing is known to be missing', () => {
    expect(problemsOf('$9')).toEqual([]);
  });

  it('E25: saving off leaves `$0` missing', () => {
    expect(problemsOf('[$0]', 0)).toEqual([['missing-capture', 1, 2]]);
  });
});

describe('case and quoting modifiers (T4)', () => {
  it('E62: `$\\$0@$^$1$_.Org`', () => {
    expect(clean('$\\$0@$^$1$_.Org', 2)).toEqual([
      { kind: 'case', mode: 'lower', offset: 0, length: 2 },
      capture(0, 2),
      literal('@', 4),
      { kind: 'case', mode: 'upper', offset: 5, length: 2 },
      capture(1, 7),
      { kind: 'case', mode: 'original', offset: 9, length: 2 },
      literal('.Org', 11),
    ]);
  });

  it('E63: `(mail=$=$0$_)*`', () => {
    expect(clean('(mail=$=$0$_)*', 1)).toEqual([
      literal('(mail=', 0),
      { kind: 'quote', offset: 6, length: 2 },
      capture(0, 8),
      { kind: 'case', mode: 'original', offset: 10, length: 2 },
      literal(')*', 12),
    ]);
  });
});

describe('controls and conditions (T5, T6)', () => {
  it('T5: `$C $E $L $R` in either case, upper-cased', () => {
    expect(clean('$c$E$l$R')).toEqual([control('C', 0), control('E', 2), control('L', 4), control('R', 6)]);
  });

  it('E60/T6: `$:x` and `$;x` with the flag upper-cased', () => {
    expect(clean('$C$:a$Y$E$;T')).toEqual([
      control('C', 0),
      { kind: 'flagTest', flag: 'A', whenSet: true, offset: 2, length: 3 },
      flag('Y', 5),
      control('E', 7),
      { kind: 'flagTest', flag: 'T', whenSet: false, offset: 9, length: 3 },
    ]);
  });

  it('T6: the flag of a test may be any character', () => {
    expect(clean('$:$$;|')).toEqual([
      { kind: 'flagTest', flag: '$', whenSet: true, offset: 0, length: 3 },
      { kind: 'flagTest', flag: '|', whenSet: false, offset: 3, length: 3 },
    ]);
  });

  it('T6: `$:` at the end has no flag to test', () => {
    expect(problemsOf('$Y$:')).toEqual([['dangling-dollar', 2, 2]]);
    expect(problemsOf('$;')).toEqual([['dangling-dollar', 0, 2]]);
  });

  it('E59/T6: `$?x?` with a whole or decimal percentage', () => {
    expect(clean('$C$?25?$Ysampled$E')[1]).toEqual({ kind: 'random', percent: 25, offset: 2, length: 5 });
    expect(clean('$?12.5?')).toEqual([{ kind: 'random', percent: 12.5, offset: 0, length: 7 }]);
    expect(clean('$?0?$?100?').map((node) => node.kind === 'random' && node.percent)).toEqual([0, 100]);
  });

  it('T6: a percentage that is not a number from 0 to 100 is bad-number at the number', () => {
    expect(problemsOf('$?101?')).toEqual([['bad-number', 2, 3]]);
    expect(problemsOf('x$?ten?')).toEqual([['bad-number', 3, 3]]);
    expect(problemsOf('$?-5?')).toEqual([['bad-number', 2, 2]]);
    expect(problemsOf('$?.5?')).toEqual([['bad-number', 2, 2]]);
    expect(problemsOf('$??')).toEqual([['bad-number', 0, 3]]);
  });

  it('T6: a missing closing `?` is unterminated-construct at `$?`', () => {
    expect(problemsOf('$Y$?25')).toEqual([['unterminated-construct', 2, 2]]);
  });
});

describe('flags (T7, T13)', () => {
  it('E64: letters are upper-cased, `<` is kept', () => {
    expect(clean('$y$nText$<log')).toEqual([flag('Y', 0), flag('N', 2), literal('Text', 4), flag('<', 8), literal('log', 10)]);
  });

  it('E40: flags anywhere among literal text', () => {
    expect(clean('30|$N$DRelaying$ not$ allowed')).toEqual([literal('30|', 0), flag('N', 3), flag('D', 5), literal('Relaying not allowed', 7, 22)]);
  });

  it('T7: `$>` and `$!` are flags without warning', () => {
    expect(clean('$>$!')).toEqual([flag('>', 0), flag('!', 2)]);
  });

  it('T7: other non-letter flags are suspicious (usually a missing `$$`)', () => {
    const { nodes, problems } = parseTemplate('a$*b$%');
    expect(nodes).toEqual([literal('a', 0), flag('*', 1), literal('b', 3), flag('%', 4)]);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([
      ['warning', 'suspicious-flag', 1, 2],
      ['warning', 'suspicious-flag', 4, 2],
    ]);
    expect(problemsOf('$😀')).toEqual([['suspicious-flag', 0, 3]]);
  });

  it('T13: `$+` is flag `+` with one unsupported-metachar warning', () => {
    const { nodes, problems } = parseTemplate('$+1E');
    expect(nodes).toEqual([flag('+', 0), literal('1E', 2)]);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([['warning', 'unsupported-metachar', 0, 2]]);
  });

  it('E65/T13: `$1A` and `$0X` are a substitution and a literal letter, warned', () => {
    const { nodes, problems } = parseTemplate('$1A$0X', { captureCount: 2 });
    expect(nodes).toEqual([capture(1, 0), literal('A', 2), capture(0, 3), literal('X', 5)]);
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([
      ['warning', 'unsupported-metachar', 0, 3],
      ['warning', 'unsupported-metachar', 3, 3],
    ]);
  });

  it('T13: a lower-case letter or another letter after `$n` is ordinary text', () => {
    expect(problemsOf('$0abc$1Byz', 2)).toEqual([]);
    expect(problemsOf('$0x', 1)).toEqual([]);
  });

  it('T13: `$A` alone is flag A', () => {
    expect(clean('$A')).toEqual([flag('A', 0)]);
  });

  it('T1: a `$` at the end is dangling', () => {
    expect(problemsOf('abc$')).toEqual([['dangling-dollar', 3, 1]]);
  });
});

describe('bracketed lookups (T8–T11)', () => {
  it('T9: `$|table;argument|` with the table upper-cased and a parsed argument', () => {
    expect(clean('$C$|internal_ip;$1|$Y', 2)).toEqual([
      control('C', 0),
      { kind: 'mapping', table: 'INTERNAL_IP', argument: [capture(1, 16)], offset: 2, length: 17 },
      flag('Y', 19),
    ]);
  });

  it('T8.2: a nested lookup’s closer does not close the outer one', () => {
    expect(clean('$|a;x$|b;y|z|')).toEqual([
      {
        kind: 'mapping',
        table: 'A',
        argument: [literal('x', 4), { kind: 'mapping', table: 'B', argument: [literal('y', 9)], offset: 5, length: 6 }, literal('z', 11)],
        offset: 0,
        length: 13,
      },
    ]);
  });

  it('T8.2: a closer that is the second character of a `$` pair does not close', () => {
    expect(clean('$[i,r,x$]y[z]')).toEqual([
      {
        kind: 'routine',
        image: 'i',
        routine: 'r',
        argument: [literal('x', 6), { kind: 'url', argument: [literal('y', 9)], offset: 7, length: 4 }, literal('z', 11)],
        offset: 0,
        length: 13,
      },
    ]);
    expect(clean('${a$$}')).toEqual([{ kind: 'database', argument: [literal('a$', 2, 3)], offset: 0, length: 6 }]);
  });

  it('T8.1: `$|` without `;` is bad-construct-header at the opener', () => {
    expect(problemsOf('$|abc|')).toEqual([['bad-construct-header', 0, 2]]);
    expect(problemsOf('x$|;abc|')).toEqual([['bad-construct-header', 1, 2]]);
  });

  it('E56/T10: `$[image,routine,argument]` with everything after the second comma as argument', () => {
    const nodes = clean('$C$[/opt/lib/site.so,check,$0,$$N$ x,$=$1$_]$E', 2);
    expect(nodes).toEqual([
      control('C', 0),
      {
        kind: 'routine',
        image: '/opt/lib/site.so',
        routine: 'check',
        argument: [
          capture(0, 27),
          literal(',$N x,', 29, 8),
          { kind: 'quote', offset: 37, length: 2 },
          capture(1, 39),
          { kind: 'case', mode: 'original', offset: 41, length: 2 },
        ],
        offset: 2,
        length: 42,
      },
      control('E', 44),
    ]);
  });

  it('gross-2: a routine argument with commas, empty fields and `$=…$_` quoting', () => {
    const text = '$[/usr/local/gross/lib/grosscheck.so,grosscheck,10.10.13.1,,5525,$2,$=$8$_]';
    const [routine] = clean(text, 11);
    expect(routine).toMatchObject({ kind: 'routine', image: '/usr/local/gross/lib/grosscheck.so', routine: 'grosscheck', offset: 0, length: text.length });
    expect(routine?.kind === 'routine' && routine.argument[0]).toEqual(literal('10.10.13.1,,5525,', 48));
  });

  it('T8.1: image and routine are trimmed (a routine result re-read as a template keeps its spaces, T10.2)', () => {
    expect(clean('$[ lib.so , check ,x]')[0]).toMatchObject({ image: 'lib.so', routine: 'check', argument: [literal('x', 19)] });
  });

  it('T8.1: a routine header without two commas, or with an empty routine, is bad-construct-header', () => {
    expect(problemsOf('$[a,b]')).toEqual([['bad-construct-header', 0, 2]]);
    expect(problemsOf('x$[a,,b]')).toEqual([['bad-construct-header', 1, 2]]);
  });

  it('E57/T11: `${key}` treats `|` as argument text', () => {
    expect(clean('$C${SEND|$1}$E', 2)[1]).toEqual({ kind: 'database', argument: [literal('SEND|', 4), capture(1, 9)], offset: 2, length: 10 });
  });

  it('T11: `$]url[` and `$}domain,attribute{`', () => {
    expect(clean('$]ldap:///o=x?mail?sub?(uid=$0)[', 1)).toEqual([
      { kind: 'url', argument: [literal('ldap:///o=x?mail?sub?(uid=', 2), capture(0, 28), literal(')', 30)], offset: 0, length: 32 },
    ]);
    expect(clean('$}$1,mailRoutingHost{', 2)).toEqual([
      { kind: 'domain', argument: [capture(1, 2), literal(',mailRoutingHost', 4)], offset: 0, length: 21 },
    ]);
  });

  it('T8.2: a missing closer is unterminated-construct at the opening pair', () => {
    expect(problemsOf('$Y${abc')).toEqual([['unterminated-construct', 2, 2]]);
    expect(problemsOf('$]url')).toEqual([['unterminated-construct', 0, 2]]);
    expect(problemsOf('$}a,b')).toEqual([['unterminated-construct', 0, 2]]);
    expect(problemsOf('$[i,r,x')).toEqual([['unterminated-construct', 0, 2]]);
    expect(problemsOf('$|t;x')).toEqual([['unterminated-construct', 0, 2]]);
    expect(problemsOf('${a$}b}')).toEqual([
      ['unterminated-construct', 0, 2],
      ['unterminated-construct', 3, 2],
    ]);
  });

  it('T1/T8: a `$` at the end of an unterminated argument is dangling as well', () => {
    expect(problemsOf('${abc$')).toEqual([
      ['unterminated-construct', 0, 2],
      ['dangling-dollar', 5, 1],
    ]);
  });

  it('T8.3: flags and controls inside an argument are warned at each one', () => {
    const { problems } = parseTemplate('$|t;$Ya$C$<|');
    expect(problems.map((p) => [p.severity, p.code, p.offset, p.length])).toEqual([
      ['warning', 'flag-in-argument', 4, 2],
      ['warning', 'flag-in-argument', 7, 2],
      ['warning', 'flag-in-argument', 9, 2],
    ]);
    expect(problemsOf('${$*}')).toEqual([['flag-in-argument', 2, 2]]);
  });

  it('T8.3: quotes, substitutions, modifiers and conditions inside an argument are not warned', () => {
    expect(problemsOf('${$$Y$0$=$1$_$\\$^$:a$?5?$ }', 2)).toEqual([]);
  });

  it('T8.3: `$+` inside an argument gets only unsupported-metachar', () => {
    expect(problemsOf('${$+}')).toEqual([['unsupported-metachar', 2, 2]]);
  });

  it('T3: missing captures are found inside arguments too', () => {
    expect(problemsOf('${a$|t;$5|}', 1)).toEqual([['missing-capture', 7, 2]]);
  });
});

describe('sequence numbers (T11)', () => {
  const sequence = (text: string) => clean(text).find((node) => node.kind === 'sequence');

  it('E58: `$0-$#/var/seq|16|4#`', () => {
    expect(clean('$0-$#/var/seq|16|4#', 1)).toEqual([
      capture(0, 0),
      literal('-', 2),
      { kind: 'sequence', file: '/var/seq', radix: 16, width: 4, modulus: null, offset: 3, length: 16 },
    ]);
  });

  it('E58: negative radix, modulus, and the defaults', () => {
    expect(sequence('$#/var/seq|-16|4#')).toMatchObject({ radix: -16, width: 4, modulus: null });
    expect(sequence('$#/var/seq|10|3|7#')).toMatchObject({ radix: 10, width: 3, modulus: 7 });
    expect(sequence('$#/var/seq|36#')).toMatchObject({ radix: 36, width: 0, modulus: null });
    expect(sequence('$#/var/seq#')).toMatchObject({ file: '/var/seq', radix: 10, width: 0, modulus: null });
  });

  it('T11: the file is read literally', () => {
    expect(sequence('$#/tmp/$Y]x#')).toMatchObject({ file: '/tmp/$Y]x' });
  });

  it.each([
    ['$#f|1#', 4, 1],
    ['$#f|37#', 4, 2],
    ['$#f|-1#', 4, 2],
    ['$#f|ten#', 4, 3],
    ['$#f||4#', 3, 1],
    ['$#f|10|-1#', 7, 2],
    ['$#f|10|x#', 7, 1],
    ['$#f|10|0|0#', 9, 1],
    ['$#f|10|0|7|9#', 9, 3],
    ['$#f|10|0|#', 8, 1],
  ])('T11: %s is bad-number at the offending field', (text, offset, length) => {
    expect(problemsOf(text)).toEqual([['bad-number', offset, length]]);
  });

  it('T11: a missing closing `#` is unterminated-construct at `$#`', () => {
    expect(problemsOf('x$#/var/seq|16')).toEqual([['unterminated-construct', 1, 2]]);
  });
});

describe('severities (F16)', () => {
  it.each([
    ['a$', 'dangling-dollar', 'error'],
    ['$|t|', 'bad-construct-header', 'error'],
    ['${k', 'unterminated-construct', 'error'],
    ['$?x?', 'bad-number', 'error'],
    ['$1', 'missing-capture', 'warning'],
    ['$%', 'suspicious-flag', 'warning'],
    ['${$N}', 'flag-in-argument', 'warning'],
    ['$+', 'unsupported-metachar', 'warning'],
  ])('%s reports %s as %s', (text, code, severity) => {
    expect(parseTemplate(text, { captureCount: 1 }).problems).toEqual([expect.objectContaining({ code, severity })]);
  });
});
