import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUSY_CLIENT, EXTERNAL_CLIENT, INTERNAL_CLIENT, REPLIES, ROOT, temporaryDirectory, TWO_TIER } from './helpers.js';
import { bounded, freePort, SmtpClient } from './smtp-client.js';

// Haraka as a real child process (its bin, with a config directory of its own), the plugin loaded the
// way a Haraka installation loads it — `plugins/imsmap.js` requiring the CommonJS entry — and the
// two-tier scenario's mappings file. Haraka runs JavaScript, so the current sources are compiled first
// into the same temporary directory (tsc, as `npm run build` does).
//
// Haraka lives in its own small install (haraka-install/, pinned by its lock file) rather than in the
// project's devDependencies: its dependencies declare Node 22, so `npm ci` of the project would warn
// on Node 20. This file installs it on first use, without optional plugins or install scripts.

const HARAKA_INSTALL = path.join(ROOT, 'test', 'adapters', 'haraka-install');
const HARAKA = path.join(HARAKA_INSTALL, 'node_modules', '.bin', 'haraka');
const HARAKA_DEFAULTS = path.join(HARAKA_INSTALL, 'node_modules', 'Haraka', 'config');
const scratch = temporaryDirectory('imsmap-haraka-');
const suiteStart = performance.now();
const processes: ChildProcess[] = [];
const clients: SmtpClient[] = [];
let built: string | undefined;

/** Installs the pinned Haraka once (npm ci from its lock file); later runs find it in place. */
function installHaraka(): void {
  if (existsSync(HARAKA)) return;
  const npm = spawnSync('npm', ['ci', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: HARAKA_INSTALL,
    encoding: 'utf8',
  });
  if (npm.status !== 0 || !existsSync(HARAKA)) throw new Error(`npm ci in ${HARAKA_INSTALL} failed:\n${npm.stdout}${npm.stderr}`);
}

/** The compiled CommonJS entry, compiled once for the whole file. */
function harakaEntry(): string {
  if (built === undefined) {
    const buildStart = performance.now();
    built = buildSources();
    console.log(`Haraka test: sources compiled in ${((performance.now() - buildStart) / 1000).toFixed(2)} s`);
  }
  return built;
}

/** Compiles src/ into the scratch directory, where `zod` & co. resolve through a node_modules link. */
function buildSources(): string {
  const out = path.join(scratch.directory, 'build');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out, '--sourceMap', 'false', '--declaration', 'false'], {
    encoding: 'utf8',
  });
  const entry = path.join(out, 'adapters', 'haraka.cjs');
  // Type errors elsewhere in the tree are the typecheck's business; the emitted JavaScript is what Haraka needs.
  if (!existsSync(entry)) throw new Error(`tsc did not emit ${entry}:\n${run.stdout}${run.stderr}`);
  writeFileSync(path.join(scratch.directory, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch.directory, 'node_modules'), 'dir');
  return entry;
}

/** A Haraka installation directory: the plugin file, the plugin list and the configuration. */
function harakaDirectory(name: string, entry: string, listen: string, settings: object): string {
  const directory = path.join(scratch.directory, name);
  mkdirSync(path.join(directory, 'config'), { recursive: true });
  mkdirSync(path.join(directory, 'plugins'));
  // What a Haraka installation writes after `npm install imsmap` (with `require('imsmap/haraka')`).
  writeFileSync(path.join(directory, 'plugins', 'imsmap.js'), `Object.assign(exports, require(${JSON.stringify(entry)}))\n`);
  writeFileSync(path.join(directory, 'config', 'plugins'), 'imsmap\nrcpt_to.in_host_list\n');
  writeFileSync(path.join(directory, 'config', 'host_list'), 'corp.example\n');
  // nodes=0: one process, no cluster workers.
  writeFileSync(path.join(directory, 'config', 'smtp.ini'), `[main]\nlisten=${listen}\nnodes=0\n`);
  writeFileSync(path.join(directory, 'config', 'log.ini'), '[main]\nlevel=info\ntimestamps=false\n');
  copyFileSync(path.join(HARAKA_DEFAULTS, 'connection.ini'), path.join(directory, 'config', 'connection.ini'));
  writeFileSync(path.join(directory, 'config', 'imsmap.json'), JSON.stringify(settings, null, 2));
  return directory;
}

