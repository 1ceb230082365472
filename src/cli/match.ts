import { compilePattern, MatchBudgetExceededError } from '../compile/index.js';
import type { CharClass, PatternItem } from '../syntax/ast.js';
import { foldCode } from '../syntax/case.js';
import { escapeControls } from '../syntax/escape.js';
import { parsePattern } from '../syntax/pattern/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { BufferedWriter, commandInputs, isInteractive } from './lines.js';

function describeCodePoint(code: number): string {
  return String.fromCodePoint(foldCode(code));
}

function describeClass(charClass: CharClass): string {
  switch (charClass.kind) {
    case 'any':
      return 'any';
    case 'glob':
      return `glob ${charClass.letter}`;
    case 'set': {
      // X3 shows sets sorted and lower-cased.
      const members = [...charClass.ranges]
        .sort((a, b) => a[0] - b[0])
        .map(([low, high]) => (low === high ? describeCodePoint(low) : `${describeCodePoint(low)}-${describeCodePoint(high)}`));
      return `set [${members.join('')}]`;
    }
  }
}

function describeItem(item: PatternItem): string {
  switch (item.kind) {
    case 'literal':
      return `literal ${JSON.stringify(item.text)}`;
    case 'wildcard':
      return `${item.lazy ? 'lazy ' : ''}${describeClass(item.charClass)}${item.width === 'many' ? '*' : '%'}`;
    case 'backmatch':
      return `back-match $${item.ref}`;
    case 'ip':
      return `ip ${item.form} ${item.address}/${item.prefixLength}`;
  }
}

/**
 * The `--debug` dump of a compiled pattern (X3 shape, imsmap's own wording): one item per line,
 * `[  1S]` = item 1, saved, followed by the substitution it fills.
 */
export function formatPatternItems(items: readonly PatternItem[]): string[] {
  return items.map((item, position) => {
    const capture = item.kind === 'wildcard' || item.kind === 'ip' ? item.capture : null;
    const number = String(position + 1).padStart(3);
    const saved = capture === null ? `[${number} ]` : `[${number}S]`;
    return `${saved} ${describeItem(item)}${capture === null ? '' : ` → $${capture}`}`;
  });
}

/** X3/X4: ` 0 - xx11a`, the saved item's number right-aligned in two columns. */
export function formatCaptures(captures: readonly string[]): string[] {
  return captures.map((capture, index) => `${String(index).padStart(2)} - ${capture}`);
}

/** `imsmap match`: tries a pattern on targets the way `imsimta test -match` does (X3, X4). */
export const matchCommand: CommandRunner = {
  async run(values, positionals, io) {
    const [pattern, ...targets] = positionals;
    if (pattern === undefined) throw new UsageError('missing the pattern');
    const json = values.json === true;
    const parsed = parsePattern(pattern);
    for (const problem of parsed.problems) {
      io.stderr.write(escapeControls(`pattern:1:${problem.offset + 1}: ${problem.severity}: ${problem.message} [${problem.code}]`) + '\n');
    }
    if (parsed.problems.some((problem) => problem.severity === 'error')) return EXIT_USAGE;
    const matcher = compilePattern(parsed.items);

    const writer = new BufferedWriter(io.stdout);
    if (values.debug === true && !json) await writer.textLines(formatPatternItems(parsed.items));
    const echoTarget = !isInteractive(targets, io);
    let evaluationFailed = false;
    for await (const target of commandInputs(targets, io, writer, 'Target: ')) {
      let captures: string[] | null;
      try {
        captures = matcher.match(target);
      } catch (error) {
        if (!(error instanceof MatchBudgetExceededError)) throw error;
        evaluationFailed = true;
        const failure = { code: error.code, message: error.message };
        if (json) await writer.line(JSON.stringify({ target, matched: false, captures: [], error: failure }));
        else await writer.textLines([...(echoTarget ? [`Target: ${target}`] : []), `Error: ${failure.code}: ${failure.message}`]);
        continue;
      }
      if (json) {
        await writer.line(JSON.stringify({ target, matched: captures !== null, captures: captures ?? [] }));
        continue;
      }
      const lines = echoTarget ? [`Target: ${target}`] : [];
      if (captures === null) lines.push('No match.');
      else lines.push('Match.', ...formatCaptures(captures));
      await writer.textLines(lines);
    }
    await writer.flush();
    return evaluationFailed ? EXIT_FINDINGS : EXIT_OK;
  },
};
