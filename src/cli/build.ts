import { buildCompiledFile } from '../engine/snapshot/node.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { escapeControls } from '../syntax/escape.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { formatDiagnosticLine } from '../lint/format/text.js';

/**
 * `imsmap build FILE -o OUT`: the compiled form of a mappings file, as `imsimta cnbuild` compiles the
 * MTA's configuration. Exit 2 when the file cannot be read or has errors: nothing is written.
 */
export const buildCommand: CommandRunner = {
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one mappings file');
    const file = positionals[0]!;
    const output = values.output as string | undefined;
    if (output === undefined || output === '') throw new UsageError('missing --output <compiled-file>');
    const built = buildCompiledFile(file, output, { cwd: io.cwd });
    for (const diagnostic of built.parsed.diagnostics) io.stderr.write(formatDiagnosticLine(diagnostic) + '\n');
    if (!built.written) {
      const why = hasErrors(built.parsed.diagnostics) ? 'it has errors' : 'it cannot be read';
      io.stderr.write(`imsmap build: ${escapeControls(file)} was not compiled: ${why}\n`);
      return EXIT_USAGE;
    }
    const tables = built.parsed.tables.length;
    const entries = built.parsed.tables.reduce((sum, table) => sum + table.entries.length, 0);
    const sources = built.sources.map((source) => source.path);
    if (values.json === true) {
      io.stdout.write(JSON.stringify({ file, output, tables, entries, sources: built.sources, bytes: built.bytes }) + '\n');
    } else {
      io.stdout.write(escapeControls(`${output}: ${entries} entries in ${tables} tables from ${sources.join(', ')}`) + '\n');
    }
    return EXIT_OK;
  },
};
