/** Severity of a diagnostic: errors skip the offending line or entry, warnings and infos never change evaluation. */
export type Severity = 'error' | 'warning' | 'info';

/** Stable diagnostic codes of the syntax stage (format.md F16). Lint rules add codes of their own. */
export type SyntaxCode =
  | 'invalid-utf8'
  | 'continuation-at-eof'
  | 'unindented-line'
  | 'bad-table-name'
  | 'header-extra-text'
  | 'entry-outside-table'
  | 'include-empty'
  | 'include-missing'
  | 'include-cycle'
  | 'include-depth'
  | 'dangling-dollar'
  | 'duplicate-table'
  | 'bad-glob'
  | 'undefined-pattern-escape'
  | 'bad-backmatch'
  | 'bad-ip'
  | 'bad-construct-header'
  | 'unterminated-construct'
  | 'bad-number'
  | 'indented-comment'
  | 'empty-template'
  | 'dropped-whitespace'
  | 'long-pattern'
  | 'long-template'
  | 'caret-in-set'
  | 'lazy-without-effect'
  | 'host-bits-set'
  | 'ip-swallows-literal'
  | 'ipv4-in-ipv6-form'
  | 'unreferenceable-capture'
  | 'missing-capture'
  | 'suspicious-flag'
  | 'flag-in-argument'
  | 'unsupported-metachar'
  | 'line-too-long'
  | 'nesting-too-deep'
  | 'control-character'
  | 'unreadable-file';

/**
 * One finding about a mappings file. Lines and columns are 1-based; the end is exclusive
 * (endColumn is the column just after the last character), as editors and SARIF expect.
 */
export interface Diagnostic {
  severity: Severity;
  code: SyntaxCode | (string & {});
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint?: string;
}

/**
 * A finding of a sub-grammar (pattern or template) before it is placed in a file: the offset and
 * length are in UTF-16 code units of the pattern or template text.
 */
export interface Problem {
  severity: Severity;
  code: SyntaxCode;
  message: string;
  offset: number;
  length: number;
  hint?: string;
}

/** Whether a list of diagnostics holds at least one error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
