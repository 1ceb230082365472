import type { CompletionItem, CompletionItemKind, Position } from 'vscode-languageserver';
import { ACCESS_TABLES, isAccessTable } from '../access/tables.js';
import { FLAG_MEANINGS, OUTPUT_FLAGS, flagMeaning } from '../lint/flags.js';
import { PRODUCT_TABLES } from '../access/tables.js';
import { parsePattern } from '../syntax/pattern/index.js';
import { sourceLines } from '../syntax/index.js';
import type { CheckedDocument } from './workspace.js';

/** LSP CompletionItemKind values (the enum lives in the lazily loaded protocol package). */
const KIND_CLASS = 7;
const KIND_KEYWORD = 14;
const KIND_OPERATOR = 24;

/** P3, P6, P9: the `$` sequences of a pattern. */
const PATTERN_SEQUENCES: ReadonlyArray<[string, string]> = [
  ['A*', 'zero or more ASCII letters (glob)'],
  ['D*', 'zero or more decimal digits (glob)'],
  ['H*', 'zero or more hex digits (glob)'],
  ['S*', 'zero or more symbol characters (glob)'],
  ['T*', 'zero or more spaces or tabs (glob)'],
  ['[', 'a character set `$[…]*` (P5)'],
  ['(', 'an IPv4 subnet `$(a.b.c.d/n)` (P9)'],
  ['{', 'an IPv6 subnet `${addr/n}` (P9)'],
  ['_', 'the next wildcard matches as little as possible (P6)'],
  ['@', 'stop saving wildcards (P6)'],
  ['^', 'save wildcards again (P6)'],
  ['$', 'a literal `$`'],
  ['*', 'a literal `*`'],
  ['%', 'a literal `%`'],
  [' ', 'a literal space'],
];

/** T4–T11: the `$` sequences of a template other than captures and flags. */
const TEMPLATE_SEQUENCES: ReadonlyArray<[string, string]> = [
  ['C', 'continue with the next entry (T5)'],
  ['E', 'end the mapping (T5)'],
  ['L', 'continue and make one more pass (T5)'],
  ['R', 'restart from the first entry (T5)'],
  ['|', 'map the argument through a table: `$|TABLE;argument|` (T9)'],
  [':', 'go on only if an input flag is set: `$:x` (T6)'],
  [';', 'go on only if an input flag is not set: `$;x` (T6)'],
  ['?', 'go on with a probability: `$?50?` (T6)'],
  ['\\', 'lower-case what follows (T4)'],
  ['^', 'upper-case what follows (T4)'],
  ['_', 'original case (T4)'],
  ['=', 'quote what follows for an LDAP filter (T4)'],
  ['[', 'call a site routine `$[image,routine,argument]` (T10)'],
  ['{', 'look up the general database `${key}` (T11)'],
  [']', 'a URL lookup `$]url[` (T11)'],
  ['}', 'a domain lookup `$}domain,attribute{` (T11)'],
  ['$', 'a literal `$`'],
  [' ', 'a literal space'],
];

/** The text of the line before the cursor, split into pattern and template the way F8 splits an entry. */
function entryFields(before: string): { inTemplate: boolean; pattern: string } | undefined {
  if (!/^[ \t]/.test(before)) return undefined;
  const text = before.replace(/^[ \t]+/, '');
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '$') index++;
    else if (text[index] === ' ' || text[index] === '\t') return { inTemplate: true, pattern: text.slice(0, index) };
  }
  return { inTemplate: false, pattern: text };
}

/** The table whose header comes last before a line of the document's own file. */
function tableAt(checked: CheckedDocument, line: number): string | undefined {
  let name: string | undefined;
  for (const table of checked.parsed.tables) if (table.span.file === checked.file && table.span.line <= line) name = table.name;
  return name;
}

function item(label: string, detail: string, kind: CompletionItemKind, insertText = label): CompletionItem {
  return { label, detail, kind, insertText };
}

/** Table names: those the file defines and those the MTA consults (A1). */
function tableNames(checked: CheckedDocument, known: readonly string[]): CompletionItem[] {
  const names = new Set([...checked.parsed.tables.map((table) => table.name), ...known]);
  return [...names].map((name) => item(name, checked.context.table(name) ? `${checked.context.table(name)!.entries.length} entries` : 'access table (A1)', KIND_CLASS));
}

/** Completion of table names (headers, `$|…`), the flags meaningful in the current table, and `$` sequences. */
export function completion(checked: CheckedDocument, position: Position): CompletionItem[] {
  const lineText = sourceLines(checked.text)[position.line] ?? '';
  const before = lineText.slice(0, position.character);
  if (/^[A-Za-z][\w$.-]*$/.test(before)) return tableNames(checked, PRODUCT_TABLES);
  const fields = entryFields(before);
  if (!fields) return [];
  const call = /\$\|([^;|]*)$/.exec(before);
  if (fields.inTemplate && call) return tableNames(checked, ACCESS_TABLES);
  if (!before.endsWith('$')) return [];
  if (!fields.inTemplate) return PATTERN_SEQUENCES.map(([text, detail]) => item(`$${text}`, detail, KIND_OPERATOR, text));
  const table = tableAt(checked, position.line + 1);
  const captures = parsePattern(fields.pattern).captureCount;
  const items = Array.from({ length: Math.min(captures, 10) }, (_, index) => item(`$${index}`, `what the pattern saved as $${index} (T3)`, KIND_OPERATOR, String(index)));
  items.push(...TEMPLATE_SEQUENCES.map(([text, detail]) => item(`$${text}`, detail, KIND_KEYWORD, text)));
  const flags = table !== undefined && isAccessTable(table) ? [...OUTPUT_FLAGS[table]].map((flag) => [flag, flagMeaning(table, flag)!]) : Object.entries(FLAG_MEANINGS);
  const seen = new Set(items.map((found) => found.label));
  for (const [flag, meaning] of flags) {
    if (!seen.has(`$${flag}`)) items.push(item(`$${flag}`, `flag: ${meaning}`, KIND_KEYWORD, flag!));
  }
  return items;
}
