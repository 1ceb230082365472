import type { Table, TextOrigin } from '../syntax/ast.js';
import type { LintContext } from './context.js';
import type { LintRule, RuleFinding } from './rule.js';

/**
 * What a rule's findings depend on, so that an editor re-checking a file after an edit can reuse the
 * findings whose inputs did not change (IncrementalLinter). Besides what is named here, a rule may
 * read the configuration; a rule without a scope is run on every check.
 */
export type RuleScope =
  /**
   * The findings about each table depend on that table alone (its name, entries and their positions)
   * and on `input`: what the check reads of the rest of the file, as text. `check` runs `checkTable`
   * over the tables in file order.
   */
  | { kind: 'table'; checkTable(context: LintContext, table: Table): Iterable<RuleFinding>; input?(context: LintContext, table: Table): string }
  /** The findings depend on `input` alone: what the check reads of the file, as text. */
  | { kind: 'file'; input(context: LintContext): string };

const scopes = new WeakMap<LintRule, RuleScope>();

/** A lint rule that checks each table on its own (see RuleScope). */
export function tableRule(
  meta: Omit<LintRule, 'check'>,
  scope: Omit<Extract<RuleScope, { kind: 'table' }>, 'kind'>,
): LintRule {
  const rule: LintRule = {
    ...meta,
    *check(context) {
      for (const table of context.tables) yield* scope.checkTable(context, table);
    },
  };
  scopes.set(rule, { kind: 'table', ...scope });
  return rule;
}

/** A lint rule over the whole file whose findings depend on `input` alone (see RuleScope). */
export function fileRule(rule: LintRule, input: (context: LintContext) => string): LintRule {
  scopes.set(rule, { kind: 'file', input });
  return rule;
}

/** What a rule's findings depend on, when it says. */
export function scopeOf(rule: LintRule): RuleScope | undefined {
  return scopes.get(rule);
}

const texts = new WeakMap<Table, string>();

/**
 * Everything a check can read of a table, as text: its name and header position, and each entry's
 * pattern and template (their parsed items follow from them) with where their characters stand
 * (their spans follow from that). Two tables with the same text give the same findings.
 */
export function tableText(table: Table): string {
  let text = texts.get(table);
  if (text === undefined) {
    // Texts are written with their length before them, so that the parts, joined, read back one way only.
    const { file, line, column, endLine, endColumn } = table.span;
    const parts: Array<string | number> = [table.name.length, table.name, file.length, file, line, column, endLine, endColumn];
    for (const entry of table.entries) {
      parts.push(entry.pattern.length, entry.pattern, entry.template.length, entry.template);
      addOrigin(parts, entry.patternOrigin);
      addOrigin(parts, entry.templateOrigin);
    }
    texts.set(table, (text = parts.join('\0')));
  }
  return text;
}

function addOrigin(parts: Array<string | number>, origin: TextOrigin): void {
  parts.push(origin.file.length, origin.file, origin.segments.length);
  for (const segment of origin.segments) parts.push(segment.offset, segment.line, segment.column);
}