/** Starts Haraka; resolves with its output so far once the output matches `ready`, or when it exits. */
function startHaraka(directory: string, ready: RegExp): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [HARAKA, '-c', directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void exited.then(() => resolve());
  });
  return bounded(started, 'Haraka to start', 20_000).then(() => ({ child, output: () => output, exited }));
}

async function connect(port: number, from: string): Promise<SmtpClient> {
  const client = await SmtpClient.connect(port, from);
  clients.push(client);
  return client;
}

afterAll(async () => {
  for (const client of clients) client.close();
  for (const child of processes) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  scratch.remove();
  console.log(`Haraka adapter suite (build, three Haraka processes, SMTP): ${((performance.now() - suiteStart) / 1000).toFixed(2)} s`);
});

// Installing and compiling take minutes on a loaded machine: once, here, outside the suites' hook timeouts.
beforeAll(() => {
  installHaraka();
  harakaEntry();
}, 300_000);

describe('Haraka plugin over real SMTP (two-tier mappings)', () => {
  let relayPort: number;
  let port25: number;
  let directory: string;
  let harakaOutput: () => string;

  beforeAll(async () => {
    relayPort = await freePort();
    port25 = await freePort();
    directory = harakaDirectory('haraka', harakaEntry(), `127.0.0.1:${relayPort},127.0.0.1:${port25}`, {
      mappings: TWO_TIER,
      // The second listener stands for the MTA's port 25 behind a port redirect.
      ports: { [port25]: 25 },
      access: { channels: { localDomains: ['corp.example'] } },
      hitsFile: 'hits.json',
      hitsIntervalSeconds: 0.2,
    });
    const startedAt = performance.now();
    const haraka = await startHaraka(directory, /imsmap: .* loaded \(generation 1\)/);
    expect(haraka.child.exitCode, haraka.output()).toBeNull();
    harakaOutput = haraka.output;
    console.log(`Haraka test: Haraka ready in ${((performance.now() - startedAt) / 1000).toFixed(2)} s`);
  }, 40_000);

  test('an Internet client on port 25 gets the PORT_ACCESS text and Haraka disconnects (DENYDISCONNECT)', async () => {
    const client = await connect(port25, EXTERNAL_CLIENT);
    expect((await client.reply()).text).toBe('500 Please use port 587 to send mail');
    await client.closed();
  });

  test('relaying is refused with DENY and the exact 550 5.7.1 reply; $D30 holds every later reply of the transaction (A18, A20)', async () => {
    const client = await connect(relayPort, EXTERNAL_CLIENT);
    expect((await client.reply()).code).toBe(220);
    expect((await client.command('EHLO mx.sender.example')).code).toBe(250);
    expect((await client.command('MAIL FROM:<a@sender.example>')).code).toBe(250);
    const refused = await client.command('RCPT TO:<b@other.example>');
    expect(refused.text).toBe('550 5.7.1 Relaying not allowed: b@other.example');
    expect(refused.elapsedMs).toBeGreaterThanOrEqual(300);
    // The log line names the connection (Haraka's id in brackets), not `[-]`.
    const rejection = harakaOutput()
      .split('\n')
      .find((line) => line.includes('imsmap: rejected') && line.includes('b@other.example'));
    expect(rejection).toMatch(/\[[0-9A-F]{8}-[0-9A-F-]{27}[^\]]*\] \[imsmap\] imsmap: rejected/i);
    // The positive delay holds for the rest of the transaction; the local recipient is accepted by host_list.
    const local = await client.command('RCPT TO:<c@corp.example>');
    expect(local.text).toBe('250 recipient <c@corp.example> OK');
    expect(local.elapsedMs).toBeGreaterThanOrEqual(300);
    const data = await client.command('DATA');
    expect(data.code).toBe(354);
    expect(data.elapsedMs).toBeGreaterThanOrEqual(300);
    // No queue plugin is configured: Haraka's own answer to the message, held back by the delay too.
    const ended = await client.command('Subject: test\r\n\r\nhello\r\n.');
    expect(ended.elapsedMs).toBeGreaterThanOrEqual(300);
    console.log(
      `Haraka $D30: RCPT reply after ${refused.elapsedMs.toFixed(0)} ms, next RCPT ${local.elapsedMs.toFixed(0)} ms, ` +
        `DATA ${data.elapsedMs.toFixed(0)} ms, end of DATA ${ended.elapsedMs.toFixed(0)} ms (${ended.code})`,
    );
  });

  test('the internal host is not refused by imsmap: the recipient is left to the other plugins', async () => {
    const client = await connect(relayPort, INTERNAL_CLIENT);
    expect((await client.reply()).code).toBe(220);
    await client.command('EHLO lan.corp.example');
    await client.command('MAIL FROM:<a@corp.example>');
    expect((await client.command('RCPT TO:<c@corp.example>')).text).toBe('250 recipient <c@corp.example> OK');
    // No plugin accepts an outside recipient for a non-relaying client: Haraka's own answer, not imsmap's.
    expect((await client.command('RCPT TO:<b@other.example>')).text).toBe('550 I cannot deliver mail for <b@other.example>');
  });

  test('the hit counters are written as JSON', async () => {
    const file = path.join(directory, 'config', 'hits.json');
    const relayRule = async () => {
      for (;;) {
        const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
        const entry = report?.entries.find((hits: { table: string }) => hits.table === 'ORIG_SEND_ACCESS');
        if (entry?.matched >= 1) return report;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const report = await bounded(relayRule(), 'the hits file');
    expect(report).toMatchObject({ file: TWO_TIER, generation: 1 });
    expect(report.entries.find((hits: { table: string; index: number }) => hits.table === 'PORT_ACCESS' && hits.index === 3)).toMatchObject({
      matched: 1,
      applied: 1,
    });
  });
});

describe('Haraka plugin: temporary rejections (DENYSOFT, DENYSOFTDISCONNECT)', () => {
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const directory = harakaDirectory('haraka-replies', harakaEntry(), `127.0.0.1:${port}`, { mappings: REPLIES });
    const haraka = await startHaraka(directory, /imsmap: .* loaded \(generation 1\)/);
    expect(haraka.child.exitCode, haraka.output()).toBeNull();
  }, 40_000);

  test('a multi-line 421 PORT_ACCESS reply is sent line by line and Haraka disconnects (A19)', async () => {
    const client = await connect(port, BUSY_CLIENT);
    expect((await client.reply()).lines).toEqual(['421-4.3.2 Too busy', '421 4.3.2 Try again later']);
    await client.closed();
  });

  test('a class-4 $X gives a soft 450 at RCPT TO, a FROM_ACCESS $X its own code at MAIL FROM (A18)', async () => {
    const client = await connect(port, EXTERNAL_CLIENT);
    await client.reply();
    await client.command('EHLO mx.sender.example');
    await client.command('MAIL FROM:<a@sender.example>');
    expect((await client.command('RCPT TO:<later@other.example>')).text).toBe('450 4.2.1 Try again later: later@other.example');
    await client.command('RSET');
    expect((await client.command('MAIL FROM:<spam@sender.example>')).text).toBe('550 5.7.0 Sender refused: spam@sender.example');
  });
});

describe('Haraka plugin with a broken mappings file', () => {
  test('Haraka refuses to start and says why', async () => {
    const broken = path.join(scratch.directory, 'broken.mappings');
    writeFileSync(broken, 'PORT_ACCESS\n  $(10.0.0.0/8  $N\n');
    const directory = harakaDirectory('haraka-broken', harakaEntry(), `127.0.0.1:${await freePort()}`, { mappings: broken });
    const haraka = await startHaraka(directory, /init_master returned error/);
    expect(await bounded(haraka.exited, 'Haraka to exit', 10_000)).toBe(1);
    expect(haraka.output()).toContain(`imsmap: ${broken}: 1 error(s); the tables were not loaded: ${broken}:2:3: IP construct`);
  }, 30_000);
});
