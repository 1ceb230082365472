/**
 * imsmap: read Messaging Server (iMS/PMDF) mappings files and answer as the MTA would.
 * The package root holds the task-level names: load and parse, compile, decide (AccessPolicy,
 * AccessSession, LivePolicy), lint, audit, case files and diff, with their types. It is the browser
 * entry (browser.ts) with the file system as the default where a stage reads files, plus what only
 * Node runs. Specialised pieces are subpaths: imsmap/syntax, imsmap/access, imsmap/providers,
 * imsmap/postfix, and the adapters imsmap/smtp-server, imsmap/haraka, imsmap/vitest.
 */
export * from './browser.js';
export { fileSystemReader, loadMappings, parseMappings } from './syntax/node.js';
export {
  configResolver,
  findLintConfig,
  lintFile,
  lintFormatters,
  lintMappings,
  loadLintConfig,
  type LintFormatter,
  type LintReport,
} from './lint/node.js';
export {
  CaseFileError,
  loadCaseFile,
  parseCaseFile,
  type CaseFile,
  type CaseFileIssue,
  type DecideCase,
  type DecisionExpectation,
  type MappingExpectation,
  type ProbeCase,
  type TestCase,
} from './cases/schema.js';
export { formatDifferences, runCase, runCaseAsync, type CaseResult, type CaseTarget, type Difference } from './cases/run.js';
export { COVERAGE_FORMATS, coverageReport, coverageSummary, type CoverageFormat, type CoverageSummary } from './cases/hit-coverage.js';
export {
  LivePolicy,
  PolicyLoadError,
  type LiveHitReport,
  type LivePolicyOptions,
  type PolicyGeneration,
  type PolicyWatch,
  type ReloadRefusal,
  type ReloadRefusalReason,
  type ReloadResult,
  type WatchOptions,
} from './adapters/live-policy.js';
export {
  GateSession,
  SmtpGate,
  type ConnectionEndpoints,
  type DialogueState,
  type EnforcementMode,
  type GateEvent,
  type GateLogger,
  type GateOptions,
  type GateVerdict,
} from './adapters/gate.js';
export { diffMappings, type DiffOptions, type DiffReport, type ProbeDifference, type Reordering } from './diff/diff.js';
export type { Answer, Comparison, FieldChange, Safety } from './diff/compare.js';
export type { ProbeSource } from './diff/probes.js';
export type { EntryChange, EntryPlace, TableChange } from './diff/structure.js';
export { diffFormatters, type DiffFormatter, type DiffLabels } from './diff/format.js';
