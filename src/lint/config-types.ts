import type { ChannelConfig } from '../access/schemas.js';
import type { LdapConfig } from '../ldap/config.js';
import type { Severity } from '../syntax/diagnostics.js';

// The configuration's shape, in a module of its own: rules read it through their context, and the
// configuration's validation checks rule codes against the catalogue of those rules. What finding and
// refusing a configuration file takes lives here too, so that a command run without one loads neither
// the validation (zod) nor the catalogue.

/** The name a configuration file has when it is found rather than named. */
export const CONFIG_FILE_NAME = 'imsmap.config.json';

/** A rule's level as a configuration sets it: a severity, or `off` to drop its findings. */
export type RuleLevel = Severity | 'off';

/** The external lookups a site can provide (format.md T11). */
export const PROVIDER_KINDS = ['database', 'url', 'domain', 'sequence'] as const;

/** One kind of external lookup provider. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A configuration as the linter uses it: defaults filled in, and the folder its globs are relative to. */
export interface LintConfig {
  rules: Record<string, RuleLevel>;
  ignores: string[];
  routines: string[];
  providers: ProviderKind[];
  /** The directory `decide`, `test`, `check` and the adapters ask; never the linter or the audit (M13). */
  ldap?: LdapConfig;
  channels: ChannelConfig;
  /** The folder ignore globs are relative to: the configuration file's, or the working directory. */
  directory: string;
  /** The file it was read from; undefined for the built-in defaults. */
  file?: string;
}

/** A configuration file that cannot be read or does not validate; the message names the file and each problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n${problems.map((problem) => `  ${problem}`).join('\n')}`}`);
  }
}
