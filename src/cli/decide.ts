import { AccessPolicy } from '../access/policy.js';
import { renderIpAddress } from '../access/probes.js';
import { formatReply } from '../access/reading.js';
import { TupleError, type AccessOptions } from '../access/schemas.js';
import type { Decision, TableResult } from '../access/decision.js';
import { compile } from '../engine/index.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { escapeControls } from '../syntax/escape.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { BufferedWriter, commandInputs } from './lines.js';
import { loadCommandFile, loadCommandProviders } from './load.js';
import { formatTrace } from './test.js';

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

/** The `--options` JSON of the access options (A27); `debug` asks for explained traces. */
export function parseOptions(text: string | undefined, debug: boolean): AccessOptions {
  let options: unknown = {};
  if (text !== undefined) {
    try {
      options = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--options is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new UsageError('--options must be a JSON object');
    }
  }
  return debug ? { ...(options as object), explain: true } : (options as AccessOptions);
}

/** Reads one batch line as JSON; a line that is not JSON becomes a TupleError like any other bad tuple. */
function parseTupleLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    return new TupleError([{ field: '', path: [], message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

/** A blank batch line is answered with an error rather than skipped, so output lines match input lines. */
function emptyLineError(): TupleError {
  return new TupleError([{ field: '', path: [], message: 'empty line: expected a tuple as JSON' }]);
}

/** `imsmap decide`: the A28 decision for each connection, MAIL FROM or RCPT TO tuple. */
export const decideCommand: CommandRunner = {
  async run(values, positionals, io) {
    const [file, ...tuples] = positionals;
    if (file === undefined) throw new UsageError('missing the mappings file');
    const json = values.json === true;
    const debug = values.debug === true;
    // Without its file nothing can be decided; a file with other errors is still evaluated, as `test` does (X4).
    const parsed = loadCommandFile(file, io);
    if (parsed === null) return EXIT_USAGE;
    const providers = loadCommandProviders('decide', file, values.config as string | undefined, io);
    if (providers === null) return EXIT_USAGE;
    try {
      const policy = AccessPolicy.create(compile(parsed, providers.compile), parseOptions(values.options as string | undefined, debug));
      if (policy instanceof TupleError) {
        io.stderr.write(`imsmap decide: --options: ${escapeControls(policy.message)}\n`);
        return EXIT_USAGE;
      }

      // Item 10 of issue 11: one output line per input line, in order; errors name the input line.
      const writer = new BufferedWriter(io.stdout);
      let failed = false;
      let invalid = false;
      let lineNumber = 0;
      for await (const line of commandInputs(tuples, io, writer, 'Tuple: ')) {
        lineNumber += 1;
        const tuple = line.trim() === '' ? emptyLineError() : parseTupleLine(line);
        const decision = tuple instanceof TupleError ? tuple : await policy.decideAsync(tuple);
        if (decision instanceof TupleError) {
          invalid = true;
          await writer.line(
            json ? JSON.stringify({ line: lineNumber, error: decision }) : escapeControls(`line ${lineNumber}: error: ${decision.message}`),
          );
          continue;
        }
        // A29: an evaluation error is reported through the exit status as well as in the decision.
        failed ||= decision.results.some((result) => result.outcome === 'error');
        if (json) await writer.line(JSON.stringify(decision));
        else await writer.textLines(formatDecision(tuple as Record<string, unknown>, decision, debug));
      }
      await writer.flush();
      if (invalid || hasErrors(parsed.diagnostics)) return EXIT_USAGE;
      return failed ? EXIT_FINDINGS : EXIT_OK;
    } finally {
      providers.close();
    }
  },
};
