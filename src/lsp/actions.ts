import type { CodeAction, Range, TextEdit } from 'vscode-languageserver';
import { nodeSpan } from '../lint/templates.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { addressText } from '../syntax/ip.js';
import { spanAt } from '../syntax/source.js';
import { locate, rangeOf } from './locate.js';
import type { CheckedDocument } from './workspace.js';

/** The name the table rules suggest ("…; did you mean ORIG_SEND_ACCESS?"). */
const SUGGESTION = /did you mean ([^\s?]+)\?/;

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The one right edit for a finding, or undefined when there is none (or more than one). */
function fixOf(checked: CheckedDocument, diagnostic: Diagnostic): { title: string; edit: TextEdit } | undefined {
  const start = { line: diagnostic.line - 1, character: diagnostic.column - 1 };
  const located = locate(checked, start);
  switch (diagnostic.code) {
    case 'misspelled-table': {
      const name = SUGGESTION.exec(diagnostic.message)?.[1];
      if (name === undefined || located?.kind !== 'header') return undefined;
      return { title: `Rename the table to ${name}`, edit: { range: rangeOf(located.table.span), newText: name } };
    }
    case 'unknown-table': {
      const name = SUGGESTION.exec(diagnostic.message)?.[1];
      if (name === undefined || located?.kind !== 'template' || located.node?.kind !== 'mapping') return undefined;
      const { entry, node } = located;
      // The name follows `$|` and keeps its written length (F4 only folds case).
      const range = rangeOf(spanAt(entry.templateOrigin, node.offset + 2, node.table.length));
      return { title: `Call ${name} instead`, edit: { range, newText: name } };
    }
    case 'host-bits-set': {
      if (located?.kind !== 'pattern' || located.item?.kind !== 'ip') return undefined;
      const { entry, item } = located;
      const addressOffset = entry.pattern.indexOf(item.address, item.offset);
      if (addressOffset < 0 || addressOffset >= item.offset + item.length) return undefined;
      const masked = addressText(item.network);
      const range = rangeOf(spanAt(entry.patternOrigin, addressOffset, item.address.length));
      return { title: `Mask the subnet to ${masked}`, edit: { range, newText: masked } };
    }
    case 'meaningless-flag': {
      if (located?.kind !== 'template' || located.node?.kind !== 'flag') return undefined;
      return { title: `Remove $${located.node.flag}`, edit: { range: rangeOf(nodeSpan(located.entry, located.node)), newText: '' } };
    }
    default:
      return undefined;
  }
}

/** Quick fixes for the findings in a range that have one right fix (misspelt table, host bits, meaningless flag). */
export function codeActions(checked: CheckedDocument, uri: string, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of checked.diagnostics) {
    if (diagnostic.file !== checked.file || !overlaps(rangeOf(diagnostic), range)) continue;
    const fix = fixOf(checked, diagnostic);
    if (!fix) continue;
    actions.push({
      title: fix.title,
      kind: 'quickfix',
      isPreferred: true,
      diagnostics: [{ range: rangeOf(diagnostic), message: diagnostic.message, code: diagnostic.code, source: 'imsmap' }],
      edit: { changes: { [uri]: [fix.edit] } },
    });
  }
  return actions;
}
