import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from './helpers.js';

// The adapters are package subpaths: their targets must be files the build emits, and a user's
// `import 'imsmap/smtp-server'` / `require('imsmap/haraka')` must find them.

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: boolean }>;
};

/** The source tsc compiles into a dist/ target (tsconfig.build.json: src → dist; .cts → .cjs, .d.cts). */
function sourceOf(target: string): string {
  return target
    .replace(/^\.\/dist\//, 'src/')
    .replace(/\.d\.cts$/, '.cts')
    .replace(/\.d\.ts$/, '.ts')
    .replace(/\.cjs$/, '.cts')
    .replace(/\.js$/, '.ts');
}

describe('package.json exports', () => {
  test('every subpath points at what the build emits from an existing source', () => {
    const targets = Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const target of targets.filter((target) => target.startsWith('./dist/'))) {
      expect(existsSync(path.join(ROOT, sourceOf(target))), target).toBe(true);
    }
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './browser',
      './syntax',
      './access',
      './providers',
      './postfix',
      './smtp-server',
      './haraka',
      './vitest',
      './case-file.schema.json',
      './package.json',
    ]);
    expect(existsSync(path.join(ROOT, 'docs', 'case-file.schema.json'))).toBe(true);
  });

  test('smtp-server, vitest and the language-server packages are optional peer dependencies', () => {
    const peers = ['smtp-server', 'vitest', 'vscode-languageserver', 'vscode-languageserver-textdocument'];
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(peers);
    expect(manifest.peerDependenciesMeta).toEqual(Object.fromEntries(peers.map((peer) => [peer, { optional: true }])));
  });

  test('the built subpaths load by package name: ESM import and CommonJS require', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'adapters', 'haraka.cjs')), 'run `npm run build` first').toBe(true);
    const script = [
      "import { createRequire } from 'node:module';",
      "const smtp = await import('imsmap/smtp-server');",
      "const haraka = createRequire(import.meta.url)('imsmap/haraka');",
      "const main = await import('imsmap');",
      "const pieces = { browser: 'AccessPolicy', syntax: 'compilePattern', access: 'portAccessProbe', providers: 'createLdapProviders', postfix: 'PolicyServer' };",
      'const found = {};',
      "for (const [subpath, name] of Object.entries(pieces)) found[subpath] = typeof (await import(`imsmap/${subpath}`))[name];",
      'console.log(JSON.stringify({ smtp: Object.keys(smtp).sort(), haraka: Object.keys(haraka).sort(), live: typeof main.LivePolicy, found }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      smtp: ['smtpRejection', 'smtpServerHooks'],
      haraka: ['imsmap_connect', 'imsmap_data', 'imsmap_data_post', 'imsmap_init', 'imsmap_mail', 'imsmap_rcpt', 'imsmap_rset', 'register', 'shutdown'],
      live: 'function',
      found: { browser: 'function', syntax: 'function', access: 'function', providers: 'function', postfix: 'function' },
    });
  });
});
