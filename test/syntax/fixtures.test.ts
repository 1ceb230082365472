// The project's own fixtures: one or more per rule F1–F12, each with its exact diagnostics. Files in
// fixtures/ have no errors; files in fixtures/invalid/ each have at least one.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../../src/syntax/node.js';
import { fixturesDir, found, shape } from './helpers.js';

const load = (name: string) => loadMappings(path.join(fixturesDir, name));

/** Every rule fixture → its diagnostics (`code@line:column`) and its tables' entry counts. */
const expectations: Record<string, { diagnostics: string[]; tables: Record<string, number> }> = {
  // F17: the lone CR inside an entry is a control-character warning.
  'f01-bom-crlf.mappings': { diagnostics: ['control-character@5:4'], tables: { CRLF_TABLE: 3 } },
  'invalid/f01-invalid-utf8.mappings': { diagnostics: ['invalid-utf8@4:6'], tables: { LATIN1: 1 } },
  'f02-continuation.mappings': { diagnostics: [], tables: { ORIG_SEND_ACCESS: 5 } },
  'invalid/f02-continuation-at-eof.mappings': { diagnostics: ['continuation-at-eof@5:7'], tables: { T: 1 } },
  'invalid/f03-unindented.mappings': {
    diagnostics: ['unindented-line@5:1', 'unindented-line@6:1', 'unindented-line@7:1'],
    tables: { ORIG_SEND_ACCESS: 1 },
  },
  'invalid/f04-table-names.mappings': {
    diagnostics: ['bad-table-name@6:5', 'header-extra-text@8:13'],
    tables: { PORT_ACCESS: 1, 'INTERNAL_IP.V2-TEST': 1, 'ORIG#SEND': 1, INTERNAL_IP: 0 },
  },
  'invalid/f05-table-body.mappings': {
    diagnostics: ['entry-outside-table@2:3'],
    tables: { SEND_ACCESS: 2, EMPTY_TABLE: 0, SECOND: 1 },
  },
  'f06-comments.mappings': { diagnostics: ['indented-comment@6:3'], tables: { T: 3 } },
  'invalid/f08-entry-syntax.mappings': { diagnostics: ['dangling-dollar@7:13'], tables: { ORIG_SEND_ACCESS: 3 } },
  'f09-missing-template.mappings': { diagnostics: ['empty-template@4:3'], tables: { T: 2 } },
  'f10-dropped-whitespace.mappings': { diagnostics: ['dropped-whitespace@4:24'], tables: { INTERNAL_IP: 3 } },
  'f11-size-limits.mappings': { diagnostics: ['long-pattern@5:3', 'long-template@5:262'], tables: { LIMITS: 2 } },
  'invalid/f12-duplicate-table.mappings': { diagnostics: ['duplicate-table@6:1'], tables: { REVERSE: 1 } },
  'f07-includes.mappings': { diagnostics: [], tables: { SEND_ACCESS: 2, MORE: 2 } },
  'invalid/f07-include-errors.mappings': {
    // Reported in the including file's own lines; the files holding the other errors are checked in includes.test.ts.
    diagnostics: ['include-empty@4:1', 'include-missing@5:2', 'include-cycle@2:2', 'include-depth@2:2', 'continuation-at-eof@2:7'],
    tables: { T: 1 },
  },
};

describe('rule fixtures', () => {
  it('covers every rule fixture file (fNN-*.mappings)', () => {
    const listed = (folder: string) =>
      readdirSync(path.join(fixturesDir, folder))
        .filter((name) => /^f\d\d-.*\.mappings$/.test(name))
        .map((name) => path.join(folder, name));
    expect([...listed('.'), ...listed('invalid')].sort()).toEqual(
      Object.keys(expectations).sort(),
    );
  });

  it('keeps error-free files in fixtures/ and files with errors in fixtures/invalid/', () => {
    for (const name of Object.keys(expectations)) {
      const hasError = load(name).diagnostics.some((d) => d.severity === 'error');
      expect(hasError, name).toBe(name.startsWith('invalid/'));
    }
  });

  for (const [name, expected] of Object.entries(expectations)) {
    it(`${name}: ${expected.diagnostics.join(', ') || 'no diagnostics'}`, () => {
      const parsed = load(name);
      expect(found(parsed)).toEqual(expected.diagnostics);
      expect(Object.fromEntries(parsed.tables.map((t) => [t.name, t.entries.length]))).toEqual(expected.tables);
    });
  }

  it('F1: a lone CR stays in the pattern', () => {
    expect(shape(load('f01-bom-crlf.mappings')).CRLF_TABLE).toEqual([
      ['a*', '$0-crlf'],
      ['x\ry', 'lone-CR'],
      ['*', 'none'],
    ]);
  });

  it('F2: continued entries read as one line each', () => {
    expect(shape(load('f02-continuation.mappings')).ORIG_SEND_ACCESS).toEqual([
      ['tcp_local|*|tcp_local|*', '$NRelaying$ not$ allowed'],
      ['tcp_intranet|*|tcp_local|*', '$Y'],
      ['tcp_auth|*|*|*', '$Y$:A$E'],
      ['LOWER|*', '$\\'],
      ['*', '$0'],
    ]);
  });

  it('F8: quoted white space and `$$` in both columns', () => {
    expect(shape(load('invalid/f08-entry-syntax.mappings')).ORIG_SEND_ACCESS).toEqual([
      ['*|*|*|*@corp.example', '$NInternet$ access$ not$ permitted'],
      ['H|%:*$ ', '$Y'],
      ['a$$', '$$x'],
    ]);
  });

  it('F10: the dropped white space concatenates the template; the join on line 5 is not warned about', () => {
    expect(shape(load('f10-dropped-whitespace.mappings')).INTERNAL_IP).toEqual([
      ['$(192.0.2.10/32)', '$Y#mailrelay,added2004-05-01'],
      ['$(192.0.2.11/32)', '$Y$E'],
      ['*', '$N'],
    ]);
  });
});

describe('fixtures/example.mappings (the bundled example)', () => {
  it('has no findings at all', () => {
    const parsed = load('example.mappings');
    expect(found(parsed)).toEqual([]);
    expect(Object.fromEntries(parsed.tables.map((t) => [t.name, t.entries.length]))).toEqual({
      INTERNAL_IP: 3,
      PORT_ACCESS: 3,
      FROM_ACCESS: 2,
      ORIG_SEND_ACCESS: 4,
    });
  });

  it('holds the INTERNAL_IP fixture of access.md A25 (E66), with the loopback host bits clear', () => {
    expect(shape(load('example.mappings')).INTERNAL_IP).toEqual([
      ['$(127.0.0.0/8)', '$Y'],
      ['$(::1/128)', '$Y'],
      ['*', '$N'],
    ]);
  });
});
