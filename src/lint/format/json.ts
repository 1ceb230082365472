import type { LintReport } from './report.js';

/** One JSON object per diagnostic per line, for tools. */
export function formatJson(report: LintReport): string {
  return report.files.flatMap(({ diagnostics }) => diagnostics.map((diagnostic) => JSON.stringify(diagnostic) + '\n')).join('');
}
