// Every real-world file of fixtures/corpus/ gives exactly the outcome its README states.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../../src/syntax/node.js';
import { corpusDir } from './helpers.js';

interface Expected {
  tables: string[];
  /** Every error, as `code@line`. */
  errors: string[];
  /** Warnings the README names, as `code@line`; other warnings (later lint stages) are not asserted. */
  warnings: string[];
}

const emptyTemplatesAt = (...lines: number[]) => lines.map((line) => `empty-template@${line}`);

const expectations: Record<string, Expected> = {
  'oracle-ms6-1.mappings': { tables: ['INTERNAL_IP'], errors: [], warnings: [] },
  'oracle-ms6-2.mappings': { tables: ['INTERNAL_IP'], errors: [], warnings: ['host-bits-set@4'] },
  'oracle-ms6-3.mappings': { tables: ['INTERNAL_IP'], errors: [], warnings: ['host-bits-set@4'] },
  'oracle-ms6-4.mappings': {
    tables: ['ORIG_SEND_ACCESS'],
    errors: ['unindented-line@6', 'unindented-line@7', 'unindented-line@8'],
    warnings: [],
  },
  'oracle-ms6-5.mappings': { tables: ['SEND_ACCESS'], errors: [], warnings: [] },
  'oracle-ms6-6.mappings': { tables: ['SEND_ACCESS'], errors: [], warnings: [] },
  'oracle-ms6-10.mappings': { tables: ['REVERSE'], errors: [], warnings: [] },
  'oracle-ms6-11.mappings': { tables: ['REVERSE'], errors: [], warnings: [] },
  'oracle-ms6-12.mappings': { tables: ['ORIG_SEND_ACCESS'], errors: [], warnings: ['empty-template@19'] },
  'oracle-ms6-13.mappings': { tables: ['ORIG_SEND_ACCESS'], errors: [], warnings: [] },
  'oracle-ims5-skeleton-1.mappings': {
    tables: ['TABLE-1-NAME', 'TABLE-2-NAME', 'TABLE-M-NAME'],
    errors: [],
    warnings: emptyTemplatesAt(43, 45, 47, 55, 57, 59),
  },
  'oracle-ms6-skeleton-2.mappings': {
    tables: ['TABLE1_NAME', 'TABLE2_NAME', 'TABLE3_NAME'],
    errors: [],
    warnings: emptyTemplatesAt(21, 22, 23, 28, 29, 30),
  },
  'oracle-ms6-skeleton-3.mappings': { tables: ['REVERSE'], errors: ['duplicate-table@7'], warnings: [] },
  'oreilly-1.mappings': { tables: ['INTERNAL_IP'], errors: ['header-extra-text@2'], warnings: [] },
  'gross-2.mappings': { tables: ['ORIG_MAIL_ACCESS'], errors: [], warnings: [] },
  'gross-3.mappings': { tables: [], errors: ['entry-outside-table@2'], warnings: [] },
};

const corpusFiles = readdirSync(corpusDir).filter((name) => name.endsWith('.mappings'));

describe('real-world corpus', () => {
  it('has an expectation for every file, and every expectation has its file', () => {
    expect([...corpusFiles].sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const name of corpusFiles) {
    it(`${name} parses to the README outcome`, () => {
      const expected = expectations[name];
      const parsed = loadMappings(path.join(corpusDir, name));
      const at = (severity: string) =>
        parsed.diagnostics.filter((d) => d.severity === severity).map((d) => `${d.code}@${d.line}`);
      expect(parsed.tables.map((t) => t.name)).toEqual(expected.tables);
      expect(at('error')).toEqual(expected.errors);
      expect(at('warning').filter((w) => /^(empty-template|host-bits-set)@/.test(w))).toEqual(expected.warnings);
    });
  }

  it('oreilly-1: the extra text starts at column 13, as in E9', () => {
    expect(loadMappings(path.join(corpusDir, 'oreilly-1.mappings')).diagnostics[0]).toMatchObject({ line: 2, column: 13 });
  });

  it('oracle-ms6-12: the cut last line is an entry without template', () => {
    const [table] = loadMappings(path.join(corpusDir, 'oracle-ms6-12.mappings')).tables;
    expect(table.entries.at(-1)).toMatchObject({ pattern: 'tcp_*|*|*|betty@siroe.', template: '' });
    expect(table.entries).toHaveLength(6);
  });

  it('the skeletons read their indented `.` lines as entries', () => {
    const parsed = loadMappings(path.join(corpusDir, 'oracle-ms6-skeleton-2.mappings'));
    expect(parsed.tables.map((t) => t.entries.length)).toEqual([7, 10, 3]);
  });
});
