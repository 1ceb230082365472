import { ACCESS_TABLES, PRODUCT_TABLES } from '../../access/tables.js';
import type { Table } from '../../syntax/ast.js';
import type { LintContext } from '../context.js';
import { closestName } from '../names.js';
import type { LintRule, RuleFinding } from '../rule.js';
import { tableRule } from '../scope.js';
import { nodeSpan, templateNodes } from '../templates.js';

/** Every `$|table;…|` of a table, with its entry. */
function* nestedMappings(table: Table) {
  for (const entry of table.entries) {
    for (const node of templateNodes(entry.templateNodes)) {
      if (node.kind === 'mapping' && node.table !== '') yield { entry, node };
    }
  }
}

/** The names a `$|…|` of an unknown table is compared with: the file's tables, then the access tables. */
function knownNames(context: LintContext): string[] {
  return [...context.tables.map((table) => table.name), ...ACCESS_TABLES];
}

/** T9: `$|TABLE;…|` naming a table the file does not define always fails. */
export const unknownTable: LintRule = tableRule(
  {
    code: 'unknown-table',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'T9',
    description: 'A `$|TABLE;…|` lookup names a table the file does not define, so the lookup always fails.',
    help: 'Correct the table name (the message suggests the closest defined or access table), or define the table.',
  },
  {
    *checkTable(context, table) {
      let known: string[] | undefined;
      for (const { entry, node } of nestedMappings(table)) {
        if (context.table(node.table)) continue;
        known ??= knownNames(context);
        const suggestion = closestName(node.table, known);
        const finding: RuleFinding = {
          span: nodeSpan(entry, node),
          message: `no table ${node.table} is defined, so \`$|${node.table};…|\` always fails${suggestion ? `; did you mean ${suggestion}?` : ''}`,
          hint: suggestion ? `write $|${suggestion};…|` : `define a table ${node.table}, or correct the name`,
        };
        yield finding;
      }
    },
    input: (context) => knownNames(context).join(' '),
  },
);

/** F4, access.md A1: a header one or two typing mistakes away from a table the MTA consults. */
export const misspelledTable: LintRule = {
  code: 'misspelled-table',
  defaultSeverity: 'warning',
  stage: 'lint',
  spec: 'F4, A1',
  description:
    'A table name close to one the MTA consults (`ORIG_SEND_ACESS` for `ORIG_SEND_ACCESS`): the MTA never reads the misspelt table. Names the file itself uses in `$|…|` are left alone.',
  help: 'Rename the table to the name the message suggests.',
  *check(context) {
    const referenced = new Set(context.tables.flatMap((table) => [...nestedMappings(table)].map(({ node }) => node.table)));
    for (const table of context.tables) {
      if (PRODUCT_TABLES.includes(table.name) || referenced.has(table.name)) continue;
      const suggestion = closestName(table.name, PRODUCT_TABLES);
      if (suggestion === undefined) continue;
      yield {
        span: table.span,
        message: `table ${table.name} is not one the MTA consults; did you mean ${suggestion}?`,
        hint: `rename the table to ${suggestion}`,
      };
    }
  },
};
