// Conformance cases of examples.md, section 2 (patterns through the engine) and section 3 (templates
// and the mapping process), plus E13. Each case is parsed with parseMappings, compiled and mapped.
import { describe, expect, it } from 'vitest';
import { createGeneralDatabase, memorySequence } from '../../src/engine/providers.js';
import { parseMappings } from '../../src/syntax/index.js';
import { mappings, matched, noMatch, outcome, stepEntries } from './helpers.js';

/** A one-entry table `T` with the given pattern and template. */
function oneEntry(pattern: string, template: string) {
  return mappings(['T', '', `  ${pattern}  ${template}`]);
}

describe('E13 — table names are case-insensitive (F4, T9, M3)', () => {
  const set = mappings(['outer', '', '  *  $C$|inner;$0|$E', '  *  no', '', 'Inner', '', '  a*  $Yyes']);

  it('defines OUTER and INNER, reachable in any case', () => {
    expect(set.tables).toEqual(['OUTER', 'INNER']);
    expect(outcome(set.mapSync('outer', 'abc'))).toEqual(outcome(set.mapSync('OUTER', 'abc')));
  });

  it('abc: the inner output is inserted, its Y is not propagated', () => {
    expect(outcome(set.mapSync('outer', 'abc'))).toEqual(matched('yes'));
  });

  it('xyz: the inner table does not match, the lookup fails after $C, entry 2 applies', () => {
    expect(outcome(set.mapSync('outer', 'xyz'))).toEqual(matched('no'));
  });
});

describe('E19 — $n numbering with a quoted % (P3, P4, T3)', () => {
  const set = mappings(['EXAMPLE', '', '  PSI$%*::*    $1@$0.psi.siroe.com']);
  it.each([
    ['PSI%1234::USER', matched('USER@1234.psi.siroe.com')],
    ['PSIABC::DEF', noMatch('PSIABC::DEF')],
    ['PSI%A::B', matched('B@A.psi.siroe.com')],
  ])('%s', (probe, expected) => {
    expect(outcome(set.mapSync('EXAMPLE', probe))).toEqual(expected);
  });
});

describe('E21 — greedy and lazy * (P6, P10)', () => {
  const set = mappings(['G1', '', '  *.*  $0|$1', 'G2', '', '  $_*.*  $0|$1', 'G3', '', '  *.$_*  $0|$1', 'G4', '', '  $_*.$_*  $0|$1']);
  it.each([
    ['G1', 'a.b|c'],
    ['G2', 'a|b.c'],
    ['G3', 'a.b|c'],
    ['G4', 'a|b.c'],
  ])('%s on a.b.c → %s', (table, output) => {
    expect(outcome(set.mapSync(table, 'a.b.c'))).toEqual(matched(output));
  });
});

describe('E22 — greedy with repeated separators (P10)', () => {
  const set = mappings(['AT', '', '  *@*  $0|$1', '', 'AT_LAZY', '', '  $_*@*  $0|$1']);
  it('AT and AT_LAZY on a@b@c', () => {
    expect(set.mapSync('AT', 'a@b@c').output).toBe('a@b|c');
    expect(set.mapSync('AT_LAZY', 'a@b@c').output).toBe('a|b@c');
  });
});

describe('E23 — % is numbered (P3, P4)', () => {
  const set = mappings(['ONE', '', '  %*  $0|$1']);
  it('abc → a|bc; the empty probe does not match', () => {
    expect(outcome(set.mapSync('ONE', 'abc'))).toEqual(matched('a|bc'));
    expect(outcome(set.mapSync('ONE', ''))).toEqual(noMatch(''));
  });
});

describe('E24 — globs, greedy and lazy (P3, P6, P10)', () => {
  const set = mappings(['D1', '', '  $D*$D*  [$0|$1]', 'D2', '', '  $_$D*$D*  [$0|$1]', 'D3', '', '  $D*%*  $0|$1|$2']);
  it('D1, D2 on 12345 and D3 on 12ab', () => {
    expect(set.mapSync('D1', '12345').output).toBe('[12345|]');
    expect(set.mapSync('D2', '12345').output).toBe('[|12345]');
    expect(set.mapSync('D3', '12ab').output).toBe('12|a|b');
  });
});

