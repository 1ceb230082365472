import * as path from 'pathe';

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

/** The deepest include level allowed: the top-level file is 0, a file it includes is 1 (F7). */
export const MAX_INCLUDE_DEPTH = 3;

/** The reader of a host without files (a browser): every include is unreadable (F7, F14). */
export const noFiles: IncludeReader = () => null;

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
