// A bad document (binary, a 10 MB line, deep nesting) never takes the server down: each is checked
// or reported, and the server goes on answering.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from './client.js';

const BAD_DOCUMENTS: Record<string, () => string> = {
  binary: () => String.fromCharCode(...Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256)),
  'a 10 MB line': () => `PORT_ACCESS\n  ${'*'.repeat(10 * 1024 * 1024)}  $Y\n`,
  'deep nesting': () => `T\n  *  ${'$|T;'.repeat(20_000)}x${'|'.repeat(20_000)}\n`,
  'deep pattern sets': () => `T\n  ${'$['.repeat(20_000)}a  $Y\n`,
};

describe('imsmap lsp on bad documents', () => {
  let client: LspClient;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'imsmap-lsp-bad-'));
    client = await LspClient.start(folder);
  });
  afterAll(async () => {
    await client.stop();
  });

  it.each(Object.keys(BAD_DOCUMENTS))('survives %s and goes on answering', async (name) => {
    const uri = client.open(path.join(folder, `${name.replaceAll(' ', '-')}.mappings`), BAD_DOCUMENTS[name]!());
    await client.settled(uri, 60_000);
    for (const request of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition']) {
      await client.request(request, { textDocument: { uri }, position: { line: 1, character: 5 } });
    }
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    client.close(uri);
    expect(client.alive).toBe(true);
    const probe = client.open(path.join(folder, 'after.mappings'), 'PORT_ACCESS\n  *  $Y\n');
    await client.settled(probe);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: probe }, position: { line: 1, character: 2 } });
    expect(JSON.stringify(hover)).toContain('zero or more any characters');
    client.close(probe);
  });
});
