// The incremental compile (an editor's keystrokes, the playground) must answer every version of a
// file exactly as parsing and compiling that version from scratch does: a differential test over
// random edit sequences of the fixture and corpus files, then the reuse it is for.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/engine/compile.js';
import { IncrementalCompiler } from '../../src/engine/incremental.js';
import { InvalidCompileOptionsError } from '../../src/engine/options.js';
import type { ParsedMappings } from '../../src/syntax/ast.js';
import { parseMappings, ParseMemo } from '../../src/syntax/index.js';
import { ROOT } from '../adapters/helpers.js';

const FILE = 'mappings';

/** The mappings files of the fixtures and the corpus, as text. */
function fixtureTexts(): string[] {
  const folders = ['fixtures', 'fixtures/invalid', 'fixtures/corpus'];
  return folders.flatMap((folder) =>
    readdirSync(path.join(ROOT, folder))
      .filter((name) => name.endsWith('.mappings'))
      .map((name) => readFileSync(path.join(ROOT, folder, name), 'utf8')),
  );
}

/** One edit of a text: a snippet inserted, a range deleted, a line copied elsewhere. */
type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'copy-line'; from: number; to: number };

// What typing brings: characters, new and continued lines, headers, comments, errors (a dangling `$`,
// NUL, an unindented line), entries that repeat others, a table written twice.
const snippet = fc.constantFrom(
  'x',
  'X',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '$',
  '*',
  '|',
  '!',
  '\\\n',
  '\u0000',
  '\u0007',
  '$(10.0.0.0/8)',
  '\nNEW_TABLE\n',
  '\nPORT_ACCESS\n',
  '\n  a*  $Y\n',
  '\n  a*  $Y\n  a*  $Y\n',
  '\n  *  $N$ no\n',
  '\nunindented\n',
  '\n! comment\n',
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: snippet }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('copy-line' as const), from: fc.nat(), to: fc.nat() }),
);

function applyEdit(text: string, change: Edit): string {
  if (change.kind === 'insert') {
    const at = change.at % (text.length + 1);
    return text.slice(0, at) + change.text + text.slice(at);
  }
  if (change.kind === 'delete') {
    const at = change.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + change.length);
  }
  const lines = text.split('\n');
  const line = lines[change.from % lines.length]!;
  lines.splice(change.to % (lines.length + 1), 0, line);
  return lines.join('\n');
}

/** Probes for every table: each entry's pattern with its wildcards filled in, and a few plain strings. */
function probesOf(parsed: ParsedMappings): Array<[string, string]> {
  return parsed.tables.flatMap((table) => [
    ...table.entries.slice(0, 30).map((entry): [string, string] => [table.name, entry.pattern.replace(/[*%]/g, 'a').replace(/\$./g, '')]),
    [table.name, 'TCP|192.0.2.1|25|10.1.2.3|4000'],
    [table.name, 'a'],
  ]);
}

/** Checks one version: the incremental parse and answers equal those made from scratch. */
function expectSameAsFromScratch(compiler: IncrementalCompiler, text: string): void {
  const incremental = compiler.compile(text, { file: FILE });
  const parsed = parseMappings(text, { file: FILE });
  expect(incremental.parsed).toStrictEqual(parsed);
  const fromScratch = compile(parsed);
  for (const [table, probe] of probesOf(parsed)) {
    expect(incremental.set.mapSync(table, probe, { explain: true })).toStrictEqual(fromScratch.mapSync(table, probe, { explain: true }));
    expect(incremental.set.mapSync(table, probe)).toStrictEqual(fromScratch.mapSync(table, probe));
  }
}

