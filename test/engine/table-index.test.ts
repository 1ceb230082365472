// Issue 5: tables are mapped through their index by default. These cases pin down what the index must
// keep from M2's linear scan: first match in file order across every kind of key, continuation from
// the next entry (M2's "index(e) >= i"), captures (P1 case, P9 as written), budget errors in entry
// order (P12, M7), and the option that forces the scan.
import { describe, expect, it } from 'vitest';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import { InvalidCompileOptionsError } from '../../src/engine/options.js';
import { CompiledEntry } from '../../src/engine/entry.js';
import { TableIndex } from '../../src/engine/table-index/index.js';
import { parseMappings } from '../../src/syntax/index.js';
import { mappings, matched, noMatch, outcome, stepEntries } from './helpers.js';

/** The same lines compiled with the index and with the linear scan; asserts they agree on every probe given. */
function both(lines: readonly string[]): { indexed: MappingSet; check: (table: string, input: string, flags?: string) => ReturnType<MappingSet['mapSync']> } {
  const parsed = parseMappings(lines.join('\n') + '\n', { file: 'mappings', readInclude: () => null });
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const indexed = compile(parsed);
  const linear = compile(parsed, { linearScan: true });
  return {
    indexed,
    check(table, input, flags = '') {
      const result = indexed.mapSync(table, input, { flags });
      expect(result).toEqual(linear.mapSync(table, input, { flags }));
      return result;
    },
  };
}

describe('first match in file order across kinds of key', () => {
  const { check } = both([
    'T',
    '  10.1.2.3  literal',
    '  $(10.0.0.0/8)  subnet$0',
    '  TCP|*|25|$(192.168.1.0/24)|*  port$1',
    '  tcp|*  head$0',
    '  *@example.com  tail$0',
    '  *|user7@*|*  token',
    '  *  catchall',
    '  tcp|$(192.168.1.0/24)  never',
  ]);

  it.each([
    ['10.1.2.3', 'literal', 1],
    ['10.9.9.9', 'subnet10.9.9.9', 2],
    ['::FFFF:10.9.9.9', 'subnet::FFFF:10.9.9.9', 2],
    ['TCP|10.0.0.1|25|192.168.1.9|40000', 'port192.168.1.9', 3],
    ['TCP|10.0.0.1|25|192.168.2.9|40000', 'head10.0.0.1|25|192.168.2.9|40000', 4],
    ['TCP|x', 'headx', 4],
    ['Bob@Example.COM', 'tailBob', 5],
    ['a|user7@b|c', 'token', 6],
    ['tcp|192.168.1.9', 'head192.168.1.9', 4],
    ['nothing', 'catchall', 7],
  ])('%s → %s (entry %d)', (input, output, entry) => {
    const result = check('T', input);
    expect(outcome(result)).toEqual(matched(output));
    expect(result.entry?.index).toBe(entry);
  });

  it('an always-checked entry before keyed ones wins', () => {
    const { check: early } = both(['T', '  *  first', '  abc  second']);
    expect(outcome(early('T', 'abc'))).toEqual(matched('first'));
  });

  it('no entry: the probe comes back unchanged', () => {
    const { check: none } = both(['T', '  abc  x', '  $(10.0.0.0/8)  y']);
    expect(outcome(none('T', 'abd'))).toEqual(noMatch('abd'));
    expect(outcome(none('T', '11.0.0.1'))).toEqual(noMatch('11.0.0.1'));
  });
});

describe('continuation resumes after the entry that matched (M2, M3)', () => {
  it('$C: later entries under the same key are found, earlier ones not again', () => {
    const { check } = both(['T', '  a|*  a|$0.1$C', '  b  no', '  a|*  a|$0.2$C', '  a|x.1.2  done']);
    const result = check('T', 'a|x');
    expect(outcome(result)).toEqual(matched('done'));
    expect(stepEntries(result)).toEqual([1, 3, 4]);
  });

  it('a failed entry under $C is skipped and the scan goes on from the next one', () => {
    const { check } = both(['T', '  $(10.0.0.0/8)  $0.x$C$:A', '  $(10.0.0.0/8)  second']);
    expect(outcome(check('T', '10.0.0.1'))).toEqual(matched('second'));
    expect(outcome(check('T', '10.0.0.1', 'A'))).toEqual(matched('10.0.0.1.x'));
  });

  it('$R and $L passes start again from the first entry', () => {
    const { check } = both(['T', '  xx*  done$0', '  *  x$0$R']);
    const restarted = check('T', 'a');
    expect(outcome(restarted)).toEqual(matched('donea'));
    expect(stepEntries(restarted)).toEqual([2, 2, 1]);
    const { check: extra } = both(['T', '  b  c', '  a  b$L']);
    expect(outcome(extra('T', 'a'))).toEqual(matched('c'));
    expect(stepEntries(extra('T', 'a'))).toEqual([2, 1]);
  });
});

