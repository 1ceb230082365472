// The VS Code client: starts the bundled server over stdio and offers "Try a probe" with an input box.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** What the server's imsmap.tryProbe answers (src/lsp/probe.ts). */
interface ProbeAnswer {
  summary: string;
  steps: Array<{ table: string; index: number; depth: number; before: string; after: string; outcome: string; location?: { uri: string; range: { start: { line: number } } } }>;
}

/** Starts the language client when a mappings file is opened. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio },
  };
  const output = vscode.window.createOutputChannel('imsmap probes');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'mappings' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{mappings*,*.mappings,*.inc,imsmap.config.json}') },
    middleware: {
      // The lens carries a sample tuple; let the user edit it first, then show the trace with links.
      executeCommand: async (command, args, next) => {
        const request = { ...(args[0] as Record<string, unknown>) };
        const edited = await vscode.window.showInputBox({
          prompt: `A probe for ${String(request.table)} (plain text), or a tuple as JSON`,
          value: JSON.stringify(request.tuple),
        });
        if (edited === undefined) return undefined;
        if (edited.trim().startsWith('{')) request.tuple = JSON.parse(edited);
        else {
          delete request.tuple;
          request.probe = edited;
        }
        const answer = (await next(command, [request])) as ProbeAnswer | null;
        if (!answer) return answer;
        output.clear();
        output.appendLine(answer.summary);
        for (const step of answer.steps) {
          const where = step.location ? `${vscode.Uri.parse(step.location.uri).fsPath}:${step.location.range.start.line + 1}` : '';
          output.appendLine(`${'  '.repeat(step.depth + 1)}${step.table} #${step.index} ${JSON.stringify(step.before)} → ${JSON.stringify(step.after)} ${step.outcome} ${where}`);
        }
        output.show(true);
        return answer;
      },
    },
  };
  client = new LanguageClient('imsmap', 'imsmap', serverOptions, clientOptions);
  await client.start();
}

/** Stops the language client. */
export async function deactivate(): Promise<void> {
  await client?.stop();
}
