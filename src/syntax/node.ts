/**
 * The syntax stage's Node face: the same functions as its browser-safe core, with the file system
 * as the default reader of mappings files and their includes (F7).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMappings } from './ast.js';
import { MAX_FILE_BYTES, type IncludeReader, type Unreadable } from './includes.js';
import { parseMappings as parseWithReader, readMappingsFile, type ParseOptions } from './index.js';

/** Bytes read per system call; a file grows by this much at a time, never beyond the cap. */
const READ_CHUNK = 1024 * 1024;

/**
 * An include reader over the file system; relative paths resolve against `baseDir`. Only regular
 * files of at most `maxBytes` are read (F17). A missing file is null (an include then is
 * `include-missing`); any other failure says why, so that `unreadable-file` can tell the user.
 */
export function fileSystemReader(baseDir: string = process.cwd(), options: { maxBytes?: number } = {}): IncludeReader {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  return (file) => {
    let descriptor: number;
    try {
      // Non-blocking, so that opening a FIFO without a writer returns at once; the type check
      // below then refuses it before anything waits on a read.
      descriptor = openSync(path.resolve(baseDir, file), constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      return failureReason(error);
    }
    try {
      return readRegularFile(descriptor, maxBytes);
    } catch (error) {
      return failureReason(error) ?? { unreadable: 'read failed' };
    } finally {
      closeSync(descriptor);
    }
  };
}

/** Why a file could not be opened or read, in words; null when it does not exist. */
function failureReason(error: unknown): Unreadable | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return null;
  if (code === 'EACCES' || code === 'EPERM') return { unreadable: 'permission denied' };
  if (code === 'EISDIR') return { unreadable: 'a directory, not a regular file' };
  return { unreadable: code === undefined ? 'read failed' : `read failed (${code})` };
}

/**
 * The content of an open file if it is a regular file of at most `maxBytes`. The size is checked
 * again while reading, since a file may grow after fstat (and /proc files report 0).
 */
function readRegularFile(descriptor: number, maxBytes: number): Uint8Array | Unreadable {
  const stats = fstatSync(descriptor);
  if (stats.isDirectory()) return { unreadable: 'a directory, not a regular file' };
  if (!stats.isFile()) return { unreadable: 'not a regular file' };
  const tooLarge = { unreadable: `larger than ${maxBytes} bytes` };
  if (stats.size > maxBytes) return tooLarge;
  let buffer = Buffer.allocUnsafe(Math.min(stats.size + 1, maxBytes + 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) return tooLarge;
      const grown = Buffer.allocUnsafe(Math.min(buffer.length + READ_CHUNK, maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  return length > maxBytes ? tooLarge : buffer.subarray(0, length);
}

/** Parses mappings-file content; includes are read through `readInclude` (the file system by default, F7). */
export function parseMappings(text: string | Uint8Array, options: ParseOptions = {}): ParsedMappings {
  return parseWithReader(text, { ...options, readInclude: options.readInclude ?? fileSystemReader() });
}

/**
 * Reads and parses a mappings file from disk; an unreadable file, one that is not a regular file or
 * one larger than `maxFileBytes` (F17) becomes an `unreadable-file` diagnostic.
 */
export function loadMappings(
  path: string,
  options: { readInclude?: IncludeReader; maxFileBytes?: number } = {},
): ParsedMappings {
  const readFile = fileSystemReader(process.cwd(), { maxBytes: options.maxFileBytes });
  return readMappingsFile(path, readFile, options.readInclude ?? readFile);
}
