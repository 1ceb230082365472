import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LintConfig } from '../../src/lint/config-types.js';
import { defaultLintConfig } from '../../src/lint/config.js';
import { lintFile, lintMappings, loadLintConfig } from '../../src/lint/node.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import type { Diagnostic } from '../../src/syntax/diagnostics.js';

/** The repository root. */
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** The fixtures of the lint rules: one folder per rule code. */
export const lintFixturesDir = path.join(repoDir, 'fixtures/lint');

/** Real-world mapping files published by others, with their expected outcomes (fixtures/corpus/README.md). */
export const corpusDir = path.join(repoDir, 'fixtures/corpus');

/** Findings as `code@line` (or `code@file:line` outside `mainFile`), the form the tests assert exactly. */
export function found(diagnostics: readonly Diagnostic[], mainFile?: string): string[] {
  return diagnostics.map((d) =>
    mainFile === undefined || d.file === mainFile ? `${d.code}@${d.line}` : `${d.code}@${path.basename(d.file)}:${d.line}`,
  );
}

/** Lints mappings text held in memory, with a configuration given as data (validated like a file's). */
export function lintText(text: string, config: LintConfig = defaultLintConfig(repoDir)): Diagnostic[] {
  const readFile = memoryReader({ 'mem.mappings': text });
  return lintMappings(parseMappings(text, { file: 'mem.mappings', readInclude: readFile }), { config, readFile });
}

/** Lints a fixture with `<name>.config.json` beside it as its configuration, or the defaults. */
export function lintFixture(file: string): Diagnostic[] {
  const configFile = file.replace(/\.mappings$/, '.config.json');
  const config = existsSync(configFile) ? loadLintConfig(configFile) : defaultLintConfig(path.dirname(file));
  if (config instanceof Error) throw config;
  return lintFile(file, { config }).diagnostics;
}

/** The `! expect: code@line, code@file:line` annotations of a fixture. */
export function expectations(file: string): string[] {
  return readFileSync(file, 'latin1')
    .split('\n')
    .filter((line) => line.startsWith('! expect:'))
    .flatMap((line) => line.slice('! expect:'.length).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The JSON lines of `--format json` output. */
export function jsonLines(stdout: string): Diagnostic[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Diagnostic);
}
