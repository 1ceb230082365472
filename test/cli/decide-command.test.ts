import { describe, expect, test } from 'vitest';
import { folderWith, runImsmap } from './harness.js';

// `imsmap decide FILE [--json] [--debug] [--options JSON] [TUPLE_JSON…]` on the two-tier fixture (issue 4).

const FILE = 'fixtures/two-tier/mappings';
const LOCAL = ['--options', '{"channels":{"localDomains":["corp.example"]}}'];
const MTA = { serverIp: '192.168.10.25', serverPort: 25 };
const FIREWALL = { ...MTA, clientIp: '192.168.10.1', clientPort: 40000 };

const line = (object: object) => JSON.stringify(object);

describe('decide --json reading a batch from standard input', () => {
  test('one JSON line per input line; a bad or blank line gives {"line","error"} and the batch goes on, then exit 2', async () => {
    const stdin = [
      line({ stage: 'connect', ...MTA, clientIp: '203.0.113.5', clientPort: 40000 }),
      line({ stage: 'connect', ...FIREWALL }),
      line({ stage: 'connect', ...FIREWALL, serverPort: 70000 }),
      '',
      '{"stage": "mail",',
      line({ stage: 'mail', ...FIREWALL, helo: 'mx.spammer.example', esmtp: true, from: 'spam@spammer.example' }),
      line({ stage: 'rcpt', ...FIREWALL, esmtp: true, from: 'spam@spammer.example', to: 'victim@elsewhere.example' }),
      line({ stage: 'rcpt', ...FIREWALL, esmtp: true, from: 'spam@spammer.example', to: 'bob@corp.example' }),
    ].join('\n');
    const run = await runImsmap(['decide', FILE, '--json', ...LOCAL], { stdin });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(2);
    const outputs = run.stdout.trimEnd().split('\n').map((text) => JSON.parse(text));
    expect(outputs).toHaveLength(8);

    expect(outputs[0]).toMatchObject({
      stage: 'connect',
      action: 'reject',
      closeConnection: true,
      reply: { code: 500, lines: ['Please use port 587 to send mail'] },
      raw: '500 Please use port 587 to send mail\r\n',
    });
    expect(outputs[0].results[0].mapping.entry).toMatchObject({ line: 22 });
    expect(outputs[1]).toMatchObject({ stage: 'connect', action: 'accept', internal: false });
    expect(outputs[2]).toEqual({
      line: 3,
      error: {
        field: 'serverPort',
        message: 'serverPort: must be an integer from 0 to 65535',
        issues: [{ field: 'serverPort', message: 'must be an integer from 0 to 65535' }],
      },
    });
    expect(outputs[3]).toMatchObject({ line: 4 });
    expect(outputs[4]).toMatchObject({ line: 5, error: { field: '' } });
    expect(outputs[4].error.message).toMatch(/^not valid JSON: /);
    expect(outputs[5]).toMatchObject({ stage: 'mail', action: 'accept', srcChannel: 'tcp_local' });
    expect(outputs[6]).toMatchObject({
      stage: 'rcpt',
      action: 'reject',
      temporary: false,
      reply: { code: 550, enhanced: '5.7.1', lines: ['Relaying not allowed: victim@elsewhere.example'] },
      delay: { centiseconds: 30, scope: 'transaction' },
    });
    expect(outputs[6].results.map((result: { table: string; outcome: string }) => `${result.table} ${result.outcome}`)).toEqual([
      'ORIG_SEND_ACCESS reject',
      'SEND_ACCESS absent',
      'ORIG_MAIL_ACCESS absent',
      'MAIL_ACCESS absent',
    ]);
    expect(outputs[7]).toMatchObject({ stage: 'rcpt', action: 'accept', srcChannel: 'tcp_local', dstChannel: 'ims-ms' });
  });
});

