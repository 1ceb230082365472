// An editor re-checks a file after every edit with IncrementalLinter, which reuses the findings of
// tables and whole-file checks an edit left unchanged. After any sequence of edits its diagnostics
// must be the ones lintMappings (what `imsmap lint` runs) gives for the same text from scratch.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintConfig } from '../../src/lint/config-types.js';
import { defaultLintConfig, parseLintConfig } from '../../src/lint/config.js';
import { IncrementalLinter } from '../../src/lint/incremental.js';
import { lintMappings } from '../../src/lint/lint.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import type { Diagnostic } from '../../src/syntax/diagnostics.js';
import { repoDir } from './helpers.js';

const fixturesDir = path.join(repoDir, 'fixtures');
const files = readdirSync(fixturesDir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.mappings'))
  .sort();

/** The file's diagnostics from scratch and from the linter that saw its earlier versions. */
function bothWays(linter: IncrementalLinter, text: string, config: LintConfig): { fresh: Diagnostic[]; incremental: Diagnostic[] } {
  const readFile = memoryReader({ 'mem.mappings': text });
  const parse = () => parseMappings(text, { file: 'mem.mappings', readInclude: readFile });
  return { fresh: lintMappings(parse(), { config, readFile }), incremental: linter.lint(parse(), { config, readFile }) };
}

/** One edit: at a fraction of the text, insert, delete, or copy a line elsewhere. */
type Edit = { at: number; kind: 'insert'; text: string } | { at: number; kind: 'delete'; length: number } | { at: number; kind: 'copyLine'; to: number };

function applyEdit(text: string, edit: Edit): string {
  const at = Math.floor(edit.at * text.length);
  if (edit.kind === 'insert') return text.slice(0, at) + edit.text + text.slice(at);
  if (edit.kind === 'delete') return text.slice(0, at) + text.slice(at + edit.length);
  const lines = text.split('\n');
  const line = lines[Math.floor(edit.at * lines.length)] ?? '';
  lines.splice(Math.floor(edit.to * lines.length), 0, line);
  return lines.join('\n');
}

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const typed = fc.constantFrom('x', 'A', '*', '%', '$', '|', '@', '.', '1', ' ', '\t', '\n', '!', '$N', '$Y', '$C', '$|FOO;x|', '$]u[');
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ at: fraction, kind: fc.constant('insert' as const), text: typed }),
  fc.record({
    at: fraction,
    kind: fc.constant('insert' as const),
    text: fc.constantFrom(
      '\n  *  $N',
      '\n  *  $Y',
      '\nORIG_SEND_ACCESS\n',
      '\nFOO\n  a  b\n',
      '\n  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed',
      '\n  *  $|FOO;$0|',
      '\n  *  $|SEND_ACCESS;$0|$:Q$Y',
      '\n! imsmap-disable-next-line unreachable-entry\n',
    ),
  }),
  fc.record({ at: fraction, kind: fc.constant('delete' as const), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ at: fraction, kind: fc.constant('copyLine' as const), to: fraction }),
);

describe('IncrementalLinter', () => {
  it('covers the fixtures and the corpus', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((name) => name.startsWith(`corpus${path.sep}`))).toBe(true);
  });

  it.each(files)('equals lintMappings after random edits of %s', (name) => {
    const original = new TextDecoder().decode(readFileSync(path.join(fixturesDir, name)));
    const configFile = path.join(fixturesDir, name.replace(/\.mappings$/, '.config.json'));
    const config = existsSync(configFile) ? parseLintConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile) : defaultLintConfig(repoDir);
    if (config instanceof Error) throw config;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const linter = new IncrementalLinter();
        let text = original;
        const first = bothWays(linter, text, config);
        expect(first.incremental).toEqual(first.fresh);
        for (const next of edits) {
          text = applyEdit(text, next);
          const { fresh, incremental } = bothWays(linter, text, config);
          expect(incremental, JSON.stringify(text)).toEqual(fresh);
        }
      }),
      { numRuns: 5, seed: 17 },
    );
  });

  it('checks a table again when what its rules read elsewhere in the file changes', () => {
    const versions = [
      // unknown-table: the called table appears, is renamed, goes.
      ['T\n  a  $|FOO;x|\n', 'T\n  a  $|FOO;x|\nFOO\n  x  y\n', 'T\n  a  $|FOO;x|\nFOX\n  x  y\n', 'T\n  a  $|FOO;x|\n'],
      // meaningless-flag: a caller that is not an access table makes SEND_ACCESS's input flags unknown (A13).
      ['SEND_ACCESS\n  *  $:Q$N\nT\n  a  b\n', 'SEND_ACCESS\n  *  $:Q$N\nT\n  a  $|SEND_ACCESS;$0|\n', 'SEND_ACCESS\n  *  $:Q$N\nT\n  a  b\n'],
      // no-anti-relay: the refusal moves into a called table, the called table changes, a table above moves it.
      [
        'ORIG_SEND_ACCESS\n  *  $|R;$0|\nR\n  *  $NRelaying$ not$ allowed\n',
        'ORIG_SEND_ACCESS\n  *  $|R;$0|\nR\n  *  $Y\n',
        'X\n  a  b\n\nORIG_SEND_ACCESS\n  *  $|R;$0|\nR\n  *  $Y\n',
        'PORT_ACCESS\n  *  $Y\nX\n  a  b\n\nORIG_SEND_ACCESS\n  *  $|R;$0|\nR\n  *  $Y\n',
      ],
    ];
    for (const texts of versions) {
      const linter = new IncrementalLinter();
      const seen = new Set<string>();
      for (const text of texts) {
        const { fresh, incremental } = bothWays(linter, text, defaultLintConfig(repoDir));
        expect(incremental, text).toEqual(fresh);
        seen.add(JSON.stringify(fresh));
      }
      // Each sequence changes the findings, so reusing stale ones would show.
      expect(seen.size).toBeGreaterThan(1);
    }
  });

  it('checks again what a change of configuration changes', () => {
    const text = 'ORIG_SEND_ACCESS\n  *|*|*|*  $]ldap:///x[$N\n  a|*|*|*  $[img,rtn,x]$N\n';
    const linter = new IncrementalLinter();
    const plain = defaultLintConfig(repoDir);
    const declared = parseLintConfig({ providers: ['url'], routines: ['rtn'] }, path.join(repoDir, 'imsmap.config.json'));
    if (declared instanceof Error) throw declared;
    for (const config of [plain, declared, plain]) {
      const { fresh, incremental } = bothWays(linter, text, config);
      expect(incremental).toEqual(fresh);
    }
    expect(bothWays(linter, text, plain).incremental.map((d) => d.code)).toEqual(expect.arrayContaining(['no-provider', 'unregistered-routine']));
    expect(bothWays(linter, text, declared).incremental.map((d) => d.code)).not.toContain('no-provider');
  });
});
