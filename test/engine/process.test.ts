// The mapping process (format.md M1–M11) beyond the examples: every failure point of T12 under M3,
// $L passes, the loop counter, the step cap, matcher budget errors and the result shape.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/engine/compile.js';
import { InvalidCompileOptionsError } from '../../src/engine/options.js';
import { memorySequence } from '../../src/engine/providers.js';
import { parseMappings } from '../../src/syntax/index.js';
import { mappings, matched, noMatch, outcome, stepEntries } from './helpers.js';

describe('M3 — each failure point of T12, with and without a control in force', () => {
  // Each failing construct is placed after `$C` in FAILC (the scan moves on) and alone in FAILE (the
  // mapping ends with the step's input).
  const failing: Array<[string, string]> = [
    ['$:A', 'input flag A is not set'],
    ['$;B', 'input flag B is set'],
    ['$?50?', 'lost its draw'],
    ['$|NOPE;$0|', 'table NOPE is not defined'],
    ['$|NOY;$0|', 'has no Y flag'],
    ['${missing}', 'key is missing'],
    ['$]ldap:///o=x[', 'no URL provider'],
    ['$}example.com,mailHost{', 'no domain provider'],
    ['$[lib,absent,$0]', 'routine absent is not registered'],
    ['$[lib,refuse,$0]', 'the routine failed'],
    ['$#/seq/none#', 'sequence file is missing'],
  ];
  const options = {
    random: () => 0.75,
    routines: { refuse: () => false as const },
    providers: { sequence: memorySequence({}) },
  };

  it.each(failing)('%s after $C: skipped, the next entry applies', (construct, reason) => {
    const set = mappings(['FAILC', '', `  *  $Yfirst$C${construct}`, '  *  $Nsecond', 'NOY', '', '  *  $N'], options);
    const result = set.mapSync('FAILC', 'in', { flags: 'B' });
    expect(outcome(result)).toEqual(matched('second', ['N']));
    expect(result.trace[0]).toMatchObject({ outcome: 'failed-continue', control: 'C', before: 'in', after: 'in' });
    expect(result.trace[0].reason).toContain(reason);
  });

  it.each(failing)('%s with no control: the mapping ends with the input', (construct, reason) => {
    const set = mappings(['FAILE', '', `  *  $Yfirst${construct}`, '  *  $Nsecond', 'NOY', '', '  *  $N'], options);
    const result = set.mapSync('FAILE', 'in', { flags: 'B' });
    expect(outcome(result)).toEqual(matched('in'));
    expect(stepEntries(result)).toEqual([1]);
    expect(result.trace[0]).toMatchObject({ outcome: 'failed-end', control: 'E' });
    expect(result.trace[0].reason).toContain(reason);
  });

  it('$L or $R in force also skip the entry, without arranging a pass or counting a restart', () => {
    for (const control of ['$L', '$R']) {
      const set = mappings(['T', '', `  *  x${control}$:A`, '  *  done$C']);
      const result = set.mapSync('T', 'in');
      expect(outcome(result)).toEqual(matched('done'));
      expect(result.trace.map((step) => step.outcome)).toEqual(['failed-continue', 'applied']);
    }
  });

  it('a failure later in the scan ends with the output of the earlier $C step', () => {
    const set = mappings(['T', '', '  *  $0.one$C$G', '  *.one  $:Z', '  *  never']);
    const result = set.mapSync('T', 'in');
    expect(outcome(result)).toEqual(matched('in.one', ['G']));
    expect(result.entry?.index).toBe(1);
  });

  it('the failure is at its position: a control after it does not count', () => {
    const set = mappings(['T', '', '  *  $:A$C', '  *  second']);
    expect(outcome(set.mapSync('T', 'in'))).toEqual(matched('in'));
  });
});

