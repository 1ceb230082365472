// F8 (entry split), F9 (missing template), F10 (dropped white space), F11 (size limits), and how the
// pattern and template grammars' problems are placed in the file.
import { describe, expect, it } from 'vitest';
import { parseMappings } from '../../src/syntax/index.js';
import { file, found, shape } from './helpers.js';

describe('F8 — entry syntax', () => {
  it('splits at the first unquoted white space; `$ ` and `$<TAB>` stay in the pattern', () => {
    const parsed = parseMappings(file('T', '  H|%:*$  $Y', '  a$\tb\tc', '  x$$ y'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['H|%:*$ ', '$Y'], ['a$\tb', 'c'], ['x$$', 'y']] });
  });

  it('removes unquoted white space from the template and keeps quoted white space', () => {
    const parsed = parseMappings(file('T', '  *|norman@siroe.com|tcp_local|*  $NInternet$ access$ not$ permitted'));
    expect(shape(parsed).T).toEqual([['*|norman@siroe.com|tcp_local|*', '$NInternet$ access$ not$ permitted']]);
  });

  it('reads `$$ x` as `$$`, then white space that is dropped', () => {
    expect(shape(parseMappings(file('T', '  a  $$ x')))).toEqual({ T: [['a', '$$x']] });
  });

  it('gives each entry its text, parsed items, captures, origins and spans', () => {
    const parsed = parseMappings(file('T', '', '  *@*   $1$Y'), { file: 'm' });
    const [entry] = parsed.tables[0].entries;
    expect(entry).toMatchObject({ table: 'T', index: 1, pattern: '*@*', template: '$1$Y', captureCount: 2 });
    expect(entry.patternItems.map((item) => item.kind)).toEqual(['wildcard', 'literal', 'wildcard']);
    expect(entry.templateNodes.map((node) => node.kind)).toEqual(['capture', 'flag']);
    expect(entry.patternOrigin).toEqual({ file: 'm', segments: [{ offset: 0, line: 3, column: 3 }] });
    expect(entry.templateOrigin).toEqual({ file: 'm', segments: [{ offset: 0, line: 3, column: 9 }] });
    expect(entry.patternSpan).toEqual({ file: 'm', line: 3, column: 3, endLine: 3, endColumn: 6 });
    expect(entry.templateSpan).toEqual({ file: 'm', line: 3, column: 9, endLine: 3, endColumn: 13 });
  });

  it('reports a `$` at the end of the line at its column, in pattern or template, and skips the entry', () => {
    const parsed = parseMappings(file('T', '  broken  $N$', '  abc$', '   $', '  ok  $Y'));
    expect(found(parsed)).toEqual(['dangling-dollar@2:13', 'dangling-dollar@3:6', 'dangling-dollar@4:4']);
    expect(parsed.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(shape(parsed)).toEqual({ T: [['ok', '$Y']] });
  });

  it('places a bad `$` of a pattern at its exact column with the missing-separator hint', () => {
    const parsed = parseMappings(file('PORT_ACCESS', '  TCP|*|25|*|*$N500$ Please$ go$ away'));
    // The whole line is one pattern, so it also has no template.
    expect(found(parsed)).toEqual(['empty-template@2:3', 'undefined-pattern-escape@2:15']);
    expect(parsed.diagnostics[1].hint).toMatch(/white space between pattern and template missing/);
    expect(shape(parsed)).toEqual({ PORT_ACCESS: [] });
  });

  it('places a template problem after dropped white space at its physical column', () => {
    const parsed = parseMappings(file('T', '  a    x  y   $|T'));
    expect(found(parsed).filter((f) => f.startsWith('unterminated'))).toEqual(['unterminated-construct@2:15']);
  });

  it('skips an entry with an error but keeps the table and the other entries', () => {
    const parsed = parseMappings(file('T', '  $Q  x', '  a  b'));
    expect(found(parsed)).toEqual(['undefined-pattern-escape@2:3']);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
    expect(parsed.tables[0].entries[0].index).toBe(1);
  });

  it('keeps entries whose problems are only warnings', () => {
    const parsed = parseMappings(file('INTERNAL_IP', '  $(123.45.67.89/24)   $Y'));
    expect(found(parsed)).toEqual(['host-bits-set@2:3']);
    expect(shape(parsed).INTERNAL_IP).toHaveLength(1);
  });
});

describe('F9 — missing template', () => {
  it('gives an entry without a template the empty template, with a warning at the pattern (E11)', () => {
    const parsed = parseMappings(file('T', '', '  none-here', '  *          x', '  trailing   '));
    expect(found(parsed)).toEqual(['empty-template@3:3', 'empty-template@5:3']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'warning', endColumn: 12 });
    expect(shape(parsed)).toEqual({ T: [['none-here', ''], ['*', 'x'], ['trailing', '']] });
    const [entry] = parsed.tables[0].entries;
    expect(entry.templateNodes).toEqual([]);
    expect(entry.templateSpan).toEqual({ file: '<input>', line: 3, column: 12, endLine: 3, endColumn: 12 });
  });
});

describe('F10 — dropped white space', () => {
  it('warns at the first run of white space dropped between template pieces (E10)', () => {
    const parsed = parseMappings(file('INTERNAL_IP', '', '  $(192.0.2.10/32)   $Y # mail relay, added 2004-05-01', '  *  $N'));
    expect(found(parsed)).toEqual(['dropped-whitespace@3:24']);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'warning', endColumn: 25 });
    expect(shape(parsed).INTERNAL_IP[0]).toEqual(['$(192.0.2.10/32)', '$Y#mailrelay,added2004-05-01']);
  });

  it('does not warn about white space after the last piece', () => {
    expect(found(parseMappings(file('T', '  a  b  \t')))).toEqual([]);
  });

  it('never warns about white space next to a continuation join (E4 layout)', () => {
    const parsed = parseMappings(file('T', '  *@*  $C$[/opt/site/lib/check.so,  \\', 'check_sender,$1]$E'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed).T).toEqual([['*@*', '$C$[/opt/site/lib/check.so,check_sender,$1]$E']]);
    expect(found(parseMappings(file('T', '  a  b\\', '     c')))).toEqual([]);
    expect(found(parseMappings(file('T', '  a  b   \\', '     c')))).toEqual([]);
  });

  it('still warns about white space elsewhere on a continued line', () => {
    expect(found(parseMappings(file('T', '  a  b c\\', 'd')))).toEqual(['dropped-whitespace@2:7']);
    expect(found(parseMappings(file('T', '  a  b\\', 'c d')))).toEqual(['dropped-whitespace@3:2']);
  });
});

describe('F11 — size limits', () => {
  it('warns above 256 pattern and 1024 template characters, never errs, and keeps the entry', () => {
    const parsed = parseMappings(
      file('T', `  ${'p'.repeat(256)}  ${'t'.repeat(1024)}`, `  ${'q'.repeat(257)}  ${'u'.repeat(1025)}`),
    );
    expect(found(parsed)).toEqual(['long-pattern@3:3', 'long-template@3:262']);
    expect(parsed.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(parsed.tables[0].entries).toHaveLength(2);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(found(parseMappings(file('T', `  ${'😀'.repeat(200)}  x`)))).toEqual([]);
    expect(found(parseMappings(file('T', `  ${'😀'.repeat(257)}  x`)))).toEqual(['long-pattern@2:3']);
  });
});
