// F17: NUL is an error, other controls warnings, and no control character reaches the terminal raw (issue 11, item 7).
import { describe, expect, it } from 'vitest';
import { parseMappings } from '../../src/index.js';
import { escapeControls } from '../../src/public/syntax.js';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder, placed } from './helpers.js';

/** Any C0 control but TAB and LF, DEL, or a C1 control. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('F17 control-character', () => {
  it('makes NUL an error that skips the entry, and ESC, BEL and a lone CR warnings', () => {
    const parsed = parseMappings('T1\n  a  b\u0000c\n  d  e\u001b[31mred\u0007\n  f  g\rh\r\n');
    expect(placed(parsed.diagnostics).concat(parsed.diagnostics.map((d) => d.severity))).toEqual([
      'control-character@2:7',
      'control-character@3:7',
      'control-character@4:7',
      'error',
      'warning',
      'warning',
    ]);
    expect(parsed.tables[0]!.entries.map((entry) => entry.pattern)).toEqual(['d', 'f']);
  });

  it('escapes controls for printing', () => {
    expect(escapeControls('a\u001b[2Jb\u0007c\rd\u0000e\tf\u009b')).toBe('a\\x1b[2Jb\\x07c\\rd\\u0000e\tf\\x9b');
  });

  it('lint (text and github), test and decide print no raw control character', async () => {
    const hostile = 'T1\n  a\u001b]0;pwn\u0007  b\u001b[2J\r\n  x  $Y\u0000\nORIG_SEND_ACCESS\n  *  $N\u001b[31m\n';
    const folder = hostileFolder({ m: hostile });
    const file = `${folder}/m`;
    const runs = [
      await runImsmap(['lint', file]),
      await runImsmap(['lint', '--format', 'github', file]),
      await runImsmap(['test', file, '--table', 'T1', 'a\u001b]0;pwn\u0007', 'q\u001bz']),
      await runImsmap(['decide', file, '{"stage":"mail","srcChannel":"tcp_local","from":"a@b\u001b.example"}', 'x\u001b']),
      await runImsmap(['match', '$*', 'z\u001b[2Jz']),
    ];
    for (const run of runs) {
      expect(run.stdout, run.stdout).not.toMatch(RAW_CONTROL);
      expect(run.stderr, run.stderr).not.toMatch(RAW_CONTROL);
    }
    expect(runs[0]!.stdout).toContain('\\x1b');
  });
});
