/**
 * The lint stage: rules over the parsed file and its compiled tables (format.md F16, access.md),
 * configuration, suppression comments, output formats and the anti-relay audit.
 */
export { auditMappings, type AuditCheck, type AuditOptions, type AuditReport, type AuditStage, type InternalEntry } from './audit.js';
export { lintRules, ruleCatalogue } from './catalogue.js';
export {
  CONFIG_FILE_NAME,
  ConfigError,
  configResolver,
  defaultLintConfig,
  findLintConfig,
  lintConfigSchema,
  loadLintConfig,
  parseLintConfig,
  PROVIDER_KINDS,
  type LintConfig,
  type ProviderKind,
} from './config.js';
export type { LintContext } from './context.js';
export { renderRuleCatalogue } from './docs.js';
export { lintFormatters, type LintFormatter, type LintReport } from './format/index.js';
export { lintFile, lintMappings, type LintedFile, type LintOptions } from './lint.js';
export type { LintRule, RuleFinding, RuleLevel, RuleMeta, RuleStage } from './rule.js';
