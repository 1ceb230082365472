/**
 * Where a mappings file's configuration is, found on disk without reading it: in a module of its own
 * so that a command can tell there is none before it loads the validation (zod) and the rule catalogue.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME } from './config-types.js';

/** The configuration file that applies to a mappings file: the one next to it, else the one in `cwd`. */
export function findLintConfig(mappingsFile: string, cwd: string): string | null {
  for (const folder of [path.dirname(path.resolve(cwd, mappingsFile)), path.resolve(cwd)]) {
    const candidate = path.join(folder, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
