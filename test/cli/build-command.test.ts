// `imsmap build FILE -o OUT` (issue 13): the compiled file is written atomically, every command that
// reads a mappings file takes it in place of the text and answers alike, lint declines it, and
// `imsmap serve` runs from it and reloads a rebuilt one — refusing a stale one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bounded } from '../adapters/smtp-client.js';
import { PolicyClient, rcptRequest } from '../adapters/policy-client.js';
import { folderWith, runImsmap } from './harness.js';
import { serve, stopServers } from './serve-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(ROOT, 'dist/cli/main.js');
const EXAMPLE = readFileSync(path.join(ROOT, 'fixtures/example.mappings'), 'utf8');
const TWO_TIER = readFileSync(path.join(ROOT, 'fixtures/two-tier/mappings'), 'utf8');
const PROBES = ['TCP|192.0.2.25|25|203.0.113.5|40000', 'TCP|192.0.2.25|25|10.1.2.3|40000', 'UDP|1|2|3|4', ''];
const TUPLE = JSON.stringify({ stage: 'connect', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000 });

afterAll(stopServers);

describe('imsmap build', () => {
  const folder = folderWith({ 'example.mappings': EXAMPLE, 'broken.mappings': 'T\n  $(10.0.0.0/99)  $Y\n' });

  it('writes the compiled file and says what it holds', async () => {
    const run = await runImsmap(['build', 'example.mappings', '-o', 'example.imc', '--json'], { cwd: folder });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ file: 'example.mappings', output: 'example.imc', tables: 4, entries: 12 });
    expect(summary.sources).toEqual([{ path: 'example.mappings', resolved: path.join(folder, 'example.mappings'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('answers test, decide and audit from the compiled file exactly as from the text', async () => {
    await runImsmap(['build', 'example.mappings', '-o', 'example.imc'], { cwd: folder });
    for (const argv of [
      ['test', '--table', 'PORT_ACCESS', '--json', '--debug'],
      ['test', '--table', 'PORT_ACCESS'],
      ['decide', '--json', '--debug', TUPLE],
      ['audit', '--json'],
    ]) {
      const [command, ...rest] = argv;
      const stdin = command === 'test' ? PROBES.join('\n') + '\n' : '';
      const text = await runImsmap([command!, 'example.mappings', ...rest], { cwd: folder, stdin });
      const compiled = await runImsmap([command!, 'example.imc', ...rest], { cwd: folder, stdin });
      expect(compiled.stderr).toBe(text.stderr);
      expect(compiled.status).toBe(text.status);
      // The audit names the file it was given; everything else is the same.
      expect(compiled.stdout.replaceAll('example.imc', 'example.mappings')).toBe(text.stdout);
      expect(text.stdout.length).toBeGreaterThan(10);
    }
  });

  it('answers long literal keys in a fresh process, where nothing built an index before the load', () => {
    const long = 'a'.repeat(100);
    const keys = folderWith({ 'long.mappings': `T\n  ${long}  $Ylong\n  ${long}b  $Ylonger\n  *  $Nnone\n` });
    const cli = (...argv: string[]) => spawnSync(process.execPath, [CLI, ...argv], { cwd: keys, encoding: 'utf8' });
    expect(cli('build', 'long.mappings', '-o', 'long.imc').status).toBe(0);
    const answers = (file: string) => cli('test', file, '--table', 'T', '--json', long, `${long}b`).stdout;
    expect(answers('long.imc')).toBe(answers('long.mappings'));
    expect(answers('long.imc')).toMatch(/"output":"longer"/);
  });

  it('refuses a file with errors and leaves the output as it was', async () => {
    writeFileSync(path.join(folder, 'kept.imc'), 'before');
    const run = await runImsmap(['build', 'broken.mappings', '-o', 'kept.imc'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.mappings:2:\d+: error: .*\n.*broken\.mappings was not compiled: it has errors/);
    expect(readFileSync(path.join(folder, 'kept.imc'), 'utf8')).toBe('before');
  });

  it('needs --output', async () => {
    const run = await runImsmap(['build', 'example.mappings'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/missing --output/);
  });

  it('is refused by lint, which reads what the compiled form leaves out', async () => {
    await runImsmap(['build', 'example.mappings', '-o', 'example.imc'], { cwd: folder });
    const run = await runImsmap(['lint', 'example.imc'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/example\.imc is a compiled file \(imsmap build\): lint the mappings file it was built from/);
  });

  it('is refused once its source changed, naming the source', async () => {
    const stale = folderWith({ 'm.mappings': EXAMPLE });
    await runImsmap(['build', 'm.mappings', '-o', 'm.imc'], { cwd: stale });
    writeFileSync(path.join(stale, 'm.mappings'), EXAMPLE + '! changed\n');
    const run = await runImsmap(['test', 'm.imc', '--table', 'PORT_ACCESS', PROBES[0]!], { cwd: stale });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('m.imc: error: built from m.mappings, which has changed since: build it again (imsmap build) [compiled-stale]\n');
  });
});

const relay = rcptRequest({ helo_name: 'mx.spammer.example', sender: 'spam@spammer.example', recipient: 'victim@elsewhere.example' });

describe('imsmap serve from a compiled file', () => {
  it('answers, reloads a rebuilt file on SIGHUP and keeps the tables in use when the file is stale', async () => {
    const folder = folderWith({ mappings: TWO_TIER });
    const build = async () => expect((await runImsmap(['build', 'mappings', '-o', 'policy.imc'], { cwd: folder })).status).toBe(0);
    await build();
    const served = await serve([path.join(folder, 'policy.imc'), '--options', '{"channels":{"localDomains":["corp.example"]}}']);
    const client = await PolicyClient.connect({ port: served.port });
    expect((await client.ask({ ...relay, instance: 'one' })).action).toBe('550 5.7.1 Relaying not allowed: victim@elsewhere.example');

    const edit = (text: string) => {
      writeFileSync(path.join(folder, 'mappings.new'), text);
      renameSync(path.join(folder, 'mappings.new'), path.join(folder, 'mappings'));
    };
    edit(TWO_TIER.replace('Relaying$ not$ allowed', 'No$ relaying$ here'));
    await build();
    served.child.kill('SIGHUP');
    await served.logged((line) => line.event === 'reload' && line.trigger === 'SIGHUP');
    expect((await client.ask({ ...relay, instance: 'two' })).action).toBe('550 5.7.1 No relaying here: victim@elsewhere.example');

    edit(TWO_TIER.replace('Relaying$ not$ allowed', 'Not$ rebuilt'));
    served.child.kill('SIGHUP');
    const refused = await served.logged((line) => line.event === 'reload-refused' && line.trigger === 'SIGHUP');
    expect(JSON.stringify(refused)).toMatch(/built from .*mappings, which has changed since/);
    expect((await client.ask({ ...relay, instance: 'three' })).action).toBe('550 5.7.1 No relaying here: victim@elsewhere.example');

    served.child.kill('SIGTERM');
    expect(await bounded(served.exited, 'the server to exit', 20_000)).toBe(0);
    await client.closed();
  });
});
