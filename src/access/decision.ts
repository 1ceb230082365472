import type { MappingResult } from '../engine/types.js';
import {
  addressReply,
  formatReply,
  portAccessReply,
  readAccessResult,
  tableVerdict,
  type AccessReading,
  type Delay,
  type SmtpReply,
  type TableVerdict,
} from './reading.js';
import type { ResolvedAccessOptions } from './schemas.js';
import type { DecidingTable } from './tables.js';

/** One table consulted by a stage (A28). */
export interface TableResult {
  table: DecidingTable;
  /** The exact string mapped (also shown for an absent table: what would have been mapped). */
  probe: string;
  /** Input flags, ascending, e.g. "AE". */
  inputFlags: string;
  outcome: TableVerdict;
  /** The engine's result (format.md M1), with the deciding entry's file and line; absent for an absent table. */
  mapping?: MappingResult;
  /** A16, raw. */
  args: Record<string, string[]>;
  /** A16 remainder: the `$N`/`$F` text or the informational text. */
  text: string;
  warnings: string[];
}

/** The decision of one stage (A28). */
export interface Decision {
  stage: 'connect' | 'mail' | 'rcpt';
  action: 'accept' | 'reject';
  /** A rejection with a 4xx code. */
  temporary: boolean;
  /** A connect-stage rejection: the MTA closes the connection. */
  closeConnection: boolean;
  reply?: SmtpReply;
  /** A19: exactly what the MTA writes before closing (connect stage only). */
  raw?: string;
  /** The text returned with an accepting result. */
  info?: string;
  srcChannel?: string;
  dstChannel?: string;
  delay?: Delay;
  debugLevel?: number;
  /** `$J` (FROM_ACCESS): the new envelope From. */
  envelopeFrom?: string;
  /** `$K` (FROM_ACCESS): the new Sender: address. */
  sender?: string;
  groupCheck?: { user: string; identifier: string };
  enhancedFromX?: string;
  /** `$T`, `$A`, `$S` arguments, raw (A15). */
  tag?: string;
  headerLine?: string;
  limits?: string;
  actions: { bitbucket: boolean; hold: boolean; discardAll: boolean; jettisonAll: boolean; noVacation: boolean };
  log: Array<{ table: DecidingTable; when: 'match' | 'reject'; text: string }>;
  connectionLog?: { recordT: boolean; comment?: string };
  results: TableResult[];
  /** Connect stage: the INTERNAL_IP verdict for the client (A25). */
  internal?: boolean;
}

/** One table's result with its reading and the address a rejection reply names (A18). */
export interface EvaluatedTable {
  result: TableResult;
  reading: AccessReading;
  replyAddress: string;
}

/** Builds the A28 table result from the engine's result; `undefined` is a table the file does not define. */
export function evaluateTable(
  table: DecidingTable,
  probe: string,
  inputFlags: string,
  mapping: MappingResult | undefined,
  replyAddress: string,
): EvaluatedTable {
  const outcome = tableVerdict(mapping);
  // Only a result some entry produced has arguments and text: an unmatched output is just the probe
  // again (M1), and so is the output of a table whose every matching entry failed after `$C` (A33 item 4).
  const produced = (outcome === 'neutral' || outcome === 'permit' || outcome === 'reject') && mapping!.entry !== undefined;
  const reading = produced ? readAccessResult(table, mapping!.output, mapping!.flags) : { args: {}, text: '', warnings: [] };
  const result: TableResult = { table, probe, inputFlags, outcome, args: reading.args, text: reading.text, warnings: reading.warnings };
  if (mapping !== undefined) result.mapping = mapping;
  return { result, reading, replyAddress };
}

/** What a stage knows besides its table results. */
export interface StageFacts {
  stage: Decision['stage'];
  srcChannel?: string;
  dstChannel?: string;
  internal?: boolean;
}

/** A29: the reply of a stage whose check ended in an evaluation error. */
export function evaluationErrorReply(): SmtpReply {
  return { code: 451, enhanced: '4.3.0', lines: ['Access check failed'] };
}