describe('E25 — saving off and on (P4, P6, T3)', () => {
  const set = mappings(['S1', '', '  $@*@*  [$0]', 'S2', '', '  $@*@$^*  [$0]']);
  it('S1 has no saved item, S2 saves the host', () => {
    expect(outcome(set.mapSync('S1', 'user@host'))).toEqual(matched('[]'));
    expect(outcome(set.mapSync('S2', 'user@host'))).toEqual(matched('[host]'));
  });
});

describe('E26 — back-match (P8)', () => {
  const set = mappings(['B', '', '  *|$0*  $0']);
  it('abc|ABC matches case-blind; abc|abd does not', () => {
    expect(outcome(set.mapSync('B', 'abc|ABC'))).toEqual(matched('abc'));
    expect(outcome(set.mapSync('B', 'abc|abd'))).toEqual(noMatch('abc|abd'));
  });
});

describe('E27 — quoted characters (P3, F8)', () => {
  const set = mappings(['Q1', '', '  a$*b$%c$$d  ok', '', 'Q2', '', '  Hello$ *  $0']);
  it('Q1 and Q2', () => {
    expect(outcome(set.mapSync('Q1', 'a*b%c$d'))).toEqual(matched('ok'));
    expect(outcome(set.mapSync('Q1', 'axb%c$d'))).toEqual(noMatch('axb%c$d'));
    expect(outcome(set.mapSync('Q2', 'hello world'))).toEqual(matched('world'));
    expect(outcome(set.mapSync('Q2', 'helloworld'))).toEqual(noMatch('helloworld'));
  });
});

describe('E28 — glob classes (P3)', () => {
  it.each([
    ['$A*$D*', '[$0|$1]', 'abc123', '[abc|123]'],
    ['$H*', '[$0]', 'DEADbeef', '[DEADbeef]'],
    ['$X*', '[$0]', '0xff', null],
    ['$O*', '[$0]', '178', null],
    ['$S*', '[$0]', 'a_$1', '[a_$1]'],
    ['$B%$B%', '[$0|$1]', '10', '[1|0]'],
    ['a$T%b', '[$0]', 'a b', '[ ]'],
    ['$d*', '[$0]', '123', '[123]'],
  ])('%s on %s', (pattern, template, probe, output) => {
    const result = outcome(oneEntry(pattern, template).mapSync('T', probe));
    expect(result).toEqual(output === null ? noMatch(probe) : matched(output));
  });
});

describe('E29 — character sets (P5)', () => {
  it.each([
    ['$[a-c\\-]*', 'ab-c', '[ab-c]'],
    ['$[a-c\\-]*', 'abd', null],
    ['$[^x]%', '^', '[^]'],
    ['$[^x]%', 'y', null],
    ['$[A-C]%', 'b', '[b]'],
  ])('%s on %s', (pattern, probe, output) => {
    const result = outcome(oneEntry(pattern, '[$0]').mapSync('T', probe));
    expect(result).toEqual(output === null ? noMatch(probe) : matched(output));
  });

  it('$[]% is a parse error and its entry is skipped', () => {
    const parsed = parseMappings('T\n\n  $[]%  [$0]\n', { file: 'mappings' });
    expect(parsed.diagnostics.some((d) => d.severity === 'error' && d.code === 'bad-glob')).toBe(true);
    expect(parsed.tables[0].entries).toEqual([]);
  });
});

describe('E30 — case-blind literals and anchoring (P1)', () => {
  const set = mappings(['C1', '', '  Tcp_Local|*  $0', '', 'C2', '', '  abc  whole']);
  it('C1 and C2', () => {
    expect(outcome(set.mapSync('C1', 'TCP_LOCAL|X'))).toEqual(matched('X'));
    expect(outcome(set.mapSync('C2', 'abcd'))).toEqual(noMatch('abcd'));
    expect(outcome(set.mapSync('C2', 'ABC'))).toEqual(matched('whole'));
  });
});

