import type { Diagnostic, Severity } from '../../syntax/diagnostics.js';
import { escapeControls } from '../../syntax/escape.js';
import type { LintReport } from './report.js';

/** Longest stretch of a source line a code frame shows; longer lines are cut around the column. */
const FRAME_WIDTH = 120;

const SEVERITY_COLOURS: Record<Severity, number> = { error: 31, warning: 33, info: 36 };

/** ANSI styling that is the identity when colour is off. */
function styles(color: boolean) {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    severity: (severity: Severity, text: string) => wrap(SEVERITY_COLOURS[severity], 39)(text),
  };
}

/**
 * `file:line:column: severity: message [code]`, the one-line form of a diagnostic: the first line of
 * each finding in lint's text report and the whole of it on the other commands' standard error.
 */
export function formatDiagnosticLine(diagnostic: Diagnostic, style = styles(false)): string {
  const location = style.bold(`${escapeControls(diagnostic.file)}:${diagnostic.line}:${diagnostic.column}:`);
  const severity = style.severity(diagnostic.severity, `${diagnostic.severity}:`);
  return `${location} ${severity} ${escapeControls(diagnostic.message)} [${escapeControls(diagnostic.code)}]`;
}

/** The one-line form of each diagnostic, the source line with a caret under the column, the hint, then a summary. */
export function formatText(report: LintReport): string {
  const style = styles(report.color);
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const { diagnostics } of report.files) {
    for (const diagnostic of diagnostics) {
      counts[diagnostic.severity] += 1;
      out.push(formatDiagnosticLine(diagnostic, style));
      const source = report.sourceLine(diagnostic.file, diagnostic.line);
      if (source !== undefined) {
        const [shown, caret] = codeFrame(source, diagnostic);
        out.push(shown, style.severity(diagnostic.severity, caret));
      }
      if (diagnostic.hint) out.push(style.dim(`  hint: ${escapeControls(diagnostic.hint)}`));
    }
  }
  const fileCount = report.files.length;
  out.push(
    `${plural(fileCount, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`,
  );
  return out.join('\n') + '\n';
}

/**
 * The source line and a caret line under the diagnostic's first line. Tabs before the column are
 * copied into the caret line so that the caret stays aligned however the terminal expands them.
 */
function codeFrame(source: string, diagnostic: Diagnostic): [string, string] {
  const column = Math.min(diagnostic.column - 1, source.length);
  const end = diagnostic.endLine === diagnostic.line ? Math.min(diagnostic.endColumn - 1, source.length) : source.length;
  const from = Math.max(0, Math.min(column - 20, source.length - FRAME_WIDTH));
  const to = Math.min(source.length, from + FRAME_WIDTH);
  const before = from > 0 ? '…' : '';
  // F17: controls are shown escaped; the caret line pads by the escaped width so the caret stays put.
  const shown = before + escapeControls(source.slice(from, to)) + (to < source.length ? '…' : '');
  const indent = (before + escapeControls(source.slice(from, column))).replace(/[^\t]/g, ' ');
  const underline = '~'.repeat(Math.max(0, Math.min(end, to) - column - 1));
  return [`  ${shown}`, `  ${indent}^${underline}`];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
