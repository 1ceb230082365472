// Issue 11, item 10: a batch answers every input line in order, names the line of each error, exits 2 on a bad tuple.
import { describe, expect, it } from 'vitest';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder } from './helpers.js';

const TUPLE = '{"stage":"mail","srcChannel":"tcp_local","from":"a@example.com"}';

describe('decide batches', () => {
  const file = `${hostileFolder({ m: 'ORIG_SEND_ACCESS\n  *  $Y\n' })}/m`;

  it('answers a blank line and a bad tuple with an error line carrying the line number', async () => {
    const run = await runImsmap(['decide', file, '--json'], { stdin: `${TUPLE}\n\nnot json\n${TUPLE}\n` });
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.line ?? 'decision')).toEqual(['decision', 2, 3, 'decision']);
    expect(run.status).toBe(2);
  });

  it('numbers errors in text output too', async () => {
    const run = await runImsmap(['decide', file], { stdin: `\n${TUPLE}\n` });
    expect(run.stdout.split('\n')[0]).toMatch(/^line 1: error: empty line/);
    expect(run.status).toBe(2);
  });

  it('exits 0 when every line was decided', async () => {
    const run = await runImsmap(['decide', file], { stdin: `${TUPLE}\n${TUPLE}\n` });
    expect(run.status).toBe(0);
  });
});
