import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The convention for runnable examples in docs/ (explained to readers in docs/format.md, "How to
 * read the examples"). A fenced code block whose info string carries `example=NAME` belongs to
 * example NAME of its Markdown file; its first word says what the block is:
 *
 * - `mappings` — file text of the example: the top-level file `NAME.mappings`, or with `file=F` a
 *   file it includes.
 * - `js` — a module exporting `compileOptions` (routines, providers, random source), the options
 *   the example's mappings are compiled with; `from 'imsmap'` imports work.
 * - `probe` — a session of `$ imsmap test NAME.mappings --table T [--flags F] [--debug]` (the first
 *   line): each `Input string:` line is mapped and what follows must be what imsmap prints.
 * - `decide` — a session of `$ imsmap decide NAME.mappings [--options 'JSON'] [--debug]`: each
 *   `Tuple: {json}` line is decided and what follows must be what imsmap prints.
 * - `console` — `$ imsmap …` commands (a trailing ` \` continues one) followed by their output;
 *   they run through the CLI in a folder holding the example's files and the repository's
 *   fixtures/. `status=N` is the exit status every command of the block must have (default 0).
 *
 * Probe and decide blocks run through the API (parseMappings, compile, mapSync, AccessPolicy) with
 * the js block's options and are printed as the CLI prints; console blocks run the CLI itself.
 * Transcripts are compared line by line without trailing blanks, which a page does not show.
 */
/** What a fenced block can be. */
export type BlockKind = 'mappings' | 'js' | 'probe' | 'decide' | 'console';

/** The attributes each kind accepts besides `example`. */
const ATTRIBUTES: Record<BlockKind, string[]> = {
  mappings: ['file'],
  js: [],
  probe: [],
  decide: [],
  console: ['status'],
};

/** Blocks that are checked against what imsmap does; the others only provide the example's input. */
export const RUNNABLE_KINDS: readonly BlockKind[] = ['probe', 'decide', 'console'];

/** One marked block of a Markdown file. */
export interface MarkedBlock {
  kind: BlockKind;
  example: string;
  attributes: Record<string, string | true>;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** One example: its blocks in the order the page shows them. */
export interface Example {
  name: string;
  blocks: MarkedBlock[];
}

/** The examples of one Markdown file, and the mistakes in its marking (an empty list when none). */
export interface ExtractedExamples {
  examples: Example[];
  problems: string[];
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;

/** Splits an info string into its first word and `key=value` / bare `key` attributes. */
function parseInfo(info: string): { word: string; attributes: Record<string, string | true> } {
  const [word = '', ...rest] = info.trim().split(/\s+/);
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const equals = part.indexOf('=');
    if (equals < 0) attributes[part] = true;
    else attributes[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return { word, attributes };
}

function checkBlock(word: string, attributes: Record<string, string | true>, where: string, problems: string[]): MarkedBlock['kind'] | null {
  if (!(word in ATTRIBUTES)) {
    problems.push(`${where}: \`${word}\` is not an example block kind (${Object.keys(ATTRIBUTES).join(', ')})`);
    return null;
  }
  const kind = word as BlockKind;
  const allowed = ATTRIBUTES[kind];
  let valid = true;
  if (typeof attributes.example !== 'string' || attributes.example === '') {
    problems.push(`${where}: example= needs a name`);
    valid = false;
  }
  for (const key of Object.keys(attributes)) {
    if (key !== 'example' && !allowed.includes(key)) {
      problems.push(`${where}: \`${key}\` is not an attribute of ${kind} blocks`);
      valid = false;
    }
  }
  return valid ? kind : null;
}

/** Finds every marked block of a Markdown text and groups them into examples. */
export function extractExamples(markdown: string, file: string): ExtractedExamples {
  const lines = markdown.split('\n');
  const problems: string[] = [];
  const byName = new Map<string, Example>();
  for (let index = 0; index < lines.length; index++) {
    const opening = FENCE.exec(lines[index]!);
    if (!opening) continue;
    const fence = opening[1]!;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !lines[index]!.startsWith(fence); index++) body.push(lines[index]!);
    const { word, attributes } = parseInfo(opening[2]!);
    if (!('example' in attributes)) continue;
    const where = `${file}:${start + 1}`;
    if (index >= lines.length) problems.push(`${where}: the block is never closed`);
    const kind = checkBlock(word, attributes, where, problems);
    if (kind === null) continue;
    const name = attributes.example as string;
    const example = byName.get(name) ?? { name, blocks: [] };
    byName.set(name, example);
    example.blocks.push({ kind, example: name, attributes, body: body.join('\n'), line: start + 1 });
  }
  for (const example of byName.values()) {
    if (!example.blocks.some((block) => RUNNABLE_KINDS.includes(block.kind))) {
      problems.push(`${file}: example ${example.name} has no probe, decide or console block, so nothing of it runs`);
    }
    const topLevel = example.blocks.filter((block) => block.kind === 'mappings' && block.attributes.file === undefined);
    if (topLevel.length > 1) problems.push(`${file}: example ${example.name} has ${topLevel.length} top-level mappings blocks`);
    if (example.blocks.filter((block) => block.kind === 'js').length > 1) problems.push(`${file}: example ${example.name} has more than one js block`);
  }
  return { examples: [...byName.values()], problems };
}

/** Every Markdown file under a folder, as paths relative to it, sorted. */
export function markdownFiles(folder: string): string[] {
  const entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Reads and extracts one file of a folder. */
export function examplesOf(folder: string, file: string): ExtractedExamples {
  return extractExamples(readFileSync(path.join(folder, file), 'utf8'), file);
}

/** Characters a POSIX shell would interpret in an unquoted word or expand inside double quotes. */
const SHELL_SPECIAL_UNQUOTED = /[|&;<>()$`\\"'*?[\]{}~#!\s]/;
const SHELL_SPECIAL_IN_DOUBLE_QUOTES = /[$`\\!]/;

/**
 * Splits a command line the way a POSIX shell would, for the commands the docs show: words,
 * 'single-quoted' and "double-quoted" strings. Anything a shell would expand or interpret is an
 * error, so every documented command can be pasted into a terminal as it stands.
 */
export function shellWords(command: string): string[] {
  const piece = /(\s+)|'([^']*)'|"([^"]*)"|([^\s'"]+)/y;
  const words: string[] = [];
  let word: string | null = null;
  while (piece.lastIndex < command.length) {
    const match = piece.exec(command);
    if (!match) throw new Error(`unterminated quote in: ${command}`);
    const [, space, single, double, bare] = match;
    if (space !== undefined) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    if (double !== undefined && SHELL_SPECIAL_IN_DOUBLE_QUOTES.test(double)) {
      throw new Error(`the shell would expand "${double}": use single quotes`);
    }
    if (bare !== undefined && SHELL_SPECIAL_UNQUOTED.test(bare)) throw new Error(`the shell would interpret ${bare}: quote it`);
    word = (word ?? '') + (single ?? double ?? bare);
  }
  if (word !== null) words.push(word);
  return words;
}
