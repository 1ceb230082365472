// Issue 5: the table index must pick exactly the entry the linear scan of M2 picks. Random tables of
// literals, wildcards, globs, sets, IP constructs of both families (P9), back-matches, `$C`/`$L`/`$R`
// chains and nested `$|…|` calls are compiled twice — indexed and with `linearScan` — and random
// probes, most of them built from an entry's own pattern so that they match, must give identical
// MappingResults: output, flags, matched, entry and the whole trace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import { parseMappings } from '../../src/syntax/index.js';

/** One pattern item as written, and texts that fill it in a probe (some deliberately miss). */
interface ItemSpec {
  pattern: string;
  fills: readonly string[];
  saves: boolean;
}

const swapCase = (text: string): string => text.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
const word = (text: string): ItemSpec => ({ pattern: text, fills: [text, swapCase(text)], saves: false });
const saved = (pattern: string, fills: readonly string[]): ItemSpec => ({ pattern, fills, saves: true });

const STAR_FILLS = ['', 'a', 'x|y', 'b@c', 'tcp', '10.1.2.3', 'A', '25', 'é', '|', '@', '1.2.3.4|5', '::ffff:10.1.2.3'];

const ITEMS: readonly ItemSpec[] = [
  word('a'),
  word('tcp'),
  word('TCP'),
  word('x.y'),
  word('25'),
  word('é'),
  word('b1'),
  word('10.1.2.3'),
  saved('*', STAR_FILLS),
  saved('$_*', STAR_FILLS),
  { pattern: '$@*$^', fills: STAR_FILLS, saves: false },
  saved('%', ['a', '|', '@', '1', 'É']),
  saved('$D*', ['', '7', '25', '10']),
  saved('$A%', ['q', 'Z', '1']),
  saved('$H*', ['f0', '', 'A1']),
  saved('$_$S*', ['a_1', '$', '']),
  saved('$[a-c]*', ['', 'ab', 'C', 'd']),
  saved('$[.|]%', ['.', '|', '@']),
  saved('$[é1]*', ['é1', '', 'É']),
  saved('$(10.0.0.0/8)', ['10.1.2.3', '::ffff:10.9.9.9', '11.1.1.1', '010.1.2.3']),
  saved('$(10.1.2.3)', ['10.1.2.3', '10.1.2.4', '::FFFF:10.1.2.3']),
  saved('$<10.1.2.4/2>', ['10.1.2.5', '10.1.2.8']),
  saved('${2001:db8::/32}', ['2001:db8::1', '2001:DB8:0:0:0:0:0:7', '2001:db9::1']),
  saved('${::ffff:10.0.0.0/104}', ['10.2.3.4', '::ffff:10.2.3.4', '::ffff:0a02:0304', '9.1.1.1']),
  saved('$(0.0.0.0/0)', ['1.2.3.4', '::1', '::ffff:1.2.3.4']),
  saved('${::/0}', ['::1', '1.2.3.4', 'fe80::1']),
  saved('$(192.168.1.0/24)', ['192.168.1.77', '192.168.2.1']),
  saved('${10.0.0.0/8}', ['10.0.0.1', '::ffff:10.0.0.1']),
  { pattern: '$@$(10.0.0.0/8)$^', fills: ['10.0.0.9', '12.0.0.1'], saves: false },
];

const BACKMATCH: ItemSpec = { pattern: '$0*', fills: ['a', 'tcp', ''], saves: false };
const SEPARATORS = ['|', '|', '|', '@', ''];

/** A pattern as fields of items joined by separators, remembered so probes can be built from it. */
interface PatternSpec {
  parts: Array<ItemSpec | string>;
}

