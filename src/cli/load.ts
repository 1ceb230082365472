import type { ParsedMappings } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { escapeControls, readMappingsFile } from '../syntax/index.js';
import { fileSystemReader } from '../syntax/node.js';
import type { CommandIO } from './command.js';

/** `file:line:column: severity: message [code]`, the one-line form of a diagnostic on standard error. */
export function formatDiagnosticLine(diagnostic: Diagnostic): string {
  const { file, line, column, severity, message, code } = diagnostic;
  return escapeControls(`${file}:${line}:${column}: ${severity}: ${message} [${code}]`);
}

/**
 * Reads the mappings file a command names and prints its diagnostics on standard error (X4).
 * Paths stay as the user typed them, relative to the working directory, so diagnostics and entry
 * references point where the user looks. Null when the file itself cannot be read.
 */
export function loadCommandFile(file: string, io: CommandIO): ParsedMappings | null {
  const parsed = readMappingsFile(file, fileSystemReader(io.cwd));
  for (const diagnostic of parsed.diagnostics) io.stderr.write(formatDiagnosticLine(diagnostic) + '\n');
  return parsed.diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file') ? null : parsed;
}
