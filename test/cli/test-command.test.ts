// `imsmap test` (format.md X1, X2, X4; examples.md E94), run through runCli with captured streams.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderWith, runImsmap } from './harness.js';

// E94's file: the table of E39 followed by the table of E40.
const E94_FILE = [
  'SEND_ACCESS',
  '',
  ' *|Elvis1@sesta.com|*|*      $Y',
  ' *|Nelson7@sesta.com|*|*     $Y',
  ' *|AkiraK@sesta.com|*|*      $Y',
  ' *|*@sesta.com|*|*           $NMail$ Blocked',
  '',
  'ORIG_SEND_ACCESS',
  '',
  '  tcp_local|*|tcp_local|*     $N$D30|Relaying$ not$ allowed',
  '',
].join('\n');

const folder = folderWith({
  mappings: E94_FILE,
  nested: ['OUTER', '', '  *|*  $C$|KNOWN;$1|$Y$E', '  *|*  $NUnknown$ user$ $1', '', 'KNOWN', '', '  alice  ok$Y$D', '  *  $N', ''].join('\n'),
  flags: ['FT', '', '  *  $:T$Ytls', '  *  $Nplain', ''].join('\n'),
  broken: ['GOOD', '', '  a  $Yok', '  *$Y', '*unindented', ''].join('\n'),
  budget: ['B', '', '  **$0*$1*%  hit', ''].join('\n'),
  ct: ['CT', '', '  *@*  $1$C$Y', '  zzz  no', ''].join('\n'),
});
const mappingsFile = path.join(folder, 'mappings');

describe('E94 — imsmap test output', () => {
  it('prints the X4 lines for each input, and "No entry matched." for a miss', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'SEND_ACCESS', 'tcp_local|bob@sesta.com|l|x@y', 'tcp_local|bob@other.com|l|x@y']);
    expect(run.stdout).toBe(
      [
        'Input string: tcp_local|bob@sesta.com|l|x@y',
        'Output string: Mail Blocked',
        "Output flags: [0, 'N' (78)]",
        'Input string: tcp_local|bob@other.com|l|x@y',
        'Output string: tcp_local|bob@other.com|l|x@y',
        'Output flags: [0]',
        'No entry matched.',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('lists flags in ascending code order', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'ORIG_SEND_ACCESS', 'tcp_local|a@ext.example|tcp_local|b@other.example']);
    expect(run.stdout).toBe(
      [
        'Input string: tcp_local|a@ext.example|tcp_local|b@other.example',
        'Output string: 30|Relaying not allowed',
        "Output flags: [0, 'D' (68), 'N' (78)]",
        '',
      ].join('\n'),
    );
  });

  it('--json prints one object per input', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'orig_send_access', '--json', 'tcp_local|a@ext.example|tcp_local|b@other.example']);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({
      table: 'ORIG_SEND_ACCESS',
      input: 'tcp_local|a@ext.example|tcp_local|b@other.example',
      inputFlags: '',
      matched: true,
      output: '30|Relaying not allowed',
      flags: ['D', 'N'],
      entry: { table: 'ORIG_SEND_ACCESS', index: 1, file: mappingsFile, line: 10 },
    });
  });

  it('--json --debug adds the trace; a miss has no entry', async () => {
    const run = await runImsmap(['test', mappingsFile, '-t', 'SEND_ACCESS', '--json', '--debug', 'tcp_local|bob@other.com|l|x@y', 'x|elvis1@sesta.com|y|z']);
    const [miss, hit] = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(miss).toMatchObject({ matched: false, flags: [], trace: [] });
    expect(miss.entry).toBeUndefined();
    expect(hit.trace).toHaveLength(1);
    expect(hit.trace[0]).toMatchObject({ entry: { index: 1 }, pattern: '*|Elvis1@sesta.com|*|*', template: '$Y', outcome: 'applied' });
  });
});

describe('imsmap test — inputs and flags', () => {
  it('reads one input per line from standard input (CRLF too), keeping empty lines', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'SEND_ACCESS', '--json'], {
      stdin: 'x|Elvis1@sesta.com|l|y\r\n\r\ntcp_local|bob@sesta.com|l|x@y\n',
    });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(results.map((result) => [result.input, result.output, result.flags])).toEqual([
      ['x|Elvis1@sesta.com|l|y', '', ['Y']],
      ['', '', []],
      ['tcp_local|bob@sesta.com|l|x@y', 'Mail Blocked', ['N']],
    ]);
  });

  it('streams a large batch', async () => {
    const inputs = Array.from({ length: 20_000 }, (_, index) => `tcp_local|u${index}@sesta.com|l|x`);
    const run = await runImsmap(['test', mappingsFile, '--table', 'SEND_ACCESS'], { stdin: inputs.join('\n') + '\n' });
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(20_000 * 3 + 1);
    expect(lines.slice(-4)).toEqual(['Input string: tcp_local|u19999@sesta.com|l|x', 'Output string: Mail Blocked', "Output flags: [0, 'N' (78)]", '']);
    expect(run.status).toBe(0);
  });

  it('prompts on a terminal instead of echoing the input', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'SEND_ACCESS'], { stdin: 'tcp_local|bob@sesta.com|l|x@y\n', stdinTty: true });
    expect(run.stdout).toBe(
      ['Input string: Output string: Mail Blocked', "Output flags: [0, 'N' (78)]", 'Input string: '].join('\n'),
    );
  });

  it('--flags sets the input flags, letters case-insensitive', async () => {
    const file = path.join(folder, 'flags');
    const withFlag = await runImsmap(['test', file, '--table', 'FT', '--flags', 't', 'x']);
    expect(withFlag.stdout).toContain("Output string: tls\nOutput flags: [0, 'Y' (89)]\n");
    const without = await runImsmap(['test', file, '--table', 'FT', 'x']);
    expect(without.stdout).toBe('Input string: x\nOutput string: x\nOutput flags: [0]\n');
  });

  it('resolves the file against the working directory', async () => {
    const run = await runImsmap(['test', 'mappings', '--table', 'SEND_ACCESS', 'a|b|c|d'], { cwd: folder });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No entry matched.');
  });

  it('names files as typed, relative to the working directory, in entry references', async () => {
    const run = await runImsmap(['test', 'mappings', '--table', 'SEND_ACCESS', '--json', 'tcp_local|bob@sesta.com|l|x@y'], {
      cwd: folder,
    });
    expect(JSON.parse(run.stdout).entry).toMatchObject({ table: 'SEND_ACCESS', file: 'mappings' });
  });
});

