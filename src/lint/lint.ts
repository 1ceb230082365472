import * as path from 'pathe';
import type { ParsedMappings } from '../syntax/ast.js';
import type { Diagnostic, Severity } from '../syntax/diagnostics.js';
import { noFiles, type IncludeReader } from '../syntax/includes.js';
import { readContent } from '../syntax/index.js';
import { lintRules, ruleFor } from './catalogue.js';
import type { LintConfig } from './config-types.js';
import { defaultLintConfig } from './config.js';
import { LintContext } from './context.js';
import type { LintRule, RuleFinding } from './rule.js';
import { applySuppressions } from './suppress.js';

/** Options of {@link lintMappings} and the Node entry's lintFile. */
export interface LintOptions {
  /** Rule levels, declared routines and providers, channel model; default: every rule at its default level. */
  config?: LintConfig;
  /**
   * Reads the files of the parse again for suppression comments (and, for lintFile, reads them at all);
   * none by default, the file system in the Node entry.
   */
  readFile?: IncludeReader;
}

/** The diagnostics of one linted file, its includes' among them, in reading order. */
export interface LintedFile {
  file: string;
  diagnostics: Diagnostic[];
}

function asDiagnostic(code: string, severity: Severity, finding: RuleFinding): Diagnostic {
  const diagnostic: Diagnostic = { severity, code, message: finding.message, ...finding.span };
  if (finding.hint !== undefined) diagnostic.hint = finding.hint;
  return diagnostic;
}

/**
 * Every finding about parsed mappings: the parser's diagnostics and the lint rules', at the levels
 * the configuration sets (rules set to `off` dropped), less what suppression comments name.
 */
export function lintMappings(parsed: ParsedMappings, options: LintOptions = {}): Diagnostic[] {
  return lintWith(parsed, options, (rule, context) => rule.check(context));
}

/** lintMappings with each rule's findings from `findingsOf`, which may reuse those of an earlier check (IncrementalLinter). */
export function lintWith(
  parsed: ParsedMappings,
  options: LintOptions,
  findingsOf: (rule: LintRule, context: LintContext) => Iterable<RuleFinding>,
): Diagnostic[] {
  const config = options.config ?? defaultLintConfig(path.resolve());
  const context = new LintContext(parsed, config);
  const found: Diagnostic[] = [...parsed.diagnostics];
  for (const rule of lintRules) {
    for (const finding of findingsOf(rule, context)) found.push(asDiagnostic(rule.code, rule.defaultSeverity, finding));
  }
  const reader = options.readFile ?? noFiles;
  // A file that cannot be read again has no suppressions (as in the parser, F14).
  const readAgain = (file: string) => readContent(reader, file);
  const { kept, findings } = applySuppressions(atConfiguredLevels(found, config), parsed, readAgain);
  const directiveFindings = findings.map(({ code, ...finding }) => asDiagnostic(code, ruleFor(code)!.defaultSeverity, finding));
  return inReadingOrder([...kept, ...atConfiguredLevels(directiveFindings, config)], parsed.files);
}

/** Each diagnostic at its rule's configured level; `off` removes it. Codes without a rule keep their severity. */
function atConfiguredLevels(diagnostics: readonly Diagnostic[], config: LintConfig): Diagnostic[] {
  const result: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const level = config.rules[diagnostic.code];
    if (level === 'off') continue;
    result.push(level === undefined || level === diagnostic.severity ? diagnostic : { ...diagnostic, severity: level });
  }
  return result;
}

/** Sorts by file (reading order), line and column, keeping the order of findings at one position. */
function inReadingOrder(diagnostics: Diagnostic[], files: readonly string[]): Diagnostic[] {
  const rank = new Map(files.map((file, index) => [path.normalize(file), index]));
  const fileRank = (file: string) => rank.get(path.normalize(file)) ?? files.length;
  return diagnostics
    .map((diagnostic, order) => ({ diagnostic, order, file: fileRank(diagnostic.file) }))
    .sort(
      (a, b) =>
        a.file - b.file ||
        a.diagnostic.line - b.diagnostic.line ||
        a.diagnostic.column - b.diagnostic.column ||
        a.order - b.order,
    )
    .map(({ diagnostic }) => diagnostic);
}
