// What an editor gets from `imsmap lsp` besides diagnostics: hover, navigation, outline, completion,
// quick fixes, the probe command and its code lenses, re-checks as you type and across includes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location } from 'vscode-languageserver-protocol';
import { LspClient } from './client.js';

const MAIN = [
  'PORT_ACCESS',
  '  *|*|*|*|*  $C$|INTERNAL_IP;$3|$Y$E',
  '  TCP|*|25|$(10.0.0.1/8)|*  $Y$D',
  '  *  $Y',
  'INTERNAL_IP',
  '  $(127.0.0.0/8)  $Y',
  '  *  $N',
  'ORIG_SEND_ACESS',
  '  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed',
  'ORIG_SEND_ACCESS',
  '  tcp_local|*|tcp_local|*  30|Relaying$ not$ allowed$D$N',
  '  tcp_auth|*|*|*  $C$|INTERNAL_IPS;$0|$Y$E',
  '<sub.inc',
  '',
].join('\n');

const SUB = ['FROM_ACCESS', '  *|*|*|*|*|*|*|*|*|*  $Y', ''].join('\n');

const at = (line: number, character: number) => ({ line, character });
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}`);
const hoverText = (hover: Hover | null) => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '');

describe('imsmap lsp features', () => {
  let client: LspClient;
  let folder: string;
  let uri: string;
  let mainFile: string;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'imsmap-lsp-'));
    mainFile = path.join(folder, 'mappings');
    writeFileSync(mainFile, MAIN);
    writeFileSync(path.join(folder, 'sub.inc'), SUB);
    client = await LspClient.start(folder);
    uri = client.open(mainFile);
    diagnostics = await client.nextDiagnostics(uri);
  });
  afterAll(async () => {
    await client.stop();
  });

  const position = (line: number, character: number) => ({ textDocument: { uri }, position: at(line, character) });

  it('publishes parse and lint findings of the document', () => {
    expect(codes(diagnostics)).toEqual(expect.arrayContaining(['host-bits-set@2', 'meaningless-flag@2', 'misspelled-table@7', 'unknown-table@11']));
  });

  it('hovers on a pattern: what each item matches and the capture it fills', async () => {
    const text = hoverText(await client.request<Hover>('textDocument/hover', position(2, 14)));
    expect(text).toContain('an IPv4 address in the subnet 10.0.0.0/8 (P9) → **$1**');
    expect(text).toContain('the text "TCP|" (case-blind, P1)');
    expect(text).toContain('zero or more any characters → **$0**');
  });

  it('hovers on a template: its output read the way its table reads it', async () => {
    const text = hoverText(await client.request<Hover>('textDocument/hover', position(10, 40)));
    expect(text).toContain('`$D` takes "30"');
    expect(text).toContain('delay 0.30 s before this and later replies of the transaction (A20)');
    expect(text).toContain('rejects with the text "Relaying not allowed"');
    expect(text).toContain('`$N`: reject with the text that remains after the argument fields');
  });

  it('says what a flag means in its table, and when it means nothing there', async () => {
    const text = hoverText(await client.request<Hover>('textDocument/hover', position(2, 30)));
    expect(text).toContain('`$Y`: accept the connection');
    expect(text).toContain('`$D`: means nothing in PORT_ACCESS (A14, A15)');
  });

  it('hovers on a $|TABLE;…| call: the table and its entry count', async () => {
    expect(hoverText(await client.request<Hover>('textDocument/hover', position(1, 17)))).toContain('maps its argument through **INTERNAL_IP**: 2 entries');
    expect(hoverText(await client.request<Hover>('textDocument/hover', position(11, 22)))).toContain('no table INTERNAL_IPS is defined');
  });

  it('goes to the definition of a called table and of an include', async () => {
    expect(await client.request<Location[]>('textDocument/definition', position(1, 18))).toEqual([
      { uri, range: { start: at(4, 0), end: at(4, 11) } },
    ]);
    const [include] = await client.request<Location[]>('textDocument/definition', position(12, 3));
    expect(include!.uri).toBe(pathToFileURL(path.join(folder, 'sub.inc')).href);
  });

  it('finds the references of a table: its header and every call', async () => {
    const found = await client.request<Location[]>('textDocument/references', { ...position(4, 3), context: { includeDeclaration: true } });
    expect(found.map((location) => location.range.start.line)).toEqual([4, 1]);
  });

  it('outlines the tables of the document', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((symbol) => symbol.name)).toEqual(['PORT_ACCESS', 'INTERNAL_IP', 'ORIG_SEND_ACESS', 'ORIG_SEND_ACCESS']);
    expect(symbols[0]!.children!.map((child) => child.name)).toEqual(['*|*|*|*|*', 'TCP|*|25|$(10.0.0.1/8)|*', '*']);
  });

  it('offers one right fix for a misspelt table, host bits and a meaningless flag', async () => {
    const fixes = async (line: number) =>
      (await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at(line, 0), end: at(line, 60) }, context: { diagnostics: [] } })).map(
        (action) => ({ title: action.title, edit: action.edit!.changes![uri]![0] }),
      );
    expect(await fixes(7)).toEqual([{ title: 'Rename the table to ORIG_SEND_ACCESS', edit: { range: { start: at(7, 0), end: at(7, 15) }, newText: 'ORIG_SEND_ACCESS' } }]);
    expect(await fixes(2)).toEqual([
      { title: 'Mask the subnet to 10.0.0.0', edit: { range: { start: at(2, 13), end: at(2, 21) }, newText: '10.0.0.0' } },
      { title: 'Remove $D', edit: { range: { start: at(2, 30), end: at(2, 32) }, newText: '' } },
    ]);
    expect(await fixes(11)).toEqual([{ title: 'Call INTERNAL_IP instead', edit: { range: { start: at(11, 22), end: at(11, 34) }, newText: 'INTERNAL_IP' } }]);
  });

  it('maps a probe and links every step of the trace to its entry', async () => {
    const answer = await client.request<{ summary: string; steps: Array<{ table: string; index: number; location: Location }> }>('workspace/executeCommand', {
      command: 'imsmap.tryProbe',
      arguments: [{ uri, table: 'PORT_ACCESS', probe: 'TCP|192.0.2.25|25|10.1.2.3|40000' }],
    });
    expect(answer.summary).toContain('PORT_ACCESS: "TCP|192.0.2.25|25|10.1.2.3|40000" →');
    expect(answer.steps.map((step) => `${step.table}#${step.index}@${step.location.range.start.line}`)).toEqual(
      expect.arrayContaining(['PORT_ACCESS#1@1', 'INTERNAL_IP#2@6', 'PORT_ACCESS#2@2']),
    );
    expect(answer.steps.every((step) => step.location.uri === uri)).toBe(true);
  });

  it('puts a code lens on each access table that decides a tuple with its trace', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.map((lens) => lens.range.start.line)).toEqual([0, 4, 9]);
    const lens = lenses.find((found) => found.range.start.line === 9)!;
    const answer = await client.request<{ summary: string; decision: { action: string; delay: unknown }; steps: Array<{ location: Location }> }>('workspace/executeCommand', {
      command: lens.command!.command,
      arguments: lens.command!.arguments,
    });
    expect(answer.decision.action).toBe('reject');
    expect(answer.decision.delay).toEqual({ centiseconds: 30, scope: 'transaction' });
    expect(answer.summary).toContain(`refused by ORIG_SEND_ACCESS entry at ${mainFile}:11: 550 5.7.1 Relaying not allowed: relay-test@example.org`);
    expect(answer.steps.map((step) => step.location.range.start.line)).toContain(10);
  });

  it('completes flags of the current table, captures and $ sequences', async () => {
    const labels = async (line: number, character: number) => (await client.request<CompletionItem[]>('textDocument/completion', position(line, character))).map((item) => item.label);
    client.edit(uri, { start: at(3, 6), end: at(3, 6) }, '$');
    await client.settled(uri);
    const port = await labels(3, 7);
    expect(port).toEqual(expect.arrayContaining(['$0', '$Y', '$N', '$T', '$C', '$|']));
    expect(port).not.toContain('$D');
    expect(port).not.toContain('$J');
    client.edit(uri, { start: at(3, 6), end: at(3, 7) }, '$|');
    expect(await labels(3, 8)).toEqual(expect.arrayContaining(['INTERNAL_IP', 'ORIG_SEND_ACCESS', 'MAIL_ACCESS']));
    client.edit(uri, { start: at(3, 2), end: at(3, 2) }, '$');
    expect(await labels(3, 3)).toEqual(expect.arrayContaining(['$A*', '$(', '$_']));
    client.edit(uri, { start: at(3, 0), end: at(3, 9) }, '  *  $Y');
    await client.settled(uri);
  });

  it('re-checks as you type', async () => {
    client.edit(uri, { start: at(7, 11), end: at(7, 11) }, 'C');
    const after = await client.settled(uri);
    expect(codes(after)).not.toContain('misspelled-table@7');
    expect(codes(after)).toContain('host-bits-set@2');
    client.edit(uri, { start: at(7, 11), end: at(7, 12) }, '');
    expect(codes(await client.settled(uri))).toContain('misspelled-table@7');
  });

  it('re-checks the includers when an included file changes', async () => {
    const subUri = client.open(path.join(folder, 'sub.inc'));
    await client.nextDiagnostics(subUri);
    expect(codes(client.latest(uri))).toContain('unknown-table@11');
    client.edit(subUri, { start: at(2, 0), end: at(2, 0) }, 'INTERNAL_IPS\n  *  $Y\n');
    const after = await client.waitFor(uri, (found) => !codes(found).includes('unknown-table@11'));
    expect(codes(after)).toContain('host-bits-set@2');
  });
});

describe('imsmap lsp configuration', () => {
  it('honours imsmap.config.json and suppression comments', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-lsp-config-'));
    writeFileSync(path.join(folder, 'imsmap.config.json'), JSON.stringify({ rules: { 'host-bits-set': 'off', 'no-anti-relay': 'error' } }));
    const file = path.join(folder, 'mappings');
    writeFileSync(file, ['! imsmap-disable-next-line misspelled-table', 'ORIG_SEND_ACESS', '  *  $Y', 'INTERNAL_IP', '  $(10.0.0.1/8)  $Y', ''].join('\n'));
    const client = await LspClient.start(folder);
    try {
      const found = await client.nextDiagnostics(client.open(file));
      expect(found.map((diagnostic) => `${diagnostic.code}:${diagnostic.severity}`)).toEqual(['no-anti-relay:1']);
    } finally {
      await client.stop();
    }
  });
});