describe('E31 — more than ten saved items (P4, T3)', () => {
  it('$10 is $1 followed by 0', () => {
    const set = mappings(['ELEVEN', '', '  *|*|*|*|*|*|*|*|*|*|*  $9|$10']);
    expect(outcome(set.mapSync('ELEVEN', 'a|b|c|d|e|f|g|h|i|j|k'))).toEqual(matched('j|b0'));
  });
});

describe('E32 — an undefined $ in a pattern (P7)', () => {
  it('is an error at line 3 column 4 and the entry is skipped', () => {
    const parsed = parseMappings('T\n\n  *$Y\n', { file: 'mappings' });
    const error = parsed.diagnostics.find((d) => d.severity === 'error');
    expect(error).toMatchObject({ code: 'undefined-pattern-escape', line: 3, column: 4 });
    expect(parsed.tables[0].entries).toEqual([]);
  });
});

describe('E33 — hostile pattern (P12)', () => {
  it('200 a characters: no match, and the call completes', () => {
    const probe = 'a'.repeat(200);
    expect(outcome(oneEntry('*a*a*a*a*a*b', 'hit').mapSync('T', probe))).toEqual(noMatch(probe));
  });
});

describe('E34 — IP prefix with host bits set, and a /24 table (P9)', () => {
  const lines = ['INTERNAL_IP', '', '  $(192.45.67.89/24)  $Y', '  127.0.0.1  $Y', '  *  $N'];
  it('192.45.67.1 is inside, 192.45.68.1 is not', () => {
    const set = mappings(lines);
    expect(outcome(set.mapSync('INTERNAL_IP', '192.45.67.1'))).toEqual(matched('', ['Y']));
    expect(outcome(set.mapSync('INTERNAL_IP', '192.45.68.1'))).toEqual(matched('', ['N']));
  });

  it('$(123.45.67.89/24) takes the whole class C', () => {
    const set = mappings(['INTERNAL_IP', '', '  $(123.45.67.89/24)  $Y', '  127.0.0.1  $Y', '  *  $N']);
    expect(set.mapSync('INTERNAL_IP', '123.45.67.12').flags).toEqual(['Y']);
  });
});

describe('E35 — ignore-bits and prefix forms (P9)', () => {
  it.each([
    ['$<123.45.67.4/2>', ['123.45.67.4', '123.45.67.5', '123.45.67.6', '123.45.67.7'], ['123.45.67.8']],
    ['$<123.45.67.0/8>', ['123.45.67.255'], ['123.45.68.0']],
    ['$(123.45.67.0/24)', ['123.45.67.200'], ['123.45.68.1']],
  ])('%s', (pattern, inside, outside) => {
    const set = oneEntry(pattern, 'in');
    for (const probe of inside) expect(outcome(set.mapSync('T', probe))).toEqual(matched('in'));
    for (const probe of outside) expect(outcome(set.mapSync('T', probe))).toEqual(noMatch(probe));
  });
});

describe('E36 — an IP construct inside a probe (P4, P9)', () => {
  const set = mappings(['PORTS', '', '  TCP|*|25|$(192.168.1.0/24)|*  $0$ $1$ $2']);
  it('captures the address as the middle item', () => {
    expect(outcome(set.mapSync('PORTS', 'TCP|10.0.0.1|25|192.168.1.77|40000'))).toEqual(matched('10.0.0.1 192.168.1.77 40000'));
    const outside = 'TCP|10.0.0.1|25|192.168.2.77|40000';
    expect(outcome(set.mapSync('PORTS', outside))).toEqual(noMatch(outside));
  });
});

describe('E37 — IPv6 and IPv4-mapped addresses (P9)', () => {
  it.each([
    ['$(2001:db8::/32)', '2001:DB8::1'],
    ['${2001:db8::/32}', '2001:db8:0:0::5'],
    ['$(10.0.0.0/8)', '::ffff:10.1.2.3'],
    ['$(::ffff:10.0.0.0/104)', '10.1.2.3'],
  ])('%s on %s captures the address as written', (pattern, probe) => {
    expect(outcome(oneEntry(pattern, '[$0]').mapSync('T', probe))).toEqual(matched(`[${probe}]`));
  });
});

