import { isDeepStrictEqual } from 'node:util';
import type { Decision } from '../access/decision.js';
import { formatDecision } from '../access/format.js';
import type { AccessPolicy } from '../access/policy.js';
import { formatReply } from '../access/reading.js';
import { TupleError } from '../access/schemas.js';
import { formatResult } from '../engine/format.js';
import type { MappingSet } from '../engine/compile.js';
import type { MappingResult } from '../engine/types.js';
import { asciiUpper } from '../syntax/case.js';
import type { DecisionExpectation, MappingExpectation, TestCase } from './schema.js';

// One comparison per kind of case, shared by `imsmap check` and the vitest matchers, so that a case
// file and a unit test can never disagree about what passes.

/** One field whose actual value is not the expected one. */
export interface Difference {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** The outcome of one case: the differences (none when it passed) and what happened, for the report. */
export interface CaseResult {
  name: string;
  pass: boolean;
  differences: Difference[];
  /** The evaluation as `imsmap test` / `imsmap decide` show it. */
  details: string[];
}

/** What cases run against: the compiled tables and a policy over them. */
export interface CaseTarget {
  mappings: MappingSet;
  policy: AccessPolicy;
}

/** Output flags as results give them (T7, M8): upper-cased, unique, ascending. */
function normaliseFlags(flags: readonly string[]): string[] {
  return [...new Set(flags.map(asciiUpper))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/** Compares each expected field with the actual one; fields not expected are not looked at. */
function compare(expected: Record<string, unknown>, actual: Record<string, unknown>): Difference[] {
  return Object.entries(expected)
    .filter(([, value]) => value !== undefined)
    .filter(([field, value]) => !isDeepStrictEqual(value, actual[field]))
    .map(([field, value]) => ({ field, expected: value, actual: actual[field] }));
}

/** The differences between a mapping result and what a probe case expects. */
export function mappingDifferences(result: MappingResult, expected: MappingExpectation): Difference[] {
  const actual = {
    output: result.output,
    flags: result.flags,
    matched: result.matched,
    entry: result.entry?.index ?? null,
    error: result.error?.code ?? null,
  };
  const wanted = expected.flags === undefined ? expected : { ...expected, flags: normaliseFlags(expected.flags) };
  return compare(wanted, actual);
}

/** The differences between a decision and what a decide case expects. */
export function decisionDifferences(decision: Decision, expected: DecisionExpectation): Difference[] {
  const actual = {
    action: decision.action,
    temporary: decision.temporary,
    closeConnection: decision.closeConnection,
    code: decision.reply?.code,
    enhanced: decision.reply?.enhanced,
    text: decision.reply?.lines.join('\n'),
    reply: decision.reply && formatReply(decision.reply).join('\n'),
    delay: decision.delay ?? null,
    srcChannel: decision.srcChannel,
    dstChannel: decision.dstChannel,
    internal: decision.internal,
    info: decision.info,
  };
  return compare(expected, actual);
}

type Check = { differences: Difference[]; details: string[] };

/** Compares a mapping result with a probe case; the details are the X4 lines of the result. */
function checkedResult(result: MappingResult, expected: MappingExpectation): Check {
  const details = formatResult(result, true, false);
  if (result.entry) details.push(`Produced by entry #${result.entry.index} at ${result.entry.file}:${result.entry.line}`);
  return { differences: mappingDifferences(result, expected), details };
}

/** Compares a decision with a decide case; a tuple the policy refused is one difference naming the field. */
function checkedDecision(tuple: Record<string, unknown>, decision: Decision | TupleError, expected: DecisionExpectation): Check {
  if (decision instanceof TupleError) {
    return { differences: [{ field: 'tuple', expected: 'a valid tuple', actual: decision.message }], details: [] };
  }
  return { differences: decisionDifferences(decision, expected), details: formatDecision(tuple, decision, false) };
}

/** Maps a probe and compares; the details are the X4 lines of the result. */
export function checkMapping(mappings: MappingSet, table: string, probe: string, inputFlags: string, expected: MappingExpectation): Check {
  return checkedResult(mappings.mapSync(table, probe, { flags: inputFlags }), expected);
}

/** Decides a tuple and compares; a tuple the policy refuses is one difference naming the field. */
export function checkDecision(policy: AccessPolicy, tuple: Record<string, unknown>, expected: DecisionExpectation): Check {
  return checkedDecision(tuple, policy.decide(tuple), expected);
}

/** A case's name as reports show it. */
export function caseName(testCase: TestCase): string {
  if (testCase.name !== undefined) return testCase.name;
  if ('decide' in testCase) return `decide ${JSON.stringify(testCase.decide)}`;
  return `${asciiUpper(testCase.table)} ${JSON.stringify(testCase.probe)}`;
}

function caseResult(testCase: TestCase, { differences, details }: Check): CaseResult {
  return { name: caseName(testCase), pass: differences.length === 0, differences, details };
}

/** Runs one case. */
export function runCase(testCase: TestCase, target: CaseTarget): CaseResult {
  return caseResult(
    testCase,
    'decide' in testCase
      ? checkDecision(target.policy, testCase.decide, testCase.expect)
      : checkMapping(target.mappings, testCase.table, testCase.probe, testCase.inputFlags ?? '', testCase.expect),
  );
}

/** Runs one case, awaiting asynchronous providers such as an LDAP directory (M10). */
export async function runCaseAsync(testCase: TestCase, target: CaseTarget): Promise<CaseResult> {
  return caseResult(
    testCase,
    'decide' in testCase
      ? checkedDecision(testCase.decide, await target.policy.decideAsync(testCase.decide), testCase.expect)
      : checkedResult(await target.mappings.map(testCase.table, testCase.probe, { flags: testCase.inputFlags ?? '' }), testCase.expect),
  );
}

function shown(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/** The differences as a diff: `- field: expected` and `+ field: actual` lines. */
export function formatDifferences(differences: readonly Difference[]): string[] {
  return [
    '- expected',
    '+ actual',
    ...differences.flatMap(({ field, expected, actual }) => [`- ${field}: ${shown(expected)}`, `+ ${field}: ${shown(actual)}`]),
  ];
}
