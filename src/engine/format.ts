import type { MappingResult, TraceStep } from './types.js';

// The text shapes of mapping results (X2, X4), shared by `imsmap test` and case-file reports.

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
