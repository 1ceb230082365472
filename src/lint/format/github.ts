import type { Severity } from '../../syntax/diagnostics.js';
import { escapeControls } from '../../syntax/escape.js';
import type { LintReport } from './report.js';

/** GitHub Actions workflow commands per severity: each becomes an annotation on the pull request. */
const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escaping of a workflow command's message (GitHub's toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escaping of a workflow command's property value (GitHub's toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, one per diagnostic. GitHub
 * counts the end column inclusively, so it is the column of the last character.
 */
export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const { diagnostics } of report.files) {
    for (const diagnostic of diagnostics) {
      const properties = {
        file: escapeControls(diagnostic.file.replaceAll('\\', '/')),
        line: diagnostic.line,
        col: diagnostic.column,
        endLine: diagnostic.endLine,
        endColumn: Math.max(diagnostic.endColumn - 1, diagnostic.endLine === diagnostic.line ? diagnostic.column : 1),
        title: `imsmap ${diagnostic.code}`,
      };
      const written = Object.entries(properties).map(([name, value]) => `${name}=${escapeProperty(String(value))}`);
      const message = escapeControls(diagnostic.message) + (diagnostic.hint ? `\nhint: ${escapeControls(diagnostic.hint)}` : '');
      lines.push(`::${COMMANDS[diagnostic.severity]} ${written.join(',')}::${escapeData(message)}\n`);
    }
  }
  return lines.join('');
}
