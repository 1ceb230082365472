// The server bundled into the VS Code extension is the same stage as `imsmap lsp`. .ci/run builds the
// extension (`npm run package:vscode`) before the tests and sets IMSMAP_REQUIRE_VSCODE_BUNDLE, so there
// the bundle is always checked; a fresh clone without the bundle skips.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LspClient, repoDir } from './client.js';

const bundled = path.join(repoDir, 'editors/vscode/dist/server.js');

describe.skipIf(!existsSync(bundled) && process.env.IMSMAP_REQUIRE_VSCODE_BUNDLE !== '1')('the server bundled in the VS Code extension', () => {
  it('publishes the same diagnostics as imsmap lsp', async () => {
    const file = path.join(repoDir, 'fixtures/lint/misspelled-table/triggers.mappings');
    const answers: string[][] = [];
    for (const server of [[bundled], undefined]) {
      const client = await LspClient.start(repoDir, server);
      try {
        answers.push((await client.nextDiagnostics(client.open(file))).map((diagnostic) => `${String(diagnostic.code)}@${diagnostic.range.start.line}`));
      } finally {
        await client.stop();
      }
    }
    expect(answers[0]).toEqual(['misspelled-table@1']);
    expect(answers[0]).toEqual(answers[1]);
  });
});
