import type { Hover, Position } from 'vscode-languageserver';
import { isAccessTable } from '../access/tables.js';
import { nodeSpan } from '../lint/templates.js';
import { describePattern, describeTemplate } from './describe.js';
import { locate, rangeOf } from './locate.js';
import type { CheckedDocument } from './workspace.js';

function entryCount(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

/** What a table name stands for: its entry count, or that it is not defined (T9). */
function tableWords(checked: CheckedDocument, name: string): string {
  const table = checked.context.table(name);
  if (!table) return `no table ${name} is defined, so the call always fails (T9)`;
  return `${entryCount(table.entries.length)}${isAccessTable(name) ? '; an access table the MTA consults (A1)' : ''}`;
}

/** Hover text for a header (the table), a pattern (what it matches), a template (what it produces) or a `$|TABLE;…|` call. */
export function hover(checked: CheckedDocument, position: Position): Hover | null {
  const located = locate(checked, position);
  if (!located) return null;
  const markdown = (value: string, range = undefined as Hover['range']): Hover => (range ? { contents: { kind: 'markdown', value }, range } : { contents: { kind: 'markdown', value } });
  switch (located.kind) {
    case 'header':
      return markdown(`**${located.table.name}**: ${tableWords(checked, located.table.name)}`, rangeOf(located.table.span));
    case 'pattern':
      return markdown(describePattern(located.entry), rangeOf(located.entry.patternSpan));
    case 'template': {
      const { entry, node } = located;
      if (node?.kind === 'mapping') {
        return markdown(`**\`$|${node.table};…|\`** maps its argument through **${node.table}**: ${tableWords(checked, node.table)}`, rangeOf(nodeSpan(entry, node)));
      }
      return markdown(describeTemplate(entry), rangeOf(entry.templateSpan));
    }
  }
}
