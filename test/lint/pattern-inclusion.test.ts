// M2 pre-emption: patternCovers must be a proof — true only when every string the later pattern
// matches is matched by the earlier one — checked here against cases and against the real matcher.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/compile/index.js';
import { matchesEverything, patternCovers, patternKey, sampleInput } from '../../src/lint/pattern-inclusion.js';
import { findPreemptions, PAIRWISE_LIMIT } from '../../src/lint/reachability.js';
import { alwaysEnds, mayContinue } from '../../src/lint/templates.js';
import type { Table } from '../../src/syntax/ast.js';
import { parseMappings } from '../../src/syntax/index.js';
import { parsePattern } from '../../src/syntax/pattern/index.js';

const items = (pattern: string) => parsePattern(pattern).items;
const covers = (earlier: string, later: string) => patternCovers(items(earlier), items(later));

describe('patternCovers', () => {
  it.each([
    ['*', 'anything|at|all'],
    ['*', '$(10.0.0.0/8)'],
    ['$@*', '%*%'],
    ['a*', 'ab*'],
    ['*@*.example.com', '*@mail.example.com'],
    ['ABC', 'abc'],
    ['$[a-z]*', '$A*'],
    ['$H*', '$D*'],
    ['*|*', '*|$0*'],
    ['$(192.168.0.0/16)', '$(192.168.10.0/24)'],
    ['$(192.168.0.0/16)', '192.168.10.1'],
    ['$<192.168.0.0/16>', '$(192.168.10.0/24)'],
    ['TCP|*|25|$(10.0.0.0/8)|*', 'TCP|*|25|10.1.2.3|*'],
    ['${2001:db8::/32}', '${2001:db8:1::/48}'],
    ['*a*a*a*a*b', '*a*a*a*a*a*b'],
  ])('%s covers %s', (earlier, later) => {
    expect(covers(earlier, later)).toBe(true);
  });

  it.each([
    ['*a', '*'],
    ['ab*', 'a*'],
    ['$D*', '$H*'],
    ['$D*', '$(10.0.0.0/8)'],
    ['%', '$_*'],
    ['$(10.0.0.0/8)', '10.1.2.3x'],
    ['$(10.0.0.0/8)', '10.1.2.3a'],
    ['$(192.168.10.0/24)', '$(192.168.0.0/16)'],
    ['$(10.0.0.0/8)', '${::ffff:10.0.0.0/104}'],
    ['*|$0*', '*|*'],
    ['tcp_local|*|tcp_local|*', 'tcp_*|*|*|*'],
  ])('%s does not cover %s', (earlier, later) => {
    expect(covers(earlier, later)).toBe(false);
  });

  it('knows a pattern that matches everything', () => {
    expect(matchesEverything(items('*'))).toBe(true);
    expect(matchesEverything(items('$_**'))).toBe(true);
    expect(matchesEverything(items('*%'))).toBe(false);
  });

  it('is never wrong: when it claims coverage, the earlier matcher takes every input the later takes', () => {
    const piece = fc.constantFrom('a', 'b', '.', '*', '%', '$D*', '$A%', '$[ab]*', '1');
    const pattern = fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
    const input = fc.array(fc.constantFrom('a', 'B', 'b', '.', '1', '7', 'z'), { maxLength: 7 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(pattern, pattern, fc.array(input, { minLength: 20, maxLength: 20 }), (earlier, later, inputs) => {
        if (!covers(earlier, later)) return;
        const outer = compilePattern(items(earlier));
        const inner = compilePattern(items(later));
        for (const text of inputs) if (inner.match(text)) expect(outer.match(text)).not.toBeNull();
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * M2 by its definition, the reference the indexed search is held to: every entry against every
 * earlier always-ending entry since the last that may continue, in order.
 */
function preemptionsByScan(table: Table): string[] {
  const found: string[] = [];
  let candidates: Table['entries'] = [];
  for (const entry of table.entries) {
    const key = patternKey(entry.patternItems);
    const by = candidates.find(
      (candidate) =>
        matchesEverything(candidate.patternItems) ||
        patternKey(candidate.patternItems) === key ||
        (!candidate.patternItems.some((item) => item.kind === 'backmatch') &&
          compilePattern(candidate.patternItems).match(sampleInput(entry.patternItems)) !== null &&
          patternCovers(candidate.patternItems, entry.patternItems)),
    );
    if (by) {
      found.push(`${entry.index}<${by.index}`);
      continue;
    }
    if (mayContinue(entry)) candidates = [];
    if (alwaysEnds(entry)) candidates.push(entry);
  }
  return found;
}

function preempted(text: string): string[] {
  const [table] = parseMappings(text).tables;
  return findPreemptions(table!).map(({ entry, by }) => `${entry.index}<${by.index}`);
}

describe('findPreemptions', () => {
  it('an entry that can fail or continue pre-empts nothing', () => {
    for (const template of ['$C$Y', '$L$Y', '$R$Y', '$:A$Y', '$;A$Y', '$?50?$Y', '$|T;x|', '$[img,r,x]', '${k}', '$]u[', '$}d,a{', '$#f#']) {
      expect(preempted(`T\n  *  ${template}\n  a  $N\n`)).toEqual([]);
    }
    expect(preempted('T\n  *  $C$E$Y\n  a  $N\n')).toEqual([]);
    expect(preempted('T\n  *  $E$Y\n  a  $N\n')).toEqual(['2<1']);
  });

  it('an entry between them that continues with a changed string lets the later entry be reached', () => {
    expect(preempted('T\n  a*  $Y\n  b*  a$0$C\n  a*  $N\n')).toEqual([]);
    expect(preempted('T\n  a*  $Y\n  b*  a$0$L\n  a*  $N\n')).toEqual([]);
    expect(preempted('T\n  a*  $Y\n  b*  $[img,r,x]\n  a*  $N\n')).toEqual([]);
    // $R restarts from the top, where the first entry is tried again; a failure leaves the string as
    // it was; and the control in force at the end is the last one written (T5).
    expect(preempted('T\n  a*  $Y\n  b*  a$0$R\n  c*  $C$:X$E\n  d*  $C$|T;$0|$Y$E\n  a*  $N\n')).toEqual(['5<1']);
    // A continuing entry that is itself pre-empted never runs.
    expect(preempted('T\n  *  $Y\n  b*  a$0$C\n  a*  $N\n')).toEqual(['2<1', '3<1']);
  });

  it('names the first entry that covers, and leaves narrower earlier entries alone', () => {
    expect(preempted('T\n  a*  $Y\n  *  $N\n  ab  $N\n  a  $Y\n')).toEqual(['3<1', '4<1']);
  });

  it('finds what trying every earlier entry finds, in every table of the fixtures', () => {
    const fixtures = path.join(import.meta.dirname, '../../fixtures');
    const files = readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.mappings'));
    expect(files.length).toBeGreaterThan(20);
    for (const name of files) {
      for (const table of parseMappings(readFileSync(path.join(fixtures, name))).tables) {
        const indexed = findPreemptions(table).map(({ entry, by }) => `${entry.index}<${by.index}`);
        expect(indexed, `${name} ${table.name}`).toEqual(preemptionsByScan(table));
      }
    }
  });

  it('finds what trying every earlier entry finds, in random tables', () => {
    const piece = fc.constantFrom('a', 'B', '.', '|', '@', '*', '%', '$D*', '$[ab]*', '1', '$0*', 'tcp_local|', '$(10.0.0.0/8)', '$(10.1.0.0/16)', '10.1.2.3', '${::ffff:10.0.0.0/104}');
    const pattern = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    const template = fc.constantFrom('$Y', '$N', '$E$Y', '$C$Y', 'a$0$C', '$:A$Y', '$|T;x|', 'x');
    const entries = fc.array(fc.tuple(pattern, template), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(entries, (pairs) => {
        const [table] = parseMappings(`T\n${pairs.map(([p, t]) => `  ${p}  ${t}`).join('\n')}\n`).tables;
        if (table === undefined) return;
        expect(findPreemptions(table).map(({ entry, by }) => `${entry.index}<${by.index}`)).toEqual(preemptionsByScan(table));
      }),
      { numRuns: 400 },
    );
  });

  it(`checks tables of more than ${PAIRWISE_LIMIT} entries for catch-alls and repeated patterns only`, () => {
    const entries = Array.from({ length: PAIRWISE_LIMIT }, (_, index) => `  user${index}@*  $Y`);
    const text = ['T', '  user7@*  $N', '  USER7@*  $Y', ...entries, '  user8@example.com  $N', '  *  $N', '  z  $Y', ''].join('\n');
    expect(preempted(text)).toEqual([`2<1`, `10<1`, `${PAIRWISE_LIMIT + 5}<${PAIRWISE_LIMIT + 4}`]);
  });
});
