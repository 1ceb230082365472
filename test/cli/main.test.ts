// The CLI entry itself: --version and unknown commands.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runImsmap } from './harness.js';

describe('imsmap --version', () => {
  it("prints the version of package.json, so that a release needs no second edit", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runImsmap(['--version']);
    expect(run).toMatchObject({ status: 0, stdout: `imsmap ${version}\n`, stderr: '' });
  });
});

describe('an unknown command', () => {
  it('suggests the command it is a typo of, and exits 2 with the usage', async () => {
    const run = await runImsmap(['lnit', 'fixtures/example.mappings']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imsmap: unknown command 'lnit' \(did you mean 'lint'\?\)\nUsage: imsmap <command>/);
  });

  it('suggests nothing when no command is close', async () => {
    const run = await runImsmap(['frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^imsmap: unknown command 'frobnicate'\nUsage:/);
  });
});
