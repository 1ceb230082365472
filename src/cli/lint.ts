import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import micromatch from 'micromatch';
import { ConfigError } from '../lint/config-types.js';
import { ruleCatalogue } from '../lint/catalogue.js';
import { lintFormatters, type LintReport } from '../lint/format/index.js';
import type { LintedFile } from '../lint/lint.js';
import { configResolver, isIgnored, lintFile } from '../lint/node.js';
import { isCompiledFile } from '../engine/snapshot/node.js';
import { escapeControls, readContent, sourceLines, type IncludeReader } from '../syntax/index.js';
import { fileSystemReader } from '../syntax/node.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';

/** Folders a `**` glob does not descend into: dependencies and version control, never mappings files of the site. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** `imsmap lint FILE|GLOB…`: every finding of every file; exit 1 on error-level findings or too many warnings, 2 on usage or I/O. */
export const lintCommand: CommandRunner = {
  async run(values, positionals, io) {
    const format = String(values.format);
    const formatter = lintFormatters[format];
    if (!formatter) throw new UsageError(`unknown format '${format}' (choose ${Object.keys(lintFormatters).join(', ')})`);
    const maxWarnings = warningLimit(values['max-warnings']);
    if (positionals.length === 0) throw new UsageError('name at least one mappings file or glob');

    const configs = configResolver(io.cwd, values.config as string | undefined);
    const reader = fileSystemReader(io.cwd);
    const linted: LintedFile[] = [];
    for (const file of expandInputs(positionals, io.cwd)) {
      const config = configs(file);
      if (config instanceof ConfigError) {
        io.stderr.write(`imsmap lint: ${config.message}\n`);
        return EXIT_USAGE;
      }
      if (isIgnored(file, config, io.cwd)) continue;
      if (isCompiledFile(file, io.cwd)) {
        // Lint reads what the compiled form leaves out: comments, suppressions, the layout of lines.
        io.stderr.write(`imsmap lint: ${escapeControls(file)} is a compiled file (imsmap build): lint the mappings file it was built from\n`);
        return EXIT_USAGE;
      }
      linted.push(lintFile(file, { config, readFile: reader }));
    }

    const report: LintReport = {
      files: linted,
      sourceLine: sourceLineReader(reader),
      cwd: io.cwd,
      color: io.stdout.isTTY === true && !process.env.NO_COLOR,
      rules: ruleCatalogue,
    };
    io.stdout.write(formatter(report));

    const diagnostics = linted.flatMap((checked) => checked.diagnostics);
    if (diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file')) return EXIT_USAGE;
    if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return EXIT_FINDINGS;
    const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr.write(`imsmap lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`);
      return EXIT_FINDINGS;
    }
    return EXIT_OK;
  },
};

function warningLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new UsageError(`--max-warnings takes a whole number, not '${text}'`);
  return Number(text);
}

/**
 * The files the arguments name: a plain path as given (a missing one is reported by the linter), a
 * glob expanded with micromatch below its fixed base folder, sorted; duplicates are linted once.
 */
function expandInputs(inputs: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const scan = micromatch.scan(input);
    if (!scan.isGlob) {
      files.push(input);
      continue;
    }
    const matcher = micromatch.matcher(scan.glob, { dot: false });
    const depth = scan.glob.includes('**') ? Infinity : scan.glob.split('/').length;
    const found = walk(path.resolve(cwd, scan.base || '.'), depth)
      .filter((relative) => matcher(relative))
      .map((relative) => (scan.base ? `${scan.base}/${relative}` : relative));
    if (found.length === 0) throw new UsageError(`no files match '${input}'`);
    files.push(...found);
  }
  return [...new Set(files)];
}

/**
 * Paths (with `/`) of the files below a folder, at most `depth` levels down. Unreadable folders are
 * skipped, and a folder reached again through a symbolic link is not walked twice (no endless loop).
 */
function walk(folder: string, depth: number, prefix = '', walked = new Set<string>()): string[] {
  if (depth <= 0) return [];
  let names: string[];
  try {
    const real = realpathSync(folder);
    if (walked.has(real)) return [];
    walked.add(real);
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const full = path.join(folder, name);
    const relative = prefix + name;
    let isFolder: boolean;
    try {
      isFolder = statSync(full).isDirectory();
    } catch {
      return [];
    }
    if (!isFolder) return [relative];
    return SKIPPED_FOLDERS.has(name) ? [] : walk(full, depth - 1, `${relative}/`, walked);
  });
}

/** Reads each file's lines once, through the same reader the parser used, so positions agree. */
function sourceLineReader(reader: IncludeReader): LintReport['sourceLine'] {
  const cache = new Map<string, string[] | null>();
  return (file, line) => {
    if (!cache.has(file)) {
      const content = readContent(reader, file);
      cache.set(file, content === null ? null : sourceLines(content));
    }
    return cache.get(file)?.[line - 1];
  };
}
