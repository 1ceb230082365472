import path from 'node:path';
import { TupleError } from '../access/schemas.js';
import { CaseFileError, loadCaseFile, type CaseFile } from '../cases/schema.js';
import { diffFormatters, diffMappings } from '../diff/index.js';
import { ConfigError } from '../lint/config.js';
import { configResolver } from '../lint/node.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type Command } from './command.js';
import { loadCommandFile } from './load.js';

/** `imsmap diff OLD NEW`: what an edit does; exit 1 when anything got weaker, unless `--allow-weaker`. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show what an edit of a mappings file does: entries changed, probes answered differently, and whether anything got weaker',
  usage: `imsmap diff OLD NEW [--cases FILE]… [--format ${Object.keys(diffFormatters).join('|')}] [--json] [--allow-weaker] [--config PATH]`,
  options: {
    cases: { type: 'string', multiple: true, description: 'a case file (as imsmap check reads) whose cases both versions answer; repeatable' },
    format: { type: 'string', short: 'f', default: 'text', description: 'text, json (one object per line), markdown (a pull-request comment) or github (annotations)' },
    json: { type: 'boolean', description: 'the same as --format json' },
    'allow-weaker': { type: 'boolean', description: 'exit 0 even when something got weaker' },
    config: { type: 'string', short: 'c', description: 'imsmap.config.json with the channel model (default: found from the new file)' },
  },
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
