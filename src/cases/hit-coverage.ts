import path from 'node:path';
import type { EntryHits } from '../engine/hit-counter.js';

/** The forms `imsmap check --coverage` writes. */
export const COVERAGE_FORMATS = ['text', 'json', 'lcov'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

/** The JSON form: counts and the entries no case reached. */
export interface CoverageSummary {
  entries: number;
  reached: number;
  unreached: Array<Pick<EntryHits, 'table' | 'index' | 'file' | 'line' | 'pattern'>>;
}

/** Counts and unreached entries from the hit counters of a check run. */
export function coverageSummary(entries: readonly EntryHits[]): CoverageSummary {
  const unreached = entries.filter((entry) => entry.matched === 0);
  return {
    entries: entries.length,
    reached: entries.length - unreached.length,
    unreached: unreached.map(({ table, index, file, line, pattern }) => ({ table, index, file, line, pattern })),
  };
}

function percent(summary: CoverageSummary): string {
  return summary.entries === 0 ? '100.0' : ((100 * summary.reached) / summary.entries).toFixed(1);
}

/** The readable report: one line of counts, then each entry no case reached with its position. */
function textReport(summary: CoverageSummary, cwd: string): string {
  const lines = [`Coverage: ${summary.reached} of ${summary.entries} entries reached (${percent(summary)}%)`];
  if (summary.unreached.length > 0) lines.push('Entries no case reached:');
  for (const entry of summary.unreached) {
    const file = path.relative(cwd, path.resolve(cwd, entry.file)) || entry.file;
    lines.push(`  ${file}:${entry.line}: ${entry.table} #${entry.index} ${entry.pattern}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The lcov tracefile: each file's entries as lines (`DA:line,hits`), so that CI coverage tools show which
 * rules the cases exercise. Entries from included files (F7) are reported under their own file.
 */
function lcovReport(entries: readonly EntryHits[]): string {
  const byFile = new Map<string, Map<number, number>>();
  for (const entry of entries) {
    const lines = byFile.get(entry.file) ?? new Map<number, number>();
    lines.set(entry.line, (lines.get(entry.line) ?? 0) + entry.matched);
    byFile.set(entry.file, lines);
  }
  const records = [...byFile].map(([file, lines]) => {
    const hit = [...lines.values()].filter((count) => count > 0).length;
    return [
      'TN:imsmap',
      `SF:${file}`,
      ...[...lines].sort(([a], [b]) => a - b).map(([line, count]) => `DA:${line},${count}`),
      `LF:${lines.size}`,
      `LH:${hit}`,
      'end_of_record',
    ].join('\n');
  });
  return records.map((record) => record + '\n').join('');
}

/** The coverage report of a check run in the chosen form; file names in the text form are relative to `cwd`. */
export function coverageReport(entries: readonly EntryHits[], format: CoverageFormat, cwd: string): string {
  switch (format) {
    case 'text':
      return textReport(coverageSummary(entries), cwd);
    case 'json':
      return JSON.stringify(coverageSummary(entries)) + '\n';
    case 'lcov':
      return lcovReport(entries);
  }
}
