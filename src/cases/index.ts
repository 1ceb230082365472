/** Rule tests for users: the case-file format, its runner and entry coverage. */
export {
  caseFileJsonSchema,
  caseFileSchema,
  CaseFileError,
  decideCaseSchema,
  decisionExpectationSchema,
  loadCaseFile,
  mappingExpectationSchema,
  parseCaseFile,
  probeCaseSchema,
  type CaseFile,
  type CaseFileIssue,
  type DecideCase,
  type DecisionExpectation,
  type MappingExpectation,
  type ProbeCase,
  type TestCase,
} from './schema.js';
export {
  caseName,
  checkDecision,
  checkMapping,
  decisionDifferences,
  formatDifferences,
  mappingDifferences,
  runCase,
  runCaseAsync,
  type CaseResult,
  type CaseTarget,
  type Difference,
} from './run.js';
export { COVERAGE_FORMATS, coverageReport, coverageSummary, type CoverageFormat, type CoverageSummary } from './hit-coverage.js';
