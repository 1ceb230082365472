// Issue 16: for random pairs of small tables, whenever a large random sample of probes finds an input
// the two versions map differently, `diffMappings` must report at least one difference — it finds its
// probes from the patterns, the sample does not help it. The fraction found is printed (target: all).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TupleError } from '../../src/access/schemas.js';
import { diffMappings } from '../../src/diff/index.js';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import { parseMappings } from '../../src/syntax/index.js';

/** Pattern items over a small alphabet, so that random entries overlap often (M2 order matters). */
const ITEMS = ['a', 'b', 'ab', '|', '*', '%', '$[ab]*', '$A*', '$(10.0.0.0/30)', '$(10.0.0.2/31)'];
const TEMPLATES = ['$Y', '$N', 'x', 'y$Y', '$0', 'a$N', '$Nz', '$D1|$N'];
/** Pieces of the probe sample: every literal of ITEMS, address boundaries, and characters no pattern names. */
const PIECES = ['a', 'b', 'A', 'B', 'c', '|', '1', '', '10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '9.255.255.255'];
const SAMPLE_SIZE = 400;

const pattern = fc.array(fc.constantFrom(...ITEMS), { minLength: 1, maxLength: 4 }).map((items) => items.join(''));
const entry = fc.record({ pattern, template: fc.constantFrom(...TEMPLATES) });
const table = fc.array(entry, { minLength: 1, maxLength: 6 });

/** One edit of a table: swap two entries, replace a pattern or a template, delete or insert an entry. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('pattern' as const), at: fc.nat(), pattern }),
  fc.record({ kind: fc.constant('template' as const), at: fc.nat(), template: fc.constantFrom(...TEMPLATES) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), entry }),
);
type Entry = { pattern: string; template: string };
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applied(entries: readonly Entry[], edits: readonly Edit[]): Entry[] {
  const result = [...entries];
  for (const change of edits) {
    const at = change.at % Math.max(1, result.length);
    if (change.kind === 'swap' && result.length > 1) {
      const to = change.to % result.length;
      [result[at], result[to]] = [result[to]!, result[at]!];
    } else if (change.kind === 'pattern' && result.length > 0) result[at] = { ...result[at]!, pattern: change.pattern };
    else if (change.kind === 'template' && result.length > 0) result[at] = { ...result[at]!, template: change.template };
    else if (change.kind === 'delete' && result.length > 1) result.splice(at, 1);
    else if (change.kind === 'insert') result.splice(at, 0, change.entry);
  }
  return result;
}

const text = (entries: readonly Entry[]) => `T\n${entries.map((e) => `  ${e.pattern}  ${e.template}`).join('\n')}\n`;
const probe = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((pieces) => pieces.join(''));

function mapsDifferently(before: MappingSet, after: MappingSet, input: string): boolean {
  const [a, b] = [before.mapSync('T', input), after.mapSync('T', input)];
  return a.matched !== b.matched || a.output !== b.output || a.flags.join() !== b.flags.join() || a.error?.code !== b.error?.code;
}

const tally = { differing: 0, found: 0, pairs: 0 };

describe('diff finds the differences a random probe sample finds', () => {
  afterAll(() => {
    console.log(`imsmap diff property: ${tally.found}/${tally.differing} differing pairs reported (${tally.pairs} pairs tried)`);
  });

  it('reports at least one difference whenever the sample finds one', () => {
    fc.assert(
      fc.property(table, fc.array(edit, { minLength: 1, maxLength: 2 }), fc.array(probe, { minLength: SAMPLE_SIZE, maxLength: SAMPLE_SIZE }), (entries, edits, sample) => {
        const [oldParsed, newParsed] = [parseMappings(text(entries)), parseMappings(text(applied(entries, edits)))];
        const [before, after] = [compile(oldParsed), compile(newParsed)];
        tally.pairs += 1;
        const witness = sample.find((input) => mapsDifferently(before, after, input));
        if (witness === undefined) return;
        tally.differing += 1;
        const report = diffMappings(oldParsed, newParsed);
        if (report instanceof TupleError) throw report;
        const reported = report.differences.some((difference) => difference.kind === 'mapping');
        if (reported) tally.found += 1;
        expect(reported, `sample probe ${JSON.stringify(witness)} maps differently:\n${text(entries)}---\n${text(applied(entries, edits))}---\n${JSON.stringify(report)}`).toBe(true);
      }),
      // A fixed seed keeps CI reproducible; longer random runs are for measuring the fraction by hand.
      { numRuns: 500, seed: 16 },
    );
  }, 120_000);
});
