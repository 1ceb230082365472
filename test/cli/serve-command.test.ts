import { copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { PolicyClient, rcptRequest } from '../adapters/policy-client.js';
import { bounded } from '../adapters/smtp-client.js';
import { folderWith, runImsmap } from './harness.js';
import { serve, stopServers } from './serve-process.js';

// `imsmap serve FILE` (policy.md PD6): refusing to start, and a real server process answering, logging,
// reloading on SIGHUP and stopping on SIGTERM.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TWO_TIER = path.join(ROOT, 'fixtures/two-tier/mappings');
const LOCAL = ['--options', '{"channels":{"localDomains":["corp.example"]}}'];

describe('serve refuses to start (exit 2)', () => {
  test('a file with errors: the diagnostics on standard error', async () => {
    const run = await runImsmap(['serve', 'fixtures/invalid/f08-entry-syntax.mappings', '--listen', 'inet:127.0.0.1:0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/f08-entry-syntax\.mappings:\d+:\d+: error: /);
    expect(run.stderr).toMatch(/imsmap serve: .*error\(s\); the tables were not loaded/);
    expect(run.stdout).toBe('');
  });

  test.each([
    [['serve'], /name exactly one mappings file/],
    [['serve', TWO_TIER, '--listen', 'tcp:10040'], /--listen must be inet:HOST:PORT or unix:PATH/],
    [['serve', TWO_TIER, '--options', '{"channels":'], /--options is not valid JSON/],
    [['serve', TWO_TIER, '--options', '{"tempFailCode":500}'], /access options: tempFailCode: must be a 4xx reply code/],
    [['serve', TWO_TIER, '--server-port', 'smtp'], /--server-port: must be an integer from 0 to 65535/],
    [['serve', TWO_TIER, '--accept-action', 'PERMIT'], /--accept-action: must be one of "DUNNO", "OK"/],
    [['serve', TWO_TIER, '--config', 'no-such.config.json'], /no-such\.config\.json/],
    [['serve', 'fixtures/no-such.mappings'], /no-such\.mappings/],
  ])('%j', async (argv, message) => {
    // Never the default port: should a case start a server after all, it must not take a fixed port.
    const listen = argv.includes('--listen') ? [] : ['--listen', 'inet:127.0.0.1:0'];
    const run = await runImsmap([...argv, ...listen]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

const folders: string[] = [];
afterEach(() => {
  stopServers();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A temporary folder with the files, removed after the test. */
function temporaryFolder(files: Record<string, string>): string {
  const folder = folderWith(files);
  folders.push(folder);
  return folder;
}

const relay = rcptRequest({ helo_name: 'mx.spammer.example', sender: 'spam@spammer.example', recipient: 'victim@elsewhere.example' });

describe('a running imsmap serve', () => {
  test('answers, logs one JSON line per answer, reloads on SIGHUP, keeps the old tables on a broken file, stops on SIGTERM', async () => {
    const folder = temporaryFolder({});
    const file = path.join(folder, 'mappings');
    copyFileSync(TWO_TIER, file);
    const served = await serve([file, ...LOCAL]);
    const client = await PolicyClient.connect({ port: served.port });
    expect((await client.ask({ ...relay, instance: 'one' })).action).toBe('550 5.7.1 Relaying not allowed: victim@elsewhere.example');
    const answer = await served.logged((line) => line.instance === 'one');
    expect(answer).toMatchObject({ stage: 'rcpt', action: '550 5.7.1 Relaying not allowed: victim@elsewhere.example', delayMs: 300, generation: 1 });

    // Atomic replacement (A32.6): write beside, then rename.
    const replace = (text: string) => {
      writeFileSync(`${file}.new`, text);
      renameSync(`${file}.new`, file);
    };
    replace(readFileSync(TWO_TIER, 'utf8').replace('Relaying$ not$ allowed', 'No$ relaying$ here'));
    served.child.kill('SIGHUP');
    // The file watcher may reload too: either way a new generation answers.
    await served.logged((line) => line.event === 'reload' && line.trigger === 'SIGHUP');
    expect((await client.ask({ ...relay, instance: 'two' })).action).toBe('550 5.7.1 No relaying here: victim@elsewhere.example');

    replace(readFileSync(path.join(ROOT, 'fixtures/invalid/f08-entry-syntax.mappings'), 'utf8'));
    served.child.kill('SIGHUP');
    const refused = await served.logged((line) => line.event === 'reload-refused' && line.trigger === 'SIGHUP');
    const generations = served.lines.filter((line) => line.event === 'reload').map((line) => line.generation as number);
    expect(refused).toMatchObject({ replaced: false, generation: Math.max(...generations) });
    expect((await client.ask({ ...relay, instance: 'three' })).action).toBe('550 5.7.1 No relaying here: victim@elsewhere.example');

    served.child.kill('SIGTERM');
    expect(await bounded(served.exited, 'the server to exit', 20_000)).toBe(0);
    expect(served.lines.map((line) => line.event).filter(Boolean)).toContain('stopped');
    await client.closed();
  });

  test('the channel model comes from imsmap.config.json beside the file; --options wins over it', async () => {
    const folder = temporaryFolder({ 'imsmap.config.json': JSON.stringify({ channels: { localDomains: ['corp.example'] } }) });
    const file = path.join(folder, 'mappings');
    copyFileSync(TWO_TIER, file);
    const local = { ...relay, sender: 'alice@sender.example', recipient: 'bob@corp.example' };

    const configured = await serve([file]);
    const client = await PolicyClient.connect({ port: configured.port });
    expect((await client.ask({ ...local, instance: 'a' })).action).toBe('DUNNO');
    client.close();
    configured.child.kill('SIGTERM');
    await configured.exited;

    const overridden = await serve([file, '--options', '{"channels":{"localDomains":[]}}']);
    const other = await PolicyClient.connect({ port: overridden.port });
    expect((await other.ask({ ...local, instance: 'b' })).action).toBe('550 5.7.1 Relaying not allowed: bob@corp.example');
    other.close();
    overridden.child.kill('SIGTERM');
    await overridden.exited;
  });
});
