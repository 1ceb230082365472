import { compile } from '../engine/index.js';
import type { MappingResult, TraceStep } from '../engine/types.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { BufferedWriter, commandInputs, isInteractive } from './lines.js';
import { loadCommandFile, loadCommandProviders } from './load.js';

/** X2/X4: `[0, 'D' (68), 'N' (78)]` — a leading 0, then each flag with its character code. */
export function formatOutputFlags(flags: readonly string[]): string {
  return `[${['0', ...flags.map((flag) => `'${flag}' (${flag.codePointAt(0)})`)].join(', ')}]`;
}

function describeEntry(step: TraceStep): string {
  const pattern = step.pattern === undefined ? '' : `, pattern ${JSON.stringify(step.pattern)}`;
  const template = step.template === undefined ? '' : `, template ${JSON.stringify(step.template)}`;
  return `Entry #${step.entry.index} matched${pattern}${template}.`;
}

function outcomeLines(step: TraceStep, indent: string): string[] {
  switch (step.outcome) {
    case 'failed-continue':
    case 'failed-end': {
      const how = step.outcome === 'failed-continue' ? 'continuing' : 'ending';
      return [`${indent}Entry #${step.entry.index} failed (${step.reason ?? 'failure'}); ${how}`];
    }
    case 'applied':
      return [step.control === 'E' ? `${indent}Exiting...` : `${indent}New target ${JSON.stringify(step.after)}`];
    case 'loop-limit':
      return [`${indent}New target ${JSON.stringify(step.after)}`, `${indent}Loop limit reached; exiting...`];
  }
}

/**
 * The `--debug` trace in the X2 shape (X4), without timestamps. Steps of nested calls are indented by
 * their depth under a `Mapping … applied to …` line of their own; a step's outcome is shown after the
 * nested calls its expansion made, in the order things happened.
 */
export function formatTrace(result: MappingResult): string[] {
  const lines = [`Mapping ${result.table} applied to ${result.input}`];
  // Outcome lines waiting for the nested steps below them, by depth.
  const pending: string[][] = [];
  const flushDownTo = (depth: number): void => {
    while (pending.length > depth) lines.push(...pending.pop()!);
  };
  let previousDepth = 0;
  for (const step of result.trace) {
    flushDownTo(step.depth);
    const indent = '  '.repeat(step.depth + 1);
    // A record deeper than the one before starts a nested call (sibling calls share the header).
    if (step.depth > previousDepth) {
      lines.push(`${'  '.repeat(step.depth)}Mapping ${step.entry.table} applied to ${step.before}`);
    }
    previousDepth = step.depth;
    lines.push(indent + describeEntry(step));
    while (pending.length < step.depth) pending.push([]);
    pending.push(outcomeLines(step, indent));
  }
  flushDownTo(0);
  if (!result.error) lines.push(`  Final result ${JSON.stringify(result.output)}`);
  return lines;
}

/** The X4 lines of one result; `echoInput` is false when the prompt already showed the input. */
export function formatResult(result: MappingResult, echoInput: boolean, debug: boolean): string[] {
  const lines = echoInput ? [`Input string: ${result.input}`] : [];
  if (debug) lines.push(...formatTrace(result));
  if (result.error) {
    lines.push(`Error: ${result.error.code}: ${result.error.message}`);
    return lines;
  }
  lines.push(`Output string: ${result.output}`, `Output flags: ${formatOutputFlags(result.flags)}`);
  if (!result.matched) lines.push('No entry matched.');
  return lines;
}

/** The `--json` object of one result (X4): trace only with `--debug`, entry when one produced the output. */
export function resultJson(result: MappingResult, debug: boolean): string {
  const object: Record<string, unknown> = {
    table: result.table,
    input: result.input,
    inputFlags: result.inputFlags,
    matched: result.matched,
    output: result.output,
    flags: result.flags,
  };
  if (result.entry) object.entry = result.entry;
  if (debug) object.trace = result.trace;
  if (result.error) object.error = result.error;
  return JSON.stringify(object);
}

/** `imsmap test`: maps inputs through a table the way `imsimta test -mapping` does (X1, X4). */
export const testCommand: CommandRunner = {
  async run(values, positionals, io) {
    const [file, ...inputs] = positionals;
    if (file === undefined) throw new UsageError('missing the mappings file');
    const table = values.table as string | undefined;
    if (table === undefined || table === '') throw new UsageError('missing --table <NAME>');
    const debug = values.debug === true;
    const json = values.json === true;
    const flags = (values.flags as string | undefined) ?? '';

    const parsed = loadCommandFile(file, io);
    if (parsed === null) return EXIT_USAGE;
    const providers = loadCommandProviders('test', file, values.config as string | undefined, io);
    if (providers === null) return EXIT_USAGE;
    try {
      const set = compile(parsed, providers.compile);
      if (!set.has(table)) {
        io.stderr.write(`imsmap test: table ${table.toUpperCase()} is not defined in ${file}\n`);
        return EXIT_USAGE;
      }
      const writer = new BufferedWriter(io.stdout);
      const echoInput = !isInteractive(inputs, io);
      let evaluationFailed = false;
      for await (const input of commandInputs(inputs, io, writer, 'Input string: ')) {
        // map, not mapSync: a directory lookup answers through a promise (M10).
        const result = await set.map(table, input, { flags, explain: debug });
        evaluationFailed ||= result.error !== undefined;
        if (json) await writer.line(resultJson(result, debug));
        else await writer.textLines(formatResult(result, echoInput, debug));
      }
      await writer.flush();
      if (hasErrors(parsed.diagnostics)) return EXIT_USAGE;
      return evaluationFailed ? EXIT_FINDINGS : EXIT_OK;
    } finally {
      providers.close();
    }
  },
};
