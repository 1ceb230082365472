import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { AccessPolicy, TupleError, type AccessOptions } from '../../src/access/index.js';
import { formatDecision } from '../../src/access/format.js';
import { formatResult } from '../../src/engine/format.js';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import type { CompileOptions } from '../../src/engine/options.js';
import { hasErrors } from '../../src/syntax/diagnostics.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import { runImsmap } from '../cli/harness.js';
import { examplesOf, markdownFiles, RUNNABLE_KINDS, shellWords, type Example, type MarkedBlock } from './markdown-examples.js';

// Every block marked `example=…` in docs/ runs here (the convention is in markdown-examples.ts), so
// the documentation cannot drift from what imsmap does.

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const MANIFEST = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { import?: string }>;
};

/** The source a package entry (`imsmap`, `imsmap/providers`, …) builds from, as a file URL. */
function packageEntrySource(subpath: string | undefined): string {
  const target = MANIFEST.exports[subpath === undefined ? '.' : `.${subpath}`]?.import;
  if (target === undefined) throw new Error(`package.json exports no imsmap${subpath ?? ''}`);
  return new URL(`../../${target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')}`, import.meta.url).href;
}

/** Where the examples' files are written: one fresh folder per example run, all removed at the end. */
const WORKSPACE = mkdtempSync(path.join(tmpdir(), 'imsmap-docs-'));
afterAll(() => rmSync(WORKSPACE, { recursive: true, force: true }));

function freshFolder(): string {
  return mkdtempSync(path.join(WORKSPACE, 'example-'));
}

/** The files of an example: the top-level `<name>.mappings` and the included ones named by `file=`. */
function exampleFiles(example: Example): Record<string, string> {
  const files: Record<string, string> = {};
  for (const block of example.blocks) {
    if (block.kind !== 'mappings') continue;
    const file = typeof block.attributes.file === 'string' ? block.attributes.file : `${example.name}.mappings`;
    files[file] = `${block.body}\n`;
  }
  return files;
}

/**
 * What an example's `js` block exports. The module is written to a file and imported as it stands,
 * except that `from 'imsmap'` and its subpaths are pointed at the sources the package entries build from.
 */
async function exampleOptions(example: Example): Promise<{ compileOptions?: CompileOptions }> {
  const block = example.blocks.find((candidate) => candidate.kind === 'js');
  if (!block) return {};
  const file = path.join(freshFolder(), `${example.name}.mjs`);
  writeFileSync(file, block.body.replace(/from 'imsmap(\/[\w-]+)?'/g, (_, subpath?: string) => `from '${packageEntrySource(subpath)}'`));
  return import(pathToFileURL(file).href);
}

async function compiledExample(example: Example): Promise<MappingSet> {
  const files = exampleFiles(example);
  const top = `${example.name}.mappings`;
  expect(files[top], `example ${example.name} has no top-level mappings block`).toBeDefined();
  const parsed = parseMappings(files[top]!, { file: top, readInclude: memoryReader(files) });
  const errors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  // Errors belong in `console` blocks running `imsmap lint`, where readers see them reported.
  expect(hasErrors(parsed.diagnostics), JSON.stringify(errors)).toBe(false);
  const { compileOptions } = await exampleOptions(example);
  return compile(parsed, compileOptions);
}

/**
 * The session a probe or decide block shows: the options of its first line, `$ imsmap <command>
 * NAME.mappings …`, read as the CLI reads them, and the lines typed after `prompt`.
 */
function session(example: Example, block: MarkedBlock, command: string, options: NonNullable<ParseArgsConfig['options']>, prompt: string) {
  const [first = '', ...rest] = block.body.split('\n');
  expect(first.startsWith('$ '), `a ${block.kind} block starts with the command line`).toBe(true);
  const { values, positionals } = parseArgs({ args: shellWords(first.slice(2)), options, allowPositionals: true, strict: true });
  expect(positionals).toEqual(['imsmap', command, `${example.name}.mappings`]);
  const typed = rest.filter((line) => line.startsWith(prompt)).map((line) => line.slice(prompt.length));
  expect(typed.length, `a ${block.kind} block needs ${prompt.trim()} lines`).toBeGreaterThan(0);
  return { first, values, typed };
}