describe('P1, P2 and P12 through the index', () => {
  it('keys are case-blind for ASCII only; captures keep the input case', () => {
    const { check } = both(['T', '  É  upper', '  é|*  lower$0', '  MAIL.*  mail$0']);
    expect(outcome(check('T', 'é'))).toEqual(noMatch('é'));
    expect(outcome(check('T', 'É'))).toEqual(matched('upper'));
    expect(outcome(check('T', 'é|ABC'))).toEqual(matched('lowerABC'));
    expect(outcome(check('T', 'mail.EXAMPLE'))).toEqual(matched('mailEXAMPLE'));
  });

  it('a back-match over its budget ends the call in entry order, as the scan does', () => {
    const lines = ['T', '  *a*a*a*a*a*|$0*  never', '  x|*  keyed'];
    const parsed = parseMappings(lines.join('\n') + '\n', { file: 'mappings' });
    const input = `x|${'a'.repeat(60)}`;
    const indexed = compile(parsed, { backmatchBudget: 1000 }).mapSync('T', input);
    expect(indexed.error?.code).toBe('MatchBudgetExceeded');
    expect(indexed).toEqual(compile(parsed, { backmatchBudget: 1000, linearScan: true }).mapSync('T', input));
  });

  it('a repeated token is one key: its entries are tried once each', () => {
    const { check } = both(['T', '  tcp|*|tcp|*  $0.$1$C', '  *  end$0']);
    expect(stepEntries(check('T', 'tcp|a|tcp|b'))).toEqual([1, 2]);
  });
});

describe('explain and the linearScan option', () => {
  it('explain lists every entry passed over, identically with or without the index', () => {
    const lines = ['T', '  abc  one', '  $(10.0.0.0/8)  two', '  x|*  three'];
    const parsed = parseMappings(lines.join('\n') + '\n', { file: 'mappings' });
    const indexed = compile(parsed).mapSync('T', 'x|y', { explain: true });
    expect(indexed.trace[0].skipped?.map((skip) => skip.entry.index)).toEqual([1, 2]);
    expect(indexed).toEqual(compile(parsed, { linearScan: true }).mapSync('T', 'x|y', { explain: true }));
  });

  it('linearScan must be a boolean', () => {
    const parsed = parseMappings('T\n  a  b\n', { file: 'mappings' });
    expect(() => compile(parsed, { linearScan: 'yes' } as never)).toThrow(InvalidCompileOptionsError);
    expect(outcome(compile(parsed, { linearScan: true }).mapSync('T', 'A'))).toEqual(matched('b'));
  });

  it('the default is the index, and it answers like the examples expect', () => {
    const set = mappings(['PORT_ACCESS', '  TCP|*|25|$(192.168.1.0/24)|*  $N', '  *  $Y']);
    expect(outcome(set.mapSync('PORT_ACCESS', 'TCP|10.0.0.1|25|192.168.1.77|40000'))).toEqual(matched('', ['N']));
    expect(outcome(set.mapSync('PORT_ACCESS', 'TCP|10.0.0.1|25|192.168.2.77|40000'))).toEqual(matched('', ['Y']));
  });
});

describe('TableIndex.shape', () => {
  it('counts keys by kind and the entries no key can file', () => {
    const parsed = parseMappings(['T', '  abc  x', '  $(10.0.0.0/8)  x', '  $(10.0.0.0/8)|*  x', '  a|*  x', '  *|b|*  x', '  *  x', '  %*  x'].join('\n') + '\n', { file: 'm' });
    const entries = parsed.tables[0].entries.map((entry) => new CompiledEntry(entry, {}));
    expect(TableIndex.build(entries).shape).toEqual({ entries: 7, textKeys: 3, addressKeys: 2, families: 5, alwaysChecked: 2 });
  });
});

describe('TableIndex.fromStoredState (compiled files)', () => {
  const lines = ['T', '  abc  x', '  $(10.0.0.0/8)  y', '  $(10.0.0.0/8)|*  z', '  a|*  w', '  *  v'];
  const entries = parseMappings(lines.join('\n') + '\n', { file: 'm' }).tables[0].entries.map((entry) => new CompiledEntry(entry, {}));
  const built = TableIndex.build(entries);
  const probes = ['abc', '10.1.2.3', '10.1.2.3|q', 'a|b', 'zzz', '192.0.2.1'];
  const answers = (index: TableIndex) => probes.map((probe) => index.firstMatch(probe, 0)?.position ?? null);

  it('restores a sound state as stored', () => {
    expect(answers(TableIndex.fromStoredState(entries, built.storedState()))).toEqual(answers(built));
  });

  it('rebuilds, rather than trusts, a state whose record tables have no free slot or point outside the entries', () => {
    const full = (records: Int32Array) => records.map((value, at) => (at % 8 === 0 && value === 0 ? 1 : value));
    const state = built.storedState() as Record<string, unknown> & { textRecords: Int32Array; addressRecords: Int32Array; postings: Int32Array };
    // Every slot taken: a probe for an absent key would look for a free slot for ever.
    const noFreeSlot = { ...state, textRecords: full(state.textRecords), addressRecords: full(state.addressRecords) };
    expect(answers(TableIndex.fromStoredState(entries, noFreeSlot))).toEqual(answers(built));
    const outside = { ...state, postings: state.postings.map(() => entries.length + 7) };
    expect(answers(TableIndex.fromStoredState(entries, outside))).toEqual(answers(built));
  });
});
