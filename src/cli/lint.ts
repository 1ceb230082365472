import type { Diagnostic } from '../syntax/diagnostics.js';
import { fileSystemReader, readMappingsFile, sourceLines, type IncludeReader } from '../syntax/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type Command } from './command.js';

/** The diagnostics of one checked file (its includes' diagnostics among them) and how to quote its sources. */
export interface LintRun {
  files: Array<{ file: string; diagnostics: Diagnostic[] }>;
  /** The text of a physical line of any file read, or undefined when it cannot be shown. */
  sourceLine(file: string, line: number): string | undefined;
}

/** Turns a lint run into the text printed on standard output. */
export type LintFormatter = (run: LintRun) => string;

/**
 * Output formats by name. Later formats (sarif, github) are added here; the command itself does
 * not change.
 */
export const lintFormatters: Record<string, LintFormatter> = {
  text: formatText,
  json: formatJson,
};

/** `imsmap lint FILE…`: every diagnostic of every file, exit 1 on errors, 2 when a file cannot be read. */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check mappings files and print every diagnostic',
  usage: `imsmap lint [--format ${Object.keys(lintFormatters).join('|')}] FILE…`,
  options: {
    format: { type: 'string', short: 'f', default: 'text' },
  },
  async run(values, positionals, io) {
    const format = String(values.format);
    const formatter = lintFormatters[format];
    if (!formatter) throw new UsageError(`unknown format '${format}' (choose ${Object.keys(lintFormatters).join(', ')})`);
    if (positionals.length === 0) throw new UsageError('name at least one mappings file');

    const reader = fileSystemReader(io.cwd);
    const files = positionals.map((file) => ({ file, diagnostics: readMappingsFile(file, reader).diagnostics }));
    io.stdout.write(formatter({ files, sourceLine: sourceLineReader(reader) }));

    const diagnostics = files.flatMap((checked) => checked.diagnostics);
    if (diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file')) return EXIT_USAGE;
    return diagnostics.some((diagnostic) => diagnostic.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Reads each file's lines once, through the same reader the parser used, so positions agree. */
function sourceLineReader(reader: IncludeReader): LintRun['sourceLine'] {
  const cache = new Map<string, string[] | null>();
  return (file, line) => {
    if (!cache.has(file)) {
      const content = reader(file);
      cache.set(file, content === null ? null : sourceLines(content));
    }
    return cache.get(file)?.[line - 1];
  };
}

/** `file:line:col: severity code message`, the source line with a caret under the column, then a summary. */
function formatText(run: LintRun): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const { diagnostics } of run.files) {
    for (const diagnostic of diagnostics) {
      counts[diagnostic.severity] += 1;
      out.push(
        `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`,
      );
      const source = run.sourceLine(diagnostic.file, diagnostic.line);
      if (source !== undefined) out.push(...codeFrame(source, diagnostic));
      if (diagnostic.hint) out.push(`  hint: ${diagnostic.hint}`);
    }
  }
  const fileCount = run.files.length;
  out.push(
    `${plural(fileCount, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`,
  );
  return out.join('\n') + '\n';
}

/** Longest stretch of a source line a code frame shows; longer lines are cut around the column. */
const FRAME_WIDTH = 120;

/**
 * The source line and a caret line under the diagnostic's first line. Tabs before the column are
 * copied into the caret line so that the caret stays aligned however the terminal expands them.
 */
function codeFrame(source: string, diagnostic: Diagnostic): string[] {
  const column = Math.min(diagnostic.column - 1, source.length);
  const end = diagnostic.endLine === diagnostic.line ? Math.min(diagnostic.endColumn - 1, source.length) : source.length;
  const from = Math.max(0, Math.min(column - 20, source.length - FRAME_WIDTH));
  const to = Math.min(source.length, from + FRAME_WIDTH);
  const before = from > 0 ? '…' : '';
  const shown = before + source.slice(from, to) + (to < source.length ? '…' : '');
  const indent = (before + source.slice(from, column)).replace(/[^\t]/g, ' ');
  const underline = '~'.repeat(Math.max(0, Math.min(end, to) - column - 1));
  return [`  ${shown}`, `  ${indent}^${underline}`];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** One JSON object per diagnostic per line, for tools. */
function formatJson(run: LintRun): string {
  return run.files.flatMap(({ diagnostics }) => diagnostics.map((diagnostic) => JSON.stringify(diagnostic) + '\n')).join('');
}
