/**
 * imsmap for browsers (`imsmap/browser`): the task-level names of the package root that need no file
 * system — parse text, compile, decide, lint, audit. Includes are read only through the reader a
 * caller gives (memoryReader), and `$#…#` has no sequence files unless a provider is given. The
 * specialised pieces are in `imsmap/syntax` and `imsmap/access`, which are browser-safe too.
 */
export type { Entry, IncludeLine, ParsedMappings, Span, Table } from './syntax/ast.js';
export { hasErrors, type Diagnostic, type Severity, type SyntaxCode } from './syntax/diagnostics.js';
export { memoryReader, parseMappings, ParseMemo, readMappingsFile, type IncludeReader, type ParseOptions } from './syntax/index.js';
export { compile, type MappingSet } from './engine/compile.js';
export { IncrementalCompiler, type CompiledVersion } from './engine/incremental.js';
export {
  InvalidCompileOptionsError,
  type CompileOptions,
  type DatabaseProvider,
  type DomainProvider,
  type LookupContext,
  type MaybePromise,
  type Routine,
  type SequenceProvider,
  type UrlProvider,
} from './engine/options.js';
export type { EntryRef, EvaluationError, EvaluationErrorCode, MapOptions, MappingResult, StepOutcome, TraceStep } from './engine/types.js';
export { HitCounter, type EntryHits, type HitReport } from './engine/hit-counter.js';
export { AccessPolicy, type StageInput } from './access/policy.js';
export { AccessSession, type TransactionState } from './access/session.js';
export type { Decision, TableResult } from './access/decision.js';
export type { Delay, SmtpReply, TableVerdict } from './access/reading.js';
export type { DecidingTable } from './access/tables.js';
export {
  TupleError,
  type AccessOptions,
  type ChannelConfig,
  type ConnectInput,
  type MailInput,
  type RcptInput,
  type TupleIssue,
} from './access/schemas.js';
export {
  auditMappings,
  type AuditCheck,
  type AuditOptions,
  type AuditReport,
  type AuditStage,
  type CheckPlan,
  type InternalEntry,
} from './lint/audit.js';
export { ruleCatalogue } from './lint/catalogue.js';
export { defaultLintConfig, parseLintConfig } from './lint/config.js';
export { CONFIG_FILE_NAME, ConfigError, type LintConfig, type ProviderKind, type RuleLevel } from './lint/config-types.js';
export { lintMappings, type LintedFile, type LintOptions } from './lint/lint.js';
export type { RuleMeta, RuleStage } from './lint/rule.js';
export type { LdapConfig } from './ldap/config.js';
