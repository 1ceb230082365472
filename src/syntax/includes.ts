import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

/** Why a file that exists was not read (F17): not a regular file, or larger than the cap. */
export interface Unreadable {
  unreadable: string;
}

/**
 * Reads a file named by an include line (F7): its content, null when it is missing or unreadable,
 * or why it was refused (F17).
 */
export type IncludeReader = (path: string) => string | Uint8Array | null | Unreadable;

/** F17: the largest file read by default, 256 MiB. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Bytes read per system call; a file grows by this much at a time, never beyond the cap. */
const READ_CHUNK = 1024 * 1024;

/** The deepest include level allowed: the top-level file is 0, a file it includes is 1 (F7). */
export const MAX_INCLUDE_DEPTH = 3;

/**
 * An include reader over the file system; relative paths resolve against `baseDir`. Only regular
 * files of at most `maxBytes` are read (F17).
 */
export function fileSystemReader(baseDir: string = process.cwd(), options: { maxBytes?: number } = {}): IncludeReader {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  return (file) => {
    let descriptor: number;
    try {
      // Non-blocking, so that opening a FIFO without a writer returns at once; the type check
      // below then refuses it before anything waits on a read.
      descriptor = openSync(path.resolve(baseDir, file), constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      return readRegularFile(descriptor, maxBytes);
    } catch {
      return null;
    } finally {
      closeSync(descriptor);
    }
  };
}

/**
 * The content of an open file if it is a regular file of at most `maxBytes`. The size is checked
 * again while reading, since a file may grow after fstat (and /proc files report 0).
 */
function readRegularFile(descriptor: number, maxBytes: number): Uint8Array | Unreadable {
  const stats = fstatSync(descriptor);
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

/** An include reader over an in-memory map of path → content, for tests and browsers (F7). */
export function memoryReader(files: Record<string, string | Uint8Array>): IncludeReader {
  const byPath = new Map(Object.entries(files).map(([file, content]) => [path.normalize(file), content]));
  return (file) => byPath.get(path.normalize(file)) ?? null;
}

/**
 * The path an include spec names: a relative spec resolves against the folder of the including
 * file (F7 Decision). Joining rather than resolving keeps a relative top-level path relative, so
 * diagnostics name included files the way the user named the top-level one.
 */
export function includePath(includingFile: string, spec: string): string {
  return path.isAbsolute(spec) ? path.normalize(spec) : path.join(path.dirname(includingFile), spec);
}

/** The identity of a file for cycle detection: two spellings of one path are one file. */
export function fileIdentity(file: string): string {
  return path.resolve(file);
}

/** Whether a reader refused a file (F17) rather than returning its content or null. */
export function isUnreadable(content: string | Uint8Array | null | Unreadable): content is Unreadable {
  return content !== null && typeof content === 'object' && !(content instanceof Uint8Array);
}

/** Calls a reader without letting a throwing reader escape: a failure counts as unreadable (F14). */
export function readSafely(reader: IncludeReader, file: string): string | Uint8Array | null | Unreadable {
  try {
    return reader(file);
  } catch {
    return null;
  }
}

/** A file's content through a reader, or null when it is missing, refused or the reader throws. */
export function readContent(reader: IncludeReader, file: string): string | Uint8Array | null {
  const content = readSafely(reader, file);
  return isUnreadable(content) ? null : content;
}
