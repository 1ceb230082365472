import { auditCommand } from './audit.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { decideCommand } from './decide.js';
import { diffCommand } from './diff.js';
import { lintCommand } from './lint.js';
import { lspCommand } from './lsp.js';
import { matchCommand } from './match.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';

/** Every subcommand, in the order `imsmap --help` lists them. */
export const commands: Command[] = [lintCommand, testCommand, matchCommand, decideCommand, auditCommand, checkCommand, diffCommand, buildCommand, serveCommand, lspCommand];
