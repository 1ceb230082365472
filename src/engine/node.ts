/**
 * The engine's Node face: the file-backed providers (T11). `compile` itself stays the browser-safe
 * core's, whose `$#…#` provider is inert: counter files are written only when a caller passes
 * `fileSequence` (M13).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SequenceProvider } from './options.js';
import { createGeneralDatabase, parseGeneralDatabase, type GeneralDatabase } from './providers.js';

/** Loads a `general.txt`-style file into the default in-memory general database. */
export async function loadGeneralDatabase(path: string): Promise<GeneralDatabase> {
  return createGeneralDatabase(parseGeneralDatabase(await readFile(path, 'utf8')));
}

/**
 * A `$#…#` provider over counter files (T11), for a caller that wants the MTA's side effect (M13: never
 * the default): `file` holds a decimal integer (an empty file counts as 0); the
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
