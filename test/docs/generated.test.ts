import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The generated references must match what their generators produce from the current sources: a new
// CLI command, a changed doc comment or a changed grammar makes these fail until `npm run docs` is run.
// The API reports (api/*.api.md) and docs/api.md come from API Extractor over the built declarations
// (dist/, built by `npm ci`'s prepare): a change to the public face fails here until they are regenerated.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const GENERATED = [
  { script: 'scripts/gen-cli-docs.mjs', output: 'docs/cli.md' },
  { script: 'scripts/gen-api-docs.mjs', output: 'api/*.api.md and docs/api.md' },
  { script: 'scripts/gen-railroad.mjs', output: 'grammar/railroad.html' },
];

describe('generated files are current', () => {
  for (const { script, output } of GENERATED) {
    // The generators compile with the TypeScript API: minutes, not seconds, on a loaded machine.
    test(`${output} is what ${script} generates`, () => {
      const run = spawnSync(process.execPath, [script, '--check'], { cwd: ROOT, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }, 120_000);
  }
});

test('the railroad page loads nothing from elsewhere', () => {
  const page = readFileSync(`${ROOT}grammar/railroad.html`, 'utf8');
  expect(page).not.toMatch(/<script[^>]+src=/);
  expect(page).not.toMatch(/<link[^>]+href=/);
  // The serialized grammars of all three parsers are drawn.
  for (const rule of ['mappingsFile', 'pattern', 'template']) expect(page).toContain(`"name": "${rule}"`);
});
