// F3 (line classes), F4 (headers), F5 (table body), F6 (comments), F12 (duplicates), F13 (empty tables).
import { describe, expect, it } from 'vitest';
import { parseMappings } from '../../src/syntax/index.js';
import { file, found, shape } from './helpers.js';

describe('F3 — line classes', () => {
  it('treats empty and white-space-only lines as blank, anywhere', () => {
    const parsed = parseMappings(file(' ', '\t', 'T', '   ', '  a  b', '\t \t', ''));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('reports a column-1 line that is not a header, comment or include, and skips it (E6)', () => {
    const parsed = parseMappings(
      file(
        'ORIG_SEND_ACCESS',
        '',
        '  tcp_local|*|tcp_local|*     $N$D30|Relaying$ not$ allowed',
        '',
        '30|Relaying$ not$ allowed$D$N',
        '$N30|Relaying$ not$ allowed$D',
        '*  $Y',
        '.',
        'Ü  x',
      ),
    );
    expect(found(parsed)).toEqual([
      'unindented-line@5:1',
      'unindented-line@6:1',
      'unindented-line@7:1',
      'unindented-line@8:1',
      'unindented-line@9:1',
    ]);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', endLine: 5, endColumn: 30 });
    expect(shape(parsed).ORIG_SEND_ACCESS).toHaveLength(1);
  });

  it('accepts a tab as indentation', () => {
    expect(shape(parseMappings(file('T', '\ta\tb')))).toEqual({ T: [['a', 'b']] });
  });
});

describe('F4 — table headers', () => {
  it('upper-cases names and trims trailing white space', () => {
    const parsed = parseMappings(file('port_access \t', '  *  $Y', 'Internal_IP.v2-x', '  *  $N'));
    expect(found(parsed)).toEqual([]);
    expect(parsed.tables.map((t) => t.name)).toEqual(['PORT_ACCESS', 'INTERNAL_IP.V2-X']);
    expect(parsed.tables[0].span).toEqual({ file: '<input>', line: 1, column: 1, endLine: 1, endColumn: 12 });
  });

  it('reports a character outside the name set at that character and still opens the table', () => {
    const parsed = parseMappings(file('ORIG#SEND', '  *  $Y', 'Ab€c', '  x  y'));
    expect(found(parsed)).toEqual(['bad-table-name@1:5', 'bad-table-name@3:3']);
    expect(shape(parsed)).toEqual({ 'ORIG#SEND': [['*', '$Y']], 'AB€C': [['x', 'y']] });
  });

  it('reports text after the name at the column where it starts, and opens the table (E9)', () => {
    const parsed = parseMappings(file('INTERNAL_IP $(129.152.159.131/32) $Y 127.0.0.1 $Y * $N'));
    expect(found(parsed)).toEqual(['header-extra-text@1:13']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', endLine: 1, endColumn: 55 });
    expect(shape(parsed)).toEqual({ INTERNAL_IP: [] });
  });

  it('lets the entries after a header with extra text attach to it', () => {
    const parsed = parseMappings(file('T\textra  ', '  a  b'));
    expect(found(parsed)).toEqual(['header-extra-text@1:3']);
    expect(parsed.diagnostics[0]).toMatchObject({ endColumn: 8 });
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('reports a header ending in a lone `$` as extra text', () => {
    expect(found(parseMappings(file('T $')))).toEqual(['header-extra-text@1:3']);
  });
});

describe('F5 — table body', () => {
  it('needs no blank line after the header and ignores blank and comment lines between entries', () => {
    const parsed = parseMappings(file('T', '  a  1', '', '! note', '', '  b  2', 'U', '  c  3'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a', '1'], ['b', '2']], U: [['c', '3']] });
    expect(parsed.tables[0].entries.map((e) => e.index)).toEqual([1, 2]);
  });

  it('reports an entry before the first header at its pattern and discards it (E8)', () => {
    const parsed = parseMappings(file('  *|*|*|*  $Y', 'ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*  $N'));
    expect(found(parsed)).toEqual(['entry-outside-table@1:3']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', endColumn: 14 });
    expect(shape(parsed)).toEqual({ ORIG_SEND_ACCESS: [['tcp_local|*|tcp_local|*', '$N']] });
  });

  it('reports every entry outside a table, and nothing else about them', () => {
    expect(found(parseMappings(file('  $N  x', '  a  $|T')))).toEqual(['entry-outside-table@1:3', 'entry-outside-table@2:3']);
  });
});

describe('F6 — comments', () => {
  it('accepts `!` comments anywhere, and `!` or `#` elsewhere are ordinary characters', () => {
    const parsed = parseMappings(file('! top', 'T', '! between', '  a#b  c!d', '!'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a#b', 'c!d']] });
  });

  it('warns about an indented `!` line, which is an entry (E12)', () => {
    const parsed = parseMappings(file('T', '', '  !important  $Ybang'));
    expect(found(parsed)).toEqual(['indented-comment@3:3']);
    expect(parsed.diagnostics[0].severity).toBe('warning');
    expect(shape(parsed)).toEqual({ T: [['!important', '$Ybang']] });
  });
});

describe('F12 — duplicate tables', () => {
  it('reports the second header, keeps the first table and discards the entries under the duplicate (E7)', () => {
    const parsed = parseMappings(file('REVERSE', '', '   *@old.example   $0@new.example$Y', '', 'reverse', '', '   *@*   $N', '   !x  $N$'));
    expect(found(parsed)).toEqual(['duplicate-table@5:1']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', endColumn: 8 });
    expect(shape(parsed)).toEqual({ REVERSE: [['*@old.example', '$0@new.example$Y']] });
  });

  it('attaches entries to the next header after a duplicate again', () => {
    const parsed = parseMappings(file('A', '  a  1', 'A', '  b  2', 'B', '  c  3'));
    expect(shape(parsed)).toEqual({ A: [['a', '1']], B: [['c', '3']] });
  });
});

describe('F13 — empty tables', () => {
  it('keeps a table without entries', () => {
    const parsed = parseMappings(file('EMPTY', '', 'NEXT', '  a  b'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ EMPTY: [], NEXT: [['a', 'b']] });
  });
});
