import type { LintedFile } from '../lint.js';
import type { RuleMeta } from '../rule.js';

/** Everything a formatter needs: the linted files, their source lines, and how to present them. */
export interface LintReport {
  files: LintedFile[];
  /** The text of a physical line of any file read, or undefined when it cannot be shown. */
  sourceLine(file: string, line: number): string | undefined;
  /** Paths in the report are relative to this folder (SARIF and GitHub resolve them from the checkout). */
  cwd: string;
  /** ANSI colours in the text format (only when writing to a terminal). */
  color: boolean;
  /** The rules whose metadata SARIF carries. */
  rules: readonly RuleMeta[];
}

/** Turns a lint report into the text printed on standard output. */
export type LintFormatter = (report: LintReport) => string;
