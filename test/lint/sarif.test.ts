// `imsmap lint --format sarif` against the required structure of the SARIF 2.1.0 schema
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
// The schema closes its objects (additionalProperties: false), so every object here is strict: a
// misspelt property name fails as surely as a missing required one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ruleCatalogue } from '../../src/lint/catalogue.js';
import { SARIF_SCHEMA } from '../../src/lint/format/sarif.js';
import { folderWith, runImsmap } from '../cli/harness.js';
import { corpusDir, repoDir } from './helpers.js';

const level = z.enum(['none', 'note', 'warning', 'error']);
const text = z.strictObject({ text: z.string().min(1) });
const multiformat = z.strictObject({ text: z.string().min(1), markdown: z.string().optional() });
const positive = z.number().int().min(1);

const reportingDescriptor = z.strictObject({
  id: z.string().min(1),
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  shortDescription: multiformat,
  fullDescription: multiformat,
  help: multiformat,
  defaultConfiguration: z.strictObject({ level }),
  properties: z.strictObject({ tags: z.array(z.string()), spec: z.string() }),
});

const artifactLocation = z.union([
  z.strictObject({ uri: z.string().regex(/^[^:]+$/), uriBaseId: z.literal('%SRCROOT%') }),
  z.strictObject({ uri: z.string().startsWith('file:///') }),
]);

const result = z.strictObject({
  ruleId: z.string().min(1),
  ruleIndex: z.number().int().min(0),
  level,
  message: text,
  locations: z
    .array(
      z.strictObject({
        physicalLocation: z.strictObject({
          artifactLocation,
          region: z.strictObject({ startLine: positive, startColumn: positive, endLine: positive, endColumn: positive }),
        }),
      }),
    )
    .min(1),
});

const sarifLog = z.strictObject({
  $schema: z.literal(SARIF_SCHEMA),
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.strictObject({
        tool: z.strictObject({
          driver: z.strictObject({
            name: z.literal('imsmap'),
            version: z.string(),
            semanticVersion: z.string().regex(/^\d+\.\d+\.\d+/),
            rules: z.array(reportingDescriptor),
          }),
        }),
        originalUriBaseIds: z.strictObject({ '%SRCROOT%': z.strictObject({ uri: z.string().endsWith('/') }) }),
        columnKind: z.literal('utf16CodeUnits'),
        results: z.array(result),
      }),
    )
    .length(1),
});

describe('--format sarif', async () => {
  const run = await runImsmap(['lint', '--format', 'sarif', 'fixtures/invalid/f03-unindented.mappings', 'fixtures/lint/unreachable-entry/triggers.mappings']);
  const log = JSON.parse(run.stdout);
  const [sarifRun] = log.runs;

  it('has the structure the SARIF 2.1.0 schema requires', () => {
    expect(sarifLog.safeParse(log).error).toBeUndefined();
  });

  it('carries the metadata of every rule, with its help text and default level', () => {
    expect(sarifRun.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(ruleCatalogue.map((rule) => rule.code));
    const unreachable = sarifRun.tool.driver.rules.find((rule: { id: string }) => rule.id === 'unreachable-entry');
    expect(unreachable).toMatchObject({
      name: 'UnreachableEntry',
      help: { text: 'Move the entry above the one that pre-empts it, or delete it.' },
      defaultConfiguration: { level: 'warning' },
    });
  });

  it('gives each result its rule, level, message and region, the rule found by ruleIndex', () => {
    expect(sarifRun.results).toHaveLength(7);
    for (const entry of sarifRun.results) expect(sarifRun.tool.driver.rules[entry.ruleIndex].id).toBe(entry.ruleId);
    expect(sarifRun.results[0]).toMatchObject({
      ruleId: 'unindented-line',
      level: 'error',
      message: { text: expect.stringMatching(/^entries must be indented\nhint: /) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'fixtures/invalid/f03-unindented.mappings', uriBaseId: '%SRCROOT%' },
            region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 30 },
          },
        },
      ],
    });
    expect(sarifRun.results.at(-1)).toMatchObject({ ruleId: 'unreachable-entry', level: 'warning' });
  });

  it('roots relative URIs at the working folder and names files outside it by file: URI', async () => {
    expect(sarifRun.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(repoDir).href.replace(/\/?$/, '/'));
    const outsideFile = path.join(folderWith({ 'gross-3.mappings': readFileSync(path.join(corpusDir, 'gross-3.mappings'), 'utf8') }), 'gross-3.mappings');
    const outside = JSON.parse((await runImsmap(['lint', '--format', 'sarif', outsideFile])).stdout);
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: pathToFileURL(outsideFile).href,
    });
  });

  it('maps info to the SARIF level note, and exits as the text format does', async () => {
    const relay = await runImsmap(['lint', '--format', 'sarif', 'fixtures/lint/no-anti-relay/triggers.mappings']);
    expect(relay.status).toBe(0);
    expect(JSON.parse(relay.stdout).runs[0].results.map((entry: { level: string }) => entry.level)).toEqual(['note']);
    expect(run.status).toBe(1);
  });
});