describe('E38 — strict address parsing (P9)', () => {
  it.each([
    ['$(10.0.0.0/8)', '010.1.2.3'],
    ['$(10.0.0.0/8)', '10.1.2'],
    ['$(10.0.0.0/8)', 'mail.example'],
    ['$(10.0.0.0/8)*', '10.1.2.3abc'],
  ])('%s on %s does not match', (pattern, probe) => {
    expect(outcome(oneEntry(pattern, 'in').mapSync('T', probe))).toEqual(noMatch(probe));
  });
});

describe('E39 — allow-list before a block (P1, M2)', () => {
  const set = mappings([
    'SEND_ACCESS',
    '',
    ' *|Elvis1@sesta.com|*|*      $Y',
    ' *|Nelson7@sesta.com|*|*     $Y',
    ' *|AkiraK@sesta.com|*|*      $Y',
    ' *|*@sesta.com|*|*           $NMail$ Blocked',
  ]);
  it.each([
    ['tcp_local|Elvis1@sesta.com|l|x@y', matched('', ['Y'])],
    ['tcp_local|elvis1@SESTA.COM|l|x@y', matched('', ['Y'])],
    ['tcp_local|bob@sesta.com|l|x@y', matched('Mail Blocked', ['N'])],
    ['tcp_local|bob@other.com|l|x@y', noMatch('tcp_local|bob@other.com|l|x@y')],
  ])('%s', (probe, expected) => {
    expect(outcome(set.mapSync('SEND_ACCESS', probe))).toEqual(expected);
  });
});

describe('E40 — flag arguments may be written anywhere (T7, M9)', () => {
  it.each([
    '$N$D30|Relaying$ not$ allowed',
    '30|Relaying$ not$ allowed$D$N',
    '$N30|Relaying$ not$ allowed$D',
    '30|$N$DRelaying$ not$ allowed',
  ])('template %s gives identical results', (template) => {
    const set = mappings(['ORIG_SEND_ACCESS', '', `  tcp_local|*|tcp_local|*     ${template}`]);
    const result = set.mapSync('ORIG_SEND_ACCESS', 'tcp_local|a@ext.example|tcp_local|b@other.example');
    expect(outcome(result)).toEqual(matched('30|Relaying not allowed', ['D', 'N']));
  });
});

describe('E41 — REVERSE, general (T3, T7)', () => {
  const set = mappings(['REVERSE', '', '   *@*.siroe.com        $0@siroe.com$Y$D']);
  it.each([
    ['joe@host1.siroe.com', matched('joe@siroe.com', ['D', 'Y'])],
    ['JOE@HOST1.SIROE.COM', matched('JOE@siroe.com', ['D', 'Y'])],
    ['joe@siroe.com', noMatch('joe@siroe.com')],
  ])('%s', (probe, expected) => {
    expect(outcome(set.mapSync('REVERSE', probe))).toEqual(expected);
  });
});

describe('E42 — REVERSE, channel-specific (T7)', () => {
  const set = mappings(['REVERSE', '', '   tcp_*|tcp_local|binky@macho.siroe.com    $D$YRebecca.Woods@siroe.com']);
  it('matches the channel pair only', () => {
    expect(outcome(set.mapSync('REVERSE', 'tcp_intranet|tcp_local|binky@macho.siroe.com'))).toEqual(
      matched('Rebecca.Woods@siroe.com', ['D', 'Y']),
    );
    const other = 'l|tcp_local|binky@macho.siroe.com';
    expect(outcome(set.mapSync('REVERSE', other))).toEqual(noMatch(other));
  });
});

describe('E43 — quotes and quoted spaces in both columns (P2, F8, T1)', () => {
  it('keeps the quoted space in the pattern and the template', () => {
    const set = mappings(['REVERSE', '', '  *|mr_local|"*,$ *"@am.sigurd.example.com  $Y"$1,$ $2"@am.sigurd.example.com']);
    const result = set.mapSync('REVERSE', 'x|mr_local|"Doe, John"@am.sigurd.example.com', { explain: true });
    expect(result.trace[0].captures).toEqual(['x', 'Doe', 'John']);
    expect(outcome(result)).toEqual(matched('"Doe, John"@am.sigurd.example.com', ['Y']));
  });
});

