import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runImsmap } from './harness.js';
import { ROOT, temporaryDirectory } from '../adapters/helpers.js';

// `imsmap check FILE CASES…` on the example project's files and on case files written here.

const MAPPINGS = 'docs/example-project/mappings';
const CASES = 'docs/example-project/cases.json';
const scratch = temporaryDirectory('imsmap-check-');
afterAll(() => scratch.remove());

/** Writes a case file into the scratch directory and returns its path. */
function caseFile(name: string, content: unknown): string {
  const file = path.join(scratch.directory, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const OUTSIDER = { stage: 'rcpt', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.9', clientPort: 40000, from: 'a@b.example' };
const TWO_FAILURES = {
  options: { channels: { localDomains: ['example.org'] } },
  cases: [
    { name: 'an office host is internal', table: 'INTERNAL_IP', probe: '192.0.2.50', expect: { flags: ['Y'] } },
    { name: 'wrong flags', table: 'INTERNAL_IP', probe: '203.0.113.9', expect: { flags: ['Y'], entry: 3 } },
    { name: 'wrong code', decide: { ...OUTSIDER, to: 'x@elsewhere.example' }, expect: { code: 554 } },
  ],
};

describe('imsmap check', () => {
  test("the example project's cases all pass; the last line is the count", async () => {
    const run = await runImsmap(['check', MAPPINGS, CASES], { cwd: ROOT });
    const lines = run.stdout.trimEnd().split('\n');
    expect(run.status).toBe(0);
    expect(lines.at(-1)).toBe('10 passed, 0 failed');
    expect(lines.slice(0, -1).every((line) => line.startsWith(`PASS ${CASES} #`))).toBe(true);
    expect(lines[0]).toBe(`PASS ${CASES} #1 an office host is internal`);
    expect(run.stderr).toBe('');
  });

  test('failures show a diff and what happened; exit status 1', async () => {
    const file = caseFile('failing.json', TWO_FAILURES);
    const run = await runImsmap(['check', MAPPINGS, file], { cwd: ROOT });
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 11)).toEqual([
      `PASS ${file} #1 an office host is internal`,
      `FAIL ${file} #2 wrong flags`,
      '    - expected',
      '    + actual',
      '    - flags: ["Y"]',
      '    + flags: ["N"]',
      '    Input string: 203.0.113.9',
      '    Output string: ',
      "    Output flags: [0, 'N' (78)]",
      `    Produced by entry #3 at ${MAPPINGS}:9`,
      `FAIL ${file} #3 wrong code`,
    ]);
    expect(lines.slice(11, 16)).toEqual([
      '    - expected',
      '    + actual',
      '    - code: 554',
      '    + code: 550',
      '    rcpt to <x@elsewhere.example>: reject',
    ]);
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
  });

  test('several case files run in order; an invalid tuple is a failed case naming the field', async () => {
    const invalid = caseFile('invalid-tuple.json', { cases: [{ decide: { ...OUTSIDER, to: 'x@y', clientPort: 70000 }, expect: { action: 'reject' } }] });
    const run = await runImsmap(['check', MAPPINGS, CASES, invalid], { cwd: ROOT });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`FAIL ${invalid} #1 decide {`);
    expect(run.stdout).toContain('    + tuple: "clientPort: must be an integer from 0 to 65535"');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('10 passed, 1 failed');
  });

  test('--coverage text lists the entries no case reached, before the count', async () => {
    const file = caseFile('partial.json', { cases: TWO_FAILURES.cases.slice(0, 1) });
    const run = await runImsmap(['check', MAPPINGS, file, '--coverage', 'text'], { cwd: ROOT });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      'Coverage: 1 of 9 entries reached (11.1%)',
      'Entries no case reached:',
      `  ${MAPPINGS}:8: INTERNAL_IP #2 127.0.0.1`,
      `  ${MAPPINGS}:9: INTERNAL_IP #3 *`,
      `  ${MAPPINGS}:14: PORT_ACCESS #1 *|*|*|*|*`,
      `  ${MAPPINGS}:16: PORT_ACCESS #2 TCP|*|25|$(198.51.100.0/24)|*`,
      `  ${MAPPINGS}:17: PORT_ACCESS #3 *`,
      `  ${MAPPINGS}:22: FROM_ACCESS #1 TCP|*|*|*|*|SMTP*|MAIL|tcp_local|*@example.org|`,
      `  ${MAPPINGS}:27: ORIG_SEND_ACCESS #1 tcp_local|*|tcp_local|*`,
      `  ${MAPPINGS}:29: ORIG_SEND_ACCESS #2 tcp_local|*|ims-ms|noreply@example.org`,
      '1 passed, 0 failed',
      '',
    ]);
  });

  test('--coverage json: every entry reached by the example cases; standard output holds only the report', async () => {
    const run = await runImsmap(['check', MAPPINGS, CASES, '--coverage', 'json'], { cwd: ROOT });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ entries: 9, reached: 9, unreached: [] });
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  test('--coverage lcov takes its value (not a case file) and prints a whole tracefile, final newline included', async () => {
    const file = caseFile('partial-lcov-stdout.json', { cases: TWO_FAILURES.cases.slice(0, 1) });
    const run = await runImsmap(['check', MAPPINGS, file, '--coverage', 'lcov'], { cwd: ROOT });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^TN:imsmap\nSF:[^\n]+\n(DA:\d+,\d+\n)+LF:9\nLH:1\nend_of_record\n$/);
    expect(run.stderr).toContain('1 passed, 0 failed\n');
  });

  test('--coverage lcov --coverage-file writes a tracefile CI tools read', async () => {
    const file = caseFile('partial-lcov.json', { cases: TWO_FAILURES.cases.slice(0, 1) });
    const output = path.join(scratch.directory, 'rules.lcov');
    const run = await runImsmap(['check', MAPPINGS, file, '--coverage', 'lcov', '--coverage-file', output], { cwd: ROOT });
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(readFileSync(output, 'utf8')).toBe(
      [
        'TN:imsmap',
        `SF:${MAPPINGS}`,
        ...['DA:7,1', 'DA:8,0', 'DA:9,0', 'DA:14,0', 'DA:16,0', 'DA:17,0', 'DA:22,0', 'DA:27,0', 'DA:29,0'],
        'LF:9',
        'LH:1',
        'end_of_record',
        '',
      ].join('\n'),
    );
  });

  test('an invalid case file stops the run with its problems and exit status 2', async () => {
    const bad = caseFile('bad.json', { cases: [{ table: 'PORT_ACCESS', probe: 1, expect: {} }] });
    const notJson = caseFile('not.json', '{ "cases": [');
    const run = await runImsmap(['check', MAPPINGS, bad, notJson], { cwd: ROOT });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${bad} cases[0].probe: Invalid input: expected string, received number\n` +
        `${notJson}: not valid JSON: ${(() => {
          try {
            JSON.parse('{ "cases": [');
          } catch (error) {
            return (error as Error).message;
          }
        })()}\n`,
    );
  });

  test('usage mistakes and a mappings file with errors exit 2', async () => {
    expect((await runImsmap(['check', MAPPINGS], { cwd: ROOT })).stderr).toContain('missing the case file(s)');
    const format = await runImsmap(['check', MAPPINGS, CASES, '--coverage', 'html'], { cwd: ROOT });
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("--coverage takes one of text, json, lcov, not 'html'");
    const broken = caseFile('broken.mappings', 'INTERNAL_IP\n  $(10.0.0.0/8  $Y\n');
    const run = await runImsmap(['check', broken, CASES], { cwd: ROOT });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${broken}:2:3: error:`);
  });
});