const itemChoice = fc.nat(ITEMS.length - 1);
const patternSpec: fc.Arbitrary<PatternSpec> = fc.oneof(
  // Whole-pattern shapes the index decides by key alone: one literal, one IP construct.
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 3, 4, 7, 19, 20, 22, 23, 24, 28).map((choice) => ({ parts: [ITEMS[choice]] })) },
  // A literal and one star (greedy, lazy or unsaved), before or after it: decided by a head or tail key.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(0, 1, 2, 3, 4, 5, 7), fc.constantFrom(8, 9, 10), fc.constantFrom('', '|', '@'), fc.boolean())
      .map(([literal, star, separator, head]) => ({ parts: head ? [ITEMS[literal], separator, ITEMS[star]] : [ITEMS[star], separator, ITEMS[literal]] })),
  },
  // Catch-alls, so that `$C`/`$L`/`$R` chains and nested calls find further entries.
  { weight: 1, arbitrary: fc.constantFrom<PatternSpec>({ parts: [ITEMS[8]] }, { parts: [ITEMS[8], '|', ITEMS[9]] }, { parts: [ITEMS[11], ITEMS[8]] }) },
  {
    weight: 5,
    arbitrary: fc
      .array(fc.tuple(fc.array(itemChoice, { minLength: 1, maxLength: 2 }), fc.nat(SEPARATORS.length - 1), fc.nat(9)), { minLength: 1, maxLength: 4 })
      .map((fields) => {
        const parts: Array<ItemSpec | string> = [];
        let savedBefore = false;
        fields.forEach(([items, separator, backmatch], index) => {
          if (index > 0 && SEPARATORS[separator] !== '') parts.push(SEPARATORS[separator]);
          for (const choice of items) {
            // A back-match needs a saved item before it (P8).
            const item = backmatch === 0 && savedBefore ? BACKMATCH : ITEMS[choice];
            savedBefore ||= item.saves;
            parts.push(item);
          }
        });
        return { parts };
      }),
  },
);

const patternText = (spec: PatternSpec): string => spec.parts.map((part) => (typeof part === 'string' ? part : part.pattern)).join('');

const TEMPLATE_PIECES = ['ok', 'x', '$0', '$1', '$Y', '$N', '$D', '$C', '$0$C', '$0$L', '$L', '$R', '$E', '$:A', '$;B', '$|AUX;$0|', '$|AUX;x$1|', '.', '|', '10.1.2.3'];
const template = fc.array(fc.constantFrom(...TEMPLATE_PIECES), { maxLength: 4 }).map((pieces) => pieces.join(''));
const AUX_PIECES = ['$Y', '$Y', '$0', 'z', '$C', '$|MAIN;$0|', '$N'];
const auxPattern = fc.oneof(patternSpec, fc.constant<PatternSpec>({ parts: [ITEMS[8]] }));
const auxTemplate = fc.array(fc.constantFrom(...AUX_PIECES), { maxLength: 3 }).map((pieces) => pieces.join(''));

const tables = fc.record({
  main: fc.array(fc.tuple(patternSpec, template), { minLength: 1, maxLength: 30 }),
  aux: fc.array(fc.tuple(auxPattern, auxTemplate), { minLength: 1, maxLength: 4 }),
});

/** A probe: built from one MAIN entry's pattern with the given fill choices, or free text. */
const probe = fc.oneof(
  { weight: 3, arbitrary: fc.record({ entry: fc.nat(), fills: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...STAR_FILLS, 'TCP', '25', 'x.y', '|', '@'), { maxLength: 6 }).map((parts) => parts.join('')) },
);
const inputFlags = fc.constantFrom('', 'A', 'B', 'AB');

function probeText(choice: string | { entry: number; fills: number[] }, main: ReadonlyArray<readonly [PatternSpec, string]>): string {
  if (typeof choice === 'string') return choice;
  const [spec] = main[choice.entry % main.length];
  return spec.parts
    .map((part, index) => (typeof part === 'string' ? part : part.fills[choice.fills[index % choice.fills.length] % part.fills.length]))
    .join('');
}

/**
 * Both evaluators of one mappings text. A tiny back-match budget makes MatchBudgetExceeded (P12, M7)
 * common, so the order in which entries with back-matches are tried is put to the test too.
 */
