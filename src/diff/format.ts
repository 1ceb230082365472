import type { EntryRef } from '../engine/types.js';
import { escapeData, escapeProperty } from '../lint/format/github.js';
import type { Answer, FieldChange } from './compare.js';
import type { DiffReport, ProbeDifference, Reordering } from './diff.js';
import type { EntryChange, EntryPlace, TableChange } from './structure.js';

/** What a formatter needs besides the report: the two files as the user named them. */
export interface DiffLabels {
  old: string;
  new: string;
}

/** Turns a diff report into the text printed on standard output. */
export type DiffFormatter = (report: DiffReport, labels: DiffLabels) => string;

const where = (ref: EntryRef | undefined) => (ref ? `${ref.file}:${ref.line}` : 'no entry');

function shown(value: unknown): string {
  return value === null || value === undefined ? 'none' : JSON.stringify(value);
}

function fieldsInWords(fields: readonly FieldChange[]): string {
  return fields.map((field) => `${field.field} ${shown(field.old)} → ${shown(field.new)}`).join('; ');
}

function entryInWords(place: EntryPlace): string {
  return `${place.pattern}  ${place.template}`.trimEnd();
}

function changeInWords(change: EntryChange): string {
  const lines = `${change.old ? `old line ${change.old.line}` : ''}${change.old && change.new ? ' → ' : ''}${change.new ? `new line ${change.new.line}` : ''}`;
  switch (change.kind) {
    case 'added':
      return `added (${lines}): ${entryInWords(change.new!)}`;
    case 'removed':
      return `removed (${lines}): ${entryInWords(change.old!)}`;
    case 'moved':
      return `moved from entry ${change.old!.index} to ${change.new!.index} (${lines}): ${entryInWords(change.new!)}`;
    case 'changed':
      return `changed (${lines}): ${entryInWords(change.old!)}  ⇒  ${entryInWords(change.new!)}`;
  }
}

function tableInWords(table: TableChange): string {
  return `${table.table}: ${table.status}${table.typoOf ? ` (probably a misspelling of ${table.typoOf})` : ''}`;
}

function reorderingInWords(reordering: Reordering): string {
  return `${reordering.table}: ${JSON.stringify(reordering.probe)} is answered by ${where(reordering.new)} now, by ${where(reordering.old)} before (entry ${reordering.entry.index} moved past entry ${reordering.over.index})`;
}

function probeInWords(difference: ProbeDifference): string {
  const what = difference.kind === 'mapping' ? `${difference.table} ${JSON.stringify(difference.probe)}` : difference.kind === 'decision' ? `decide ${difference.probe}` : `audit ${difference.probe}`;
  return difference.inputFlags ? `${what} (input flags ${difference.inputFlags})` : what;
}

const answerInWords = (answer: Answer) => `${answer.summary}${answer.entry ? ` [${where(answer.entry)}]` : ''}`;

function relayInWords(report: DiffReport): string {
  return report.relay.old === report.relay.new ? `open relay: ${report.relay.new} (unchanged)` : `open relay: ${report.relay.old} → ${report.relay.new}`;
}

function countsInWords(report: DiffReport): string {
  const { mapping, decision, audit } = report.probes;
  return `${mapping} mapping probes, ${decision} decisions, ${audit} audit checks`;
}

/** The report in plain text: tables and entries, reorderings, each difference with both answers, the verdict. */
export function formatDiffText(report: DiffReport, labels: DiffLabels): string {
  const lines = [`imsmap diff ${labels.old} → ${labels.new}`, ''];
  if (report.tables.length === 0) lines.push('No table or entry changed.');
  for (const table of report.tables) {
    lines.push(tableInWords(table));
    for (const change of table.changes) lines.push(`  ${changeInWords(change)}`);
  }
  if (report.reorderings.length > 0) lines.push('', 'Order changes (M2):', ...report.reorderings.map((reordering) => `  ${reorderingInWords(reordering)}`));
  lines.push('', `Effect (${countsInWords(report)}): ${report.differences.length === 0 ? 'no probe is answered differently.' : `${report.differences.length} differences.`}`);
  for (const difference of report.differences) {
    lines.push(
      `  ${difference.safety.toUpperCase()}: ${difference.reason} — ${probeInWords(difference)}`,
      `    before: ${answerInWords(difference.old)}`,
      `    after:  ${answerInWords(difference.new)}`,
      `    changed: ${fieldsInWords(difference.fields)}`,
    );
    if (difference.alike > 0) lines.push(`    (and ${difference.alike} more probes alike)`);
  }
  lines.push('', `Audit ${relayInWords(report)}.`, `Verdict: ${report.safety === 'none' ? 'no effect' : report.safety}.`);
  return lines.join('\n') + '\n';
}

