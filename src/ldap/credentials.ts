// Node-only: reading the bind password touches the file system, so it stays out of config.ts, which the
// browser-safe lint configuration imports for the schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LdapConfig } from './config.js';

/** A bind password that cannot be read: the configuration names a missing file or an unset variable. */
export class LdapCredentialsError extends Error {
  override name = 'LdapCredentialsError';
}

/**
 * The bind password the configuration points to, read once: a file relative to `directory` (its content
 * without the final line break) or an environment variable. Never taken from the command line, where other
 * users of the machine can read it.
 */
export function readBindPassword(config: LdapConfig, directory: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bind = config.bind;
  if (bind === undefined) return undefined;
  if (bind.passwordEnv !== undefined) {
    const value = env[bind.passwordEnv];
    if (value === undefined) throw new LdapCredentialsError(`the environment variable ${bind.passwordEnv} (providers.ldap.bind.passwordEnv) is not set`);
    return value;
  }
  const file = path.resolve(directory, bind.passwordFile!);
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new LdapCredentialsError(`cannot read the password file ${file} (providers.ldap.bind.passwordFile)`);
  }
}
