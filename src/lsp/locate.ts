import type { Location, Position, Range } from 'vscode-languageserver';
import { templateNodes } from '../lint/templates.js';
import type { Entry, PatternItem, Span, Table, TemplateNode } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { offsetAt } from '../syntax/source.js';
import { uriOfFile } from './workspace.js';
import type { CheckedDocument } from './workspace.js';

/** The LSP range (0-based, end exclusive) of a span or diagnostic (1-based, end exclusive). */
export function rangeOf(span: Span | Diagnostic): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** The LSP location of a span. */
export function locationOf(span: Span): Location {
  return { uri: uriOfFile(span.file), range: rangeOf(span) };
}

function contains(span: Span, position: Position): boolean {
  const line = position.line + 1;
  const column = position.character + 1;
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  return !(line === span.endLine && column > span.endColumn);
}

/** What stands at a position of a document: a table header, or a pattern or template of an entry. */
export type Located =
  | { kind: 'header'; table: Table }
  | { kind: 'pattern'; entry: Entry; item: PatternItem | undefined }
  | { kind: 'template'; entry: Entry; node: TemplateNode | undefined };

/** The header, pattern item or template node under a position of the document's own file. */
export function locate(checked: CheckedDocument, position: Position): Located | undefined {
  const line = position.line + 1;
  const column = position.character + 1;
  for (const table of checked.parsed.tables) {
    if (table.span.file === checked.file && contains(table.span, position)) return { kind: 'header', table };
    for (const entry of table.entries) {
      if (entry.patternSpan.file !== checked.file || line < entry.patternSpan.line || line > Math.max(entry.patternSpan.endLine, entry.templateSpan.endLine)) continue;
      if (contains(entry.patternSpan, position)) {
        const offset = offsetAt(entry.patternOrigin, entry.pattern.length, line, column);
        const item = offset === undefined ? undefined : entry.patternItems.find((found) => offset >= found.offset && offset < found.offset + found.length);
        return { kind: 'pattern', entry, item };
      }
      if (contains(entry.templateSpan, position)) {
        const offset = offsetAt(entry.templateOrigin, entry.template.length, line, column);
        return { kind: 'template', entry, node: offset === undefined ? undefined : innermostNode(entry.templateNodes, offset) };
      }
    }
  }
  return undefined;
}

/** The deepest template node covering an offset: a node inside a `$|…|` argument before the call. */
function innermostNode(nodes: readonly TemplateNode[], offset: number): TemplateNode | undefined {
  let found: TemplateNode | undefined;
  for (const node of templateNodes(nodes)) {
    if (offset >= node.offset && offset < node.offset + node.length) found = node;
  }
  return found;
}