describe('IncrementalCompiler: every version as from scratch', () => {
  const texts = fixtureTexts();

  it('has fixture and corpus files to edit', () => {
    expect(texts.length).toBeGreaterThan(20);
  });

  it('parses and answers each version of randomly edited files exactly as a parse and compile from scratch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 12 }), (start, edits) => {
        const compiler = new IncrementalCompiler();
        let text = start;
        expectSameAsFromScratch(compiler, text);
        for (const change of edits) {
          text = applyEdit(text, change);
          expectSameAsFromScratch(compiler, text);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers alike when the same compiler is handed other files in turn', () => {
    const compiler = new IncrementalCompiler();
    for (const text of [...texts, ...texts.reverse()]) expectSameAsFromScratch(compiler, text);
  });
});

describe('IncrementalCompiler: what an edit leaves as it was', () => {
  const table = ['PORT_ACCESS', '', ...Array.from({ length: 50 }, (_, i) => `  TCP|*|25|10.0.${i}.*|*  $N$ blocked$ ${i}`), '  *  $Y'];

  it('keeps the entries of unchanged lines, and moves those below an added line to their new line and index', () => {
    const compiler = new IncrementalCompiler();
    const before = compiler.compile(table.join('\n'), { file: FILE }).parsed.tables[0]!.entries;
    const edited = [...table];
    edited[12] = `${edited[12]}x`;
    const same = compiler.compile(edited.join('\n'), { file: FILE }).parsed.tables[0]!.entries;
    expect(same[3]).toBe(before[3]);
    expect(same[40]).toBe(before[40]);
    expect(same[10]).not.toBe(before[10]);
    expect(same[10]!.template).toBe('$N$ blocked$ 10x');

    edited.splice(5, 0, '  TCP|*|25|192.0.2.*|*  $N$ new');
    const moved = compiler.compile(edited.join('\n'), { file: FILE }).parsed.tables[0]!.entries;
    expect(moved[2]).toBe(same[2]);
    expect(moved[3]).toMatchObject({ index: 4, pattern: 'TCP|*|25|192.0.2.*|*', patternSpan: { line: 6 } });
    expect(moved[40]).not.toBe(same[39]);
    expect(moved[40]).toMatchObject({ index: 41, pattern: same[39]!.pattern, patternSpan: { line: 43, column: 3 }, templateSpan: { line: 43 } });
    expect(moved[40]!.patternItems).toBe(same[39]!.patternItems);
  });

  it('many equal lines in two tables: recalled in file order, each once, when the tables swap places', () => {
    // Equal lines are looked up in file order with a bounded search (memo.ts), never one search
    // through all of them per line, which made thousands of equal lines cost seconds.
    const equal = Array.from({ length: 300 }, () => '  a*  $Y');
    const compiler = new IncrementalCompiler();
    expectSameAsFromScratch(compiler, ['A', ...equal, 'B', ...equal, '  b  $N'].join('\n'));
    expectSameAsFromScratch(compiler, ['B', ...equal, '  b  $N', 'A', ...equal].join('\n'));
    const swapped = compiler.compile(['B', ...equal, '  b  $N', 'A', ...equal].join('\n'), { file: FILE }).parsed;
    const edited = ['B', '  c  $N', ...equal, '  b  $N', 'A', ...equal].join('\n');
    const again = compiler.compile(edited, { file: FILE }).parsed;
    expect(again).toStrictEqual(parseMappings(edited, { file: FILE }));
    // B's equal lines, moved down by the new first entry, are recalled, not parsed again.
    expect(again.tables[0]!.entries[300]!.patternItems).toBe(swapped.tables[0]!.entries[299]!.patternItems);
    expect(again.tables[0]!.entries[300]!.index).toBe(301);
  });

  it('recalls a line only in its own table: the same text under another table is parsed for that table', () => {
    const memo = new ParseMemo();
    parseMappings('A\n  x*  $Y\n', { memo });
    const parsed = parseMappings('B\n  x*  $Y\n', { memo });
    expect(parsed.tables[0]!.entries[0]).toMatchObject({ table: 'B', index: 1 });
  });

  it('validates its compile options once, as compile does', () => {
    expect(() => new IncrementalCompiler({ stepLimit: -1 })).toThrow(InvalidCompileOptionsError);
  });
});