describe('imsmap test --debug', () => {
  it('prints the X2-shaped trace before the output lines', async () => {
    const run = await runImsmap(['test', path.join(folder, 'ct'), '--table', 'CT', '--debug', 'joe@example.com']);
    expect(run.stdout).toBe(
      [
        'Input string: joe@example.com',
        'Mapping CT applied to joe@example.com',
        '  Entry #1 matched, pattern "*@*", template "$1$C$Y".',
        '  New target "example.com"',
        '  Final result "example.com"',
        'Output string: example.com',
        "Output flags: [0, 'Y' (89)]",
        '',
      ].join('\n'),
    );
  });

  it('shows nested calls indented, and failures with their reason', async () => {
    const run = await runImsmap(['test', path.join(folder, 'nested'), '--table', 'OUTER', '--debug', 'web|bob']);
    expect(run.stdout).toBe(
      [
        'Input string: web|bob',
        'Mapping OUTER applied to web|bob',
        '  Entry #1 matched, pattern "*|*", template "$C$|KNOWN;$1|$Y$E".',
        '  Mapping KNOWN applied to bob',
        '    Entry #2 matched, pattern "*", template "$N".',
        '    Exiting...',
        '  Entry #1 failed ($|KNOWN;bob|: result "" has no Y flag); continuing',
        '  Entry #2 matched, pattern "*|*", template "$NUnknown$ user$ $1".',
        '  Exiting...',
        '  Final result "Unknown user bob"',
        'Output string: Unknown user bob',
        "Output flags: [0, 'N' (78)]",
        '',
      ].join('\n'),
    );
  });

  it('a failure without a control says "ending"', async () => {
    const run = await runImsmap(['test', path.join(folder, 'flags'), '--table', 'FT', '--debug', 'x']);
    expect(run.stdout).toContain('  Entry #1 failed (input flag T is not set); ending\n  Final result "x"\n');
  });
});

describe('imsmap test — errors and exit status', () => {
  it('a missing --table is a usage error', async () => {
    const run = await runImsmap(['test', mappingsFile, 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing --table');
    expect(run.stdout).toBe('');
  });

  it('a missing file argument is a usage error', async () => {
    const run = await runImsmap(['test', '--table', 'X']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing the mappings file');
  });

  it('an unknown table exits 2', async () => {
    const run = await runImsmap(['test', mappingsFile, '--table', 'nope', 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('table NOPE is not defined');
    expect(run.stdout).toBe('');
  });

  it('an unreadable file exits 2 with its diagnostic', async () => {
    const missing = path.join(folder, 'does-not-exist');
    const run = await runImsmap(['test', missing, '--table', 'X', 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${missing}:1:1: error:`);
    expect(run.stderr).toContain('[unreadable-file]');
  });

  it('a file with error diagnostics: diagnostics on stderr, inputs still evaluated, exit 2', async () => {
    const file = path.join(folder, 'broken');
    const run = await runImsmap(['test', file, '--table', 'GOOD', 'a']);
    expect(run.stderr).toContain(`${file}:4:4: error:`);
    expect(run.stderr).toContain('[undefined-pattern-escape]');
    expect(run.stderr).toContain(`${file}:5:1: error:`);
    expect(run.stdout).toBe("Input string: a\nOutput string: ok\nOutput flags: [0, 'Y' (89)]\n");
    expect(run.status).toBe(2);
  });

  it('an evaluation error prints Error: <code>: <message> and exits 1', async () => {
    const probe = 'a'.repeat(400);
    const run = await runImsmap(['test', path.join(folder, 'budget'), '--table', 'B', probe, 'short']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Input string: ${probe}`);
    expect(lines[1]).toMatch(/^Error: MatchBudgetExceeded: /);
    expect(run.status).toBe(1);
    const json = await runImsmap(['test', path.join(folder, 'budget'), '--table', 'B', '--json', probe]);
    expect(JSON.parse(json.stdout).error.code).toBe('MatchBudgetExceeded');
  });
});
