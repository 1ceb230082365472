// format.md P11 (worked matches) and examples.md E19–E38 at the matcher level: pattern texts as
// the spec writes them, parsed by parsePattern, expected captures as the cases state them.
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/compile/index.js';
import type { PatternItem } from '../../src/syntax/ast.js';
import { parsePattern } from '../../src/syntax/pattern/index.js';
import { referenceMatch } from './reference-matcher.js';

/** Parses a pattern text that must have no errors. */
function itemsOf(text: string): PatternItem[] {
  const { items, problems } = parsePattern(text);
  expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  return items;
}

/** Matches through compilePattern and checks the reference agrees, so each row also tests it. */
function run(text: string, input: string): string[] | null {
  const items = itemsOf(text);
  const captures = compilePattern(items).match(input);
  expect(referenceMatch(items, input)).toEqual(captures);
  return captures;
}

describe('P11 worked matches', () => {
  it.each([
    ['*.*', 'a.b.c', ['a.b', 'c']],
    ['$_*.*', 'a.b.c', ['a', 'b.c']],
    ['*.$_*', 'a.b.c', ['a.b', 'c']],
    ['*@*', 'a@b@c', ['a@b', 'c']],
    ['%*', 'abc', ['a', 'bc']],
    ['$D*$D*', '12345', ['12345', '']],
    ['$_$D*$D*', '12345', ['', '12345']],
    ['$D*%*', '12ab', ['12', 'a', 'b']],
    ['$@*@*', 'user@host', []],
    ['$@*@$^*', 'user@host', ['host']],
    ['*|$0*', 'abc|ABC', ['abc']],
    ['a%c', 'ABC', ['B']],
    ['$[ax1]*@*.example.com', 'xx11a@sys1.example.com', ['xx11a', 'sys1']],
    ['$[ax1]*@*.example.com', '12a@node.example.com', null],
    ['$(10.0.0.0/8)*', '10.1.2.3abc', null],
  ] as const)('%s on %s', (text, input, expected) => {
    expect(run(text, input)).toEqual(expected);
  });
});

