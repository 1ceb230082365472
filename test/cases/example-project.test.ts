import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../adapters/helpers.js';

// docs/example-project is a user's project in miniature: its test imports `imsmap` and `imsmap/vitest`,
// which resolve through this package's "exports" to dist/ (self-reference by package name), exactly as
// they would from node_modules. It is run as its own vitest project, the way its README says.

const PROJECT = path.join(ROOT, 'docs', 'example-project');

test('the example project passes its own vitest run', () => {
  const entry = path.join(ROOT, 'dist', 'adapters', 'vitest.js');
  expect(existsSync(entry), `${entry} is missing: run \`npm run build\` (npm ci does) before the tests`).toBe(true);
  const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--root', PROJECT, '--reporter', 'verbose'], {
    cwd: PROJECT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  const output = run.stdout + run.stderr;
  expect(run.status, output).toBe(0);
  expect(output).toMatch(/Tests\s+16 passed \(16\)/);
});
