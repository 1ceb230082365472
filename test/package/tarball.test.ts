// The package as a consumer gets it: `npm pack`, then an install of the tarball into a fresh
// temporary project, offline (the tarball plus the npm cache that the project's own `npm ci` filled,
// through a lock file built from the project's). There the README's library snippet must type-check
// (strict, module nodenext) and run, and the CLI must answer through the installed bin.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, temporaryDirectory } from '../adapters/helpers.js';

const scratch = temporaryDirectory('imsmap-tarball-');
const consumer = path.join(scratch.directory, 'consumer');
const installed = path.join(consumer, 'node_modules', 'imsmap');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let shipped: string[] = [];
let install: SpawnSyncReturns<string>;

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 });
}

/** The lock of the consumer project: the tarball, and the project's own entries for its runtime dependencies. */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const { dependencies, peerDependencies, peerDependenciesMeta, bin, engines, license, version } = manifest;
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { imsmap: `file:${tarball}` } },
    'node_modules/imsmap': { version, resolved: `file:${tarball}`, license, dependencies, peerDependencies, peerDependenciesMeta, bin, engines },
  };
  for (const [key, entry] of Object.entries<{ dev?: boolean; devOptional?: boolean; optional?: boolean }>(lock.packages)) {
    if (key.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.optional) packages[key] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** One LSP message with its header. */
function lspMessage(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Starts `command lsp --stdio`, asks it to initialize, shuts it down once it answered; its output and exit status. */
function initializeLanguageServer(command: string, cwd: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const server = spawn(command, ['lsp', '--stdio'], { cwd });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => server.kill(), 30_000);
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const answered = stdout.includes('"id":1');
      stdout += chunk;
      if (!answered && stdout.includes('"id":1')) server.stdin.write(lspMessage({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      if (stdout.includes('"id":2')) server.stdin.end(lspMessage({ jsonrpc: '2.0', method: 'exit' }));
    });
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    server.on('error', reject);
    server.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    server.stdin.write(lspMessage({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  });
}

/** The README's library example, the first TypeScript block after "## The library". */
function readmeSnippet(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'));
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
}

beforeAll(() => {
  expect(existsSync(path.join(ROOT, 'dist', 'index.js')), 'run `npm run build` (npm ci does) before the tests').toBe(true);
  // --ignore-scripts: the tests use the dist/ built by npm ci, and must not rebuild it under other tests.
  const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch.directory], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout);
  shipped = packed.files.map((file: { path: string }) => file.path);
  mkdirSync(consumer);
  const tarball = path.join('..', packed.filename);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { imsmap: `file:${tarball}` } }));
  writeFileSync(path.join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball)));
  install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], consumer);
}, 300_000);

afterAll(() => scratch.remove());

describe('the packed tarball', () => {
  it('ships the built library, the docs and a licence, and nothing of the build or the tests', () => {
    expect(shipped).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/cli/THIRD-PARTY-LICENSES.txt', 'docs/case-file.schema.json']));
    expect(shipped.filter((file) => /(^|\/)node_modules\/|\.map$|^src\/|^test\/|^bench\/|^scripts\//.test(file))).toEqual([]);
  });

  it('keeps the bin at the path npx has cached since the first release, executable, and the lock agrees', () => {
    // npx links a project's bin into its cache once and never renews the link: a moved bin left the
    // cached link on a stale, non-executable tsc output ("sh: 1: imsmap: Permission denied").
    expect(manifest.bin).toEqual({ imsmap: 'dist/cli/main.js' });
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages[''].bin).toEqual(manifest.bin);
    expect(statSync(path.join(ROOT, manifest.bin.imsmap)).mode & 0o111).toBe(0o111);
  });

  it('links only to files it ships, from every document it ships', () => {
    const broken: string[] = [];
    for (const document of shipped.filter((file) => file.endsWith('.md'))) {
      const text = readFileSync(path.join(ROOT, document), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(document), target!)).replace(/\/$/, '');
        if (!shipped.some((file) => file === resolved || file.startsWith(`${resolved}/`))) broken.push(`${document} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('installs offline into a fresh project without a warning', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).toBe('');
    expect(install.stdout).not.toMatch(/warn/i);
  });

  it("type-checks the README's library snippet (strict, module nodenext) and runs it", () => {
    const example = path.join(installed, 'fixtures', 'example.mappings');
    const snippet = readmeSnippet().replace("'/opt/sun/comms/messaging/config/mappings'", JSON.stringify(example));
    writeFileSync(path.join(consumer, 'index.ts'), `${snippet}\nconsole.log(decision.action);\n`);
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2022',
          outDir: 'out',
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        },
        files: ['index.ts'],
      }),
    );
    const tsc = run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const node = run(process.execPath, ['out/index.js'], consumer);
    expect(node.stderr).toBe('');
    expect(node.stdout).toBe('reject\n');
  }, 180_000);

  it('runs the CLI through the installed bin', () => {
    const bin = path.join(consumer, 'node_modules', '.bin', 'imsmap');
    const cli = run(bin, ['test', path.join(installed, 'fixtures', 'example.mappings'), '--table', 'PORT_ACCESS', 'TCP|192.0.2.25|25|203.0.113.5|40000'], consumer);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toBe(
      ['Input string: TCP|192.0.2.25|25|203.0.113.5|40000', 'Output string: blocked 203.0.113.5|421 Too many connections', "Output flags: [0, '<' (60), 'N' (78)]", ''].join('\n'),
    );
    expect(cli.status).toBe(0);
    expect(run(bin, ['--version'], consumer).stdout).toBe(`imsmap ${manifest.version}\n`);
  }, 60_000);

  it('runs the language server through the installed bin, without its packages installed beside it', async () => {
    expect(existsSync(path.join(consumer, 'node_modules', 'vscode-languageserver'))).toBe(false);
    const server = await initializeLanguageServer(path.join(consumer, 'node_modules', '.bin', 'imsmap'), consumer);
    expect(server.stderr).toBe('');
    expect(server.stdout).toContain('"capabilities"');
    expect(server.status).toBe(0);
  }, 60_000);
});
