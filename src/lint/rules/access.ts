import { addressReply, readAccessResult } from '../../access/reading.js';
import { ACCESS_TABLES, isAccessTable, type AccessTableName, type DecidingTable } from '../../access/tables.js';
import type { Entry, Table, TemplateNode } from '../../syntax/ast.js';
import type { LintContext } from '../context.js';
import { FLAG_MEANINGS, INPUT_FLAGS, OUTPUT_FLAGS, tablesReading } from '../flags.js';
import type { LintRule, RuleFinding } from '../rule.js';
import { tableRule } from '../scope.js';
import { flagsSet, nodeSpan, staticOutput, templateNodes } from '../templates.js';

/** T7: the flags worth judging here; other non-letter flags are the parser's `suspicious-flag`. */
const JUDGED_FLAG = /^[A-Z<>!]$/;

function outputFlagFinding(entry: Entry, node: Extract<TemplateNode, { kind: 'flag' }>, table: AccessTableName): RuleFinding {
  const meaning = FLAG_MEANINGS[node.flag];
  const readers = tablesReading(node.flag);
  const written = `$${node.flag}${meaning ? ` (${meaning})` : ''}`;
  const where =
    readers.length === 0
      ? 'no access table reads it'
      : `only ${readers.length === 1 ? readers[0] : `${readers.slice(0, -1).join(', ')} and ${readers.at(-1)}`} ${readers.length === 1 && !readers[0]!.startsWith('the ') ? 'reads' : 'read'} it`;
  return {
    span: nodeSpan(entry, node),
    message: `${written} means nothing in ${table}: ${where} (access.md A14, A15)`,
    hint: `remove $${node.flag}, or move the entry to a table that reads it`,
  };
}

/**
 * A13, T6, T9: the input flags a table's probes can carry. A table reached through `$|…|` also sees
 * its callers' input flags; a caller that is not an access table could be called from anywhere, so
 * the answer is then unknown (null).
 */
function inputFlagsByTable(context: LintContext): Map<string, Set<string> | null> {
  const known = inputFlagsOfContext.get(context);
  if (known !== undefined) return known;
  const callers = new Map<string, Set<string>>();
  for (const table of context.tables) {
    for (const entry of table.entries) {
      for (const node of templateNodes(entry.templateNodes)) {
        if (node.kind !== 'mapping') continue;
        const set = callers.get(node.table) ?? new Set<string>();
        set.add(table.name);
        callers.set(node.table, set);
      }
    }
  }
  const available = new Map<string, Set<string> | null>(ACCESS_TABLES.map((table) => [table, new Set(INPUT_FLAGS[table])]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const table of ACCESS_TABLES) {
      const flags = available.get(table);
      if (flags === null || flags === undefined) continue;
      for (const caller of callers.get(table) ?? []) {
        const inherited = available.get(caller) ?? null;
        if (inherited === null) {
          available.set(table, null);
          changed = true;
          break;
        }
        for (const flag of inherited) {
          if (!flags.has(flag)) {
            flags.add(flag);
            changed = true;
          }
        }
      }
    }
  }
  inputFlagsOfContext.set(context, available);
  return available;
}

/** inputFlagsByTable of each file, worked out once for all its tables. */
const inputFlagsOfContext = new WeakMap<LintContext, Map<string, Set<string> | null>>();

/** The entries of a table when it is an access table, with its name. */
function* accessEntries(table: Table): Generator<{ table: AccessTableName; entry: Entry }> {
  if (!isAccessTable(table.name)) return;
  for (const entry of table.entries) yield { table: table.name, entry };
}

/** A13, A14, A15: flags written in an access table that the table never reads or never sets. */
export const meaninglessFlag: LintRule = tableRule(
  {
    code: 'meaningless-flag',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'A13, A14, A15',
    description:
      'In an access table, an output flag the table does not read (`$J` outside FROM_ACCESS, `$D` in PORT_ACCESS, an undefined letter), or a test `$:x`/`$;x` of an input flag its probes never carry (A13; a table reached through `$|…|` also sees its callers’ flags).',
    help: 'Remove the flag, or move the entry to the table that reads it; for input flags see the table of access.md A13.',
  },
  {
    *checkTable(context, table) {
      for (const { table: name, entry } of accessEntries(table)) {
        for (const node of entry.templateNodes) {
          if (node.kind === 'flag' && JUDGED_FLAG.test(node.flag) && !OUTPUT_FLAGS[name].includes(node.flag)) {
            yield outputFlagFinding(entry, node, name);
          }
        }
        const available = inputFlagsByTable(context).get(name);
        if (!available) continue;
        for (const node of templateNodes(entry.templateNodes)) {
          if (node.kind !== 'flagTest' || available.has(node.flag)) continue;
          const test = `$${node.whenSet ? ':' : ';'}${node.flag}`;
          yield {
            span: nodeSpan(entry, node),
            message: `input flag ${node.flag} is never set on ${name} probes (access.md A13), so \`${test}\` ${node.whenSet ? 'never holds' : 'always holds'}`,
            hint: `the flags ${name} probes can carry: ${[...available].sort().join(', ') || 'none'}`,
          };
        }
      }
    },
    // The input flags a table's probes can carry come from the tables that call it.
    input: (context, table) => {
      const available = isAccessTable(table.name) ? inputFlagsByTable(context).get(table.name) : undefined;
      return available ? [...available].sort().join('') : String(available);
    },
  },
);

