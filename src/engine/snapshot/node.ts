/**
 * Compiled mappings files on disk (`imsmap build`): building one atomically from a mappings
 * file, and loading either kind of file, told apart by its first bytes. A compiled file is used only
 * while every source it was built from still has the hash it recorded (stale otherwise).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ParsedMappings } from '../../syntax/ast.js';
import { isUnreadable, readMappingsFile, type IncludeReader } from '../../syntax/index.js';
import { fileSystemReader } from '../../syntax/node.js';
import { CompiledFileError, decodeCompiled, encodeCompiled, isCompiled, type CompiledSource } from './file.js';
import { storedParsedMappings } from './stored.js';

export { CompiledFileError, isCompiled, type CompiledFileProblem, type CompiledSource } from './file.js';

/** The largest compiled file read: a 1M-entry table compiles to well under this. */
export const MAX_COMPILED_BYTES = 2 ** 31 - 1;

let version: string | undefined;

/**
 * The imsmap version compiled files record and must match: that of the nearest package.json named
 * imsmap above this module, wherever a build or bundle put it.
 */
export function imsmapVersion(): string {
  if (version !== undefined) return version;
  for (let folder = path.dirname(fileURLToPath(import.meta.url)); ; folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'imsmap' && typeof manifest.version === 'string') return (version = manifest.version);
    } catch {
      // No readable package.json here: look further up.
    }
    if (path.dirname(folder) === folder) throw new Error('the imsmap package.json cannot be found');
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What `buildCompiledFile` did: the parse it compiled (or refused, when it has errors) and the sources it recorded. */
export interface BuildResult {
  parsed: ParsedMappings;
  /** Whether OUT was written: false when the mappings file has errors or cannot be read. */
  written: boolean;
  sources: CompiledSource[];
  bytes: number;
}

/**
 * Parses a mappings file and writes its compiled form to `out` atomically: a temporary file in the
 * same folder, then a rename, so `out` is never partial. A file with errors is not compiled (fail
 * closed: the compiled form of a text the MTA would half-load is not written).
 */
export function buildCompiledFile(file: string, out: string, options: { cwd?: string } = {}): BuildResult {
  const cwd = options.cwd ?? process.cwd();
  const read = fileSystemReader(cwd);
  // Hash the bytes the parser read, not a second read that could see a newer file.
  const hashes = new Map<string, string>();
  const hashingReader: IncludeReader = (name) => {
    const content = read(name);
    if (content !== null && !isUnreadable(content)) hashes.set(name, sha256(typeof content === 'string' ? Buffer.from(content) : content));
    return content;
  };
  const parsed = readMappingsFile(file, hashingReader);
  const sources = parsed.files.flatMap((name) => {
    const hash = hashes.get(name);
    return hash === undefined ? [] : [{ path: name, resolved: path.resolve(cwd, name), sha256: hash }];
  });
  if (parsed.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { parsed, written: false, sources, bytes: 0 };
  const bytes = encodeCompiled(parsed, { imsmap: imsmapVersion(), sources });
  const target = path.resolve(cwd, out);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, bytes, { flag: 'wx', mode: 0o644 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { parsed, written: true, sources, bytes: bytes.length };
}

/** The first bytes of a regular file, or null when it cannot be opened as one (the text path then says why). */
function leadingBytes(file: string, length: number): Uint8Array | null {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(descriptor).isFile()) return null;
    const bytes = Buffer.alloc(length);
    return bytes.subarray(0, readSync(descriptor, bytes, 0, length, 0));
  } catch {
    return null;
  } finally {
    closeSync(descriptor);
  }
}

/** Whether a path names a compiled mappings file (by its content). */
export function isCompiledFile(file: string, cwd: string = process.cwd()): boolean {
  const leading = leadingBytes(path.resolve(cwd, file), 8);
  return leading !== null && isCompiled(leading);
}

/**
 * Loads a compiled mappings file: its parse and stored indexes, ready for `compile`. Throws
 * CompiledFileError when it cannot be read, is corrupt or foreign, or a source changed since it was built.
 */
export function loadCompiledFile(file: string, options: { cwd?: string } = {}): ParsedMappings {
  const cwd = options.cwd ?? process.cwd();
  const content = fileSystemReader(cwd, { maxBytes: MAX_COMPILED_BYTES })(file);
  if (content === null || isUnreadable(content)) {
    throw new CompiledFileError('unreadable', `cannot read the compiled file${content === null ? '' : `: ${content.unreadable}`}`);
  }
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const { provenance, stored } = decodeCompiled(bytes, imsmapVersion());
  for (const source of provenance.sources) {
    const current = fileSystemReader(cwd)(source.resolved);
    if (current === null || isUnreadable(current)) {
      throw new CompiledFileError('stale', `built from ${source.path}, which cannot be read now: build it again (imsmap build)`, source.path);
    }
    if (sha256(typeof current === 'string' ? Buffer.from(current) : current) !== source.sha256) {
      throw new CompiledFileError('stale', `built from ${source.path}, which has changed since: build it again (imsmap build)`, source.path);
    }
  }
  return storedParsedMappings(stored);
}

/**
 * Reads a mappings file, text or compiled (told apart by content): the parse, or the CompiledFileError
 * a compiled file was refused with. Text goes through `readMappingsFile` and its diagnostics.
 */
export function loadAnyMappingsFile(
  file: string,
  options: { cwd?: string; readFile?: IncludeReader; readInclude?: IncludeReader } = {},
): ParsedMappings | CompiledFileError {
  const cwd = options.cwd ?? process.cwd();
  if (isCompiledFile(file, cwd)) {
    try {
      return loadCompiledFile(file, { cwd });
    } catch (error) {
      if (error instanceof CompiledFileError) return error;
      throw error;
    }
  }
  const readFile = options.readFile ?? fileSystemReader(cwd);
  return readMappingsFile(file, readFile, options.readInclude ?? readFile);
}