describe('E44 — iterative filter with $R (F8, P10, M2, M4, M6)', () => {
  const set = mappings([
    'SMS_TEXT',
    '',
    '   H|From:*        H|F:$0$R$Y',
    '   H|Subject:*     H|S:$0$R$Y',
    '   H|F:*<*>*       H|F:$1$R$Y',
    '   H|F:*(*)*       H|F:$0$2$R$Y',
    '   H|F:*"*"*       H|F:$0$2$R$Y',
    '   H|F:*@*         H|F:$0$R$Y',
    '   H|%:$ *         H|$0:$1$R$Y',
    '   H|%:*$          H|$0:$1$R$Y',
    '   H|%:*$ $ *      H|$0:$1$ $2$R$Y',
    '   B|*--*          B|$0-$1$R',
    '   B|*..*          B|$0.$1$R',
    '   B|*!!*          B|$0!$1$R',
    '   B|*??*          B|$0?$1$R',
    '   B|*$ $ *        B|$0$ $1$R',
    '   B|$ *           B|$0$R',
    '   B|*$            B|$0$R',
  ]);

  it('a From: header is reduced to the local part', () => {
    const result = set.mapSync('SMS_TEXT', 'H|From: "John C. Doe" <jdoe@siroe.com> (Hello)');
    expect(stepEntries(result)).toEqual([1, 3, 6]);
    expect(result.trace.map((step) => step.after)).toEqual([
      'H|F: "John C. Doe" <jdoe@siroe.com> (Hello)',
      'H|F:jdoe@siroe.com',
      'H|F:jdoe',
    ]);
    expect(outcome(result)).toEqual(matched('H|F:jdoe', ['Y']));
  });

  it('a body with runs of spaces', () => {
    const result = set.mapSync('SMS_TEXT', 'B|  a  b  ');
    expect(stepEntries(result)).toEqual([14, 14, 14, 15, 16]);
    expect(result.trace.map((step) => step.after)).toEqual(['B|  a  b ', 'B|  a b ', 'B| a b ', 'B|a b ', 'B|a b']);
    expect(outcome(result)).toEqual(matched('B|a b'));
  });

  it('a body with repeated punctuation', () => {
    const result = set.mapSync('SMS_TEXT', 'B|Hi!!!  --  ok..');
    expect(stepEntries(result)).toEqual([10, 11, 12, 12, 14, 14]);
    expect(outcome(result)).toEqual(matched('B|Hi! - ok.'));
  });

  it('a Subject: header with spaces', () => {
    const result = set.mapSync('SMS_TEXT', 'H|Subject:   Hello   world  ');
    expect(stepEntries(result)).toEqual([2, 7, 7, 7, 8, 8, 9, 9]);
    expect(outcome(result)).toEqual(matched('H|S:Hello world', ['Y']));
    expect(result.trace.every((step) => step.outcome === 'applied')).toBe(true);
  });
});

describe('E45 — $C and then the end of the table (M2, M4, M8)', () => {
  it('ends with the current string and the flags collected', () => {
    const set = mappings(['CT', '', '  *@*  $1$C$Y', '  zzz  no']);
    expect(outcome(set.mapSync('CT', 'joe@example.com'))).toEqual(matched('example.com', ['Y']));
  });
});

