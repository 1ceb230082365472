/**
 * The syntax stage's Node face: the same functions as its browser-safe core, with the file system
 * as the default reader of mappings files and their includes (F7).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMappings } from './ast.js';
import type { IncludeReader } from './includes.js';
import { parseMappings as parseWithReader, readMappingsFile } from './index.js';

/** An include reader over the file system; relative paths resolve against `baseDir`. */
export function fileSystemReader(baseDir: string = process.cwd()): IncludeReader {
  return (file) => {
    try {
      return readFileSync(path.resolve(baseDir, file));
    } catch {
      return null;
    }
  };
}

/** Parses mappings-file content; includes are read through `readInclude` (the file system by default, F7). */
export function parseMappings(text: string | Uint8Array, options: { file?: string; readInclude?: IncludeReader } = {}): ParsedMappings {
  return parseWithReader(text, { ...options, readInclude: options.readInclude ?? fileSystemReader() });
}

/** Reads and parses a mappings file from disk; an unreadable file becomes an `unreadable-file` diagnostic. */
export function loadMappings(path: string, options: { readInclude?: IncludeReader } = {}): ParsedMappings {
  const readFile = fileSystemReader();
  return readMappingsFile(path, readFile, options.readInclude ?? readFile);
}
