/**
 * The API report and reference: runs API Extractor over the built declarations (dist/, so run
 * `npm run build` first) of every package entry, writes one report per entry to api/ — the public
 * face as reviewers see it change — and renders docs/api.md from the same run's doc model.
 * `--check` fails when a committed report or docs/api.md differs from what the build gives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { ApiDocumentedItem, ApiItemKind, ApiModel } from '@microsoft/api-extractor-model';
import { emitGeneratedFile, repositoryRoot } from './generated-files.mjs';

/** Each package entry: its import path, its report's name and the declarations the build emits for it. */
const ENTRIES = [
  { importPath: 'imsmap', report: 'imsmap', declarations: 'dist/index.d.ts' },
  { importPath: 'imsmap/browser', report: 'imsmap-browser', declarations: 'dist/browser.d.ts' },
  { importPath: 'imsmap/syntax', report: 'imsmap-syntax', declarations: 'dist/public/syntax.d.ts' },
  { importPath: 'imsmap/access', report: 'imsmap-access', declarations: 'dist/public/access.d.ts' },
  { importPath: 'imsmap/providers', report: 'imsmap-providers', declarations: 'dist/public/providers.d.ts' },
  { importPath: 'imsmap/postfix', report: 'imsmap-postfix', declarations: 'dist/adapters/postfix/index.d.ts' },
  { importPath: 'imsmap/smtp-server', report: 'imsmap-smtp-server', declarations: 'dist/adapters/smtp-server.d.ts' },
  { importPath: 'imsmap/haraka', report: 'imsmap-haraka', declarations: 'dist/adapters/haraka.d.cts' },
  { importPath: 'imsmap/vitest', report: 'imsmap-vitest', declarations: 'dist/adapters/vitest.d.ts' },
];

/**
 * Release tags (@public, @beta) are not used: what an entry exports is public. A type an entry uses
 * but does not export is marked in its report, where review sees it, rather than failing the run.
 */
const MESSAGES = {
  compilerMessageReporting: { default: { logLevel: 'warning' } },
  extractorMessageReporting: {
    default: { logLevel: 'warning' },
    'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
    'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
    // Doc comments are this project's convention (one line per public function), not API Extractor's per member.
    'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
  },
  tsdocMessageReporting: { default: { logLevel: 'none' } },
};

/** API Extractor's configuration for one entry: its report and doc model land in `scratch`. */
function configure(entry, scratch) {
  const declarations = path.join(repositoryRoot, entry.declarations);
  return ExtractorConfig.prepare({
    configObjectFullPath: path.join(repositoryRoot, 'api', 'api-extractor.json'),
    packageJsonFullPath: path.join(repositoryRoot, 'package.json'),
    configObject: {
      projectFolder: repositoryRoot,
      mainEntryPointFilePath: declarations,
      compiler: {
        overrideTsconfig: {
          compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'] },
          files: [declarations],
        },
      },
      apiReport: { enabled: true, reportFileName: `${entry.report}.api.md`, reportFolder: scratch, reportTempFolder: scratch },
      docModel: { enabled: true, apiJsonFilePath: path.join(scratch, `${entry.report}.api.json`) },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: MESSAGES,
    },
  });
}

/** Runs API Extractor on one entry, on the program compiled once for all entries. */
function extract(entry, config, compilerState, scratch) {
  const problems = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    compilerState,
    messageCallback: (message) => {
      if (message.logLevel === 'error' || message.logLevel === 'warning') problems.push(message.formatMessageWithLocation(repositoryRoot));
      message.handled = true;
    },
  });
  if (!result.succeeded || problems.length > 0) {
    throw new Error(`API Extractor failed on ${entry.declarations} (is dist/ built?):\n${problems.join('\n')}`);
  }
  return {
    report: readFileSync(path.join(scratch, `${entry.report}.api.md`), 'utf8'),
    model: path.join(scratch, `${entry.report}.api.json`),
  };
}

/** A TSDoc node (by its DocNodeKind) as Markdown text: prose, code spans and link texts; the comments use nothing else. */
function markdownOf(node) {
  switch (node.kind) {
    case 'PlainText':
      return node.text;
    case 'CodeSpan':
      return `\`${node.code}\``;
    case 'SoftBreak':
      return ' ';
    case 'EscapedText':
      return node.decodedText;
    case 'LinkTag':
      return node.linkText ?? node.codeDestination?.emitAsTsdoc() ?? node.urlDestination ?? '';
    default:
      return node.getChildNodes().map(markdownOf).join('');
  }
}

/** The summary of an item's doc comment, on one line. */
function summaryOf(item) {
  if (!(item instanceof ApiDocumentedItem) || item.tsdocComment === undefined) return '';
  return markdownOf(item.tsdocComment.summarySection).replace(/\s+/g, ' ').trim();
}

/** The declaration as the report shows it; for classes and interfaces the heading line only. */
function declarationOf(item) {
  const text = item.excerpt?.text.trim() ?? item.displayName;
  return text.replace(/^export\s+/, '').replace(/^declare\s+/, '');
}

const KIND_SECTIONS = [
  { kinds: [ApiItemKind.Function], title: 'Functions' },
  { kinds: [ApiItemKind.Class], title: 'Classes' },
  { kinds: [ApiItemKind.Variable, ApiItemKind.Enum], title: 'Values' },
  { kinds: [ApiItemKind.Interface, ApiItemKind.TypeAlias, ApiItemKind.Namespace], title: 'Types' },
];