describe('E46–E49 — failures (T9, M3, M8)', () => {
  it('E46: a failure without a control ends the mapping with the input and no flags', () => {
    const set = mappings(['F1', '', '  *@*  $Y$|NOPE;$1|x', '  *    $Ncatch']);
    const result = set.mapSync('F1', 'joe@example.com');
    expect(outcome(result)).toEqual(matched('joe@example.com'));
    expect(stepEntries(result)).toEqual([1]);
    expect(result.trace[0]).toMatchObject({ outcome: 'failed-end', control: 'E' });
    expect(result.entry).toBeUndefined();
  });

  it('E47: a failure after $C moves on', () => {
    const set = mappings(['F2', '', '  *@*  $C$Y$|NOPE;$1|x', '  *    $Ncatch']);
    const result = set.mapSync('F2', 'joe@example.com');
    expect(outcome(result)).toEqual(matched('catch', ['N']));
    expect(result.trace.map((step) => step.outcome)).toEqual(['failed-continue', 'applied']);
    expect(result.entry).toMatchObject({ table: 'F2', index: 2, line: 4 });
  });

  it('E48: the control in force at the failure decides', () => {
    const set = mappings(['F3', '', '  *@*  $C$E$|NOPE;$1|x', '  *    $Ncatch']);
    expect(outcome(set.mapSync('F3', 'joe@example.com'))).toEqual(matched('joe@example.com'));
  });

  it('E49: flags of earlier entries survive a failure', () => {
    const set = mappings(['F4', '', '  *@*    $1$C$G', '  *.com  $Y$|NOPE;x|', '  *      $Ncatch']);
    const result = set.mapSync('F4', 'joe@example.com');
    expect(outcome(result)).toEqual(matched('example.com', ['G']));
    expect(result.entry?.index).toBe(1);
  });
});

describe('E50 — the last control wins (T5)', () => {
  it('$C…$E ends', () => {
    const set = mappings(['LAST', '', '  *  $Cone$E', '  *  two']);
    expect(outcome(set.mapSync('LAST', 'z'))).toEqual(matched('one'));
  });
});

describe('E51 — $L and its extra pass (M5)', () => {
  const set = mappings(['L1', '', '  b*  x$0$E', '  a*  b$0$L', '', 'L2', '', '  a*  b$0$L', '  c*  d$0$E']);
  it('L1: the extra pass finds entry 1', () => {
    const result = set.mapSync('L1', 'aq');
    expect(stepEntries(result)).toEqual([2, 1]);
    expect(outcome(result)).toEqual(matched('xq'));
  });

  it('L2: the extra pass finds nothing', () => {
    const result = set.mapSync('L2', 'aq');
    expect(stepEntries(result)).toEqual([1]);
    expect(outcome(result)).toEqual(matched('bq'));
  });
});

describe('E52 — the loop limit (M6)', () => {
  const set = mappings(['GROW', '', '  *  $0x$R', '', 'SAME', '', '  *  $0$R$Y']);
  it('GROW: the 11th restart exceeds 10 and acts as $E', () => {
    const result = set.mapSync('GROW', 'a');
    expect(outcome(result)).toEqual(matched('a' + 'x'.repeat(11)));
    expect(result.trace).toHaveLength(11);
    expect(result.trace[10].outcome).toBe('loop-limit');
    expect(result.trace.slice(0, 10).every((step) => step.outcome === 'applied')).toBe(true);
  });

  it('SAME: 11 expansions, output unchanged, Y kept', () => {
    const result = set.mapSync('SAME', 'abc');
    expect(result.trace).toHaveLength(11);
    expect(outcome(result)).toEqual(matched('abc', ['Y']));
  });
});

describe('E53 — nested mapping (T9, M3)', () => {
  const set = mappings([
    'OUTER',
    '',
    '  *|*  $C$|KNOWN;$1|$Y$E',
    '  *|*  $NUnknown$ user$ $1',
    '',
    'KNOWN',
    '',
    '  alice  ok$Y$D',
    '  bob    $N',
    '  *      $N',
  ]);
  it.each([
    ['web|alice', matched('ok', ['Y'])],
    ['web|bob', matched('Unknown user bob', ['N'])],
    ['web|carol', matched('Unknown user carol', ['N'])],
  ])('%s', (probe, expected) => {
    expect(outcome(set.mapSync('OUTER', probe))).toEqual(expected);
  });

  it('records the nested steps at depth 1', () => {
    const result = set.mapSync('OUTER', 'web|alice');
    expect(result.trace.map((step) => [step.entry.table, step.entry.index, step.depth])).toEqual([
      ['OUTER', 1, 0],
      ['KNOWN', 1, 1],
    ]);
  });
});

