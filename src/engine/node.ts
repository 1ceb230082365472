/**
 * The engine's Node face: file-backed providers (T11), and `compile` with the sequence files of the
 * working directory as the default `$#…#` provider, as the MTA has.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParsedMappings } from '../syntax/ast.js';
import { compile as compileWithProviders, type MappingSet } from './index.js';
import { validateCompileOptions, type CompileOptions, type SequenceProvider } from './options.js';
import { createGeneralDatabase, parseGeneralDatabase, type GeneralDatabase } from './providers.js';

/** Loads a `general.txt`-style file into the default in-memory general database. */
export async function loadGeneralDatabase(path: string): Promise<GeneralDatabase> {
  return createGeneralDatabase(parseGeneralDatabase(await readFile(path, 'utf8')));
}

/**
 * The default `$#…#` provider (T11): `file` holds a decimal integer (an empty file counts as 0); the
 * provider writes back the incremented value and returns it. A missing or non-numeric file fails.
 * Relative names resolve against `baseDirectory`. Not safe against concurrent writers, like any plain file.
 */
export function fileSequence(baseDirectory: string = process.cwd()): SequenceProvider {
  return (file) => {
    const path = resolve(baseDirectory, file);
    let content: string;
    try {
      content = readFileSync(path, 'utf8').trim();
    } catch {
      return null;
    }
    if (!/^-?\d*$/.test(content)) return null;
    const next = (content === '' ? 0 : Number(content)) + 1;
    writeFileSync(path, `${next}\n`);
    return next;
  };
}


/** Compiles parsed mappings into a MappingSet; options are validated (zod) and malformed ones throw. */
export function compile(parsed: ParsedMappings, options?: CompileOptions): MappingSet {
  const settings = validateCompileOptions(options);
  return compileWithProviders(parsed, { ...settings, providers: { ...settings.providers, sequence: settings.providers?.sequence ?? fileSequence() } });
}