const MEMBER_KINDS = new Set([
  ApiItemKind.Constructor,
  ApiItemKind.Method,
  ApiItemKind.Property,
  ApiItemKind.PropertySignature,
  ApiItemKind.MethodSignature,
  ApiItemKind.CallSignature,
  ApiItemKind.IndexSignature,
]);

/** One export: heading, summary, declaration, and for classes and interfaces their members. */
function renderItem(item) {
  const summary = summaryOf(item);
  const lines = [`#### \`${item.displayName}\``, '', summary === '' ? '*(No doc comment.)*' : summary, ''];
  const members = item.members.filter((member) => MEMBER_KINDS.has(member.kind));
  if (members.length === 0) {
    lines.push('```ts', declarationOf(item), '```', '');
    return lines;
  }
  const body = members.map((member) => `  ${declarationOf(member).replace(/\n/g, '\n  ')}`);
  lines.push('```ts', `${declarationOf(item)} {`, ...body, '}', '```', '');
  const notes = members
    .map((member) => ({ name: member.displayName, summary: summaryOf(member) }))
    .filter((member) => member.summary !== '');
  if (notes.length > 0) lines.push(...notes.map((member) => `- \`${member.name}\` — ${member.summary}`), '');
  return lines;
}

/** The entry's own doc comment (the first of its source file): what the entry is for. */
function entryDescription(entry) {
  const source = entry.declarations.replace(/^dist\//, 'src/').replace(/\.d\.cts$/, '.cts').replace(/\.d\.ts$/, '.ts');
  const first = /^\s*\/\*\*([\s\S]*?)\*\//.exec(readFileSync(path.join(repositoryRoot, source), 'utf8'));
  if (!first) return '';
  return first[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function anchorOf(importPath) {
  return importPath.replace(/[^a-z0-9-]/g, '');
}

/** The whole reference page: one section per entry, its exports grouped by kind and sorted by name. */
function renderReference(extracted) {
  const lines = [
    '<!-- Generated by scripts/gen-api-docs.mjs from the API Extractor model of the built package. Do not edit: run `npm run build && npm run docs`. -->',
    '',
    '# API reference',
    '',
    'Everything the package exports, entry by entry. The root, `imsmap`, has the task-level names: load',
    'and parse, compile, decide, lint, audit, case files and diff. The subpaths hold the specialised',
    'pieces. Each entry\'s public face is also kept as an API Extractor report in `api/`, which CI checks.',
    'For a guided start see [getting-started.md](getting-started.md); rule numbers (F…, P…, T…, M…, A…)',
    'refer to [format.md](format.md) and [access.md](access.md).',
    '',
    ...extracted.map(({ entry }) => `- [\`${entry.importPath}\`](#${anchorOf(entry.importPath)})`),
    '',
  ];
  // Where each declaration was documented first: an entry that re-exports it (imsmap/browser is most of the root) links there.
  const documentedIn = new Map();
  for (const { entry, model } of extracted) {
    const apiPackage = new ApiModel().loadPackage(model);
    const all = apiPackage.entryPoints.flatMap((point) => point.members);
    const declarationKey = (item) => `${item.kind} ${item.displayName} ${item.fileUrlPath ?? ''}`;
    const repeated = all.filter((item) => documentedIn.has(declarationKey(item)));
    const items = all.filter((item) => !documentedIn.has(declarationKey(item)));
    for (const item of items) documentedIn.set(declarationKey(item), entry.importPath);
    lines.push(`## \`${entry.importPath}\``, '');
    const description = entryDescription(entry);
    if (description !== '') lines.push(description, '');
    const elsewhere = new Map();
    for (const item of repeated) {
      const importPath = documentedIn.get(declarationKey(item));
      elsewhere.set(importPath, [...(elsewhere.get(importPath) ?? []), item]);
    }
    for (const [importPath, same] of elsewhere) {
      const names = same.map((item) => `\`${item.displayName}\``).sort();
      lines.push(`Also exported here, as documented under [\`${importPath}\`](#${anchorOf(importPath)}): ${names.join(', ')}.`, '');
    }
    for (const { kinds, title } of KIND_SECTIONS) {
      const members = items.filter((item) => kinds.includes(item.kind)).sort((a, b) => a.displayName.localeCompare(b.displayName));
      if (members.length === 0) continue;
      lines.push(`### ${entry.importPath}: ${title.toLowerCase()}`, '');
      for (const item of members) lines.push(...renderItem(item));
    }
  }
  return lines.join('\n');
}

const scratch = mkdtempSync(path.join(tmpdir(), 'imsmap-api-'));
try {
  const configs = ENTRIES.map((entry) => configure(entry, scratch));
  // One TypeScript program for every entry: compiling the declarations once per entry took most of the time.
  const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: configs.map((config) => config.mainEntryPointFilePath) });
  const extracted = ENTRIES.map((entry, position) => ({ entry, ...extract(entry, configs[position], compilerState, scratch) }));
  for (const { entry, report } of extracted) emitGeneratedFile(`api/${entry.report}.api.md`, report);
  emitGeneratedFile('docs/api.md', renderReference(extracted));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
