import type { DocumentSymbol, Location, Position } from 'vscode-languageserver';
import { templateNodes, nodeSpan } from '../lint/templates.js';
import type { IncludeLine, Span } from '../syntax/ast.js';
import { locate, locationOf, rangeOf } from './locate.js';
import { uriOfFile, type CheckedDocument } from './workspace.js';

/** LSP SymbolKind values (the enum lives in the lazily loaded protocol package). */
const SYMBOL_CLASS = 5;
const SYMBOL_FIELD = 8;

function within(span: Span, position: Position): boolean {
  const line = position.line + 1;
  const column = position.character + 1;
  return line === span.line && column >= span.column && column <= span.endColumn;
}

/** The include line (F7) of the document's own file under a position. */
function includeAt(checked: CheckedDocument, position: Position): IncludeLine | undefined {
  return checked.parsed.includes.find((include) => include.span.file === checked.file && within(include.span, position));
}

/** The table name under a position: a header, or the table of a `$|TABLE;…|` call. */
function tableNameAt(checked: CheckedDocument, position: Position): string | undefined {
  const located = locate(checked, position);
  if (located?.kind === 'header') return located.table.name;
  if (located?.kind === 'template' && located.node?.kind === 'mapping') return located.node.table;
  return undefined;
}

/** Go to definition: a `$|TABLE;…|` call → the table's header (F4); an include line → the included file (F7). */
export function definition(checked: CheckedDocument, position: Position): Location[] {
  const include = includeAt(checked, position);
  if (include) return [{ uri: uriOfFile(include.file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  const name = tableNameAt(checked, position);
  const table = name === undefined ? undefined : checked.context.table(name);
  return table ? [locationOf(table.span)] : [];
}

/** Find references: a table's header and every `$|TABLE;…|` naming it; or every include line naming the same file. */
export function references(checked: CheckedDocument, position: Position, includeDeclaration: boolean): Location[] {
  const include = includeAt(checked, position);
  if (include) return checked.parsed.includes.filter((other) => other.file === include.file).map((other) => locationOf(other.span));
  const name = tableNameAt(checked, position);
  if (name === undefined) return [];
  const found: Location[] = [];
  const table = checked.context.table(name);
  if (table && includeDeclaration) found.push(locationOf(table.span));
  for (const caller of checked.parsed.tables) {
    for (const entry of caller.entries) {
      for (const node of templateNodes(entry.templateNodes)) {
        if (node.kind === 'mapping' && node.table === name) found.push(locationOf(nodeSpan(entry, node)));
      }
    }
  }
  return found;
}

/** The outline: each table of the document's own file, its entries (pattern and template) below it. */
export function documentSymbols(checked: CheckedDocument): DocumentSymbol[] {
  return checked.parsed.tables
    .filter((table) => table.span.file === checked.file)
    .map((table) => {
      const entries = table.entries.filter((entry) => entry.patternSpan.file === checked.file);
      const children: DocumentSymbol[] = entries.map((entry) => {
        const range = rangeOf({ ...entry.patternSpan, endLine: entry.templateSpan.endLine, endColumn: entry.templateSpan.endColumn });
        return { name: entry.pattern, detail: entry.template, kind: SYMBOL_FIELD, range, selectionRange: rangeOf(entry.patternSpan) };
      });
      const last = children.at(-1)?.range.end ?? rangeOf(table.span).end;
      return {
        name: table.name,
        detail: `${table.entries.length} entries`,
        kind: SYMBOL_CLASS,
        range: { start: rangeOf(table.span).start, end: last },
        selectionRange: rangeOf(table.span),
        children,
      };
    });
}
