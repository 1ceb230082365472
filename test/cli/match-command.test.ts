// `imsmap match` (format.md X3, X4; examples.md E20), run through runCli with captured streams.
import { describe, expect, it } from 'vitest';
import { runImsmap } from './harness.js';

describe('E20 — test -match transcript', () => {
  it('prints Match. with the saved items, or No match.', async () => {
    const run = await runImsmap([
      'match',
      '$[ax1]*@*.example.com',
      'xx11a@sys1.example.com',
      '12a@node.example.com',
      '1xa@node.example.com',
    ]);
    expect(run.stdout).toBe(
      [
        'Target: xx11a@sys1.example.com',
        'Match.',
        ' 0 - xx11a',
        ' 1 - sys1',
        'Target: 12a@node.example.com',
        'No match.',
        'Target: 1xa@node.example.com',
        'Match.',
        ' 0 - 1xa',
        ' 1 - node',
        '',
      ].join('\n'),
    );
    expect(run.status).toBe(0);
  });
});

describe('imsmap match', () => {
  it('right-aligns item numbers in two columns', async () => {
    const run = await runImsmap(['match', '%%%%%%%%%%%', 'abcdefghijk']);
    expect(run.stdout.split('\n').slice(-3)).toEqual([' 9 - j', '10 - k', '']);
  });

  it('--json prints one object per target', async () => {
    const run = await runImsmap(['match', '--json', '*@*', 'a@b@c', 'nothing']);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { target: 'a@b@c', matched: true, captures: ['a@b', 'c'] },
      { target: 'nothing', matched: false, captures: [] },
    ]);
  });

  it('reads targets from standard input when none are given', async () => {
    const run = await runImsmap(['match', '$D*'], { stdin: '123\nabc\n' });
    expect(run.stdout).toBe('Target: 123\nMatch.\n 0 - 123\nTarget: abc\nNo match.\n');
  });

  it('prompts on a terminal instead of echoing the target', async () => {
    const run = await runImsmap(['match', '$D*'], { stdin: '123\n', stdinTty: true });
    expect(run.stdout).toBe('Target: Match.\n 0 - 123\nTarget: ');
  });

  it('--debug first dumps the compiled items, S marking saved ones', async () => {
    const run = await runImsmap(['match', '--debug', '$[ax1]*@$@*.$_$^$D*|$0*|$(10.0.0.0/8)', 'x@y.1|x|10.1.2.3']);
    expect(run.stdout).toBe(
      [
        '[  1S] set [1ax]* → $0',
        '[  2 ] literal "@"',
        '[  3 ] any*',
        '[  4 ] literal "."',
        '[  5S] lazy glob D* → $1',
        '[  6 ] literal "|"',
        '[  7 ] back-match $0',
        '[  8 ] literal "|"',
        '[  9S] ip prefix 10.0.0.0/8 → $2',
        'Target: x@y.1|x|10.1.2.3',
        'Match.',
        ' 0 - x',
        ' 1 - 1',
        ' 2 - 10.1.2.3',
        '',
      ].join('\n'),
    );
  });

  it('a pattern with errors exits 2 with its problems on stderr', async () => {
    const run = await runImsmap(['match', 'a$Yb', 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('pattern:1:2: error:');
    expect(run.stderr).toContain('[undefined-pattern-escape]');
    expect(run.stdout).toBe('');
  });

  it('a missing pattern is a usage error', async () => {
    const run = await runImsmap(['match']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing the pattern');
  });

  it('a back-match search over its budget is an evaluation error: exit 1', async () => {
    const run = await runImsmap(['match', '**$0*$1*%', 'a'.repeat(400), 'x']);
    expect(run.stdout.split('\n')[1]).toMatch(/^Error: MatchBudgetExceeded: /);
    expect(run.stdout).toContain('Target: x\nMatch.\n');
    expect(run.status).toBe(1);
  });
});
