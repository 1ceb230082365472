import { copyFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, temporaryDirectory } from '../adapters/helpers.js';
import { runImsmap } from '../cli/harness.js';
import { MTA_DN, MTA_PASSWORD, Slapd } from './slapd.mjs';

// `imsmap test` and `imsmap check` ask the configured directory; `lint` and `audit` never do (M13).

let slapd: Slapd;
let folder: { directory: string; remove: () => void };
let mappings: string;

function configure(url: string): void {
  const ldap = { url, bind: { dn: MTA_DN, passwordFile: 'ldap.secret' }, timeoutMs: 1000 };
  writeFileSync(path.join(folder.directory, 'imsmap.config.json'), JSON.stringify({ providers: { ldap } }));
}

beforeAll(async () => {
  slapd = await Slapd.start();
  folder = temporaryDirectory('imsmap-ldap-commands-');
  mappings = path.join(folder.directory, 'mappings');
  copyFileSync(path.join(ROOT, 'fixtures/ldap/mappings'), mappings);
  writeFileSync(path.join(folder.directory, 'ldap.secret'), MTA_PASSWORD);
});

afterAll(async () => {
  await slapd?.remove();
  folder?.remove();
});

describe('imsmap test and check with providers.ldap', () => {
  it('test maps through the directory, from the configuration next to the file', async () => {
    configure(slapd.url);
    const run = await runImsmap(['test', mappings, '--table', 'ORIG_SEND_ACCESS', 'tcp_local|a@example.net|ims-ms|olga@siroe.com']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Output string: Mailbox inactive');
  });

  it('check runs decide and probe cases against the directory', async () => {
    configure(slapd.url);
    const cases = {
      options: { channels: { localDomains: ['siroe.com'] } },
      cases: [
        {
          decide: { stage: 'rcpt', serverIp: '127.0.0.1', serverPort: 25, clientIp: '127.0.0.1', clientPort: 4000, from: 'adam@siroe.com', to: 'x@example.org' },
          expect: { action: 'accept' },
        },
        { table: 'ORIG_SEND_ACCESS', probe: 'tcp_intranet|norman@siroe.com|tcp_local|x@example.org', expect: { output: 'Internet access not permitted' } },
      ],
    };
    writeFileSync(path.join(folder.directory, 'cases.json'), JSON.stringify(cases));
    const run = await runImsmap(['check', mappings, path.join(folder.directory, 'cases.json')]);
    expect(run.stdout).toContain('2 passed, 0 failed');
    expect(run.status).toBe(0);
  });
});

describe('M13: lint and audit never query the directory', () => {
  let connections = 0;
  const sockets: Socket[] = [];
  const listener = createServer((socket) => {
    connections += 1;
    sockets.push(socket);
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    configure(`ldap://127.0.0.1:${(listener.address() as { port: number }).port}`);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('lint counts the configured lookups as provided and opens no connection', async () => {
    const run = await runImsmap(['lint', mappings]);
    expect(run.stdout).not.toContain('no-provider');
    expect(run.status).toBe(0);
    expect(connections).toBe(0);
  });

  it('audit says the directory is not queried and treats the lookups as unknown', async () => {
    const run = await runImsmap(['audit', mappings, '--json']);
    const report = JSON.parse(run.stdout.trim().split('\n')[0]!);
    expect(JSON.stringify(report.checks)).toMatch(/URL lookup/);
    expect(report.notes).toEqual([expect.stringContaining('not queried')]);
    const text = await runImsmap(['audit', mappings]);
    expect(text.stdout).toContain('LDAP lookups are not queried by the audit (M13)');
    expect(connections).toBe(0);
  });
});
