/**
 * The lint stage's Node face: configuration files found and read from disk, files linted from disk
 * (the file system as the default reader), and the output formats that name files by path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import micromatch from 'micromatch';
import type { ParsedMappings } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { readMappingsFile } from '../syntax/index.js';
import { fileSystemReader } from '../syntax/node.js';
import { ConfigError, type LintConfig } from './config-types.js';
import { defaultLintConfig, parseLintConfig } from './config.js';
import { findLintConfig } from './find-config.js';
import { lintMappings as lintWithReader, type LintedFile, type LintOptions } from './lint.js';

export { findLintConfig } from './find-config.js';
export { lintFormatters, type LintFormatter, type LintReport } from './format/index.js';

/**
 * Every finding about parsed mappings: the parser's diagnostics and the lint rules', at the levels
 * the configuration sets, less what suppression comments (read again from disk by default) name.
 */
export function lintMappings(parsed: ParsedMappings, options: LintOptions = {}): Diagnostic[] {
  return lintWithReader(parsed, { ...options, readFile: options.readFile ?? fileSystemReader() });
}

/** Reads, parses and lints one file; an unreadable file gives the parser's `unreadable-file` diagnostic. */
export function lintFile(file: string, options: LintOptions = {}): LintedFile {
  const reader = options.readFile ?? fileSystemReader();
  const parsed = readMappingsFile(file, reader);
  return { file, diagnostics: lintMappings(parsed, { ...options, readFile: reader }) };
}

/** Reads and validates a configuration file. */
export function loadLintConfig(file: string): LintConfig | ConfigError {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new ConfigError(file, ['cannot read the file']);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return new ConfigError(file, [`is not valid JSON: ${(error as Error).message}`]);
  }
  return parseLintConfig(data, file);
}

/**
 * The configuration of each mappings file, as the CLI finds it: the file named by `--config`, else
 * `imsmap.config.json` next to the mappings file, else the one in `cwd`, else the defaults. Each
 * configuration file is read once.
 */
export function configResolver(cwd: string, named?: string): (mappingsFile: string) => LintConfig | ConfigError {
  const loaded = new Map<string, LintConfig | ConfigError>();
  const load = (file: string) => {
    if (!loaded.has(file)) loaded.set(file, loadLintConfig(file));
    return loaded.get(file)!;
  };
  const fallback = defaultLintConfig(cwd);
  if (named !== undefined) {
    const config = load(path.resolve(cwd, named));
    return () => config;
  }
  return (mappingsFile) => {
    const found = findLintConfig(mappingsFile, cwd);
    return found === null ? fallback : load(found);
  };
}

/** Whether a configuration's ignore globs (relative to its folder) name the file, which lint then skips. */
export function isIgnored(file: string, config: LintConfig, cwd: string): boolean {
  if (config.ignores.length === 0) return false;
  const relative = path.relative(config.directory, path.resolve(cwd, file)).split(path.sep).join('/');
  return micromatch.isMatch(relative, config.ignores, { dot: true });
}
