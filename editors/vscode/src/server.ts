// The language server bundled into the extension: the same stage `imsmap lsp` runs.
import { runLanguageServer } from '../../../src/lsp/index.js';

void runLanguageServer({ input: process.stdin, output: process.stdout }).then(() => process.exit(0));
