import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** The repository root: the server's workspace and working directory. */
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** The built CLI the tests start, as an editor would. */
export const cliPath = path.join(repoDir, 'dist/cli/main.js');

/** A real LSP client over `imsmap lsp`'s standard input and output. */
export class LspClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();
  stderr = '';

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  /** Starts `node dist/cli/main.js lsp` (or another server script) and initialises it with `root` as the workspace. */
  static async start(root = repoDir, server: string[] = [cliPath, 'lsp']): Promise<LspClient> {
    const child = spawn(process.execPath, [...server, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk) => (client.stderr += String(chunk)));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = client.diagnostics.get(params.uri) ?? [];
      list.push(params);
      client.diagnostics.set(params.uri, list);
      for (const wake of client.waiters.splice(0)) wake();
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {} });
    connection.sendNotification('initialized', {});
    return client;
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Opens a document with the given text (by default the file's, decoded as an editor does). */
  open(file: string, text = new TextDecoder().decode(readFileSync(file))): string {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'mappings', version: 1, text } });
    return uri;
  }

  /** Replaces a range of an open document (an incremental edit). */
  edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Closes an open document. */
  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Waits for the next diagnostics of a document published after `after` earlier ones. */
  async nextDiagnostics(uri: string, after = 0, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while ((this.diagnostics.get(uri)?.length ?? 0) <= after) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.diagnostics.get(uri)![after]!.diagnostics;
  }

  /** Waits for the diagnostics of the document's latest version. */
  async settled(uri: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const latest = this.diagnostics.get(uri)?.at(-1);
      if (latest && latest.version === version) return latest.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for version ${version} of ${uri}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** The diagnostics last published for a document. */
  latest(uri: string): Diagnostic[] {
    return this.diagnostics.get(uri)?.at(-1)?.diagnostics ?? [];
  }

  /** Waits until the diagnostics last published for a document satisfy a condition. */
  async waitFor(uri: string, condition: (diagnostics: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.latest(uri))) {
      if (Date.now() > deadline) throw new Error(`diagnostics of ${uri} never met the condition; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.latest(uri);
  }

  /** How many diagnostics notifications a document has had. */
  published(uri: string): number {
    return this.diagnostics.get(uri)?.length ?? 0;
  }

  /** Sends a request and returns its answer. */
  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** Shuts the server down and waits for it to end. */
  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await this.connection.sendRequest('shutdown');
        void this.connection.sendNotification('exit');
      } catch {
        // A server that already went away has nothing to shut down.
      }
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const timer = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 3000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