describe('E54 — inner output and flags (T4, T9)', () => {
  it('the inner output is inserted, neither Y nor G reaches the outer result', () => {
    const set = mappings(['OUT2', '', '  *  [$|IN2;$0|]$E', '', 'IN2', '', '  *  $^$0$Y$G']);
    expect(outcome(set.mapSync('OUT2', 'abc'))).toEqual(matched('[ABC]'));
  });
});

describe('E55 — nesting depth limit (T9, M3)', () => {
  it('the eleventh nested call is refused and every level fails in turn', () => {
    const set = mappings(['DEEP', '', '  *  $|DEEP;$0|$Y']);
    const result = set.mapSync('DEEP', 'x');
    expect(outcome(result)).toEqual(matched('x'));
    expect(result.error).toBeUndefined();
    expect(result.trace.map((step) => step.depth)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.trace.every((step) => step.outcome === 'failed-end')).toBe(true);
    expect(result.trace[10].reason).toMatch(/nesting deeper than 10 levels/);
    expect(result.trace[9].reason).toMatch(/no Y flag/);
  });
});

describe('E56 — site routines (T4, T8, T10, M3)', () => {
  const lines = ['RT', '', '  *|*  $C$[/opt/lib/site.so,check,$0,$$N$ x,$=$1$_]$E', '  *|*  $Nfallback'];
  const received: string[] = [];
  const check = (argument: string): string | null => {
    received.push(argument);
    if (argument.startsWith('ok,')) return '$Y';
    if (argument.startsWith('busy,')) return '$X4.2.1|$NBusy$ $1';
    return null;
  };
  const set = mappings(lines, { routines: { check } });

  it.each([
    ['ok|a*b', 'ok,$N x,a\\2ab', matched('', ['Y'])],
    ['busy|(x)', 'busy,$N x,\\28x\\29', matched('4.2.1|Busy (x)', ['N', 'X'])],
    ['no|y', 'no,$N x,y', matched('fallback', ['N'])],
  ])('%s', (probe, argument, expected) => {
    received.length = 0;
    expect(outcome(set.mapSync('RT', probe))).toEqual(expected);
    expect(received).toEqual([argument]);
  });

  it('with no routine registered every probe falls back', () => {
    const bare = mappings(lines);
    for (const probe of ['ok|a*b', 'busy|(x)', 'no|y']) {
      const result = bare.mapSync('RT', probe);
      expect(outcome(result)).toEqual(matched('fallback', ['N']));
      expect(result.trace[0].reason).toMatch(/routine check is not registered/);
    }
  });
});

describe('E57 — general-database values are templates (T8, T11)', () => {
  const database = createGeneralDatabase({
    'SEND|adam@siroe.com': '$Y',
    'SEND|norman@siroe.com': '$NInternet$ access$ not$ permitted',
  });
  const set = mappings(['ORIG_SEND_ACCESS', '', '  *|*|tcp_local|*  $C${SEND|$1}$E'], { providers: { database } });
  it.each([
    ['tcp_intranet|adam@siroe.com|tcp_local|x@example.org', matched('', ['Y'])],
    ['tcp_intranet|Norman@Siroe.com|tcp_local|x@example.org', matched('Internet access not permitted', ['N'])],
    ['tcp_intranet|zed@siroe.com|tcp_local|x@example.org', matched('tcp_intranet|zed@siroe.com|tcp_local|x@example.org')],
  ])('%s', (probe, expected) => {
    expect(outcome(set.mapSync('ORIG_SEND_ACCESS', probe))).toEqual(expected);
  });
});

