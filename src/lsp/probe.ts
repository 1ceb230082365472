import type { CodeLens, Location } from 'vscode-languageserver';
import type { Decision } from '../access/decision.js';
import { AccessPolicy, type StageInput } from '../access/policy.js';
import { TupleError, type AccessOptions } from '../access/schemas.js';
import { isAccessTable, RECIPIENT_TABLES } from '../access/tables.js';
import type { MappingResult, TraceStep } from '../engine/types.js';
import { describeDecision, describeTableResult, PROBE, relayTuple } from '../lint/probing.js';
import { locationOf, rangeOf } from './locate.js';
import type { CheckedDocument } from './workspace.js';

/** The command the server runs and the code lenses name. */
export const TRY_PROBE_COMMAND = 'imsmap.tryProbe';

/** What `imsmap.tryProbe` takes: a table and a probe to map, or a stage tuple to decide. */
export interface ProbeRequest {
  uri: string;
  table?: string;
  probe?: string;
  /** Input flags for `$:x`/`$;x` (T6). */
  flags?: string;
  tuple?: StageInput;
  options?: AccessOptions;
}

/** One step of a trace (M1) and the entry it went through. */
export interface ProbeStep {
  table: string;
  index: number;
  depth: number;
  before: string;
  after: string;
  outcome: TraceStep['outcome'];
  reason?: string;
  location?: Location;
}

/** The answer of `imsmap.tryProbe`: a one-line summary, the result or decision, and every step with its entry. */
export interface ProbeAnswer {
  summary: string;
  result?: MappingResult;
  decision?: Decision;
  steps: ProbeStep[];
  error?: string;
}

function stepsOf(checked: CheckedDocument, trace: readonly TraceStep[]): ProbeStep[] {
  return trace.map((step) => {
    const entry = checked.context.entry(step.entry);
    const found: ProbeStep = { table: step.entry.table, index: step.entry.index, depth: step.depth, before: step.before, after: step.after, outcome: step.outcome };
    if (step.reason !== undefined) found.reason = step.reason;
    if (entry) found.location = { uri: locationOf(entry.patternSpan).uri, range: rangeOf({ ...entry.patternSpan, endLine: entry.templateSpan.endLine, endColumn: entry.templateSpan.endColumn }) };
    return found;
  });
}

function mappingSummary(result: MappingResult): string {
  if (result.error) return `${result.table}: ${result.error.code}: ${result.error.message}`;
  if (!result.matched) return `${result.table}: no entry matches ${JSON.stringify(result.input)}`;
  return `${result.table}: ${JSON.stringify(result.input)} → ${JSON.stringify(result.output)}, flags [${result.flags.join(' ')}]`;
}

/** Maps a probe through a table or decides a tuple over the document's tables (without providers, as lint does). */
export function tryProbe(checked: CheckedDocument, request: ProbeRequest): ProbeAnswer {
  if (request.tuple !== undefined) {
    const policy = AccessPolicy.create(checked.context.mappings, { channels: checked.context.config.channels, ...request.options, explain: true });
    const decision = policy instanceof TupleError ? policy : policy.decide(request.tuple);
    if (decision instanceof TupleError) return { summary: `invalid: ${decision.message}`, steps: [], error: decision.message };
    const lines = [describeDecision(decision), ...decision.results.map(describeTableResult)];
    return { summary: lines.join('\n'), decision, steps: decision.results.flatMap((result) => stepsOf(checked, result.mapping?.trace ?? [])) };
  }
  if (request.table === undefined || request.probe === undefined) {
    return { summary: 'name a table and a probe, or give a tuple', steps: [], error: 'name a table and a probe, or give a tuple' };
  }
  const options = request.flags === undefined ? { explain: true } : { explain: true, flags: request.flags };
  const result = checked.context.mappings.mapSync(request.table, request.probe, options);
  return { summary: mappingSummary(result), result, steps: stepsOf(checked, result.trace) };
}

/** The tuple a table's code lens decides first: an external client without AUTH, relaying (A24). */
export function sampleTuple(checked: CheckedDocument, table: string): StageInput {
  const { to: _to, dstChannel: _dstChannel, ...mail } = relayTuple(checked.context.config.channels);
  if ((RECIPIENT_TABLES as readonly string[]).includes(table)) return { stage: 'rcpt', ...relayTuple(checked.context.config.channels) };
  if (table === 'FROM_ACCESS') return { stage: 'mail', ...mail };
  return { stage: 'connect', serverIp: PROBE.serverIp, serverPort: 25, clientIp: PROBE.externalClient, clientPort: PROBE.clientPort };
}

/** A "Try a probe" lens above each access table header of the document's own file. */
export function codeLenses(checked: CheckedDocument, uri: string): CodeLens[] {
  return checked.parsed.tables
    .filter((table) => table.span.file === checked.file && isAccessTable(table.name))
    .map((table) => ({
      range: rangeOf(table.span),
      command: { title: 'Try a probe', command: TRY_PROBE_COMMAND, arguments: [{ uri, table: table.name, tuple: sampleTuple(checked, table.name) } satisfies ProbeRequest] },
    }));
}