/** A22 and A29: combines a stage's table results, in check order, into its decision. */
export function combineResults(
  facts: StageFacts,
  evaluated: readonly EvaluatedTable[],
  options: ResolvedAccessOptions,
): Decision {
  const decision: Decision = {
    stage: facts.stage,
    action: 'accept',
    temporary: false,
    closeConnection: false,
    actions: { bitbucket: false, hold: false, discardAll: false, jettisonAll: false, noVacation: false },
    log: [],
    results: evaluated.map((entry) => entry.result),
  };
  if (facts.srcChannel !== undefined) decision.srcChannel = facts.srcChannel;
  if (facts.dstChannel !== undefined) decision.dstChannel = facts.dstChannel;
  if (facts.internal !== undefined) decision.internal = facts.internal;

  // A22: the first rejection answers; A29: an evaluation error is a rejection unless the caller accepts it.
  const answering = evaluated.find(
    ({ result }) => result.outcome === 'reject' || (result.outcome === 'error' && options.onEvaluationError === 'tempfail'),
  );
  for (const { result, reading } of evaluated) {
    collectLog(decision, result, reading);
    if (result.table !== 'PORT_ACCESS') collectArguments(decision, result, reading);
  }
  if (answering === undefined) {
    const info = acceptingInfo(evaluated);
    if (info !== undefined) decision.info = info;
  } else {
    decision.action = 'reject';
    answerWith(decision, answering, options);
  }
  if (facts.stage === 'connect') collectConnectionLog(decision, evaluated);
  return decision;
}

/** A21: `$<` when the probe matched, `$>` when this table rejected. */
function collectLog(decision: Decision, result: TableResult, reading: AccessReading): void {
  const onMatch = reading.args['<']?.[0];
  if (onMatch !== undefined) decision.log.push({ table: result.table, when: 'match', text: onMatch });
  const onReject = reading.args['>']?.[0];
  if (onReject !== undefined && result.outcome === 'reject') decision.log.push({ table: result.table, when: 'reject', text: onReject });
}

/** A22: boolean actions are the union; every argument field comes from the first result that has it. */
function collectArguments(decision: Decision, result: TableResult, reading: AccessReading): void {
  const flags = result.mapping?.flags ?? [];
  const actions = decision.actions;
  actions.bitbucket ||= flags.includes('B');
  actions.hold ||= flags.includes('H');
  actions.discardAll ||= flags.includes('V');
  actions.jettisonAll ||= flags.includes('Z');
  const args = reading.args;
  if (result.table === 'FROM_ACCESS') {
    // A14: `!` (novacation) and A15: `$J`/`$K` have a meaning only in FROM_ACCESS.
    actions.noVacation ||= flags.includes('!');
    if (args.J !== undefined) decision.envelopeFrom ??= args.J[0];
    if (args.K !== undefined) decision.sender ??= args.K[0];
  }
  if (reading.debugLevel !== undefined) decision.debugLevel ??= reading.debugLevel;
  if (args.I !== undefined) decision.groupCheck ??= { user: args.I[0]!, identifier: args.I[1]! };
  if (args.T !== undefined) decision.tag ??= args.T[0];
  if (args.A !== undefined) decision.headerLine ??= args.A[0];
  if (reading.limits !== undefined) decision.limits ??= reading.limits;
  // A22: for a rejection the delay comes from the answering result (answerWith replaces it).
  if (reading.delay !== undefined) decision.delay ??= reading.delay;
}

/** A26, A33 item 4: the text of the first accepting result, in A22 order, whose text is not empty. */
function acceptingInfo(evaluated: readonly EvaluatedTable[]): string | undefined {
  return evaluated.find(({ result }) => (result.outcome === 'permit' || result.outcome === 'neutral') && result.text !== '')?.result.text;
}

/** A18, A19, A20, A29: reply, `$X` and `$D` of a rejecting decision come from the first rejection. */
function answerWith(decision: Decision, answering: EvaluatedTable, options: ResolvedAccessOptions): void {
  const { result, reading } = answering;
  delete decision.delay;
  if (reading.delay !== undefined) decision.delay = reading.delay;
  if (reading.enhancedFromX !== undefined) decision.enhancedFromX = reading.enhancedFromX;
  if (result.outcome === 'error') {
    decision.reply = evaluationErrorReply();
  } else if (result.table === 'PORT_ACCESS') {
    const { raw, reply } = portAccessReply(reading.text, options);
    decision.reply = reply;
    decision.raw = raw;
  } else {
    decision.reply = addressReply(reading.text, answering.replyAddress, reading.enhancedFromX, options);
  }
  decision.temporary = decision.reply.code < 500;
  if (decision.stage === 'connect') {
    decision.closeConnection = true;
    // A29 has no MTA equivalent; the connection still ends with the reply written out.
    decision.raw ??= formatReply(decision.reply).map((line) => `${line}\r\n`).join('');
  }
}

/** A21: PORT_ACCESS `$T` with a rejection and the `||` comment become the connection-log fields. */
function collectConnectionLog(decision: Decision, evaluated: readonly EvaluatedTable[]): void {
  const port = evaluated.find(({ result }) => result.table === 'PORT_ACCESS');
  if (port === undefined) return;
  const recordT = decision.action === 'reject' && (port.result.mapping?.flags.includes('T') ?? false);
  const comment = port.reading.logComment;
  if (!recordT && comment === undefined) return;
  decision.connectionLog = comment === undefined ? { recordT } : { recordT, comment };
}
