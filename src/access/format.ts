import { formatTrace } from '../engine/format.js';
import type { Decision, TableResult } from './decision.js';
import { renderIpAddress } from './probes.js';
import { formatReply } from './reading.js';

// The readable shape of decisions, shared by `imsmap decide` and case-file reports.

/** `192.0.2.1:25`, or `[2001:db8::1]:25` so that an IPv6 address and its port stay apart. */
function endpoint(address: unknown, port: unknown): string {
  const rendered = renderIpAddress(String(address));
  return `${rendered.includes(':') ? `[${rendered}]` : rendered}:${String(port)}`;
}

/** What the summary line says the decision is about: the connection, the sender or the recipient. */
function subjectOf(input: Record<string, unknown>): string {
  switch (input.stage) {
    case 'connect':
      return `${endpoint(input.clientIp, input.clientPort)} -> ${endpoint(input.serverIp, input.serverPort)}`;
    case 'mail':
      return `from <${String(input.from)}>`;
    default:
      return `to <${String(input.to)}>`;
  }
}

function describeResult(result: TableResult, debug: boolean): string[] {
  const mapping = result.mapping;
  let line = `  ${result.table} ${JSON.stringify(result.probe)} [${result.inputFlags}] -> ${result.outcome}`;
  if (mapping?.error) line += ` (${mapping.error.code}: ${mapping.error.message})`;
  else if (mapping?.matched) line += `, flags [${mapping.flags.join(' ')}]`;
  if (mapping?.entry) line += `, entry #${mapping.entry.index} at ${mapping.entry.file}:${mapping.entry.line}`;
  const lines = [line, ...result.warnings.map((warning) => `    warning: ${warning}`)];
  if (debug && mapping) lines.push(...formatTrace(mapping).map((traced) => `    ${traced}`));
  return lines;
}

/** The readable summary of one decision (`decide` without `--json`). */
export function formatDecision(input: Record<string, unknown>, decision: Decision, debug: boolean): string[] {
  const lines = [`${decision.stage} ${subjectOf(input)}: ${decision.action}${decision.temporary ? ' (temporary)' : ''}`];
  const detail = (label: string, value: string) => lines.push(`  ${label}: ${value}`);
  if (decision.reply) detail('reply', formatReply(decision.reply).join(' / '));
  if (decision.closeConnection) detail('connection', 'closed');
  if (decision.info) detail('info', JSON.stringify(decision.info));
  if (decision.internal !== undefined) detail('internal', decision.internal ? 'yes' : 'no');
  if (decision.srcChannel) detail('channels', `${decision.srcChannel} -> ${decision.dstChannel ?? '(none yet)'}`);
  if (decision.delay) detail('delay', `${(decision.delay.centiseconds / 100).toFixed(2)} s (${decision.delay.scope})`);
  if (decision.envelopeFrom !== undefined) detail('envelope From', `<${decision.envelopeFrom}>`);
  if (decision.sender !== undefined) detail('Sender', `<${decision.sender}>`);
  if (decision.debugLevel !== undefined) detail('debug level', String(decision.debugLevel));
  if (decision.groupCheck) detail('group check', `${decision.groupCheck.user} in ${decision.groupCheck.identifier}`);
  if (decision.enhancedFromX) detail('$X', decision.enhancedFromX);
  if (decision.tag !== undefined) detail('$T', JSON.stringify(decision.tag));
  if (decision.headerLine !== undefined) detail('$A', JSON.stringify(decision.headerLine));
  if (decision.limits !== undefined) detail('$S', decision.limits);
  const actions = Object.entries(decision.actions).filter(([, set]) => set);
  if (actions.length > 0) detail('actions', actions.map(([name]) => name).join(', '));
  for (const entry of decision.log) detail(`log (${entry.table}, on ${entry.when})`, JSON.stringify(entry.text));
  if (decision.connectionLog) {
    const comment = decision.connectionLog.comment === undefined ? '' : `, comment ${JSON.stringify(decision.connectionLog.comment)}`;
    detail('connection log', `record T ${decision.connectionLog.recordT ? 'yes' : 'no'}${comment}`);
  }
  for (const result of decision.results) lines.push(...describeResult(result, debug));
  return lines;
}
