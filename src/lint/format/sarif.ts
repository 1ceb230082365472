import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../../syntax/diagnostics.js';
import type { RuleMeta } from '../rule.js';
import type { LintReport } from './report.js';

/** The OASIS schema of SARIF 2.1.0 (errata 01), which GitHub code scanning accepts. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The folder relative artifact URIs are relative to, named as SARIF suggests. */
const SOURCE_ROOT = '%SRCROOT%';

/**
 * The package's version for the driver. Read when a SARIF log is made, not at import, so that bundles
 * that carry this module without a package.json beside them (the VS Code extension's server) still load;
 * src/lint/format and dist/lint/format both sit three folders below the package root.
 */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** `unreachable-entry` → `UnreachableEntry`: SARIF's readable rule name. */
function ruleName(code: string): string {
  return code.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}

function ruleDescriptor(rule: RuleMeta) {
  return {
    id: rule.code,
    name: ruleName(rule.code),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} (imsmap spec ${rule.spec})` },
    help: { text: rule.help, markdown: rule.help },
    defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
    properties: { tags: ['mappings', rule.stage], spec: rule.spec },
  };
}

/** A file as SARIF names it: relative to the working folder when inside it, else a file: URI. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function result(diagnostic: Diagnostic, ruleIndex: Map<string, number>, cwd: string) {
  const index = ruleIndex.get(diagnostic.code);
  return {
    ruleId: diagnostic.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVELS[diagnostic.severity],
    message: { text: diagnostic.hint ? `${diagnostic.message}\nhint: ${diagnostic.hint}` : diagnostic.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(diagnostic.file, cwd),
          region: {
            startLine: diagnostic.line,
            startColumn: diagnostic.column,
            endLine: diagnostic.endLine,
            endColumn: diagnostic.endColumn,
          },
        },
      },
    ],
  };
}

/**
 * SARIF 2.1.0: one run of the imsmap driver with the metadata of every rule (description, help,
 * default level) and one result per diagnostic. Columns are UTF-16 code units, SARIF's default.
 */
export function formatSarif(report: LintReport): string {
  const version = packageVersion();
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.code, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'imsmap',
            version,
            semanticVersion: version,
            rules: report.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(report.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: report.files.flatMap(({ diagnostics }) => diagnostics.map((diagnostic) => result(diagnostic, ruleIndex, report.cwd))),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
