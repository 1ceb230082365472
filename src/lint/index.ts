/**
 * The lint stage: rules over the parsed file and its compiled tables (format.md F16, access.md),
 * configuration, suppression comments and the anti-relay audit. Reading files and the output
 * formats are in its Node face, node.ts.
 */
export { auditMappings, type AuditCheck, type AuditOptions, type AuditReport, type AuditStage, type InternalEntry } from './audit.js';
export { lintRules, ruleCatalogue } from './catalogue.js';
export {
  CONFIG_FILE_NAME,
  ConfigError,
  defaultLintConfig,
  lintConfigSchema,
  parseLintConfig,
  PROVIDER_KINDS,
  type LintConfig,
  type ProviderKind,
} from './config.js';
export type { LintContext } from './context.js';
export { renderRuleCatalogue } from './docs.js';
export { lintMappings, type LintedFile, type LintOptions } from './lint.js';
export type { LintRule, RuleFinding, RuleLevel, RuleMeta, RuleStage } from './rule.js';
