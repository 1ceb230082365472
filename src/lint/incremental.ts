import type { ParsedMappings, Table } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { lintWith, type LintOptions } from './lint.js';
import type { RuleFinding } from './rule.js';
import { scopeOf, tableText } from './scope.js';

/**
 * Lints successive versions of one document, as an editor re-checks it after each edit, with the
 * diagnostics lintMappings gives. What a rule found about a table is reused while the table's text
 * (tableText), the rule's input and the configuration stay the same; a whole-file rule's findings
 * while its input does. Only the findings of the latest check are kept.
 */
export class IncrementalLinter {
  private configText = '';
  /** Findings by what they were computed from: a table's text (or '' for the whole file), then rule code and input. */
  private previous = new Map<string, Map<string, readonly RuleFinding[]>>();
  private current = new Map<string, Map<string, readonly RuleFinding[]>>();

  /** The diagnostics of `lintMappings(parsed, options)`. */
  lint(parsed: ParsedMappings, options: LintOptions = {}): Diagnostic[] {
    const configText = JSON.stringify(options.config ?? null);
    if (configText !== this.configText) this.previous.clear();
    this.configText = configText;
    this.current = new Map([['', new Map()]]);
    // Each table's text is looked up once: the texts are long, the rules' keys short.
    const byTable = new Map<Table, Findings>();
    for (const table of parsed.tables) {
      const text = tableText(table);
      const findings: Findings = { previous: this.previous.get(text), current: new Map() };
      this.current.set(text, findings.current);
      byTable.set(table, findings);
    }
    const file: Findings = { previous: this.previous.get(''), current: this.current.get('')! };
    const diagnostics = lintWith(parsed, options, (rule, context) => {
      const scope = scopeOf(rule);
      if (scope === undefined) return rule.check(context);
      if (scope.kind === 'file') return reused(file, `${rule.code}\n${scope.input(context)}`, () => rule.check(context));
      return context.tables.flatMap((table) =>
        reused(byTable.get(table)!, `${rule.code}\n${scope.input?.(context, table) ?? ''}`, () => scope.checkTable(context, table)),
      );
    });
    this.previous = this.current;
    return diagnostics;
  }
}

/** The findings computed from one table (or the whole file) at the last check and at this one, by rule code and input. */
interface Findings {
  previous: ReadonlyMap<string, readonly RuleFinding[]> | undefined;
  current: Map<string, readonly RuleFinding[]>;
}

/** The findings last computed under `key`, or those `check` gives now. */
function reused(findings: Findings, key: string, check: () => Iterable<RuleFinding>): readonly RuleFinding[] {
  const found = findings.previous?.get(key) ?? findings.current.get(key) ?? [...check()];
  findings.current.set(key, found);
  return found;
}