async function probeTranscript(example: Example, block: MarkedBlock): Promise<string> {
  const testOptions = { table: { type: 'string' }, flags: { type: 'string' }, debug: { type: 'boolean' } } as const;
  const { first, values, typed } = session(example, block, 'test', testOptions, 'Input string: ');
  expect(values.table, 'imsmap test needs --table').toBeTypeOf('string');
  const mappings = await compiledExample(example);
  const debug = values.debug === true;
  const mapped = typed.map((input) => {
    const result = mappings.mapSync(values.table as string, input, { flags: (values.flags as string | undefined) ?? '', explain: debug });
    return formatResult(result, true, debug).join('\n');
  });
  return [first, ...mapped].join('\n');
}

async function decideTranscript(example: Example, block: MarkedBlock): Promise<string> {
  const decideOptions = { options: { type: 'string' }, debug: { type: 'boolean' } } as const;
  const { first, values, typed } = session(example, block, 'decide', decideOptions, 'Tuple: ');
  const accessOptions = values.options === undefined ? {} : (JSON.parse(values.options as string) as AccessOptions);
  const policy = AccessPolicy.create(await compiledExample(example), accessOptions);
  if (policy instanceof TupleError) throw policy;
  const transcript = [first];
  for (const line of typed) {
    const tuple = JSON.parse(line) as Record<string, unknown>;
    const decision = await policy.decideAsync(tuple);
    transcript.push(`Tuple: ${line}`);
    if (decision instanceof TupleError) transcript.push(`error: ${decision.message}`);
    else transcript.push(...formatDecision(tuple, decision, values.debug === true));
  }
  return transcript.join('\n');
}

/** One command of a console block: its lines as written (a trailing ` \` continues one) and the command they make. */
interface ConsoleCommand {
  written: string[];
  command: string;
}

function consoleCommands(body: string): ConsoleCommand[] {
  const commands: ConsoleCommand[] = [];
  let open: ConsoleCommand | null = null;
  for (const line of body.split('\n')) {
    if (open === null) {
      if (!line.startsWith('$ ')) continue;
      open = { written: [], command: '' };
      commands.push(open);
    }
    open.written.push(line);
    const text = open.written.length === 1 ? line.slice(2) : line.trim();
    const continues = text.endsWith(' \\');
    open.command += (open.written.length === 1 ? '' : ' ') + (continues ? text.slice(0, -2) : text);
    if (!continues) open = null;
  }
  return commands;
}

/** Runs a console block's commands in a folder with the example's files and fixtures/, as a terminal shows them. */
async function consoleTranscript(example: Example, block: MarkedBlock): Promise<string> {
  const folder = freshFolder();
  for (const [file, content] of Object.entries(exampleFiles(example))) writeFileSync(path.join(folder, file), content);
  symlinkSync(FIXTURES, path.join(folder, 'fixtures'));
  const expectedStatus = Number(block.attributes.status ?? 0);
  const transcript: string[] = [];
  for (const { written, command } of consoleCommands(block.body)) {
    const [program, ...argv] = shellWords(command);
    expect(program, 'console blocks run imsmap only').toBe('imsmap');
    // Standard output and standard error interleave as on a terminal.
    const { status, output: printed } = await runImsmap(argv, { cwd: folder });
    expect(status, `exit status of: ${command}`).toBe(expectedStatus);
    transcript.push(...written, ...(printed === '' ? [] : printed.replace(/\n$/, '').split('\n')));
  }
  return transcript.join('\n');
}

/** Trailing white space is invisible on the page and editors strip it, so it is not compared. */
function withoutTrailingBlanks(text: string): string {
  return text.replace(/[ \t]+$/gm, '');
}

const TRANSCRIPTS: Partial<Record<MarkedBlock['kind'], (example: Example, block: MarkedBlock) => Promise<string>>> = {
  probe: probeTranscript,
  decide: decideTranscript,
  console: consoleTranscript,
};

const files = markdownFiles(DOCS);
let runnable = 0;

for (const file of files) {
  const { examples, problems } = examplesOf(DOCS, file);
  describe(`docs/${file}`, () => {
    test('its example blocks are marked correctly', () => {
      expect(problems).toEqual([]);
    });
    for (const example of examples) {
      for (const block of example.blocks) {
        if (!RUNNABLE_KINDS.includes(block.kind)) continue;
        runnable++;
        test(`example ${example.name}, ${block.kind} block at line ${block.line}`, async () => {
          expect(withoutTrailingBlanks(await TRANSCRIPTS[block.kind]!(example, block))).toBe(withoutTrailingBlanks(block.body));
        });
      }
    }
  });
}

test('the docs hold runnable examples', () => {
  // A guard against a convention change that silently matches nothing.
  expect(runnable).toBeGreaterThanOrEqual(60);
});
