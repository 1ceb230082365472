/**
 * `imsmap/syntax`: the pieces under the package root's parseMappings and compile, for tools that work
 * on patterns and templates themselves — the syntax tree, highlighting, positions, and the pattern
 * and template compilers (format.md P1–P12, T1–T11). Browser-safe.
 */
export type {
  BackmatchItem,
  CharClass,
  CodeRange,
  IpItem,
  LiteralItem,
  PatternItem,
  TemplateNode,
  TextOrigin,
  WildcardItem,
} from '../syntax/ast.js';
export type { Problem } from '../syntax/diagnostics.js';
export { highlightMappings, type HighlightKind, type HighlightToken } from '../syntax/highlight.js';
export { isUnreadable, MAX_FILE_BYTES, readContent, type Unreadable } from '../syntax/includes.js';
export { escapeControls } from '../syntax/escape.js';
export { sourceLines } from '../syntax/index.js';
export { positionAt } from '../syntax/source.js';
export { compilePattern, DEFAULT_BACKMATCH_BUDGET, type CompilePatternOptions } from '../compile/pattern.js';
export type { CompiledPattern } from '../compile/compiled-pattern.js';
export { MatchBudgetExceededError } from '../compile/errors.js';
export { compileTemplate, type TemplateOp, type TemplateProgram } from '../compile/template.js';
export { MAX_NESTING_DEPTH } from '../engine/expand.js';
