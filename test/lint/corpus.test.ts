// `imsmap lint fixtures/corpus/*.mappings` reports exactly what fixtures/corpus/README.md says: every
// error and warning of each file, with its code and line, and nothing more.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderWith, runImsmap } from '../cli/harness.js';
import { corpusDir, jsonLines } from './helpers.js';

const emptyTemplatesAt = (...lines: number[]) => lines.map((line) => `empty-template@${line}`);

/** Errors and warnings per file, as `code@line`, in reading order (the README's table). */
const README: Record<string, string[]> = {
  'oracle-ms6-1.mappings': [],
  'oracle-ms6-2.mappings': ['host-bits-set@4'],
  'oracle-ms6-3.mappings': ['host-bits-set@4'],
  'oracle-ms6-4.mappings': ['unindented-line@6', 'unindented-line@7', 'unindented-line@8'],
  'oracle-ms6-5.mappings': [],
  'oracle-ms6-6.mappings': [],
  'oracle-ms6-10.mappings': [],
  'oracle-ms6-11.mappings': [],
  'oracle-ms6-12.mappings': ['empty-template@19'],
  'oracle-ms6-13.mappings': [],
  'oracle-ims5-skeleton-1.mappings': emptyTemplatesAt(43, 45, 47, 55, 57, 59),
  'oracle-ms6-skeleton-2.mappings': emptyTemplatesAt(21, 22, 23, 28, 29, 30),
  'oracle-ms6-skeleton-3.mappings': ['duplicate-table@7'],
  'oreilly-1.mappings': ['header-extra-text@2'],
  'gross-2.mappings': ['unregistered-routine@10'],
  'gross-3.mappings': ['entry-outside-table@2'],
};

/**
 * The infos, which the README leaves open: files that define access tables but no anti-relay entry
 * (documentation fragments, A24), and the skeletons' repeated `.  .` lines (M2).
 */
const INFOS: Record<string, string[]> = {
  'oracle-ms6-1.mappings': ['no-anti-relay@2'],
  'oracle-ms6-2.mappings': ['no-anti-relay@2'],
  'oracle-ms6-3.mappings': ['no-anti-relay@2'],
  'oracle-ms6-5.mappings': ['no-anti-relay@2'],
  'oracle-ms6-6.mappings': ['no-anti-relay@2'],
  'oracle-ms6-12.mappings': ['no-anti-relay@2'],
  'oracle-ms6-13.mappings': ['no-anti-relay@2'],
  'oreilly-1.mappings': ['no-anti-relay@2'],
  'oracle-ims5-skeleton-1.mappings': ['duplicate-entry@15', 'duplicate-entry@17', 'duplicate-entry@35', 'duplicate-entry@37'],
  'oracle-ms6-skeleton-2.mappings': ['duplicate-entry@8', 'duplicate-entry@9', 'duplicate-entry@18', 'duplicate-entry@19'],
};

const corpusFiles = readdirSync(corpusDir).filter((name) => name.endsWith('.mappings'));

describe('imsmap lint fixtures/corpus/*.mappings', async () => {
  // The glob is expanded by imsmap itself (micromatch), relative to the repository root, as in CI.
  const run = await runImsmap(['lint', '--format', 'json', 'fixtures/corpus/*.mappings']);
  const diagnostics = jsonLines(run.stdout);
  const inFile = (name: string, severities: string[]) =>
    diagnostics
      .filter((d) => path.basename(d.file) === name && severities.includes(d.severity))
      .map((d) => `${d.code}@${d.line}`);

  it('lints every corpus file, and the README covers every one', () => {
    expect(Object.keys(README).sort()).toEqual([...corpusFiles].sort());
    expect(new Set(diagnostics.map((d) => path.basename(d.file))).size).toBeLessThanOrEqual(corpusFiles.length);
  });

  for (const name of corpusFiles) {
    it(`${name}: exactly the README's errors and warnings`, () => {
      expect(inFile(name, ['error', 'warning'])).toEqual(README[name]);
    });
    it(`${name}: the expected infos`, () => {
      expect(inFile(name, ['info'])).toEqual(INFOS[name] ?? []);
    });
  }

  it('exits 1: four files have errors', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('gross-2: the warning points at the `$[` of the routine call', () => {
    const warning = diagnostics.find((d) => d.code === 'unregistered-routine');
    expect(warning).toMatchObject({ line: 10, column: 41, endLine: 10 });
  });

  it('gross-2 is clean once the configuration declares the routine, by name or as image,routine', async () => {
    for (const routine of ['grosscheck', '/usr/local/gross/lib/grosscheck.so,grosscheck']) {
      const folder = folderWith({ 'imsmap.config.json': JSON.stringify({ routines: [routine] }) });
      const declared = await runImsmap(['lint', '--format', 'json', '--config', path.join(folder, 'imsmap.config.json'), path.join(corpusDir, 'gross-2.mappings')]);
      expect(declared.status).toBe(0);
      expect(jsonLines(declared.stdout)).toEqual([]);
    }
  });
});
