/**
 * The syntax stage: mappings-file text → logical lines → tokens → tables of entries with parsed
 * patterns and templates, plus every diagnostic (format.md section 1). Nothing here throws on bad input.
 */
import type { ParsedMappings } from './ast.js';
import { buildMappings } from './build.js';
import { isUnreadable, noFiles, readSafely, type IncludeReader } from './includes.js';
import { decodeSource, physicalLines } from './lines.js';
import { diagnosticAt } from './source.js';

export { highlightMappings, type HighlightKind, type HighlightToken } from './highlight.js';
export type { IncludeReader, Unreadable } from './includes.js';
export { isUnreadable, MAX_FILE_BYTES, memoryReader, readContent } from './includes.js';
export { escapeControls } from './escape.js';
export { positionAt } from './source.js';

/** The file name diagnostics carry when the caller gives none. */
const UNNAMED_FILE = '<input>';

/**
 * Parses mappings-file content; includes are read through `readInclude` only (none by default: the
 * Node entry's parseMappings defaults to the file system, F7).
 */
export function parseMappings(
  text: string | Uint8Array,
  options: { file?: string; readInclude?: IncludeReader } = {},
): ParsedMappings {
  return buildMappings(text, options.file ?? UNNAMED_FILE, options.readInclude ?? noFiles);
}

/** Reads a top-level mappings file through a reader and parses it; unreadable → a diagnostic, not a throw. */
export function readMappingsFile(path: string, readFile: IncludeReader, readInclude: IncludeReader = readFile): ParsedMappings {
  const content = readSafely(readFile, path);
  if (content === null || isUnreadable(content)) {
    const origin = { file: path, segments: [{ offset: 0, line: 1, column: 1 }] };
    const message = `cannot read the file: ${content === null ? 'no such file' : content.unreadable}`;
    return {
      tables: [],
      diagnostics: [diagnosticAt(origin, 0, 0, { severity: 'error', code: 'unreadable-file', message })],
      files: [path],
      includes: [],
    };
  }
  return parseMappings(content, { file: path, readInclude });
}

/** The physical lines of file content as diagnostics count them (F1), for showing source lines. */
export function sourceLines(content: string | Uint8Array): string[] {
  return physicalLines(decodeSource(content).text);
}
