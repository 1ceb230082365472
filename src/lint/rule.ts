import type { Span } from '../syntax/ast.js';
import type { Severity } from '../syntax/diagnostics.js';
import type { LintContext } from './context.js';

/** Which stage produces a rule's findings: the parser (format.md F16), or a lint rule run over the parse. */
export type RuleStage = 'parser' | 'lint';

/** What every rule declares about itself; docs/lint-rules.md and SARIF rule metadata are made from it. */
export interface RuleMeta {
  /** Stable code (format.md F16): what configurations, suppressions and tools refer to. */
  code: string;
  defaultSeverity: Severity;
  stage: RuleStage;
  /** The spec rules it rests on, e.g. "F9" or "A14, A15". */
  spec: string;
  /** One sentence: what the rule finds. */
  description: string;
  /** What to do about a finding. */
  help: string;
}

/** One finding of a lint rule before the configured severity and suppressions are applied. */
export interface RuleFinding {
  span: Span;
  message: string;
  hint?: string;
}

/** A lint rule: its metadata and a check over the parsed file, its compiled tables and the configuration. */
export interface LintRule extends RuleMeta {
  stage: 'lint';
  check(context: LintContext): Iterable<RuleFinding>;
}