/** JSON lines: one object per table change, reordering and difference, then a summary object. */
export function formatDiffJson(report: DiffReport, labels: DiffLabels): string {
  const objects = [
    ...report.tables.map((table) => ({ type: 'table', ...table })),
    ...report.reorderings.map((reordering) => ({ type: 'reordering', ...reordering })),
    ...report.differences.map((difference) => ({ type: 'difference', ...difference })),
    { type: 'summary', old: labels.old, new: labels.new, safety: report.safety, relay: report.relay, probes: report.probes, differences: report.differences.length },
  ];
  return objects.map((object) => JSON.stringify(object) + '\n').join('');
}

/** Markdown text inside a table cell or inline code: no `|`, no line breaks, no backticks breaking out. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;

const SAFETY_MARK: Record<DiffReport['safety'], string> = { weaker: '🔴 weaker', stronger: '🟢 stronger', other: '🟡 other', none: '⚪ no effect' };

/** A pull-request comment: the verdict first, then the differences as a table and the entry edits. */
export function formatDiffMarkdown(report: DiffReport, labels: DiffLabels): string {
  const lines = [
    `### imsmap diff: ${SAFETY_MARK[report.safety]}`,
    '',
    `${code(labels.old)} → ${code(labels.new)}: ${report.differences.length} differences over ${countsInWords(report)}; ${relayInWords(report)}.`,
    '',
  ];
  if (report.differences.length > 0) {
    lines.push('| safety | why | probe | before | after | changed |', '|---|---|---|---|---|---|');
    for (const difference of report.differences) {
      const alike = difference.alike > 0 ? ` (+${difference.alike} alike)` : '';
      lines.push(
        `| ${[difference.safety, difference.reason, code(cell(probeInWords(difference))) + alike, cell(answerInWords(difference.old)), cell(answerInWords(difference.new)), cell(fieldsInWords(difference.fields))].join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (report.tables.length > 0) {
    lines.push('<details><summary>Entries changed</summary>', '');
    for (const table of report.tables) {
      lines.push(`- **${tableInWords(table)}**`);
      for (const change of table.changes) lines.push(`  - ${code(cell(changeInWords(change)))}`);
    }
    if (report.reorderings.length > 0) lines.push('', '**Order changes (M2)**', '', ...report.reorderings.map((reordering) => `- ${cell(reorderingInWords(reordering))}`));
    lines.push('', '</details>', '');
  } else lines.push('No table or entry changed.', '');
  return lines.join('\n');
}

const ANNOTATION: Record<ProbeDifference['safety'], string> = { weaker: 'error', stronger: 'warning', other: 'notice' };

function annotation(level: string, file: string | undefined, line: number | undefined, title: string, message: string): string {
  const properties = file !== undefined && line !== undefined ? `file=${escapeProperty(file.replaceAll('\\', '/'))},line=${line},` : '';
  return `::${level} ${properties}title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/**
 * GitHub workflow commands: one annotation per difference on the new file's deciding entry (or on
 * the edited line of its table), and a notice on every added, changed or moved line.
 */
export function formatDiffGithub(report: DiffReport, labels: DiffLabels): string {
  const editedLine = new Map<string, number>();
  const out: string[] = [];
  for (const table of report.tables) {
    for (const change of table.changes) {
      if (!change.new) continue;
      editedLine.set(table.table, editedLine.get(table.table) ?? change.new.line);
      out.push(annotation('notice', change.new.file, change.new.line, `imsmap diff: entry ${change.kind}`, changeInWords(change)));
    }
  }
  for (const difference of report.differences) {
    const entry = difference.new.entry;
    const line = entry?.line ?? (difference.table ? editedLine.get(difference.table) : undefined);
    const message = `${difference.reason}: ${probeInWords(difference)}\nbefore: ${answerInWords(difference.old)}\nafter: ${answerInWords(difference.new)}\nchanged: ${fieldsInWords(difference.fields)}`;
    out.push(annotation(ANNOTATION[difference.safety], entry?.file ?? (line === undefined ? undefined : labels.new), line, `imsmap diff: ${difference.safety}`, message));
  }
  return out.join('');
}

/** Output formats of `imsmap diff` by name. */
export const diffFormatters: Record<string, DiffFormatter> = {
  text: formatDiffText,
  json: formatDiffJson,
  markdown: formatDiffMarkdown,
  github: formatDiffGithub,
};
