import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AccessPolicy } from '../access/policy.js';
import { TupleError } from '../access/schemas.js';
import { COVERAGE_FORMATS, coverageReport, type CoverageFormat } from '../cases/hit-coverage.js';
import { formatDifferences, runCaseAsync } from '../cases/run.js';
import { CaseFileError, loadCaseFile, type CaseFile } from '../cases/schema.js';
import { HitCounter } from '../engine/hit-counter.js';
import { compile } from '../engine/compile.js';
import { hasErrors } from '../syntax/diagnostics.js';
import { escapeControls } from '../syntax/escape.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner, type CommandIO } from './command.js';
import { BufferedWriter } from './lines.js';
import { loadCommandFile, loadCommandProviders } from './load.js';

function coverageFormat(value: unknown): CoverageFormat {
  const format = (value as string | undefined) ?? 'text';
  if (!(COVERAGE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--coverage takes one of ${COVERAGE_FORMATS.join(', ')}, not '${format}'`);
  }
  return format as CoverageFormat;
}

/** Reads every case file first, so that a broken one stops the run before any case is reported. */
function loadCaseFiles(files: readonly string[], io: CommandIO): Array<{ file: string; cases: CaseFile }> | CaseFileError[] {
  const loaded = files.map((file) => ({ file, cases: loadCaseFile(path.resolve(io.cwd, file)) }));
  const errors = loaded.map(({ cases }) => cases).filter((cases): cases is CaseFileError => cases instanceof CaseFileError);
  return errors.length > 0 ? errors : (loaded as Array<{ file: string; cases: CaseFile }>);
}

/** `imsmap check`: runs rule tests (JSON case files) against a mappings file, optionally with entry coverage. */
export const checkCommand: CommandRunner = {
  async run(values, positionals, io) {
    const [file, ...caseFiles] = positionals;
    if (file === undefined) throw new UsageError('missing the mappings file');
    if (caseFiles.length === 0) throw new UsageError('missing the case file(s)');
    const format = coverageFormat(values.coverage);
    const coverageFile = values['coverage-file'] as string | undefined;
    const wantCoverage = values.coverage !== undefined || coverageFile !== undefined;
    // A machine-readable report printed on standard output is all that goes there, so that a tool can read it whole.
    const reportOnly = wantCoverage && coverageFile === undefined && format !== 'text';

    const parsed = loadCommandFile(file, io);
    // A file with errors would be tested without its broken entries: passing cases would mean little.
    if (parsed === null || hasErrors(parsed.diagnostics)) return EXIT_USAGE;
    const loaded = loadCaseFiles(caseFiles, io);
    if (loaded.some((entry) => entry instanceof CaseFileError)) {
      for (const error of loaded as CaseFileError[]) io.stderr.write(escapeControls(error.message) + '\n');
      return EXIT_USAGE;
    }

    const providers = await loadCommandProviders('check', file, values.config as string | undefined, io);
    if (providers === null) return EXIT_USAGE;
    try {
      // Every case maps through the counted tables, so coverage sees the entries each case reached.
      const counter = new HitCounter(compile(parsed, providers.compile));
      const writer = new BufferedWriter(reportOnly ? io.stderr : io.stdout);
      let passed = 0;
      let failed = 0;
      for (const { file: caseFile, cases } of loaded as Array<{ file: string; cases: CaseFile }>) {
        const policy = AccessPolicy.create(counter.mappings, cases.options ?? {});
        if (policy instanceof TupleError) {
          io.stderr.write(`${caseFile} options: ${policy.message}\n`);
          return EXIT_USAGE;
        }
        for (const [index, testCase] of cases.cases.entries()) {
          const result = await runCaseAsync(testCase, { mappings: counter.mappings, policy });
          const label = `${caseFile} #${index + 1} ${result.name}`;
          if (result.pass) {
            passed += 1;
            await writer.textLines([`PASS ${label}`]);
            continue;
          }
          failed += 1;
          await writer.textLines([`FAIL ${label}`, ...[...formatDifferences(result.differences), ...result.details].map((line) => `    ${line}`)]);
        }
      }

      if (wantCoverage) {
        const report = coverageReport(counter.entries(), format, io.cwd);
        if (reportOnly) {
          const reportWriter = new BufferedWriter(io.stdout);
          await reportWriter.write(report);
          await reportWriter.flush();
        } else if (coverageFile === undefined) {
          await writer.write(report);
        } else {
          try {
            writeFileSync(path.resolve(io.cwd, coverageFile), report);
          } catch (error) {
            await writer.flush();
            io.stderr.write(`imsmap check: cannot write ${coverageFile}: ${(error as Error).message}\n`);
            return EXIT_USAGE;
          }
        }
      }
      await writer.line(`${passed} passed, ${failed} failed`);
      await writer.flush();
      return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
    } finally {
      providers.close();
    }
  },
};