describe('M4/M5 — $C and $L at the end of the table', () => {
  it('$C then no further match: current string and flags', () => {
    const set = mappings(['T', '', '  a*  b$0$C$Y', '  a*  never']);
    expect(outcome(set.mapSync('T', 'ax'))).toEqual(matched('bx', ['Y']));
  });

  it('a later $C cancels a pending $L pass', () => {
    const set = mappings(['T', '', '  b*  again', '  a*  b$0$L', '  b*  c$0$C']);
    const result = set.mapSync('T', 'ax');
    expect(stepEntries(result)).toEqual([2, 3]);
    expect(outcome(result)).toEqual(matched('cx'));
  });

  it('a later $L keeps the pass pending', () => {
    const set = mappings(['T', '', '  c*  end$0', '  a*  b$0$L', '  b*  c$0$L']);
    const result = set.mapSync('T', 'ax');
    expect(stepEntries(result)).toEqual([2, 3, 1]);
    expect(outcome(result)).toEqual(matched('endx'));
  });

  it('a skipped entry does not cancel a pending $L pass', () => {
    const set = mappings(['T', '', '  b*  found', '  a*  b$0$L', '  b*  $C$:Z']);
    const result = set.mapSync('T', 'ax');
    expect(stepEntries(result)).toEqual([2, 3, 1]);
    expect(outcome(result)).toEqual(matched('found'));
  });

  it('the extra pass starts at entry 1', () => {
    const set = mappings(['T', '', '  zz*  never', '  b*  c$0', '  a*  b$0$L']);
    const result = set.mapSync('T', 'ax');
    expect(stepEntries(result)).toEqual([3, 2]);
    expect(outcome(result)).toEqual(matched('cx'));
  });
});

describe('M6 — loop limit', () => {
  it('$L passes count: the eleventh pass over a string that does not shrink is refused', () => {
    const set = mappings(['T', '', '  *  $0$L']);
    const result = set.mapSync('T', 'abc');
    expect(result.trace).toHaveLength(11);
    expect(result.trace[10].outcome).toBe('loop-limit');
    expect(result.trace.slice(0, 10).every((step) => step.outcome === 'applied')).toBe(true);
    expect(outcome(result)).toEqual(matched('abc'));
  });

  it('a shorter string resets the counter', () => {
    const set = mappings(['T', '', '  %*  $1$R']);
    const result = set.mapSync('T', 'abcdefghijklmnopqrstuvwxyz');
    expect(result.trace).toHaveLength(26);
    expect(result.trace.every((step) => step.outcome === 'applied')).toBe(true);
    expect(outcome(result)).toEqual(matched(''));
  });

  it('$C never counts', () => {
    const lines = ['T', '', ...Array.from({ length: 30 }, () => '  *  $0$C')];
    const result = mappings(lines).mapSync('T', 'same');
    expect(result.trace).toHaveLength(30);
    expect(outcome(result)).toEqual(matched('same'));
  });

  it('lengths are compared in code points (P2)', () => {
    // Each restart swaps `aa` for one astral character: as long in UTF-16, one code point shorter.
    const set = mappings(['T', '', '  *aa*  $0😀$1$R']);
    const result = set.mapSync('T', 'a'.repeat(24));
    expect(result.trace).toHaveLength(12);
    expect(result.trace.every((step) => step.outcome === 'applied')).toBe(true);
    expect(result.output).toBe('😀'.repeat(12));
  });
});

describe('M7 — hard limits end the call with an error result', () => {
  it('more than 10,000 expansions is StepLimitExceeded; exactly 10,000 is fine', () => {
    const entries = (count: number) => ['T', '', ...Array.from({ length: count }, () => '  *  $0$C$Y')];
    const fine = mappings(entries(10_000)).mapSync('T', 'in');
    expect(fine.error).toBeUndefined();
    expect(fine.trace).toHaveLength(10_000);
    const over = mappings(entries(10_001)).mapSync('T', 'in');
    expect(over.error?.code).toBe('StepLimitExceeded');
    expect(over).toMatchObject({ output: 'in', flags: [], matched: true });
    expect(over.trace).toHaveLength(10_000);
  });

  it('nested steps count towards the same limit', () => {
    const set = mappings(['OUT', '', '  *  $C$|IN;$0|', '  *  $C$|IN;$0|', 'IN', '', '  *  $0$C', '  *  $0$Y'], {
      stepLimit: 5,
    });
    const result = set.mapSync('OUT', 'x');
    expect(result.error?.code).toBe('StepLimitExceeded');
    expect(result.trace.map((step) => step.depth)).toEqual([0, 1, 1, 0, 1]);
  });

  it('a back-match search over its budget is MatchBudgetExceeded', () => {
    const set = mappings(['T', '', '  *$0**y*  hit', '  *  $Y'], { backmatchBudget: 50 });
    const result = set.mapSync('T', 'a'.repeat(40));
    expect(result.error?.code).toBe('MatchBudgetExceeded');
    expect(result).toMatchObject({ matched: false, output: 'a'.repeat(40), flags: [], trace: [] });
  });

  it('a budget error inside a nested call ends the top-level call', () => {
    const set = mappings(['OUT', '', '  *  $C$|IN;$0|$Y', '  *  fallback', 'IN', '', '  *$0**y*  hit'], {
      backmatchBudget: 50,
    });
    const result = set.mapSync('OUT', 'a'.repeat(40));
    expect(result.error?.code).toBe('MatchBudgetExceeded');
    expect(result).toMatchObject({ matched: true, output: 'a'.repeat(40), flags: [] });
  });
});

