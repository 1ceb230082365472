// Issue 13: a compiled file (imsmap build) must answer exactly as the text it was built from. Every
// error-free fixture, the corpus and generated tables are parsed and compiled from text, and built,
// loaded and compiled from the compiled file: the parse (entries with every position, diagnostics,
// files, includes) and the results of probes — output, flags, entry and the whole trace, with and
// without explain — must be identical.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/engine/compile.js';
import { buildCompiledFile, loadCompiledFile } from '../../src/engine/snapshot/node.js';
import type { ParsedMappings } from '../../src/syntax/ast.js';
import { loadMappings } from '../../src/syntax/node.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const OUT = mkdtempSync(path.join(tmpdir(), 'imsmap-compiled-'));

/** Text that a pattern's items accept, roughly: enough for most probes to match their entry. */
function probeFor(pattern: string): string {
  return pattern
    .replace(/\$[([{<]([0-9a-fA-F.:]+)(\/\d+)?[)\]}>]/g, '$1')
    .replace(/\$[_@^]/g, '')
    .replace(/\$\[[^\]]*\]/g, 'a')
    .replace(/\$[0-9]?[A-Z]?\*/g, 'ab')
    .replace(/\$ /g, ' ')
    .replace(/\$(.)/g, '$1')
    .replace(/\*/g, 'x|y')
    .replace(/%/g, 'z');
}

const FIXED_PROBES = ['', 'a', 'TCP|192.0.2.25|25|203.0.113.5|40000', 'tcp|10.0.0.1|25|192.0.2.1|1234', 'x@example.com', '|||'];

/** The probes of a parse: one per entry built from its pattern, its pattern as written, and a few fixed ones. */
function probesOf(parsed: ParsedMappings): string[] {
  return [...new Set([...FIXED_PROBES, ...parsed.tables.flatMap((table) => table.entries.flatMap((entry) => [probeFor(entry.pattern), entry.pattern]))])];
}

/** Builds a compiled file from `file` (relative to the repository) and loads it back. */
function roundTrip(file: string): { text: ParsedMappings; loaded: ParsedMappings } {
  const text = loadMappings(path.join(REPO, file));
  const out = path.join(OUT, `${path.basename(file)}.imc`);
  const built = buildCompiledFile(path.join(REPO, file), out);
  expect(built.written).toBe(true);
  return { text, loaded: loadCompiledFile(out) };
}

/** Every answer the text gives, the compiled file gives too, and the parse it shows is the same. */
function expectSameAnswers(text: ParsedMappings, loaded: ParsedMappings, probes: readonly string[]): void {
  expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify(text)));
  // The loaded entries are the compiled file's lazy ones, not a parse of the text.
  for (const table of loaded.tables) expect(table.entries.some((entry) => Object.hasOwn(entry, 'pattern'))).toBe(false);
  const fromText = compile(text);
  const fromCompiled = compile(loaded);
  expect(fromCompiled.tables).toEqual(fromText.tables);
  for (const table of fromText.tables) {
    for (const probe of probes) {
      for (const explain of [false, true]) {
        for (const flags of ['', 'AT']) {
          expect(fromCompiled.mapSync(table, probe, { explain, flags })).toEqual(fromText.mapSync(table, probe, { explain, flags }));
        }
      }
    }
  }
}

const mappingsFiles = (folder: string): string[] =>
  readdirSync(path.join(REPO, folder))
    .filter((name) => name.endsWith('.mappings'))
    .map((name) => path.join(folder, name));

const errorFree = [...mappingsFiles('fixtures'), ...mappingsFiles('fixtures/corpus'), 'fixtures/two-tier/mappings'].filter(
  (file) => !loadMappings(path.join(REPO, file)).diagnostics.some((diagnostic) => diagnostic.severity === 'error'),
);

describe('compiled file against text', () => {
  it('covers the fixtures and the corpus', () => {
    expect(errorFree.length).toBeGreaterThan(15);
  });

  it.each(errorFree)('%s answers as its text', (file) => {
    const { text, loaded } = roundTrip(file);
    expectSameAnswers(text, loaded, probesOf(text));
  });

  it('records every included file as a source', () => {
    const built = buildCompiledFile(path.join(REPO, 'fixtures/f07-includes.mappings'), path.join(OUT, 'includes.imc'));
    expect(built.sources.map((source) => path.relative(REPO, source.resolved))).toEqual(
      loadMappings(path.join(REPO, 'fixtures/f07-includes.mappings')).files.map((file) => path.relative(REPO, file)),
    );
    expect(built.sources.length).toBeGreaterThan(1);
  });

  it('does not compile a file with errors', () => {
    const file = path.join(OUT, 'broken.mappings');
    writeFileSync(file, 'INTERNAL_IP\n  $(10.0.0.0/99)  $Y\n');
    const built = buildCompiledFile(file, path.join(OUT, 'broken.imc'));
    expect(built.written).toBe(false);
    expect(readdirSync(OUT)).not.toContain('broken.imc');
  });

  const ITEMS = ['a', 'tcp', 'x.y', '*', '%', '$D*', '$_*', '$A%', '$[a-c]*', '$(10.0.0.0/8)', '$(10.1.2.3)', '${2001:db8::/32}', '$0*', '$(192.168.1.0/24)'];
  const TEMPLATES = ['$Y', '$N', '$0', '$C$1', '$R$0x', '$L', '$|T1;$0|', '$E$N', 'out$ $0$Y'];
  const table = fc.array(
    fc.tuple(fc.array(fc.constantFrom(...ITEMS), { minLength: 1, maxLength: 3 }), fc.constantFrom('', '|', '@'), fc.constantFrom(...TEMPLATES)),
    { minLength: 1, maxLength: 25 },
  );

  it('answers as the text on generated tables', () => {
    let run = 0;
    fc.assert(
      fc.property(table, table, fc.array(fc.constantFrom('a', 'tcp|x.y', '10.1.2.3', '10.9.9.9|a', '2001:db8::5', 'b@c', 'x.y@tcp', '1', '192.168.1.7'), { maxLength: 6 }), (first, second, extra) => {
        const lines = (rows: typeof first): string[] => rows.map(([items, separator, template]) => `  ${items.join(separator)}  ${template}`);
        const file = path.join(OUT, `generated-${run++}.mappings`);
        writeFileSync(file, ['T1', ...lines(first), 'T2', ...lines(second), ''].join('\n'));
        const text = loadMappings(file);
        fc.pre(!text.diagnostics.some((diagnostic) => diagnostic.severity === 'error'));
        const out = `${file}.imc`;
        expect(buildCompiledFile(file, out).written).toBe(true);
        expectSameAnswers(text, loadCompiledFile(out), [...probesOf(text), ...extra]);
      }),
      { numRuns: 60 },
    );
  });
});
