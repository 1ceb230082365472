import path from 'node:path';
import { TupleError } from '../access/schemas.js';
import { CaseFileError, loadCaseFile, type CaseFile } from '../cases/schema.js';
import { diffFormatters, diffMappings } from '../diff/index.js';
import { ConfigError } from '../lint/config-types.js';
import { configResolver } from '../lint/node.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner } from './command.js';
import { loadCommandFile } from './load.js';

/** `imsmap diff OLD NEW`: what an edit does; exit 1 when anything got weaker, unless `--allow-weaker`. */
export const diffCommand: CommandRunner = {
  async run(values, positionals, io) {
    if (positionals.length !== 2) throw new UsageError('name the old and the new mappings file');
    const format = values.json ? 'json' : String(values.format);
    const formatter = diffFormatters[format];
    if (!formatter) throw new UsageError(`unknown format '${format}' (choose ${Object.keys(diffFormatters).join(', ')})`);
    const [oldFile, newFile] = positionals as [string, string];
    const config = configResolver(io.cwd, values.config as string | undefined)(newFile);
    if (config instanceof ConfigError) {
      io.stderr.write(`imsmap diff: ${config.message}\n`);
      return EXIT_USAGE;
    }
    const cases: CaseFile[] = [];
    for (const file of (values.cases as string[] | undefined) ?? []) {
      const loaded = loadCaseFile(path.resolve(io.cwd, file));
      if (loaded instanceof CaseFileError) {
        io.stderr.write(loaded.message + '\n');
        return EXIT_USAGE;
      }
      cases.push(loaded);
    }
    const [oldParsed, newParsed] = [loadCommandFile(oldFile, io), loadCommandFile(newFile, io)];
    // A version with errors would be compared without its broken entries: its effect would be a guess.
    if (oldParsed === null || newParsed === null || hasErrors(oldParsed.diagnostics) || hasErrors(newParsed.diagnostics)) return EXIT_USAGE;
    const report = diffMappings(oldParsed, newParsed, { channels: config.channels, cases });
    if (report instanceof TupleError) {
      io.stderr.write(`imsmap diff: ${report.message}\n`);
      return EXIT_USAGE;
    }
    io.stdout.write(formatter(report, { old: oldFile, new: newFile }));
    return report.safety === 'weaker' && values['allow-weaker'] !== true ? EXIT_FINDINGS : EXIT_OK;
  },
};
