import { parserRules } from './parser-rules.js';
import { badReplyCode, meaninglessFlag, replyClassMismatch } from './rules/access.js';
import { noProvider, unregisteredRoutine } from './rules/lookups.js';
import { broadInternalIp, noAntiRelay } from './rules/relay.js';
import { misspelledTable, unknownTable } from './rules/tables.js';
import { duplicateEntry, unreachableEntry } from './rules/unreachable.js';
import type { LintRule, RuleMeta } from './rule.js';

/** The lint rules that run over a parsed file, in the order their findings are collected. */
export const lintRules: readonly LintRule[] = [
  unknownTable,
  misspelledTable,
  unreachableEntry,
  duplicateEntry,
  meaninglessFlag,
  badReplyCode,
  replyClassMismatch,
  unregisteredRoutine,
  noProvider,
  broadInternalIp,
  noAntiRelay,
];

/** The codes of the findings about suppression comments themselves. */
export const BAD_SUPPRESSION = 'bad-suppression';
export const UNUSED_SUPPRESSION = 'unused-suppression';

/** Rules reported by the suppression mechanism: a directive that cannot work, or one that suppressed nothing. */
const directiveRules: readonly RuleMeta[] = [
  {
    code: BAD_SUPPRESSION,
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: '—',
    description:
      'An `! imsmap-disable-next-line` comment that names no code, an unknown code or a parse error (parse errors are always reported), or has no line after it.',
    help: 'Write `! imsmap-disable-next-line CODE[, CODE…]` in column 1, directly above the entry, with codes from this catalogue.',
  },
  {
    code: UNUSED_SUPPRESSION,
    defaultSeverity: 'info',
    stage: 'lint',
    spec: '—',
    description: 'An `! imsmap-disable-next-line` comment names a code that is not reported on the next line.',
    help: 'Remove the code from the comment, or the comment itself.',
  },
];

/** Every rule: the parser's codes (format.md F16), the lint rules and the suppression rules. */
export const ruleCatalogue: readonly RuleMeta[] = [...parserRules, ...lintRules, ...directiveRules];

/** The rule of a code, if any. */
export function ruleFor(code: string): RuleMeta | undefined {
  return ruleCatalogue.find((rule) => rule.code === code);
}

/** Whether findings of a code are parse errors, which are always reported at error level (docs/diagnostics.md). */
export function isParseError(code: string): boolean {
  const rule = ruleFor(code);
  return rule?.stage === 'parser' && rule.defaultSeverity === 'error';
}
