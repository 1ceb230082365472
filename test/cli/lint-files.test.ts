// `imsmap lint FILE…` run through runCli with captured streams.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImsmap, type CliRun } from './harness.js';

/** `imsmap lint <args>` in the repository. */
function lint(...args: string[]): Promise<CliRun> {
  return runImsmap(['lint', ...args]);
}

describe('imsmap lint', () => {
  it('exits 0 on a clean file and says so in the summary', async () => {
    const { status, stdout } = await lint('fixtures/example.mappings');
    expect(status).toBe(0);
    expect(stdout).toBe('1 file checked: 0 errors, 0 warnings, 0 infos\n');
  });

  it('exits 0 on a file with warnings only and prints each with a code frame', async () => {
    const { status, stdout } = await lint('fixtures/f09-missing-template.mappings');
    expect(status).toBe(0);
    expect(stdout).toBe(
      [
        'fixtures/f09-missing-template.mappings:4:3: warning: entry has no template: when it matches, the output is the empty string [empty-template]',
        '    none-here',
        '    ^~~~~~~~~',
        '1 file checked: 0 errors, 1 warning, 0 infos',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on errors, puts the caret under the column and prints the hint', async () => {
    const { status, stdout } = await lint('fixtures/invalid/f08-entry-syntax.mappings');
    expect(status).toBe(1);
    // The file's ORIG_SEND_ACCESS has no anti-relay entry: the lint stage adds that as an info (test/lint).
    expect(stdout.split('\n').slice(4)).toEqual([
      'fixtures/invalid/f08-entry-syntax.mappings:7:13: error: dangling "$" at the end of the line [dangling-dollar]',
      '    broken  $N$',
      '              ^',
      '  hint: write "$$" for a literal dollar sign',
      '1 file checked: 1 error, 0 warnings, 1 info',
      '',
    ]);
  });

  it('names included files as reached from the path given, and quotes their lines', async () => {
    const { status, stdout } = await lint('fixtures/invalid/f07-include-errors.mappings');
    expect(status).toBe(1);
    expect(stdout).toContain('fixtures/includes/cycle-b.inc:2:2: error: include cycle: "fixtures/includes/cycle-a.inc" is already being read [include-cycle]\n');
    expect(stdout).toContain('\n  <cycle-a.inc\n   ^~~~~~~~~~~\n');
    expect(stdout).toContain('fixtures/includes/continued.inc:2:7: error: continuation at end of file: the last line ends in a backslash [continuation-at-eof]\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked: 5 errors, 0 warnings, 0 infos');
  });

  it('quotes a line with invalid UTF-8 as decoded, caret under the bad byte', async () => {
    const { stdout } = await lint('fixtures/invalid/f01-invalid-utf8.mappings');
    expect(stdout).toContain('fixtures/invalid/f01-invalid-utf8.mappings:4:6: error: invalid UTF-8 byte sequence [invalid-utf8]\n');
    expect(stdout).toContain('\n    caf\ufffd  $Y\n       ^\n');
  });

  it('keeps tabs before the column in the caret line so that it stays aligned', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-lint-'));
    const mappings = path.join(folder, 'tabs.mappings');
    writeFileSync(mappings, 'T\n\tab\t$Y$\n');
    const { status, stdout } = await lint(mappings);
    expect(status).toBe(1);
    expect(stdout).toContain(`${mappings}:2:7: error: dangling "$" at the end of the line [dangling-dollar]\n`);
    expect(stdout).toContain('\n  \tab\t$Y$\n  \t  \t  ^\n');
  });

  it('cuts a long source line to a window around the column', async () => {
    const { status, stdout } = await lint('fixtures/f11-size-limits.mappings');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('fixtures/f11-size-limits.mappings:5:262: warning: ') && line.endsWith(' [long-template]'));
    expect(lines[at + 1]).toBe(`  …${'q'.repeat(18)}  ${'u'.repeat(100)}…`);
    expect(lines[at + 2]).toBe(`  ${' '.repeat(21)}^${'~'.repeat(99)}`);
  });

  it('checks several files and exits 2 when one cannot be read, still reporting the others', async () => {
    const { status, stdout } = await lint('fixtures/f09-missing-template.mappings', 'fixtures/no-such.mappings');
    expect(status).toBe(2);
    expect(stdout).toContain('fixtures/f09-missing-template.mappings:4:3: warning: entry has no template: when it matches, the output is the empty string [empty-template]\n');
    expect(stdout).toContain('fixtures/no-such.mappings:1:1: error: cannot read the file: no such file [unreadable-file]\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('2 files checked: 1 error, 1 warning, 0 infos');
  });

  it('prints one JSON object per diagnostic per line with --format json', async () => {
    const { status, stdout } = await lint('--format', 'json', 'fixtures/invalid/f03-unindented.mappings');
    expect(status).toBe(1);
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      severity: 'error',
      code: 'unindented-line',
      message: 'entries must be indented',
      file: 'fixtures/invalid/f03-unindented.mappings',
      line: 5,
      column: 1,
      endLine: 5,
      endColumn: 30,
      hint: expect.any(String),
    });
  });

  it('prints nothing but exits 0 for a clean file in JSON', async () => {
    expect(await lint('-f', 'json', 'fixtures/example.mappings')).toMatchObject({ status: 0, output: '' });
  });

  it('exits 2 with usage for an unknown format or no files', async () => {
    const unknown = await lint('--format', 'xml', 'fixtures/example.mappings');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown format 'xml'");
    const none = await lint();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: imsmap lint');
  });
});