describe('E19–E38 at the matcher level', () => {
  it('E19: a quoted % is a literal, so the two stars are $0 and $1; captures keep their case', () => {
    expect(run('PSI$%*::*', 'PSI%1234::USER')).toEqual(['1234', 'USER']);
    expect(run('PSI$%*::*', 'PSIABC::DEF')).toBeNull();
    expect(run('PSI$%*::*', 'PSI%A::B')).toEqual(['A', 'B']);
  });

  it('E20: the test -match transcript', () => {
    expect(run('$[ax1]*@*.example.com', 'xx11a@sys1.example.com')).toEqual(['xx11a', 'sys1']);
    expect(run('$[ax1]*@*.example.com', '12a@node.example.com')).toBeNull();
    expect(run('$[ax1]*@*.example.com', '1xa@node.example.com')).toEqual(['1xa', 'node']);
  });

  it('E21: greedy and lazy stars around a dot', () => {
    expect(run('*.*', 'a.b.c')).toEqual(['a.b', 'c']);
    expect(run('$_*.*', 'a.b.c')).toEqual(['a', 'b.c']);
    expect(run('*.$_*', 'a.b.c')).toEqual(['a.b', 'c']);
    expect(run('$_*.$_*', 'a.b.c')).toEqual(['a', 'b.c']);
  });

  it('E22: repeated separators', () => {
    expect(run('*@*', 'a@b@c')).toEqual(['a@b', 'c']);
    expect(run('$_*@*', 'a@b@c')).toEqual(['a', 'b@c']);
  });

  it('E23: % is numbered and needs a character', () => {
    expect(run('%*', 'abc')).toEqual(['a', 'bc']);
    expect(run('%*', '')).toBeNull();
  });

  it('E24: globs, greedy and lazy', () => {
    expect(run('$D*$D*', '12345')).toEqual(['12345', '']);
    expect(run('$_$D*$D*', '12345')).toEqual(['', '12345']);
    expect(run('$D*%*', '12ab')).toEqual(['12', 'a', 'b']);
  });

  it('E25: saving off and on', () => {
    expect(run('$@*@*', 'user@host')).toEqual([]);
    expect(run('$@*@$^*', 'user@host')).toEqual(['host']);
  });

  it('E26: a back-match compares case-blind', () => {
    expect(run('*|$0*', 'abc|ABC')).toEqual(['abc']);
    expect(run('*|$0*', 'abc|abd')).toBeNull();
  });

  it('E27: quoted characters are literals', () => {
    expect(run('a$*b$%c$$d', 'a*b%c$d')).toEqual([]);
    expect(run('a$*b$%c$$d', 'axb%c$d')).toBeNull();
    expect(run('Hello$ *', 'hello world')).toEqual(['world']);
    expect(run('Hello$ *', 'helloworld')).toBeNull();
  });

  it.each([
    ['$A*$D*', 'abc123', ['abc', '123']],
    ['$H*', 'DEADbeef', ['DEADbeef']],
    ['$X*', '0xff', null],
    ['$O*', '178', null],
    ['$S*', 'a_$1', ['a_$1']],
    ['$B%$B%', '10', ['1', '0']],
    ['a$T%b', 'a b', [' ']],
    ['$d*', '123', ['123']],
  ] as const)('E28: glob %s on %s', (text, input, expected) => {
    expect(run(text, input)).toEqual(expected);
  });

  it('E29: character sets with ranges, no negation, case-blind membership', () => {
    expect(run('$[a-c\\-]*', 'ab-c')).toEqual(['ab-c']);
    expect(run('$[a-c\\-]*', 'abd')).toBeNull();
    expect(run('$[^x]%', '^')).toEqual(['^']);
    expect(run('$[^x]%', 'y')).toBeNull();
    expect(run('$[A-C]%', 'b')).toEqual(['b']);
  });

  it('E30: case-blind literals, anchored at both ends', () => {
    expect(run('Tcp_Local|*', 'TCP_LOCAL|X')).toEqual(['X']);
    expect(run('abc', 'abcd')).toBeNull();
    expect(run('abc', 'ABC')).toEqual([]);
  });

  it('E31: more than ten saved items are all captured', () => {
    expect(run('*|*|*|*|*|*|*|*|*|*|*', 'a|b|c|d|e|f|g|h|i|j|k')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });

  it('E33: the hostile pattern answers no match (through both matchers)', () => {
    expect(compilePattern(itemsOf('*a*a*a*a*a*b')).match('a'.repeat(200))).toBeNull();
    // The same search through the general matcher: a one-character glob at the end defeats the
    // literal-and-star shape and the trailing-literal reject.
    const general = compilePattern(itemsOf('*a*a*a*a*a*$D%'));
    expect(general.match('a'.repeat(4096))).toBeNull();
    expect(general.match(`${'a'.repeat(4096)}7`)).toEqual(['a'.repeat(4091), '', '', '', '', '', '7']);
  });

  it('E34: a prefix with host bits set matches the whole /24', () => {
    expect(run('$(192.45.67.89/24)', '192.45.67.1')).toEqual(['192.45.67.1']);
    expect(run('$(192.45.67.89/24)', '192.45.68.1')).toBeNull();
    expect(run('127.0.0.1', '127.0.0.1')).toEqual([]);
    expect(run('$(123.45.67.89/24)', '123.45.67.12')).toEqual(['123.45.67.12']);
  });

  it('E35: ignore-bits and prefix forms', () => {
    for (const last of [4, 5, 6, 7]) expect(run('$<123.45.67.4/2>', `123.45.67.${last}`)).toEqual([`123.45.67.${last}`]);
    expect(run('$<123.45.67.4/2>', '123.45.67.8')).toBeNull();
    expect(run('$<123.45.67.0/8>', '123.45.67.255')).toEqual(['123.45.67.255']);
    expect(run('$<123.45.67.0/8>', '123.45.68.0')).toBeNull();
    expect(run('$(123.45.67.0/24)', '123.45.67.200')).toEqual(['123.45.67.200']);
    expect(run('$(123.45.67.0/24)', '123.45.68.1')).toBeNull();
  });

  it('E36: an IP construct inside a probe', () => {
    const text = 'TCP|*|25|$(192.168.1.0/24)|*';
    expect(run(text, 'TCP|10.0.0.1|25|192.168.1.77|40000')).toEqual(['10.0.0.1', '192.168.1.77', '40000']);
    expect(run(text, 'TCP|10.0.0.1|25|192.168.2.77|40000')).toBeNull();
  });

  it('E37: IPv6 and IPv4-mapped addresses; the capture is the run as written', () => {
    expect(run('$(2001:db8::/32)', '2001:DB8::1')).toEqual(['2001:DB8::1']);
    expect(run('${2001:db8::/32}', '2001:db8:0:0::5')).toEqual(['2001:db8:0:0::5']);
    expect(run('$(10.0.0.0/8)', '::ffff:10.1.2.3')).toEqual(['::ffff:10.1.2.3']);
    expect(run('$(::ffff:10.0.0.0/104)', '10.1.2.3')).toEqual(['10.1.2.3']);
  });

  it('E38: strict address parsing', () => {
    expect(run('$(10.0.0.0/8)', '010.1.2.3')).toBeNull();
    expect(run('$(10.0.0.0/8)', '10.1.2')).toBeNull();
    expect(run('$(10.0.0.0/8)', 'mail.example')).toBeNull();
    expect(run('$(10.0.0.0/8)*', '10.1.2.3abc')).toBeNull();
  });
});
