/**
 * The syntax stage: mappings-file text → logical lines → tokens → tables of entries with parsed
 * patterns and templates, plus every diagnostic (format.md section 1). Nothing here throws on bad input.
 */
import type { ParsedMappings } from './ast.js';
import { buildMappings } from './build.js';
import { isUnreadable, noFiles, readSafely, type IncludeReader } from './includes.js';
import { decodeSource, physicalLines } from './lines.js';
import type { ParseMemo } from './memo.js';
import { diagnosticAt } from './source.js';

export { highlightMappings, type HighlightKind, type HighlightToken } from './highlight.js';
export type { IncludeReader, Unreadable } from './includes.js';
export { isUnreadable, MAX_FILE_BYTES, memoryReader, readContent } from './includes.js';
export { escapeControls } from './escape.js';
export { ParseMemo } from './memo.js';
export { positionAt } from './source.js';

/** The file name diagnostics carry when the caller gives none. */
const UNNAMED_FILE = '<input>';

/** How to parse: the file's name, how to read its includes, and a memo of the previous version's parse. */
export interface ParseOptions {
  /** The name diagnostics and entries carry. */
  file?: string;
  /** Reads included files (F7). */
  readInclude?: IncludeReader;
  /** Kept across the parses of one file's successive versions, it spares re-parsing unchanged entry lines. */
  memo?: ParseMemo;
}

/**
 * Parses mappings-file content; includes are read through `readInclude` only (none by default: the
 * Node entry's parseMappings defaults to the file system, F7).
 */
export function parseMappings(text: string | Uint8Array, options: ParseOptions = {}): ParsedMappings {
  return buildMappings(text, options.file ?? UNNAMED_FILE, options.readInclude ?? noFiles, options.memo);
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
