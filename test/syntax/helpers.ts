import { fileURLToPath } from 'node:url';
import type { ParsedMappings } from '../../src/syntax/ast.js';

/** The repository's own fixtures folder. */
export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Real-world mapping files published by others, with their expected outcomes (fixtures/corpus/README.md). */
export const corpusDir = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));

/** The repository root, as the CLI's working directory in tests. */
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** Diagnostics as `code@line:column`, the form the tests assert exactly. */
export function found(parsed: ParsedMappings): string[] {
  return parsed.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}

/** Error diagnostics only, as `code@line:column`. */
export function errors(parsed: ParsedMappings): string[] {
  return parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`);
}

/** Each table as name → [pattern, template] pairs, in file order. */
export function shape(parsed: ParsedMappings): Record<string, Array<[string, string]>> {
  return Object.fromEntries(parsed.tables.map((t) => [t.name, t.entries.map((e) => [e.pattern, e.template] as [string, string])]));
}

/** Joins lines with LF and ends the file with one. */
export function file(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