/** The entries of a table whose `$N`/`$F` text becomes an SMTP reply (A18, A19). */
function* replyEntries(accessTable: Table): Generator<{ table: DecidingTable; entry: Entry; text: string; complete: boolean; flags: string[] }> {
  for (const { table, entry } of accessEntries(accessTable)) {
    if (table === 'INTERNAL_IP') continue;
    const flags = [...flagsSet(entry)];
    if (!flags.includes('N') && !flags.includes('F')) continue;
    const output = staticOutput(entry);
    if (output.complete) {
      yield { table, entry, text: readAccessResult(table, output.text, flags).text, complete: true, flags };
    } else if (Object.keys(readAccessResult(table, '', flags).args).length === 0) {
      // Without argument flags (A16) the output is the text itself, so its known start is the text's start.
      yield { table, entry, text: output.text, complete: false, flags };
    }
  }
}

/** A18, A19: a reply code at the start of a rejection text must be 4xx or 5xx. */
export const badReplyCode: LintRule = tableRule(
  {
    code: 'bad-reply-code',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'A18, A19',
    description:
      'A `$N`/`$F` rejection text that starts with a three-digit SMTP code other than 4xx or 5xx. PORT_ACCESS sends the text as it stands and closes the connection; the address tables do not take it as the reply code and answer 550 with the digits as text.',
    help: 'Start the text with a 4xx (temporary) or 5xx (permanent) code, or with no code at all.',
  },
  {
    *checkTable(_context, accessTable) {
      for (const { table, entry, text, complete } of replyEntries(accessTable)) {
        const separator = table === 'PORT_ACCESS' ? '[ -]' : ' ';
        const firstLine = table === 'PORT_ACCESS' ? text.split('~')[0]! : text;
        const code = new RegExp(`^(\\d{3})(?:${separator}${complete ? '|$' : ''})`).exec(firstLine)?.[1];
        if (code === undefined || code[0] === '4' || code[0] === '5') continue;
        const effect =
          table === 'PORT_ACCESS'
            ? `the MTA sends "${code} …" as it stands and closes the connection (A19)`
            : `the MTA answers 550 with "${code}" as part of the text (A18)`;
        yield {
          span: entry.templateSpan,
          message: `the rejection text starts with reply code ${code}, which is not 4xx or 5xx: ${effect}`,
          hint: 'use a 4xx code for a temporary and a 5xx code for a permanent rejection',
        };
      }
    },
  },
);

const ENHANCED_CODE = /^[45]\.\d{1,3}\.\d{1,3}$/;
const TEXT_CODE = /^([45]\d\d)(?: |$)/;
const REPLY_DEFAULTS = { tempFailCode: 450, accessErrors: 0 } as const;

/** A18: an `$X` enhanced code of the other class than the text's reply code. */
export const replyClassMismatch: LintRule = tableRule(
  {
    code: 'reply-class-mismatch',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'A15, A18',
    description:
      'An `$X` enhanced status code whose class (4 temporary, 5 permanent) contradicts the reply code at the start of the `$N`/`$F` text, e.g. `$X4.2.1|$N550 …`.',
    help: 'Make `$X` and the text’s code agree: both 4 for a temporary, both 5 for a permanent rejection.',
  },
  {
    *checkTable(_context, accessTable) {
      for (const { table, entry, text, complete, flags } of replyEntries(accessTable)) {
        if (table === 'PORT_ACCESS' || !complete || !flags.includes('X')) continue;
        const output = staticOutput(entry).text;
        const enhanced = readAccessResult(table, output, flags).args.X?.[0];
        const code = TEXT_CODE.exec(text)?.[1];
        if (enhanced === undefined || !ENHANCED_CODE.test(enhanced) || code === undefined || code[0] === enhanced[0]) continue;
        const reply = addressReply(text, '', enhanced, REPLY_DEFAULTS);
        const outcome =
          reply.enhanced === enhanced
            ? `the reply is "${reply.code} ${enhanced} …"`
            : `the text's own enhanced code ${reply.enhanced} wins and $X is ignored`;
        yield {
          span: entry.templateSpan,
          message: `$X ${enhanced} is class ${enhanced[0]} but the text's reply code ${code} is class ${code[0]}: ${outcome}`,
          hint: `write both as class ${code[0]}, or both as class ${enhanced[0]}`,
        };
      }
    },
  },
);