describe('E58 — sequence numbers (T11)', () => {
  function sequenceTable(template: string, start: Record<string, number>) {
    const sequence = memorySequence(start);
    return { set: mappings(['SQ', '', `  *  ${template}`], { providers: { sequence } }), sequence };
  }

  it('increments, then writes base 16 in 4 digits', () => {
    const { set, sequence } = sequenceTable('$0-$#/var/seq|16|4#', { '/var/seq': 41 });
    expect(outcome(set.mapSync('SQ', 'file'))).toEqual(matched('file-002A'));
    expect(sequence.counters.get('/var/seq')).toBe(42);
  });

  it.each([
    ['$#/var/seq|-16|4#', 41, '002a'],
    ['$#/var/seq|10|3|7#', 41, '000'],
    ['$#/var/seq|36#', 35, '10'],
  ])('%s with the file at %i → %s', (template, start, output) => {
    const { set } = sequenceTable(template, { '/var/seq': start });
    expect(outcome(set.mapSync('SQ', 'file'))).toEqual(matched(output));
  });

  it('a missing file fails the entry with no control', () => {
    const { set } = sequenceTable('$0-$#/var/seq|16|4#', {});
    expect(outcome(set.mapSync('SQ', 'file'))).toEqual(matched('file'));
  });
});

describe('E59 — $?x? with an injected random source (T6, M11)', () => {
  const lines = ['RND', '', '  *  $C$?25?$Ysampled$E', '  *  $Nnot$ sampled'];
  it.each([
    [0.1, matched('sampled', ['Y'])],
    [0.3, matched('not sampled', ['N'])],
  ])('random() = %d', (draw, expected) => {
    const set = mappings(lines, { random: () => draw });
    expect(outcome(set.mapSync('RND', 'x'))).toEqual(expected);
  });
});

describe('E60 — $:x with the $C … $E idiom (T6, M3)', () => {
  const set = mappings(['FT', '', '  *|*|*|*  $C$:A$Y$E', '  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed']);
  const probe = 'tcp_local|a@x|tcp_local|b@y';
  it('with input flag A', () => {
    expect(outcome(set.mapSync('FT', probe, { flags: 'A' }))).toEqual(matched('', ['Y']));
  });
  it('without input flags', () => {
    expect(outcome(set.mapSync('FT', probe))).toEqual(matched('Relaying not allowed', ['N']));
  });
});

describe('E61 — a flag test without $C ends the mapping (T6, M3)', () => {
  const set = mappings(['FT2', '', '  *  $:T$Ytls', '  *  $Nplain']);
  it('no input flags: the input, entry 2 never tried', () => {
    const result = set.mapSync('FT2', 'x');
    expect(outcome(result)).toEqual(matched('x'));
    expect(stepEntries(result)).toEqual([1]);
    expect(result.trace[0].reason).toBe('input flag T is not set');
  });
  it('input flags {T} and {t}', () => {
    expect(outcome(set.mapSync('FT2', 'x', { flags: 'T' }))).toEqual(matched('tls', ['Y']));
    const lower = set.mapSync('FT2', 'x', { flags: 't' });
    expect(outcome(lower)).toEqual(matched('tls', ['Y']));
    expect(lower.inputFlags).toBe('T');
  });
});

describe('E62–E65 — modifiers, quoting, flags, unsupported sequences (T3, T4, T7, T13)', () => {
  it('E62: case modifiers', () => {
    const set = mappings(['CS', '', '  *@*  $\\$0@$^$1$_.Org']);
    expect(outcome(set.mapSync('CS', 'John.Doe@Example.COM'))).toEqual(matched('john.doe@EXAMPLE.COM.Org'));
  });

  it('E63: LDAP quoting', () => {
    const set = mappings(['LD', '', '  *  (mail=$=$0$_)*']);
    expect(outcome(set.mapSync('LD', 'a*b(c)\\d'))).toEqual(matched('(mail=a\\2ab\\28c\\29\\5cd)*'));
  });

  it('E64: flag letters are upper-cased, non-letter flags kept, ascending code order', () => {
    const set = mappings(['LC', '', '  *  $y$nText$<log']);
    expect(outcome(set.mapSync('LC', 'x'))).toEqual(matched('Textlog', ['<', 'N', 'Y']));
  });

  it('E65: $1A is $1 then A; a missing capture is empty', () => {
    const set = mappings(['NA', '', '  *@*  $1A$0X', '', 'MS', '', '  abc  [$3]']);
    expect(outcome(set.mapSync('NA', 'u@h'))).toEqual(matched('hAuX'));
    expect(outcome(set.mapSync('MS', 'ABC'))).toEqual(matched('[]'));
  });
});
