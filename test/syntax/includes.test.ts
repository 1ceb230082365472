// F7: include files, through the in-memory reader and through the file system.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryReader } from '../../src/syntax/index.js';
import { loadMappings, parseMappings } from '../../src/syntax/node.js';
import { file, fixturesDir, found, shape } from './helpers.js';

/** Diagnostics as `file:code@line:column`, since includes report in other files. */
const where = (parsed: ReturnType<typeof parseMappings>): string[] =>
  parsed.diagnostics.map((d) => `${d.file}:${d.code}@${d.line}:${d.column}`);

const parseIn = (files: Record<string, string>, top: string) =>
  parseMappings(files[top], { file: top, readInclude: memoryReader(files) });

describe('F7 — includes through memoryReader', () => {
  it('replaces the include line with the file, whose entries join the open table (E14)', () => {
    const files = {
      '/cfg/mappings': file('SEND_ACCESS', '', '<send-extra.inc', '  *|*|*|*  $Y'),
      '/cfg/send-extra.inc': file('! blocked senders', '  *|spam@example.com|*|*  $NBlocked'),
    };
    const parsed = parseIn(files, '/cfg/mappings');
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ SEND_ACCESS: [['*|spam@example.com|*|*', '$NBlocked'], ['*|*|*|*', '$Y']] });
    expect(parsed.files).toEqual(['/cfg/mappings', '/cfg/send-extra.inc']);
    expect(parsed.tables[0].entries[0].patternSpan).toMatchObject({ file: '/cfg/send-extra.inc', line: 2, column: 3 });
    expect(parsed.tables[0].entries.map((e) => e.index)).toEqual([1, 2]);
  });

  it('reports a cycle at the include line of the file that closes it (E15)', () => {
    const parsed = parseIn({ '/cfg/a': file('<b'), '/cfg/b': file('<a') }, '/cfg/a');
    expect(where(parsed)).toEqual(['/cfg/b:include-cycle@1:2']);
    expect(parsed.diagnostics[0].severity).toBe('error');
  });

  it('reports a file including itself as a cycle', () => {
    expect(where(parseIn({ '/cfg/self': file('<./self') }, '/cfg/self'))).toEqual(['/cfg/self:include-cycle@1:2']);
  });

  it('reads three levels and reports the fourth at the include line of the depth-3 file (E15)', () => {
    const files = {
      '/cfg/m': file('T', '<d1'),
      '/cfg/d1': file('  one  1', '<d2'),
      '/cfg/d2': file('  two  2', '<d3'),
      '/cfg/d3': file('  three  3', '<d4'),
      '/cfg/d4': file('  four  4'),
    };
    const parsed = parseIn(files, '/cfg/m');
    expect(where(parsed)).toEqual(['/cfg/d3:include-depth@2:2']);
    expect(parsed.files).toEqual(['/cfg/m', '/cfg/d1', '/cfg/d2', '/cfg/d3']);
    expect(shape(parsed)).toEqual({ T: [['one', '1'], ['two', '2'], ['three', '3']] });
  });

  it('reports a missing file at the include line and parses the rest of the file (E15)', () => {
    const parsed = parseIn({ '/cfg/m': file('T', '<missing.inc', '  a  b') }, '/cfg/m');
    expect(where(parsed)).toEqual(['/cfg/m:include-missing@2:2']);
    expect(parsed.diagnostics[0].message).toContain('/cfg/missing.inc');
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('reports an include line with no file name at the `<`', () => {
    expect(where(parseIn({ '/m': file('<', '<  \t') }, '/m'))).toEqual(['/m:include-empty@1:1', '/m:include-empty@2:1']);
  });

  it('trims the spec and resolves relative paths against the including file, absolute ones as given', () => {
    const files = {
      '/cfg/m': file('<  sub/a.inc \t', '</abs/b.inc'),
      '/cfg/sub/a.inc': file('A', '<../c.inc'),
      '/cfg/c.inc': file('C'),
      '/abs/b.inc': file('B'),
    };
    const parsed = parseIn(files, '/cfg/m');
    expect(found(parsed)).toEqual([]);
    expect(parsed.tables.map((t) => t.name)).toEqual(['A', 'C', 'B']);
    expect(parsed.files).toEqual(['/cfg/m', '/cfg/sub/a.inc', '/cfg/c.inc', '/abs/b.inc']);
  });

  it('keeps a table opened in an included file open after the include (F5)', () => {
    const files = { '/m': file('A', '<t.inc', '  after  x'), '/t.inc': file('B', '  inside  y') };
    expect(shape(parseIn(files, '/m'))).toEqual({ A: [], B: [['inside', 'y'], ['after', 'x']] });
  });

  it('never continues a line across a file boundary', () => {
    const files = { '/m': file('T', '<t.inc', '  c  d'), '/t.inc': '  a  b\\\n' };
    const parsed = parseIn(files, '/m');
    expect(where(parsed)).toEqual(['/t.inc:continuation-at-eof@1:7']);
    expect(shape(parsed)).toEqual({ T: [['c', 'd']] });
  });

  it('reports problems of included files with their own file, line and column', () => {
    const files = { '/m': file('T', '<bad.inc'), '/bad.inc': file('! bad entries', '30|oops', '  x  $Q$') };
    expect(where(parseIn(files, '/m'))).toEqual(['/bad.inc:unindented-line@2:1', '/bad.inc:dangling-dollar@3:8']);
  });

  it('finds duplicate tables across files', () => {
    const files = { '/m': file('T', '<t.inc'), '/t.inc': file('t', '  a  b') };
    const parsed = parseIn(files, '/m');
    expect(where(parsed)).toEqual(['/t.inc:duplicate-table@1:1']);
    expect(parsed.diagnostics[0].message).toContain('/m:1');
  });

  it('decodes included bytes like the top-level file (F1)', () => {
    const reader = memoryReader({ '/t.inc': Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('  a  b\r\n')]) });
    const parsed = parseMappings(file('T', '<t.inc'), { file: '/m', readInclude: reader });
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('treats a reader that throws as a missing file', () => {
    const parsed = parseMappings(file('<x'), {
      file: '/m',
      readInclude: () => {
        throw new Error('boom');
      },
    });
    expect(where(parsed)).toEqual(['/m:include-missing@1:2']);
  });
});

