import {
  createConnection,
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { codeActions } from './actions.js';
import { completion } from './completion.js';
import { hover } from './hover.js';
import { rangeOf } from './locate.js';
import { definition, documentSymbols, references } from './navigation.js';
import { codeLenses, TRY_PROBE_COMMAND, tryProbe, type ProbeRequest } from './probe.js';
import { fileOfUri, MappingsWorkspace, uriOfFile, type CheckedDocument } from './workspace.js';

const SEVERITIES = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** A lint diagnostic as the protocol carries it: same code and position, the hint on a line of its own. */
export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: rangeOf(diagnostic),
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.code,
    source: 'imsmap',
    message: diagnostic.hint === undefined ? diagnostic.message : `${diagnostic.message}\n${diagnostic.hint}`,
  };
}

/** The streams the server talks over. */
export interface ServerStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Runs the language server over the streams until the client exits. Every handler is guarded: an
 * exception from a stage on a bad document is logged and answered with nothing, never fatal.
 */
export function runLanguageServer(streams: ServerStreams): Promise<void> {
  const connection = createConnection(streams.input, streams.output);
  const documents = new TextDocuments(TextDocument);
  let workspace = new MappingsWorkspace(process.cwd());
  const pending = new Set<string>();
  let scheduled = false;

  const guard = <T>(what: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      connection.console.error(`imsmap: ${what} failed: ${(error as Error)?.stack ?? String(error)}`);
      return fallback;
    }
  };

  const publish = (file: string, checked: CheckedDocument | undefined, failure?: string) => {
    const own = checked?.diagnostics.filter((diagnostic) => diagnostic.file === file).map(toLspDiagnostic) ?? [];
    if (failure !== undefined) own.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: 'imsmap', message: `imsmap could not check this file: ${failure}` });
    const uri = uriOfFile(file);
    void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: own });
  };

  /** Checks a document, then every open document that includes it (F7). */
  const recheck = (file: string, seen = new Set<string>()) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (workspace.isOpen(file)) {
      try {
        const checked = workspace.check(file);
        if (checked.configError) connection.console.warn(`imsmap: ${checked.configError.message}; using the default configuration`);
        publish(file, checked);
      } catch (error) {
        connection.console.error(`imsmap: checking ${file} failed: ${(error as Error)?.stack ?? String(error)}`);
        publish(file, undefined, (error as Error)?.message ?? String(error));
      }
    }
    for (const includer of workspace.includers(file)) recheck(includer, seen);
  };

  // Edits come in bursts; checking once per turn of the event loop keeps up with typing.
  const schedule = (file: string) => {
    pending.add(file);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const files = [...pending];
      pending.clear();
      const seen = new Set<string>();
      for (const next of files) recheck(next, seen);
    });
  };

  const checkedOf = (uri: string) => workspace.checked(fileOfUri(uri));

  connection.onInitialize((params) => {
    const root = params.rootUri?.startsWith('file:') ? fileURLToPath(params.rootUri) : (params.rootPath ?? process.cwd());
    workspace = new MappingsWorkspace(root);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: ['$', '|'] },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [TRY_PROBE_COMMAND] },
      },
      serverInfo: { name: 'imsmap', version: '0.1.0' },
    };
  });

  documents.onDidChangeContent(({ document }) => {
    guard('reading the document', undefined, () => {
      const file = fileOfUri(document.uri);
      workspace.setText(file, document.getText());
      schedule(file);
    });
  });
  documents.onDidClose(({ document }) => {
    guard('closing the document', undefined, () => {
      const file = fileOfUri(document.uri);
      workspace.close(file);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      for (const includer of workspace.includers(file)) schedule(includer);
    });
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    guard('a changed file', undefined, () => {
      for (const change of changes) schedule(fileOfUri(change.uri));
    });
  });

  connection.onHover(({ textDocument, position }) => guard('hover', null, () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? hover(checked, position) : null;
  }));
  connection.onDefinition(({ textDocument, position }) => guard('definition', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? definition(checked, position) : [];
  }));
  connection.onReferences(({ textDocument, position, context }) => guard('references', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? references(checked, position, context.includeDeclaration) : [];
  }));
  connection.onDocumentSymbol(({ textDocument }) => guard('document symbols', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? documentSymbols(checked) : [];
  }));
  connection.onCompletion(({ textDocument, position }) => guard('completion', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? completion(checked, position) : [];
  }));
  connection.onCodeAction(({ textDocument, range }) => guard('code actions', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? codeActions(checked, textDocument.uri, range) : [];
  }));
  connection.onCodeLens(({ textDocument }) => guard('code lenses', [], () => {
    const checked = checkedOf(textDocument.uri);
    return checked ? codeLenses(checked, textDocument.uri) : [];
  }));
  connection.onExecuteCommand(({ command, arguments: args }) => guard('the probe', null, () => {
    if (command !== TRY_PROBE_COMMAND) return null;
    const request = args?.[0] as ProbeRequest | undefined;
    const checked = request?.uri === undefined ? undefined : checkedOf(request.uri);
    if (!request || !checked) return { summary: 'open the mappings file first', steps: [], error: 'the document is not open' };
    const answer = tryProbe(checked, request);
    connection.console.info(answer.summary);
    return answer;
  }));

  documents.listen(connection);
  return new Promise((resolve) => {
    connection.onExit(() => resolve());
    connection.listen();
  });
}
