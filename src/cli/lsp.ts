import { EXIT_OK, EXIT_USAGE, type CommandRunner } from './command.js';

/** `imsmap lsp`: the language server over standard input and output, for editors. */
export const lspCommand: CommandRunner = {
  async run(_values, _positionals, io) {
    // Loaded here, not at the top: no other command pays for the protocol packages.
    let server: typeof import('../lsp/index.js');
    try {
      server = await import('../lsp/index.js');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      io.stderr.write('imsmap lsp: needs vscode-languageserver and vscode-languageserver-textdocument: npm install them beside imsmap\n');
      return EXIT_USAGE;
    }
    await server.runLanguageServer({ input: io.stdin, output: io.stdout });
    return EXIT_OK;
  },
};
