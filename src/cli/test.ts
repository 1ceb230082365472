import { formatResult } from '../engine/format.js';
import { compile } from '../engine/compile.js';
import type { MappingResult, TraceStep } from '../engine/types.js';
import { asciiUpper } from '../syntax/case.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { BufferedWriter, commandInputs, isInteractive } from './lines.js';
import { loadCommandFile, loadCommandProviders } from './load.js';

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
    const providers = await loadCommandProviders('test', file, values.config as string | undefined, io);
    if (providers === null) return EXIT_USAGE;
    try {
      const set = compile(parsed, providers.compile);
      if (!set.has(table)) {
        io.stderr.write(`imsmap test: table ${asciiUpper(table)} is not defined in ${file}\n`);
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
