/**
 * The lint stage: rules over the parsed file and its compiled tables (format.md F16, access.md),
 * configuration, suppression comments and the anti-relay audit. Reading files and the output
 * formats are in its Node face, node.ts.
 */
export { auditMappings, type AuditCheck, type AuditOptions, type AuditReport, type AuditStage, type InternalEntry } from './audit.js';
export { lintRules, ruleCatalogue } from './catalogue.js';
export { defaultLintConfig, lintConfigSchema, parseLintConfig } from './config.js';
export { CONFIG_FILE_NAME, ConfigError, PROVIDER_KINDS, type LintConfig, type ProviderKind, type RuleLevel } from './config-types.js';
export type { LintContext } from './context.js';
export { renderRuleCatalogue } from './docs.js';
export { lintMappings, type LintedFile, type LintOptions } from './lint.js';
export type { LintRule, RuleFinding, RuleMeta, RuleStage } from './rule.js';