describe('decide with tuple arguments, readable output', () => {
  test('a summary per decision with the table results', async () => {
    const run = await runImsmap([
      'decide',
      FILE,
      ...LOCAL,
      line({ stage: 'connect', ...MTA, clientIp: '203.0.113.5', clientPort: 40000 }),
      line({ stage: 'rcpt', ...FIREWALL, esmtp: true, from: 'a@x.example', to: 'b@y.example' }),
    ]);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'connect 203.0.113.5:40000 -> 192.168.10.25:25: reject',
      '  reply: 500 Please use port 587 to send mail',
      '  connection: closed',
      '  internal: no',
    ]);
    expect(lines[4]).toMatch(
      /^ {2}PORT_ACCESS "TCP\|192\.168\.10\.25\|25\|203\.0\.113\.5\|40000" \[A\] -> reject, flags \[N\], entry #3 at .*fixtures\/two-tier\/mappings:22$/,
    );
    expect(lines.slice(5, 9)).toEqual([
      'rcpt to <b@y.example>: reject',
      '  reply: 550 5.7.1 Relaying not allowed: b@y.example',
      '  channels: tcp_local -> tcp_local',
      '  delay: 0.30 s (transaction)',
    ]);
    expect(lines[9]).toMatch(/^ {2}ORIG_SEND_ACCESS "tcp_local\|a@x\.example\|tcp_local\|b@y\.example" \[E\] -> reject, flags \[D N\]/);
    expect(lines[10]).toBe('  SEND_ACCESS "tcp_local|a@x.example|tcp_local|b@y.example" [E] -> absent');
  });

  test('--debug shows the trace of each table', async () => {
    const run = await runImsmap(['decide', FILE, '--debug', line({ stage: 'connect', ...MTA, clientIp: '203.0.113.5', clientPort: 1 })]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('    Mapping PORT_ACCESS applied to TCP|192.168.10.25|25|203.0.113.5|1\n');
    expect(run.stdout).toContain('      Entry #1 failed ($|INTERNAL_IP;203.0.113.5|');
    expect(run.stdout).toContain('      Final result "500 Please use port 587 to send mail"\n');
  });

  test('--json --debug carries explained traces', async () => {
    const run = await runImsmap(['decide', FILE, '--json', '--debug', line({ stage: 'connect', ...FIREWALL })]);
    const decision = JSON.parse(run.stdout);
    expect(decision.results[0].mapping.trace[0]).toMatchObject({ pattern: '*|*|*|*|*', template: '$C$|INTERNAL_IP;$3|$Y$E' });
  });

  test('a bad tuple in text mode', async () => {
    const run = await runImsmap(['decide', FILE, line({ stage: 'rcpt', ...FIREWALL, from: 'a@b', to: 'x', notify: ['NEVER', 'DELAY'] })]);
    expect(run.stdout).toBe('line 1: error: notify: NEVER must be the only NOTIFY keyword (RFC 3461)\n');
    expect(run.status).toBe(2);
  });
});

describe('decide exit statuses', () => {
  test('usage: no mappings file', async () => {
    const run = await runImsmap(['decide']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('imsmap decide: missing the mappings file');
  });

  test('an unreadable file stops before reading any tuple', async () => {
    const run = await runImsmap(['decide', 'no/such/file', line({ stage: 'connect', ...FIREWALL })]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unreadable-file');
  });

  test('a file with errors is reported and still evaluated, then exit 2', async () => {
    const folder = folderWith({ mappings: 'PORT_ACCESS\n\n  *  $Y\nnot indented\n' });
    const run = await runImsmap(['decide', 'mappings', '--json', line({ stage: 'connect', ...FIREWALL })], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/mappings:4:\d+: error: /);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'accept' });
  });

  test('--options must be valid JSON with valid options', async () => {
    const notJson = await runImsmap(['decide', FILE, '--options', '{channels']);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/--options is not valid JSON/);
    const invalid = await runImsmap(['decide', FILE, '--options', '{"tempFailCode":550}']);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toBe('imsmap decide: --options: tempFailCode: must be a 4xx reply code\n');
  });
});

describe('decide output for IPv6 clients', () => {
  test('the endpoint is bracketed and the probe shows RFC 5952 form', async () => {
    const run = await runImsmap(['decide', FILE, line({ stage: 'connect', ...MTA, serverPort: 587, clientIp: '2001:DB8::5', clientPort: 40000 })]);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'connect [2001:db8::5]:40000 -> 192.168.10.25:587: accept',
      '  info: "EHLO"',
    ]);
    expect(run.stdout).toContain('PORT_ACCESS "TCP|192.168.10.25|587|2001:db8::5|40000" [A] -> permit');
  });
});
