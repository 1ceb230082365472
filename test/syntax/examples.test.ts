// examples.md E1–E18 at parse level (E4 and E13: parse shape only).
import { describe, expect, it } from 'vitest';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import { file, found, shape } from './helpers.js';

describe('examples.md section 1 (file format)', () => {
  it('E1 — basic table layout, header with a trailing space, last line of spaces', () => {
    const parsed = parseMappings(
      file('INTERNAL_IP ', '', '   $(123.45.67.89/32)   $Y', '   127.0.0.1            $Y', '   *   $N', '      '),
    );
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({
      INTERNAL_IP: [
        ['$(123.45.67.89/32)', '$Y'],
        ['127.0.0.1', '$Y'],
        ['*', '$N'],
      ],
    });
  });

  it('E2 — comments between entries, a one-space line after the header', () => {
    const parsed = parseMappings(
      file(
        'ORIG_SEND_ACCESS',
        ' ',
        '! Users allowed to send to Internet',
        '!',
        '  *|adam@siroe.com|tcp_local|*    $Y',
        '! Users not allowed to send to Internet',
        '  *|norman@siroe.com|tcp_local|*  $NInternet$ access$ not$ permitted',
      ),
    );
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({
      ORIG_SEND_ACCESS: [
        ['*|adam@siroe.com|tcp_local|*', '$Y'],
        ['*|norman@siroe.com|tcp_local|*', '$NInternet$ access$ not$ permitted'],
      ],
    });
  });

  it('E3 — continuation lines', () => {
    const parsed = parseMappings(file('ORIG_SEND_ACCESS', '  tcp_local|*|tcp_local|* \\', '$NRelaying$ \\', 'not$ allowed'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ ORIG_SEND_ACCESS: [['tcp_local|*|tcp_local|*', '$NRelaying$ not$ allowed']] });
  });

  it('E4 — a break inside a routine argument list (shape)', () => {
    const parsed = parseMappings(file('SITE_CHECK', '', '  *@*  $C$[/opt/site/lib/check.so,  \\', 'check_sender,$1]$E'));
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shape(parsed)).toEqual({ SITE_CHECK: [['*@*', '$C$[/opt/site/lib/check.so,check_sender,$1]$E']] });
    const routine = parsed.tables[0].entries[0].templateNodes.find((node) => node.kind === 'routine');
    expect(routine).toMatchObject({ image: '/opt/site/lib/check.so', routine: 'check_sender' });
  });

  it('E5 — `$\\` at the end of a line is not a continuation', () => {
    const parsed = parseMappings(file('LOWER', '', '  A*  $\\', '  *   $0'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ LOWER: [['A*', '$\\'], ['*', '$0']] });
  });

  it('E6 — unindented lines are errors', () => {
    const parsed = parseMappings(
      file(
        'ORIG_SEND_ACCESS',
        '',
        '  tcp_local|*|tcp_local|*     $N$D30|Relaying$ not$ allowed',
        '',
        '30|Relaying$ not$ allowed$D$N',
        '$N30|Relaying$ not$ allowed$D',
      ),
    );
    expect(found(parsed)).toEqual(['unindented-line@5:1', 'unindented-line@6:1']);
    expect(shape(parsed)).toEqual({ ORIG_SEND_ACCESS: [['tcp_local|*|tcp_local|*', '$N$D30|Relaying$ not$ allowed']] });
  });

  it('E7 — duplicate table', () => {
    const parsed = parseMappings(file('REVERSE', '', '   *@old.example   $0@new.example$Y', '', 'REVERSE', '', '   *@*             $N'));
    expect(found(parsed)).toEqual(['duplicate-table@5:1']);
    expect(shape(parsed)).toEqual({ REVERSE: [['*@old.example', '$0@new.example$Y']] });
  });

  it('E8 — entry before any header', () => {
    const parsed = parseMappings(file('  *|*|*|*  $Y', 'ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*  $N'));
    expect(found(parsed)).toEqual(['entry-outside-table@1:3']);
    expect(shape(parsed)).toEqual({ ORIG_SEND_ACCESS: [['tcp_local|*|tcp_local|*', '$N']] });
  });

  it('E9 — a whole table flattened onto the header line', () => {
    const parsed = parseMappings(file('INTERNAL_IP $(129.152.159.131/32) $Y 127.0.0.1 $Y * $N'));
    expect(found(parsed)).toEqual(['header-extra-text@1:13']);
    expect(shape(parsed)).toEqual({ INTERNAL_IP: [] });
  });

  it('E10 — text after the template is concatenated', () => {
    const parsed = parseMappings(file('INTERNAL_IP', '', '  $(192.0.2.10/32)   $Y # mail relay, added 2004-05-01', '  *                  $N'));
    expect(found(parsed)).toEqual(['dropped-whitespace@3:24']);
    expect(shape(parsed)).toEqual({
      INTERNAL_IP: [
        ['$(192.0.2.10/32)', '$Y#mailrelay,added2004-05-01'],
        ['*', '$N'],
      ],
    });
  });

  it('E11 — entry without a template', () => {
    const parsed = parseMappings(file('T', '', '  none-here', '  *          x'));
    expect(found(parsed)).toEqual(['empty-template@3:3']);
    expect(shape(parsed)).toEqual({ T: [['none-here', ''], ['*', 'x']] });
  });

  it('E12 — an indented `!` line is an entry', () => {
    const parsed = parseMappings(file('T', '', '  !important  $Ybang'));
    expect(found(parsed)).toEqual(['indented-comment@3:3']);
    expect(shape(parsed)).toEqual({ T: [['!important', '$Ybang']] });
  });

  it('E13 — table names are case-insensitive (shape)', () => {
    const parsed = parseMappings(file('outer', '', '  *  $C$|inner;$0|$E', '  *  no', '', 'Inner', '', '  a*  $Yyes'));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ OUTER: [['*', '$C$|inner;$0|$E'], ['*', 'no']], INNER: [['a*', '$Yyes']] });
    expect(parsed.tables[0].entries[0].templateNodes.find((node) => node.kind === 'mapping')).toMatchObject({ table: 'INNER' });
  });

  it('E14 — include files', () => {
    const files = {
      '/cfg/mappings': file('SEND_ACCESS', '', '<send-extra.inc', '  *|*|*|*  $Y'),
      '/cfg/send-extra.inc': file('! blocked senders', '  *|spam@example.com|*|*  $NBlocked'),
    };
    const parsed = parseMappings(files['/cfg/mappings'], { file: '/cfg/mappings', readInclude: memoryReader(files) });
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ SEND_ACCESS: [['*|spam@example.com|*|*', '$NBlocked'], ['*|*|*|*', '$Y']] });
  });

  describe('E15 — include errors', () => {
    const parseIn = (files: Record<string, string>, top: string) =>
      parseMappings(files[top], { file: top, readInclude: memoryReader(files) });
    const where = (parsed: ReturnType<typeof parseMappings>) => parsed.diagnostics.map((d) => `${d.file}:${d.code}@${d.line}`);

    it('a cycle is reported at line 1 of /cfg/b', () => {
      expect(where(parseIn({ '/cfg/a': '<b', '/cfg/b': '<a' }, '/cfg/a'))).toEqual(['/cfg/b:include-cycle@1']);
    });

    it('a fourth level is reported at the include line of /cfg/d3; d1–d3 are read', () => {
      const parsed = parseIn({ '/cfg/m': '<d1', '/cfg/d1': '<d2', '/cfg/d2': '<d3', '/cfg/d3': '<d4', '/cfg/d4': '' }, '/cfg/m');
      expect(where(parsed)).toEqual(['/cfg/d3:include-depth@1']);
      expect(parsed.files).toEqual(['/cfg/m', '/cfg/d1', '/cfg/d2', '/cfg/d3']);
    });

    it('a missing file is reported at its include line; the rest of the file is parsed', () => {
      const parsed = parseIn({ '/cfg/m': file('T', '<missing.inc', '  a  b') }, '/cfg/m');
      expect(where(parsed)).toEqual(['/cfg/m:include-missing@2']);
      expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
    });
  });

  it('E16 — byte-order mark and CRLF', () => {
    const parsed = parseMappings(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('T\r\n\r\n  a  b\r\n')]));
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({ T: [['a', 'b']] });
  });

  it('E17 — continuation on the last line', () => {
    const parsed = parseMappings(file('T', '', '  a  b\\'));
    expect(found(parsed)).toEqual(['continuation-at-eof@3:7']);
    expect(shape(parsed)).toEqual({ T: [] });
  });

  it('E18 — documentation skeleton', () => {
    const parsed = parseMappings(
      file('TABLE1_NAME', '', '   pattern1-1    template1-1', '      .              .', '   pattern1-n    template1-n'),
    );
    expect(found(parsed)).toEqual([]);
    expect(shape(parsed)).toEqual({
      TABLE1_NAME: [
        ['pattern1-1', 'template1-1'],
        ['.', '.'],
        ['pattern1-n', 'template1-n'],
      ],
    });
  });
});
