import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ROOT, temporaryDirectory } from '../adapters/helpers.js';

// docs/example-project is a user's project in miniature: its test imports `imsmap` and `imsmap/vitest`.
// It runs from a copy in a temporary folder, so that the run (vite's cache in node_modules/.vite) writes
// nothing inside docs/; there `imsmap` is a link to this package, which resolves through its "exports"
// to dist/ exactly as it would from node_modules, and `vitest` a link to this package's vitest.

const PROJECT = path.join(ROOT, 'docs', 'example-project');
const scratch = temporaryDirectory('imsmap-example-project-');
afterAll(() => scratch.remove());

test('the example project passes its own vitest run', () => {
  const entry = path.join(ROOT, 'dist', 'adapters', 'vitest.js');
  expect(existsSync(entry), `${entry} is missing: run \`npm run build\` (npm ci does) before the tests`).toBe(true);
  const project = path.join(scratch.directory, 'example-project');
  cpSync(PROJECT, project, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  mkdirSync(path.join(project, 'node_modules'));
  symlinkSync(ROOT, path.join(project, 'node_modules', 'imsmap'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules', 'vitest'), path.join(project, 'node_modules', 'vitest'), 'dir');
  const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--root', project, '--reporter', 'verbose'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  const output = run.stdout + run.stderr;
  expect(run.status, output).toBe(0);
  expect(output).toMatch(/Tests\s+16 passed \(16\)/);
  expect(existsSync(path.join(PROJECT, 'node_modules'))).toBe(false);
}, 150_000);
