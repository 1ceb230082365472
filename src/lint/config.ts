import * as path from 'pathe';
import * as z from 'zod';
import { channelConfigSchema, describeIssue, TupleError, validateTuple } from '../access/schemas.js';
import { ldapConfigSchema, type LdapConfig } from '../ldap/config.js';
import { isParseError, ruleCatalogue, ruleFor } from './catalogue.js';
import { CONFIG_FILE_NAME, ConfigError, PROVIDER_KINDS, type LintConfig, type RuleLevel } from './config-types.js';
import { closestName } from './names.js';

const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;

/** A routine as T10 registers it: by routine name alone, or as `image,routine`. */
const routineName = z
  .string()
  .regex(/^[^,\s][^,]*(,[^,]*[^,\s])?$/, { error: 'must be a routine name or "image,routine"' })
  .transform((name) => name.split(',').map((part) => part.trim()).join(','));

/** What is wrong with one `rules` entry, or undefined. */
function ruleLevelProblem(code: string, level: unknown): string | undefined {
  if (!ruleFor(code)) {
    const suggestion = closestName(code, ruleCatalogue.map((rule) => rule.code));
    return `is not a rule${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  if (!(RULE_LEVELS as readonly unknown[]).includes(level)) return `must be one of ${RULE_LEVELS.map((name) => `"${name}"`).join(', ')}`;
  // The spec's severities: a parse error skips the line or entry, so it is always reported.
  if (isParseError(code) && level !== 'error') return 'is a parse error (the entry is skipped) and cannot be lowered';
  return undefined;
}

/**
 * Rule levels by code. Checked entry by entry in one refinement, so that a bad level and an unknown
 * code in the same file are both reported.
 */
const ruleLevels = z
  .record(z.string(), z.unknown())
  .superRefine((levels, context) => {
    for (const [code, level] of Object.entries(levels)) {
      const problem = ruleLevelProblem(code, level);
      if (problem) context.addIssue({ code: 'custom', path: [code], message: problem });
    }
  })
  .transform((levels) => levels as Record<string, RuleLevel>);

const providerKinds = z.array(z.enum(PROVIDER_KINDS));

/**
 * The external lookups of the site: the kinds its own code registers with the engine (the short form, a
 * list), or an object that may also configure the LDAP directory imsmap itself asks (`$]…[` and `$}…{`).
 */
const providersObject = z
  .strictObject({ declared: providerKinds.default([]), ldap: ldapConfigSchema.optional() })
  .transform(({ declared, ldap }) => ({
    kinds: ldap ? [...new Set([...declared, 'url' as const, 'domain' as const])] : declared,
    ldap,
  }));
const providersList = providerKinds.transform((kinds) => ({ kinds, ldap: undefined as LdapConfig | undefined }));

/** The providers section, checked by the form it has so that each problem is named by its own field. */
const providersSchema = z
  .unknown()
  .transform((value, context) => {
    const result = (Array.isArray(value) ? providersList : providersObject).safeParse(value, { error: describeIssue });
    if (result.success) return result.data;
    for (const issue of result.error.issues) context.addIssue({ ...issue });
    return z.NEVER;
  })
  .prefault([]);

/** The contents of `imsmap.config.json`, every field optional. */
export const lintConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Level per rule code: `off`, `info`, `warning` or `error`. */
  rules: ruleLevels.default({}),
  /** micromatch globs, relative to the configuration file's folder, of files not to lint. */
  ignores: z.array(z.string().min(1, { error: 'must not be empty' })).default([]),
  /** Routines the site registers (T10): `routine` or `image,routine`. */
  routines: z.array(routineName).default([]),
  /** External lookups the site provides (T11), and the LDAP directory when imsmap asks it itself. */
  providers: providersSchema,
  /** The channel model of access.md A24. */
  channels: channelConfigSchema.prefault({}),
});

/** The configuration used when there is no file: every rule at its default level, nothing declared. */
export function defaultLintConfig(directory: string): LintConfig {
  return validated({}, directory) as LintConfig;
}

/** Validates configuration data (as parsed from JSON); `file` names it in errors and sets the globs' folder. */
export function parseLintConfig(data: unknown, file: string): LintConfig | ConfigError {
  return validated(data, path.dirname(file), file);
}

function validated(data: unknown, directory: string, file?: string): LintConfig | ConfigError {
  const parsed = validateTuple(lintConfigSchema, data);
  if (parsed instanceof TupleError) {
    return new ConfigError(
      file ?? CONFIG_FILE_NAME,
      parsed.issues.map(({ field, message }) => (field === '' ? message : `${field}: ${message}`)),
    );
  }
  const { rules, ignores, routines, providers, channels } = parsed;
  const config: LintConfig = { rules, ignores, routines, providers: providers.kinds, channels, directory };
  if (providers.ldap) config.ldap = providers.ldap;
  if (file !== undefined) config.file = file;
  return config;
}
