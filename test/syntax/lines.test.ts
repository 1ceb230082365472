// F1 (decoding, BOM, line ends) and F2 (continuation lines), at the level of parseMappings.
import { describe, expect, it } from 'vitest';
import { parseMappings, positionAt } from '../../src/syntax/index.js';
import { file, found, shape } from './helpers.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'utf8')] : part)));

describe('F1 — encoding and line ends', () => {
  it('removes a byte-order mark and the CR of CRLF (E16)', () => {
    const parsed = parseMappings(bytes([0xef, 0xbb, 0xbf], 'T\r\n\r\n  a  b\r\n'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('removes a byte-order mark from string input too, so column 1 is the first real character', () => {
    const parsed = parseMappings('\ufeffT\n  a  b\n');
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
    expect(parsed.tables[0].span).toMatchObject({ line: 1, column: 1 });
  });

  it('keeps a CR that is not part of CRLF as an ordinary character', () => {
    const parsed = parseMappings('T\n  x\ry  z\r\n');
    expect(shape(parsed)).toEqual({ T: [['x\ry', 'z']] });
  });

  it('decodes multi-byte UTF-8 and counts columns in UTF-16 units', () => {
    const parsed = parseMappings(bytes('T\n  ü*  $0\n  ö  $Q$\n'));
    expect(shape(parsed)).toEqual({ T: [['ü*', '$0']] });
    expect(found(parsed)).toEqual(['dangling-dollar@3:8']);
  });

  it('reports invalid UTF-8 at the first bad byte and skips only that entry', () => {
    const parsed = parseMappings(bytes('T\n  ü', [0xff], '  x\n  ok  y\n'));
    expect(found(parsed)).toEqual(['invalid-utf8@2:4']);
    expect(parsed.diagnostics[0].severity).toBe('error');
    expect(shape(parsed)).toEqual({ T: [['ok', 'y']] });
  });

  it('reports a multi-byte sequence cut short at the end of a line', () => {
    const parsed = parseMappings(bytes('T\n  a  b', [0xc3], '\n  c  d\n'));
    expect(found(parsed)).toEqual(['invalid-utf8@2:7']);
    expect(shape(parsed)).toEqual({ T: [['c', 'd']] });
  });

  it('reports invalid UTF-8 in a comment line, once per line', () => {
    const parsed = parseMappings(bytes('! caf', [0xe9], ' ', [0xe9], '\nT\n  a  b\n'));
    expect(found(parsed)).toEqual(['invalid-utf8@1:6']);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('names the file the caller gives, or <input>', () => {
    expect(parseMappings('$\n', { file: 'cfg/mappings' }).diagnostics[0].file).toBe('cfg/mappings');
    expect(parseMappings('$\n').diagnostics[0].file).toBe('<input>');
  });

  it('accepts an empty file and a file without a final line end', () => {
    expect(parseMappings('')).toEqual({ tables: [], diagnostics: [], files: ['<input>'], includes: [] });
    expect(shape(parseMappings('T\n  a  b'))).toEqual({ T: [['a', 'b']] });
  });
});

describe('F2 — continuation lines', () => {
  it('joins lines ending in a backslash; the next line may start in column 1 (E3)', () => {
    const parsed = parseMappings(
      file('ORIG_SEND_ACCESS', '  tcp_local|*|tcp_local|* \\', '$NRelaying$ \\', 'not$ allowed'),
    );
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ ORIG_SEND_ACCESS: [['tcp_local|*|tcp_local|*', '$NRelaying$ not$ allowed']] });
  });

  it('does not continue a line whose backslash is the second half of `$\\` (E5, F2.1)', () => {
    const parsed = parseMappings(file('LOWER', '', '  A*  $\\', '  *   $0'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ LOWER: [['A*', '$\\'], ['*', '$0']] });
  });

  it('pairs `$` from column 1, so `$$\\` continues', () => {
    expect(shape(parseMappings(file('T', '  a  b$$\\', 'c')))).toEqual({ T: [['a', 'b$$c']] });
  });

  it('removes white space after the backslash and keeps white space before it (F2.2)', () => {
    expect(shape(parseMappings(file('T', '  a  b\\  \t', 'c')))).toEqual({ T: [['a', 'bc']] });
    expect(shape(parseMappings(file('T', '  abc \\', 'def')))).toEqual({ T: [['abc', 'def']] });
  });

  it('appends the next line verbatim: never a header, comment or include (F2.3)', () => {
    expect(shape(parseMappings(file('T', '  a  b\\', '!c', '  d  e\\', '<f', '  g  h\\', 'TABLE')))).toEqual({
      T: [['a', 'b!c'], ['d', 'e<f'], ['g', 'hTABLE']],
    });
  });

  it('chains several continuations into one logical line', () => {
    expect(shape(parseMappings(file('T', '  a\\', 'b\\', 'c  d\\', 'e')))).toEqual({ T: [['abc', 'de']] });
  });

  it('never continues a comment line (F2.4)', () => {
    const parsed = parseMappings(file('T', '! a comment \\', '  a  b'));
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('continues into an empty line, which ends the logical line', () => {
    expect(shape(parseMappings(file('T', '  a  b\\', '', '  c  d')))).toEqual({ T: [['a', 'b'], ['c', 'd']] });
  });

  it('reports a continuation on the last line at the backslash and drops that line (E17, F2.5)', () => {
    const parsed = parseMappings(file('T', '', '  a  b\\'));
    expect(found(parsed)).toEqual(['continuation-at-eof@3:7']);
    expect(parsed.diagnostics[0].severity).toBe('error');
    expect(shape(parsed)).toEqual({ T: [] });
    expect(found(parseMappings('T\n  a  b \\  '))).toEqual(['continuation-at-eof@2:8']);
  });

  it('keeps every character at its physical line and column (pattern across a join)', () => {
    const parsed = parseMappings(file('T', '  tcp_intranet|*|\\', 'tcp_local|*  $Y'));
    const [entry] = parsed.tables[0].entries;
    expect(entry.pattern).toBe('tcp_intranet|*|tcp_local|*');
    expect(entry.patternOrigin.segments).toEqual([
      { offset: 0, line: 2, column: 3 },
      { offset: 15, line: 3, column: 1 },
    ]);
    expect(entry.patternSpan).toEqual({ file: '<input>', line: 2, column: 3, endLine: 3, endColumn: 12 });
    expect(entry.templateSpan).toEqual({ file: '<input>', line: 3, column: 14, endLine: 3, endColumn: 16 });
  });

  it('keeps the template pieces of continuation lines at their own lines (E3)', () => {
    const parsed = parseMappings(file('T', '  a \\', '$NRelaying$ \\', 'not$ allowed'));
    const [entry] = parsed.tables[0].entries;
    expect(entry.templateOrigin.segments).toEqual([
      { offset: 0, line: 3, column: 1 },
      { offset: 12, line: 4, column: 1 },
    ]);
    expect(positionAt(entry.templateOrigin, 14)).toEqual({ line: 4, column: 3 });
    expect(entry.templateSpan).toMatchObject({ line: 3, column: 1, endLine: 4, endColumn: 13 });
  });

  it('places a problem of a continued template on its physical line', () => {
    const parsed = parseMappings(file('T', '  a  $|T;\\', '$Y|'));
    expect(found(parsed)).toEqual(['flag-in-argument@3:1']);
  });
});

describe('positionAt', () => {
  const origin = {
    file: 'f',
    segments: [
      { offset: 0, line: 2, column: 5 },
      { offset: 4, line: 3, column: 1 },
    ],
  };

  it('maps an offset to its segment, continuing along the line', () => {
    expect(positionAt(origin, 0)).toEqual({ line: 2, column: 5 });
    expect(positionAt(origin, 3)).toEqual({ line: 2, column: 8 });
    expect(positionAt(origin, 4)).toEqual({ line: 3, column: 1 });
    expect(positionAt(origin, 9)).toEqual({ line: 3, column: 6 });
  });

  it('counts from the top of the file for an origin without segments', () => {
    expect(positionAt({ file: 'f', segments: [] }, 3)).toEqual({ line: 1, column: 4 });
  });
});
