import { asciiUpper } from '../../syntax/case.js';
import type { Entry, Table } from '../../syntax/ast.js';
import type { LintContext } from '../context.js';
import type { Preemption } from '../reachability.js';
import type { LintRule } from '../rule.js';
import { tableRule } from '../scope.js';

/** Whether the pre-empting entry is the same entry written again: same pattern (case-blind, P1), same template. */
function isRepetition({ entry, by }: Preemption): boolean {
  return asciiUpper(entry.pattern) === asciiUpper(by.pattern) && entry.template === by.template;
}

/** The pre-empted entries of a table, in order; entries without template are left to `empty-template` (F9). */
function* preemptions(context: LintContext, table: Table): Generator<Preemption> {
  for (const entry of table.entries) {
    const found = context.preemption(entry);
    if (found && entry.template !== '') yield found;
  }
}

// Entries are named by file and line: an entry number would skip the entries dropped for errors.
function describe(entry: Entry): string {
  return `the entry at ${entryPlace(entry)} (\`${entry.pattern}\`)`;
}

function entryPlace(entry: Entry): string {
  return `${entry.patternSpan.file}:${entry.patternSpan.line}`;
}

/** M2: an entry an earlier, always-ending entry takes every input from. */
export const unreachableEntry: LintRule = tableRule(
  {
    code: 'unreachable-entry',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'M2, M3',
    description:
      'An entry that can never be used: an earlier entry matches every string it matches and always ends the mapping (a catch-all `*`, a broader wildcard pattern, a containing subnet, the same pattern). An earlier entry whose template can fail or continue (`$C $L $R $:x $;x $?x?` or any lookup) does not pre-empt, and neither does one separated from it by an entry that may continue with a changed string. Reported only when proved; tables over 2,000 entries are checked for catch-alls and repeated patterns only.',
    help: 'Move the entry above the one that pre-empts it, or delete it.',
  },
  {
    *checkTable(context, table) {
      for (const found of preemptions(context, table)) {
        if (isRepetition(found)) continue;
        yield {
          span: found.entry.patternSpan,
          message: `this ${found.entry.table} entry is never used: ${describe(found.by)} matches every string it matches and always ends the mapping`,
          hint: `move it above the entry at ${entryPlace(found.by)}, or delete it`,
        };
      }
    },
  },
);

/** M2: the same entry written twice; the second copy changes nothing. */
export const duplicateEntry: LintRule = tableRule(
  {
    code: 'duplicate-entry',
    defaultSeverity: 'info',
    stage: 'lint',
    spec: 'M2',
    description: 'An entry repeated with the same pattern and template after an entry that always ends the mapping; the copy is never used and removing it changes nothing.',
    help: 'Delete the repeated entry.',
  },
  {
    *checkTable(context, table) {
      for (const found of preemptions(context, table)) {
        if (!isRepetition(found)) continue;
        yield {
          span: found.entry.patternSpan,
          message: `this ${found.entry.table} entry repeats ${describe(found.by)} and is never used`,
          hint: 'delete it',
        };
      }
    },
  },
);
