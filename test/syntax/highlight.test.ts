// The editor colouring of the playground: runs from the project's own lexers (F3–F8, P, T).
import { describe, expect, test } from 'vitest';
import { highlightMappings, type HighlightToken } from '../../src/syntax/index.js';

/** Each run as `kind:text`, for reading the expectations as the file looks. */
function runs(text: string): string[] {
  const lines = text.split('\n');
  return highlightMappings(text).map((t: HighlightToken) => `${t.kind}:${lines[t.line - 1]!.slice(t.start, t.start + t.length)}`);
}

describe('highlightMappings', () => {
  test('comments, includes, table names, wildcards, IP forms, flags and controls', () => {
    const text = ['! a comment', '<more.mappings', 'PORT_ACCESS', '', '  TCP|*|25|$(10.0.0.0/8)|*  $C$|INTERNAL_IP;$3|$Y$E', '  %  $N'].join('\n');
    expect(runs(text)).toEqual([
      'comment:! a comment',
      'include:<more.mappings',
      'table:PORT_ACCESS',
      'wildcard:*',
      'ip:$(10.0.0.0/8)',
      'wildcard:*',
      'control:$C',
      'lookup:$|INTERNAL_IP;',
      'capture:$3',
      'lookup:|',
      'flag:$Y',
      'control:$E',
      'wildcard:%',
      'flag:$N',
    ]);
  });

  test('mistakes the parser reports are marked invalid where they stand', () => {
    const text = ['T extra', '1 unindented', '', '  a  b$', '  a  $1$[x'].join('\n');
    expect(runs(text)).toEqual(['table:T', 'invalid:extra', 'invalid:1 unindented', 'invalid:$', 'capture:$1', 'invalid:$[']);
  });

  test('a line continued from the one before is coloured as template text (F2)', () => {
    const text = ['T', '', '  a  $Y\\', '$E'].join('\n');
    expect(runs(text)).toEqual(['table:T', 'flag:$Y', 'control:$E']);
  });
});
