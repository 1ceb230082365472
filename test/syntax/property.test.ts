// F14: random and mutated files never make the parser throw, and every diagnostic lies inside the input.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedMappings } from '../../src/syntax/ast.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import { corpusDir, fixturesDir } from './helpers.js';

const FILE = 'fuzz.mappings';

/** The file's physical lines per F1, computed independently of the parser. */
function linesOf(input: string | Uint8Array): string[] {
  const text = typeof input === 'string' ? input.replace(/^\ufeff/, '') : new TextDecoder().decode(input);
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

function parseChecked(input: string | Uint8Array): ParsedMappings {
  const parsed = parseMappings(input, { file: FILE, readInclude: memoryReader({}) });
  const lines = linesOf(input);
  for (const d of parsed.diagnostics) {
    const where = `${d.code} at ${d.line}:${d.column}-${d.endLine}:${d.endColumn} of ${lines.length} lines`;
    expect(d.file, where).toBe(FILE);
    expect(d.line, where).toBeGreaterThanOrEqual(1);
    expect(d.line, where).toBeLessThanOrEqual(lines.length);
    expect(d.column, where).toBeGreaterThanOrEqual(1);
    expect(d.column, where).toBeLessThanOrEqual(lines[d.line - 1].length + 1);
    expect(d.endLine, where).toBeGreaterThanOrEqual(d.line);
    expect(d.endLine, where).toBeLessThanOrEqual(lines.length);
    expect(d.endColumn, where).toBeLessThanOrEqual(lines[d.endLine - 1].length + 1);
    if (d.endLine === d.line) expect(d.endColumn, where).toBeGreaterThanOrEqual(d.column);
  }
  for (const table of parsed.tables) {
    for (const entry of table.entries) {
      for (const span of [entry.patternSpan, entry.templateSpan]) {
        expect(span.line).toBeLessThanOrEqual(lines.length);
        expect(span.column).toBeLessThanOrEqual(lines[span.line - 1].length + 1);
      }
    }
  }
  return parsed;
}

/** Characters that matter to the grammar, plus some that test decoding and column counting. */
const special = fc.constantFrom(
  '$', '$', '\\', '<', '!', '\t', ' ', ' ', '\r', '\n', '\n', '*', '%', '|', ';', ',', '(', ')', '[', ']', '{', '}',
  '#', '?', '^', '_', '@', ':', '.', '/', '-', '0', '9', 'a', 'T', 'Y', 'N', 'é', '😀', '\ufeff', '\u2028',
);
const token = fc.oneof(special, fc.constantFrom('TABLE', '  ', '$(10.0.0.0/8)', '$|T;$0|', '$[a,b,c]', '$Y', '  *  $N'), fc.string({ maxLength: 4 }));
const randomText = fc.array(token, { maxLength: 80 }).map((parts) => parts.join(''));

/** Samples to mutate: the real-world corpus and the project's fixtures. */
const samples: Uint8Array[] = [
  ...readdirSync(corpusDir)
    .filter((name) => name.endsWith('.mappings'))
    .map((name) => readFileSync(path.join(corpusDir, name))),
  ...['.', 'invalid'].flatMap((folder) =>
    readdirSync(path.join(fixturesDir, folder))
      .filter((name) => name.endsWith('.mappings'))
      .map((name) => readFileSync(path.join(fixturesDir, folder, name))),
  ),
];
const sampleTexts = samples.map((bytes) => new TextDecoder().decode(bytes));

type Mutation = (text: string) => string;
const at = (text: string, position: number) => Math.min(position, text.length);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), special).map(([p, c]): Mutation => (t) => t.slice(0, at(t, p)) + c + t.slice(at(t, p))),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })).map(([p, n]): Mutation => (t) => t.slice(0, at(t, p)) + t.slice(at(t, p) + n)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })).map(([p, n]): Mutation => (t) => {
    const i = at(t, p);
    return t.slice(0, i) + t.slice(i, i + n).repeat(2) + t.slice(i + n);
  }),
  fc.nat().map((p): Mutation => (t) => {
    const lines = t.split('\n');
    const i = p % lines.length;
    return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
  }),
  fc.nat().map((p): Mutation => (t) => {
    const lines = t.split('\n');
    lines.splice(p % lines.length, 1);
    return lines.join('\n');
  }),
);
const mutatedText = fc
  .tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([i, mutations]) => mutations.reduce((text, mutate) => mutate(text), sampleTexts[i % sampleTexts.length]));

describe('F14 — the parser never throws and places every diagnostic inside the input', () => {
  it('random text', () => {
    fc.assert(fc.property(randomText, (text) => void parseChecked(text)), { numRuns: 500 });
  });

  it('random bytes, including invalid UTF-8', () => {
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x20, 0x24, 0x5c, 0x0d, 0xc3, 0xef)), {
      maxLength: 200,
    });
    fc.assert(fc.property(bytes, (values) => void parseChecked(Uint8Array.from(values))), { numRuns: 500 });
  });

  it('mutated corpus and fixture files', () => {
    fc.assert(fc.property(mutatedText, (text) => void parseChecked(text)), { numRuns: 500 });
  });

  it('mutated files with one byte replaced by an invalid UTF-8 byte', () => {
    const mutatedBytes = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0x80, max: 0xff })).map(([i, p, byte]) => {
      const sample = Uint8Array.from(samples[i % samples.length]);
      if (sample.length > 0) sample[p % sample.length] = byte;
      return sample;
    });
    fc.assert(fc.property(mutatedBytes, (bytes) => void parseChecked(bytes)), { numRuns: 300 });
  });
});
