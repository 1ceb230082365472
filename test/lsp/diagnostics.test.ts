// Diagnostics as you type equal `imsmap lint --format json` on every fixture (and the corpus copy in
// fixtures/corpus/ when it is there): same codes, severities, positions and messages.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-protocol';
import { runImsmap } from '../cli/harness.js';
import { LspClient, repoDir } from './client.js';

const fixturesDir = path.join(repoDir, 'fixtures');

/** Every mappings file under fixtures/: `*.mappings`, included `*.inc` files and the two-tier pair. */
function mappingsFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) return mappingsFiles(full);
      return /\.(mappings|inc)$|^mappings/.test(name) ? [full] : [];
    });
}

const files = mappingsFiles(fixturesDir);
const severities: Record<string, 1 | 2 | 3> = { error: 1, warning: 2, info: 3 };

/** The CLI's findings for the file itself, as the protocol carries them. */
async function lintJson(file: string): Promise<Array<Pick<LspDiagnostic, 'range' | 'severity' | 'code' | 'message'>>> {
  const run = await runImsmap(['lint', '--format', 'json', file], { cwd: repoDir });
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
    .filter((diagnostic) => diagnostic.file === file)
    .map((diagnostic) => ({
      range: {
        start: { line: diagnostic.line - 1, character: diagnostic.column - 1 },
        end: { line: diagnostic.endLine - 1, character: diagnostic.endColumn - 1 },
      },
      severity: severities[diagnostic.severity],
      code: diagnostic.code,
      message: diagnostic.hint === undefined ? diagnostic.message : `${diagnostic.message}\n${diagnostic.hint}`,
    }));
}

describe('imsmap lsp diagnostics equal imsmap lint --format json', () => {
  let client: LspClient;
  beforeAll(async () => {
    client = await LspClient.start();
  });
  afterAll(async () => {
    await client.stop();
  });

  it('covers the fixtures, and fixtures/corpus/ when present', () => {
    expect(files.length).toBeGreaterThan(90);
    if (existsSync(path.join(fixturesDir, 'corpus'))) expect(files.some((file) => file.includes(`${path.sep}corpus${path.sep}`))).toBe(true);
  });

  it.each(files.map((file) => [path.relative(repoDir, file), file]))('%s', async (_name, file) => {
    const uri = client.open(file);
    const published = await client.nextDiagnostics(uri);
    client.close(uri);
    const expected = await lintJson(file);
    expect(published.map(({ range, severity, code, message }) => ({ range, severity, code, message }))).toEqual(expected);
    expect(published.every((diagnostic) => diagnostic.source === 'imsmap')).toBe(true);
  });
});
