import { formatDecision } from '../access/format.js';
import { AccessPolicy } from '../access/policy.js';
import { TupleError, type AccessOptions } from '../access/schemas.js';
import { compile } from '../engine/compile.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { escapeControls } from '../syntax/escape.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { BufferedWriter, commandInputs } from './lines.js';
import { loadCommandFile, loadCommandProviders } from './load.js';

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
    const providers = await loadCommandProviders('decide', file, values.config as string | undefined, io);
    if (providers === null) return EXIT_USAGE;
    try {
      const policy = AccessPolicy.create(compile(parsed, providers.compile), parseOptions(values.options as string | undefined, debug));
      if (policy instanceof TupleError) {
        io.stderr.write(`imsmap decide: --options: ${escapeControls(policy.message)}\n`);
        return EXIT_USAGE;
      }

      // One output line per input line, in order, so that a caller can pair them; errors name the input line.
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
