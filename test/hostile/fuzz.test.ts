// F17: whole hostile files (deep nesting, long lines, NUL and control characters, includes of
// non-regular files) never make the parser or the linter throw, and every diagnostic lies inside its file.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileSystemReader, lintMappings, parseMappings } from '../../src/index.js';
import { hostileFolder } from './helpers.js';

const folder = hostileFolder({ 'plain.inc': 'T2\n  i  $Y\n' });
mkdirSync(path.join(folder, 'dir'));
execFileSync('mkfifo', [path.join(folder, 'fifo')]);
const FILE = path.join(folder, 'fuzz.mappings');

const opener = fc.constantFrom('${', '$|T;', '$[a,b,', '$]', '$}', '$|', '$[');
const fragment = fc.oneof(
  fc.constantFrom('T1\n', '  a  $Y\n', '  *  ', '\n', '$', '\\\n', '!c\n', '}', '|', ']', '[', '{', '\t', '\r', '\r\n'),
  fc.constantFrom('\u0000', '\u001b[2J', '\u0007', '\u007f', '\u0001', '\u009b'),
  fc.constantFrom('</dev/zero\n', '<fifo\n', '<dir\n', '<plain.inc\n', '<missing\n'),
  fc.tuple(opener, fc.integer({ min: 60, max: 200 })).map(([open, depth]) => open.repeat(depth)),
  fc.tuple(fc.constantFrom('b', '$ ', ' b', '$$'), fc.integer({ min: 100, max: 2000 })).map(([unit, count]) => unit.repeat(count)),
  fc.constant('b'.repeat(1_100_000)),
  fc.string({ maxLength: 8 }),
);
const hostileFile = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(''));

/** Physical lines per F1 (a CR ending a line is not part of it), computed apart from the parser. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

describe('F17 fuzz over whole hostile files', () => {
  it('nothing throws and every diagnostic of the top-level file is inside it', () => {
    const readInclude = fileSystemReader(folder);
    fc.assert(
      fc.property(hostileFile, (text) => {
        const parsed = parseMappings(text, { file: FILE, readInclude });
        lintMappings(parsed, { readFile: () => text });
        const lines = linesOf(text);
        for (const d of parsed.diagnostics.filter((diagnostic) => diagnostic.file === FILE)) {
          const where = `${d.code} at ${d.line}:${d.column} of ${lines.length} lines`;
          expect(d.line, where).toBeGreaterThanOrEqual(1);
          expect(d.line, where).toBeLessThanOrEqual(Math.max(1, lines.length));
          expect(d.column, where).toBeGreaterThanOrEqual(1);
          expect(d.column, where).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