describe('F7 — includes from the file system (fixtures/f07-includes.mappings, fixtures/invalid/f07-include-errors.mappings)', () => {
  const includes = path.join(fixturesDir, 'includes');
  const at = (name: string) => path.join(includes, name);
  const main = path.join(fixturesDir, 'f07-includes.mappings');
  const broken = path.join(fixturesDir, 'invalid', 'f07-include-errors.mappings');

  it('reads nested includes relative to each including file', () => {
    const parsed = loadMappings(main);
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({
      SEND_ACCESS: [['*|spam@example.com|*|*', '$NBlocked'], ['*|*|*|*', '$Y']],
      MORE: [['a', 'b'], ['c', 'd']],
    });
    expect(parsed.files).toEqual([
      main,
      at('send-blocked.inc'),
      at('tables/more.inc'),
      at('tables/nested.inc'),
    ]);
  });

  it('reports every include error at its include line, in the file that holds it', () => {
    const parsed = loadMappings(broken);
    expect(where(parsed)).toEqual([
      `${broken}:include-empty@4:1`,
      `${broken}:include-missing@5:2`,
      `${at('cycle-b.inc')}:include-cycle@2:2`,
      `${at('depth-3.inc')}:include-depth@2:2`,
      `${at('continued.inc')}:continuation-at-eof@2:7`,
    ]);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
    expect(parsed.files).not.toContain(at('depth-4.inc'));
  });

  it('keeps a relative top-level path relative in included file names', () => {
    const relative = path.relative(process.cwd(), main);
    const parsed = loadMappings(relative);
    expect(parsed.files[1]).toBe(path.join(path.dirname(relative), 'includes', 'send-blocked.inc'));
  });

  it('turns an unreadable top-level file into a diagnostic', () => {
    const parsed = loadMappings(at('no-such-file.mappings'));
    expect(where(parsed)).toEqual([`${at('no-such-file.mappings')}:unreadable-file@1:1`]);
    expect(parsed.tables).toEqual([]);
    expect(loadMappings(includes).diagnostics.map((d) => d.code)).toEqual(['unreadable-file']);
  });

  it('reads includes through a given reader when asked', () => {
    const parsed = loadMappings(main, { readInclude: memoryReader({}) });
    expect(found(parsed)).toEqual(['include-missing@4:2', 'include-missing@6:4']);
  });
});
