// format.md M12: every string a call builds is at most 65,536 characters (an option); a longer one ends
// the call with the evaluation error OutputLimitExceeded, tested before the string is made. Issue 11
// item 3: a doubling template used to throw `Invalid string length` out of mapSync and rcptTo.
import { describe, expect, it } from 'vitest';
import { decided, policyFor, SERVER } from '../access/helpers.js';
import { mappings } from '../engine/helpers.js';

const BOOM = `*@boom.example  ${'$0'.repeat(16)}@boom.example$R`;

describe('M12 — a template that doubles its input on every restart', () => {
  const set = mappings(['T', '', `  ${BOOM}`]);

  it('mapSync answers OutputLimitExceeded with the input as output and no flags, never throws', () => {
    const result = set.mapSync('T', 'x@boom.example');
    expect(result.error?.code).toBe('OutputLimitExceeded');
    expect(result.error?.message).toMatch(/65536 characters \(M12\)/);
    expect(result.output).toBe('x@boom.example');
    expect(result.flags).toEqual([]);
  });

  it('map answers the same', async () => {
    expect((await set.map('T', 'x@boom.example')).error?.code).toBe('OutputLimitExceeded');
  });

  it('keeps no oversized string in the trace', () => {
    const longest = Math.max(...set.mapSync('T', 'x@boom.example').trace.map((step) => step.after.length));
    expect(longest).toBeLessThanOrEqual(65_536);
  });
});

describe('M12 — the limit is exact and an option', () => {
  const set = mappings(['T', '', '  *  $0$0'], { outputLimit: 10 });

  it('a string of exactly the limit is built', () => {
    expect(set.mapSync('T', 'abcde')).toMatchObject({ matched: true, output: 'abcdeabcde' });
  });

  it('one character more is refused', () => {
    expect(set.mapSync('T', 'abcdef').error?.code).toBe('OutputLimitExceeded');
  });

  it('a capture longer than the limit is refused before case conversion and quoting copy it', () => {
    const quoting = mappings(['T', '', '  *  $=$U$0'], { outputLimit: 10 });
    expect(quoting.mapSync('T', 'a'.repeat(11)).error?.code).toBe('OutputLimitExceeded');
    expect(quoting.mapSync('T', '**')).toMatchObject({ output: '\\2a\\2a' });
  });

  it('LDAP quoting that lengthens past the limit is refused', () => {
    const quoting = mappings(['T', '', '  *  $=$0'], { outputLimit: 10 });
    expect(quoting.mapSync('T', '****').error?.code).toBe('OutputLimitExceeded');
  });

  it('a non-positive limit is a malformed option', () => {
    expect(() => mappings(['T', '', '  *  $0'], { outputLimit: 0 })).toThrow(/outputLimit/);
  });
});

describe('M12 — nested calls: arguments and results are built strings too', () => {
  // A fan of four nested calls per level, ten levels deep, each argument one character longer.
  const names = 'ABCDEFGHIJ';
  const lines = [...names].flatMap((name, level) => {
    const next = names[level + 1];
    const template = next ? `$|${next};$0x|`.repeat(4) : '';
    return [name, '', `  *  ${template}$Y`, ''];
  });
  const set = mappings(lines);

  it('a 100k probe ends with OutputLimitExceeded at the first argument', () => {
    const result = set.mapSync('A', 'x'.repeat(100_000));
    expect(result.error?.code).toBe('OutputLimitExceeded');
    expect(result.trace.length).toBe(1);
  });

  it('a probe below the limit runs into the step limit with every string bounded', () => {
    const result = set.mapSync('A', 'x'.repeat(1_000));
    expect(result.error?.code).toBe('StepLimitExceeded');
    expect(Math.max(...result.trace.map((step) => step.before.length))).toBeLessThanOrEqual(65_536);
  });

  it('nested results concatenated past the limit are refused', () => {
    const doubling = mappings(['A', '', '  *  $|B;$0|$|B;$0|$Y', '', 'B', '', '  *  $0$0$0$0$Y'], { outputLimit: 100 });
    expect(doubling.mapSync('A', 'x'.repeat(13)).error?.code).toBe('OutputLimitExceeded');
    expect(doubling.mapSync('A', 'x'.repeat(12)).output).toBe('x'.repeat(96));
  });
});

describe('M12 through an access decision (A29)', () => {
  const policy = policyFor(['ORIG_SEND_ACCESS', '', `  *  ${'$0'.repeat(16)}$R`].join('\n') + '\n');

  it('rcptTo answers a temporary rejection, never throws', () => {
    const decision = decided(
      policy.rcptTo({ ...SERVER, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@ext.example', to: 'x@boom.example' }),
    );
    expect(decision).toMatchObject({ action: 'reject', temporary: true, reply: { code: 451, enhanced: '4.3.0' } });
    expect(decision.results.find((result) => result.table === 'ORIG_SEND_ACCESS')?.mapping?.error?.code).toBe(
      'OutputLimitExceeded',
    );
  });
});