function compileBoth(text: string, backmatchBudget?: number): { indexed: MappingSet; linear: MappingSet } {
  const parsed = parseMappings(text, { file: 'random.mappings', readInclude: () => null });
  expect(parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  const options = backmatchBudget === undefined ? {} : { backmatchBudget };
  return { indexed: compile(parsed, options), linear: compile(parsed, { ...options, linearScan: true }) };
}

function mappingsText(main: ReadonlyArray<readonly [PatternSpec, string]>, aux: ReadonlyArray<readonly [PatternSpec, string]>): string {
  const entries = (rows: ReadonlyArray<readonly [PatternSpec, string]>) => rows.map(([spec, body]) => `  ${patternText(spec)}  ${body}`);
  return ['MAIN', ...entries(main), '', 'AUX', ...entries(aux), ''].join('\n');
}

describe('differential: indexed tables against the linear scan (M2)', () => {
  it('random tables and probes give identical results, traces included', () => {
    fc.assert(
      fc.property(tables, fc.array(fc.tuple(probe, inputFlags), { minLength: 1, maxLength: 25 }), fc.constantFrom(undefined, 3), ({ main, aux }, probes, budget) => {
        const { indexed, linear } = compileBoth(mappingsText(main, aux), budget);
        for (const [choice, flags] of probes) {
          const input = probeText(choice, main);
          expect(indexed.mapSync('MAIN', input, { flags })).toEqual(linear.mapSync('MAIN', input, { flags }));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the asynchronous map agrees too', async () => {
    await fc.assert(
      fc.asyncProperty(tables, fc.array(probe, { minLength: 1, maxLength: 8 }), async ({ main, aux }, probes) => {
        const { indexed, linear } = compileBoth(mappingsText(main, aux));
        for (const choice of probes) {
          const input = probeText(choice, main);
          expect(await indexed.map('MAIN', input, { flags: 'A' })).toEqual(await linear.map('MAIN', input, { flags: 'A' }));
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** An IPv4 quad or IPv6 text of random words; `words` of 16 bits each. */
const quadOf = (value: number): string => [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
const ipv6Of = (words: readonly number[]): string => words.map((word) => word.toString(16)).join(':');

/**
 * A CIDR table with many prefix lengths, short ones included, over a few leading bits so that blocks
 * nest and share the leading bits the index files its families under (its per-address buckets).
 */
const cidrEntry = fc.oneof(
  fc.record({ v4: fc.constant(true as const), top: fc.nat(3), rest: fc.nat(), length: fc.nat(32), token: fc.boolean() }),
  fc.record({ v4: fc.constant(false as const), top: fc.nat(3), rest: fc.array(fc.nat(0xffff), { minLength: 7, maxLength: 7 }), length: fc.nat(128), token: fc.boolean() }),
);

describe('differential: address families and their buckets', () => {
  it('CIDR tables of many prefix lengths, as whole patterns and as tokens, agree with the linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(cidrEntry, { minLength: 1, maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.nat(2)), { minLength: 1, maxLength: 40 }),
        (entries, probes) => {
          // Leading bits from a small set (0x0a…, 0xc0…, 0x20…, 0x00…) make blocks share buckets and nest.
          const TOPS = [0x0a, 0xc0, 0x20, 0x00];
          const addresses = entries.map((entry) =>
            entry.v4 ? quadOf(((TOPS[entry.top] << 24) | (entry.rest & 0xffffff)) >>> 0) : ipv6Of([TOPS[entry.top] << 8, ...entry.rest]),
          );
          const lines = entries.map((entry, index) => {
            const construct = entry.v4 ? `$(${addresses[index]}/${entry.length})` : `\${${addresses[index]}/${entry.length}}`;
            return `  ${entry.token ? `TCP|${construct}|*` : construct}  $Y${index}`;
          });
          const { indexed, linear } = compileBoth(`MAIN\n${lines.join('\n')}\n  *  $N\n`);
          for (const [pick, noise, whole, family] of probes) {
            // An entry's own address with low bits changed, or its IPv4-mapped spelling.
            const entry = entries[pick % entries.length];
            const address = entry.v4
              ? family === 2
                ? `::ffff:${quadOf(((TOPS[entry.top] << 24) | ((entry.rest ^ (noise & 0xff)) & 0xffffff)) >>> 0)}`
                : quadOf(((TOPS[entry.top] << 24) | ((entry.rest ^ (noise & (family === 0 ? 0xff : 0xffff))) & 0xffffff)) >>> 0)
              : ipv6Of([TOPS[entry.top] << 8, ...entry.rest.slice(0, 6), (entry.rest[6] ^ noise) & 0xffff]);
            const input = whole ? address : `TCP|${address}|25`;
            expect(indexed.mapSync('MAIN', input)).toEqual(linear.mapSync('MAIN', input));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