describe('M1 — call and result', () => {
  const set = mappings(['Access', '', '  a*  $Y$0', '  b*  $N', '', 'EMPTY', '']);

  it('an undefined table is an UnknownTable error result', () => {
    const result = set.mapSync('nope', 'x', { flags: 'ba' });
    expect(result).toEqual({
      table: 'NOPE',
      input: 'x',
      inputFlags: 'AB',
      matched: false,
      output: 'x',
      flags: [],
      trace: [],
      error: { code: 'UnknownTable', message: 'table NOPE is not defined' },
    });
  });

  it('carries the table, normalised input flags and the producing entry', () => {
    const result = set.mapSync('access', 'ax', { flags: 'tAa' });
    expect(result).toMatchObject({ table: 'ACCESS', input: 'ax', inputFlags: 'AT', output: 'x', flags: ['Y'] });
    expect(result.entry).toEqual({ table: 'ACCESS', index: 1, file: 'mappings', line: 3 });
    expect(result.trace).toEqual([
      { entry: result.entry, depth: 0, before: 'ax', after: 'x', control: 'E', outcome: 'applied' },
    ]);
  });

  it('an empty table matches nothing', () => {
    expect(outcome(set.mapSync('EMPTY', 'x'))).toEqual(noMatch('x'));
  });

  it('exposes table names, has() and entries()', () => {
    expect(set.tables).toEqual(['ACCESS', 'EMPTY']);
    expect(set.has('access')).toBe(true);
    expect(set.has('other')).toBe(false);
    expect(set.entries('Access')?.map((entry) => entry.pattern)).toEqual(['a*', 'b*']);
    expect(set.entries('other')).toBeUndefined();
  });

  it('explain records skipped entries, captures and substitutions', () => {
    const explained = mappings(['T', '', '  x*  no', '  *@*  $1$C', '  *.com  $|ID;$0|', 'ID', '', '  *  $0$Y']);
    const result = explained.mapSync('T', 'joe@example.com', { explain: true });
    expect(result.trace[0]).toMatchObject({
      entry: { index: 2 },
      pattern: '*@*',
      template: '$1$C',
      captures: ['joe', 'example.com'],
      substitutions: ['$1 = "example.com"'],
      skipped: [{ entry: { table: 'T', index: 1, file: 'mappings', line: 3 }, reason: 'pattern does not match' }],
    });
    expect(result.trace[1]).toMatchObject({
      entry: { index: 3 },
      substitutions: ['$0 = "example"', '$|ID;example| = "example"'],
      skipped: [],
    });
    expect(result.output).toBe('example');
  });

  it('without explain the trace has no detail fields', () => {
    const step = set.mapSync('ACCESS', 'ax').trace[0];
    expect(Object.keys(step).sort()).toEqual(['after', 'before', 'control', 'depth', 'entry', 'outcome']);
  });
});

describe('M11 — determinism', () => {
  it('the same random source gives the same result and trace', () => {
    const draws = () => {
      let seed = 1;
      return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    };
    const lines = ['T', '', '  *  $C$?50?$0a$R', '  *  $0'];
    const first = mappings(lines, { random: draws() }).mapSync('T', 'x');
    const second = mappings(lines, { random: draws() }).mapSync('T', 'x');
    expect(second).toEqual(first);
  });
});

describe('compile options are validated (zod)', () => {
  const parsed = parseMappings('T\n  *  x\n', { file: 'mappings' });
  it.each([
    [{ stepLimit: 0 }],
    [{ backmatchBudget: 1.5 }],
    [{ random: 3 }],
    [{ routines: { check: 'no' } }],
    [{ providers: { ldap: () => null } }],
    [{ unknown: true }],
  ])('%j is rejected', (options) => {
    expect(() => compile(parsed, options as never)).toThrow(InvalidCompileOptionsError);
  });
});
