import type { Entry, IncludeLine, ParsedMappings, Span, Table, TextOrigin } from './ast.js';
import { asciiUpper } from './case.js';
import type { Diagnostic, Problem } from './diagnostics.js';
import { fileIdentity, includePath, isUnreadable, MAX_INCLUDE_DEPTH, readSafely, type IncludeReader } from './includes.js';
import { decodeSource, LogicalLineReader, type LogicalLine } from './lines.js';
import { beginParse, type MemoLines, type ParseMemo } from './memo.js';
import { lineSyntax, type EntrySyntax, type LineSyntax, type LineToken } from './parser.js';
import { parsePattern } from './pattern/index.js';
import { diagnosticAt, positionAt, spanAt } from './source.js';
import { parseTemplate, type ParsedTemplate } from './template/index.js';

/** F11: lengths above which a pattern or template draws a lint warning (Messaging Server 6.3 limits). */
const LONG_PATTERN = 256;
const LONG_TEMPLATE = 1024;

/** F4: the characters a table name may contain after its leading letter. */
const NOT_IN_TABLE_NAME = /[^A-Za-z0-9_.-]/;

/** Everything the builder carries from line to line and from file to included file. */
interface BuildState {
  tables: Table[];
  tablesByName: Map<string, Table>;
  /**
   * Where the next entry goes: a table, nothing yet (before the first header, F5), or nowhere
   * because the current header duplicates an earlier one (F12). A table stays open across include
   * boundaries and ends only at the next header (F5, F7).
   */
  target: Table | null | 'discard';
  diagnostics: Diagnostic[];
  files: string[];
  includes: IncludeLine[];
  readInclude: IncludeReader;
  /** Identities of the files being read, outermost first, for F7's cycle check. */
  reading: string[];
  /**
   * Template results by capture count (which decides T3's warnings), then by text. Real tables
   * repeat templates (`$Y`, `$N`, the same rejection text) thousands of times; parsing each
   * distinct text once roughly halves the parse of a large file, and the results are never
   * mutated, so entries may share them. Patterns are not cached: they are the keys of their
   * tables and rarely repeat, and on the large bench file a map of its distinct pattern texts cost
   * far more than it could ever save (bench/parse.bench.mjs).
   */
  templates: Array<Map<string, ParsedTemplate>>;
  /** The last entry's template. */
  previousTemplate: CachedTemplate | null;
  /** What the previous parse of this file's earlier version left, when the caller keeps a memo. */
  memo: MemoLines | undefined;
}

/** Builds tables and diagnostics from a top-level file's content, following its includes. */
export function buildMappings(input: string | Uint8Array, file: string, readInclude: IncludeReader, memo?: ParseMemo): ParsedMappings {
  const state: BuildState = {
    tables: [],
    tablesByName: new Map(),
    target: null,
    diagnostics: [],
    files: [],
    includes: [],
    readInclude,
    reading: [],
    templates: [],
    previousTemplate: null,
    memo: memo && beginParse(memo),
  };
  readFile(state, input, file, 0);
  return { tables: state.tables, diagnostics: inReadingOrder(state.diagnostics, state.files), files: state.files, includes: state.includes };
}

/** Sorts diagnostics by file (in reading order), line and column, keeping the order of equal positions. */
function inReadingOrder(diagnostics: Diagnostic[], files: string[]): Diagnostic[] {
  const fileRank = new Map(files.map((file, rank) => [file, rank]));
  const ranks = diagnostics.map((diagnostic) => fileRank.get(diagnostic.file) ?? 0);
  const compare = (a: number, b: number): number =>
    ranks[a] - ranks[b] ||
    diagnostics[a].line - diagnostics[b].line ||
    diagnostics[a].column - diagnostics[b].column ||
    a - b;
  // Speed: diagnostics mostly arrive in order already, and then the stable sort would return them
  // unchanged. Checking that first is one pass, much cheaper than the sort.
  let sorted = true;
  for (let i = 1; i < diagnostics.length && sorted; i++) sorted = compare(i - 1, i) < 0;
  if (sorted) return diagnostics;
  return diagnostics
    .map((_, index) => index)
    .sort(compare)
    .map((index) => diagnostics[index]);
}

/** Reads one file, top-level or included, into the state: F1 decoding, F2 joins, then line by line. */
function readFile(state: BuildState, input: string | Uint8Array, file: string, depth: number): void {
  if (!state.files.includes(file)) state.files.push(file);
  state.reading.push(fileIdentity(file));

  const decoded = decodeSource(input);
  for (const bad of decoded.invalidUtf8) {
    state.diagnostics.push(
      diagnosticAt({ file, segments: [{ offset: 0, line: bad.line, column: bad.column }] }, 0, 1, {
        severity: 'error',
        code: 'invalid-utf8',
        message: 'invalid UTF-8 byte sequence',
        hint: 'save the file as UTF-8',
      }),
    );
  }
  const tainted = new Set(decoded.invalidUtf8.map((bad) => bad.line));
  reportControlCharacters(state, decoded.text, file, tainted);
  const reader = new LogicalLineReader(decoded.text, file, tainted);
  for (let line = reader.next(); line !== null; line = reader.next()) {
    if (line.text.length > MAX_LINE_LENGTH) {
      state.diagnostics.push(
        diagnosticAt(line.origin, 0, 1, {
          severity: 'error',
          code: 'line-too-long',
          message: `line of ${line.text.length} characters, longer than ${MAX_LINE_LENGTH}: skipped`,
        }),
      );
      continue;
    }
    if (state.memo === undefined) buildLine(state, lineSyntax(line.text), line, depth);
    else buildLineWithMemo(state, state.memo, line, depth);
  }
  // Reported after the lines, where the old whole-file pass reported it first: diagnostics are
  // sorted by position at the end, and the only ones that can share its position (the dropped
  // last logical line's) are invalid-utf8 findings, which are still pushed before it.
  const dangling = reader.danglingContinuation;
  if (dangling) {
    state.diagnostics.push(
      diagnosticAt({ file, segments: [{ offset: 0, ...dangling }] }, 0, 1, {
        severity: 'error',
        code: 'continuation-at-eof',
        message: 'continuation at end of file: the last line ends in a backslash',
        hint: 'remove the backslash or add the line it was meant to continue',
      }),
    );
  }
  state.reading.pop();
}

/**
 * F17: a logical line longer than this is skipped unparsed; the lexers' regular expressions would
 * exhaust the stack on lines of a few million characters.
 */
const MAX_LINE_LENGTH = 1024 * 1024;

/** F17: C0 controls other than TAB and LF (a CR is allowed only before LF, F1), and DEL. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * F17: reports the first NUL (an error, which also skips an entry on that line) and the first other
 * control character (a warning) of each physical line. The column counts UTF-16 units, as
 * everywhere else.
 */
function reportControlCharacters(state: BuildState, text: string, file: string, tainted: Set<number>): void {
  CONTROL_CHARACTER.lastIndex = 0;
  let line = 1;
  let lineStart = 0;
  for (let found = CONTROL_CHARACTER.exec(text); found !== null; found = CONTROL_CHARACTER.exec(text)) {
    const offset = found.index;
    for (let next = text.indexOf('\n', lineStart); next >= 0 && next < offset; next = text.indexOf('\n', lineStart)) {
      line += 1;
      lineStart = next + 1;
    }
    let end = text.indexOf('\n', offset);
    if (end < 0) end = text.length;
    // The rest of the line is searched here, so the next match is looked for on the next line.
    CONTROL_CHARACTER.lastIndex = end + 1;
    const report = (at: number, severity: 'error' | 'warning', message: string): void => {
      state.diagnostics.push(
        diagnosticAt({ file, segments: [{ offset: 0, line, column: at - lineStart + 1 }] }, 0, 1, {
          severity,
          code: 'control-character',
          message,
          hint: 'remove it: a mappings file holds text',
        }),
      );
    };
    const nul = text.indexOf('\u0000', offset);
    if (nul >= 0 && nul < end) {
      tainted.add(line);
      report(nul, 'error', 'NUL character: the line is skipped');
    }
    const other = firstOtherControl(text, offset, end);
    if (other >= 0) report(other, 'warning', `control character \\x${text.charCodeAt(other).toString(16).padStart(2, '0')}`);
  }
}

/** The first control character other than NUL in [from, end), not counting a CR that ends the line (F1); or -1. */
function firstOtherControl(text: string, from: number, end: number): number {
  for (let at = from; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === 0 || code === 0x09) continue;
    if (code === CARRIAGE_RETURN && at === end - 1) continue;
    if (code < 0x20 || code === 0x7f) return at;
  }
  return -1;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * buildLine through the memo: an entry line of one physical line, clean of invalid UTF-8 and NUL,
 * is recalled from the previous parse when it was there (ParseMemo says why that is exact), and
 * remembered for the next one otherwise.
 */
function buildLineWithMemo(state: BuildState, memo: MemoLines, line: LogicalLine, depth: number): void {
  const table = state.target;
  if (table === null || table === 'discard' || line.joins.length > 0 || line.tainted) {
    buildLine(state, lineSyntax(line.text), line, depth);
    return;
  }
  const recalled = memo.recall(line.text, line.file, table.name, line.firstLine, table.entries.length + 1);
  if (recalled !== undefined) {
    if (recalled.entry !== null) table.entries.push(recalled.entry);
    state.diagnostics.push(...recalled.diagnostics);
    return;
  }
  const syntax = lineSyntax(line.text);
  if (syntax.kind !== 'entry') {
    buildLine(state, syntax, line, depth);
    return;
  }
  const entryCount = table.entries.length;
  const diagnosticCount = state.diagnostics.length;
  buildEntry(state, syntax, line);
  memo.remember(line.text, {
    file: line.file,
    table: table.name,
    line: line.firstLine,
    entry: table.entries.length > entryCount ? table.entries[entryCount] : null,
    diagnostics: state.diagnostics.slice(diagnosticCount),
  });
}

/** F3: what each class of logical line contributes. */
function buildLine(state: BuildState, syntax: LineSyntax, line: LogicalLine, depth: number): void {
  switch (syntax.kind) {
    case 'include':
      includeFile(state, line, depth);
      return;
    case 'unindented':
      state.diagnostics.push(
        diagnosticAt(line.origin, 0, line.text.length, {
          severity: 'error',
          code: 'unindented-line',
          message: 'entries must be indented',
          hint: 'start an entry with a space or tab; only table names (a letter), comments (!) and includes (<) start in column 1',
        }),
      );
      return;
    case 'header':
      openTable(state, syntax.name, syntax.extra, line);
      return;
    case 'entry':
      buildEntry(state, syntax, line);
      return;
    case 'comment':
    case 'blank':
      // A comment line (F6) or a blank line (F3) contributes nothing.
      return;
  }
}

/** F4, F12: a header opens its table, or makes the following entries go nowhere if it is a duplicate. */
function openTable(state: BuildState, nameToken: LineToken, extra: LineToken | undefined, line: LogicalLine): void {
  const written = nameToken.image;
  const badCharacter = written.search(NOT_IN_TABLE_NAME);
  if (badCharacter >= 0) {
    const character = String.fromCodePoint(written.codePointAt(badCharacter) ?? 0);
    state.diagnostics.push(
      diagnosticAt(line.origin, badCharacter, character.length, {
        severity: 'error',
        code: 'bad-table-name',
        message: `table name "${written}" contains "${character}"`,
        hint: 'a table name is a letter followed by letters, digits, "_", "-" or "."',
      }),
    );
  }
  if (extra) {
    const start = extra.startOffset;
    state.diagnostics.push(
      diagnosticAt(line.origin, start, trimmedEnd(line.text) - start, {
        severity: 'error',
        code: 'header-extra-text',
        message: 'unexpected text after table name',
        hint: 'put each entry on its own line, indented by a space or tab',
      }),
    );
  }

  const name = asciiUpper(written);
  const first = state.tablesByName.get(name);
  if (first) {
    state.diagnostics.push(
      diagnosticAt(line.origin, 0, written.length, {
        severity: 'error',
        code: 'duplicate-table',
        message: `duplicate table ${name}; the first definition (${first.span.file}:${first.span.line}) is used and the entries under this one are discarded`,
      }),
    );
    state.target = 'discard';
    return;
  }
  const table: Table = { name, span: spanAt(line.origin, 0, written.length), entries: [] };
  state.tables.push(table);
  state.tablesByName.set(name, table);
  state.target = table;
}

/** F7: reads an included file into the current state, or reports why it cannot. */
function includeFile(state: BuildState, line: LogicalLine, depth: number): void {
  const afterBracket = line.text.slice(1);
  const spec = afterBracket.replace(/^[ \t]+|[ \t]+$/g, '');
  if (spec === '') {
    state.diagnostics.push(
      diagnosticAt(line.origin, 0, 1, {
        severity: 'error',
        code: 'include-empty',
        message: 'include line names no file',
        hint: 'write the file to include right after "<"',
      }),
    );
    return;
  }
  const specOffset = 1 + afterBracket.length - afterBracket.replace(/^[ \t]+/, '').length;
  const report = (code: string, message: string): void => {
    state.diagnostics.push(diagnosticAt(line.origin, specOffset, spec.length, { severity: 'error', code, message }));
  };
  const file = includePath(line.file, spec);
  state.includes.push({ spec, file, span: spanAt(line.origin, specOffset, spec.length) });
  if (depth >= MAX_INCLUDE_DEPTH) {
    report('include-depth', `includes nested deeper than ${MAX_INCLUDE_DEPTH} levels: "${file}" is not read`);
    return;
  }
  if (state.reading.includes(fileIdentity(file))) {
    report('include-cycle', `include cycle: "${file}" is already being read`);
    return;
  }
  const content = readSafely(state.readInclude, file);
  if (content === null) {
    report('include-missing', `cannot read included file "${file}"`);
    return;
  }
  if (isUnreadable(content)) {
    report('unreadable-file', `cannot read included file "${file}": ${content.unreadable}`);
    return;
  }
  readFile(state, content, file, depth + 1);
}

/** F5, F8–F11: splits an entry line, checks it, parses both columns and adds the entry if it has no error. */
function buildEntry(state: BuildState, syntax: EntrySyntax, line: LogicalLine): void {
  const { pattern: patternToken, pieces, dangling } = syntax;
  const patternStart = (patternToken ?? dangling)!.startOffset;
  const target = state.target;
  if (target === 'discard') return;
  if (target === null) {
    state.diagnostics.push(
      diagnosticAt(line.origin, patternStart, trimmedEnd(line.text) - patternStart, {
        severity: 'error',
        code: 'entry-outside-table',
        message: 'entry outside a table',
        hint: 'put a table name line (starting in column 1) above the entries',
      }),
    );
    return;
  }

  const pattern = patternToken?.image ?? '';
  // Most templates are one piece; joining only when F8 has pieces to concatenate spares an array.
  const template = pieces.length === 1 ? pieces[0].image : pieces.map((piece) => piece.image).join('');
  const patternOrigin: TextOrigin = patternToken
    ? line.originOf([patternToken])
    : { file: line.file, segments: [{ offset: 0, ...positionAt(line.origin, patternStart) }] };
  const patternSpan = spanAt(patternOrigin, 0, pattern.length);
  const templateOrigin: TextOrigin =
    pieces.length > 0
      ? line.originOf(pieces)
      : { file: line.file, segments: [{ offset: 0, line: patternSpan.endLine, column: patternSpan.endColumn }] };

  // Findings go straight to the file's list, in the order the checks run; `rejected` remembers
  // whether one of them is an error, which keeps the entry out of its table.
  const { diagnostics } = state;
  let rejected = line.tainted;
  if (dangling) {
    rejected = true;
    diagnostics.push(
      diagnosticAt(line.origin, dangling.startOffset, 1, {
        severity: 'error',
        code: 'dangling-dollar',
        message: 'dangling "$" at the end of the line',
        hint: 'write "$$" for a literal dollar sign',
      }),
    );
  } else if (pieces.length === 0) {
    diagnostics.push(
      diagnosticAt(patternOrigin, 0, pattern.length, {
        severity: 'warning',
        code: 'empty-template',
        message: 'entry has no template: when it matches, the output is the empty string',
      }),
    );
  }
  if (pattern.startsWith('!')) {
    diagnostics.push(
      diagnosticAt(patternOrigin, 0, 1, {
        severity: 'warning',
        code: 'indented-comment',
        message: 'indented comment? This line is an entry whose pattern starts with "!"',
        hint: 'a comment has "!" in column 1',
      }),
    );
  }
  const dropped = droppedWhiteSpace(syntax, line);
  if (dropped) {
    diagnostics.push(
      diagnosticAt(line.origin, dropped.startOffset, dropped.image.length, {
        severity: 'warning',
        code: 'dropped-whitespace',
        message: `white space in the template is dropped: the template reads "${template}"`,
        hint: 'quote white space that belongs to the output as "$ "; text after a template is not a comment',
      }),
    );
  }
  tooLong(diagnostics, 'pattern', pattern, patternOrigin, LONG_PATTERN);
  tooLong(diagnostics, 'template', template, templateOrigin, LONG_TEMPLATE);

  const parsedPattern = parsePattern(pattern);
  const captureCount = parsedPattern.captureCount;
  const { text: sharedTemplate, parsed: parsedTemplate } = cachedTemplate(state, template, captureCount);
  for (const problem of parsedPattern.problems) {
    rejected ||= problem.severity === 'error';
    diagnostics.push(placeProblem(problem, patternOrigin));
  }
  for (const problem of parsedTemplate.problems) {
    rejected ||= problem.severity === 'error';
    diagnostics.push(placeProblem(problem, templateOrigin));
  }
  if (rejected) return;

  const entry: Entry = {
    table: target.name,
    index: target.entries.length + 1,
    pattern,
    template: sharedTemplate,
    patternItems: parsedPattern.items,
    templateNodes: parsedTemplate.nodes,
    captureCount,
    patternOrigin,
    templateOrigin,
    patternSpan,
    templateSpan: pieces.length > 0 ? spanAt(templateOrigin, 0, template.length) : emptySpanAfter(patternSpan),
  };
  target.entries.push(entry);
}

/**
 * F10: the first run of white space F8 dropped from between two template pieces. White space after
 * the last piece joins nothing, and white space touching a continuation join is how continued
 * lines are laid out, so neither is worth a warning.
 */
function droppedWhiteSpace({ pieces, gaps }: EntrySyntax, line: LogicalLine): LineToken | undefined {
  if (pieces.length < 2) return undefined;
  const lastPieceStart = pieces[pieces.length - 1].startOffset;
  return gaps.find((gap) => {
    if (gap.startOffset > lastPieceStart) return false;
    const start = gap.startOffset;
    const end = start + gap.image.length;
    return !line.joins.some((join) => join >= start && join <= end);
  });
}

/** A template's text and parse, as the entries that share them keep them. */
interface CachedTemplate {
  text: string;
  /** The saved items of the pattern it was parsed for (T3's warnings depend on them). */
  captureCount: number;
  parsed: ParsedTemplate;
}

/** The parse of a template for a pattern with `captureCount` saved items, parsed once per text. */
function cachedTemplate(state: BuildState, text: string, captureCount: number): CachedTemplate {
  // Speed: entries in a row often share their template (a run of `$Y` under INTERNAL_IP, one
  // rejection text for a block of senders). Comparing with the previous entry's spares hashing the
  // text for the map, and the run keeps one string instead of one per entry.
  const previous = state.previousTemplate;
  if (previous !== null && previous.captureCount === captureCount && previous.text === text) return previous;
  // One map per capture count rather than one keyed by `${captureCount}:${text}`: building and
  // hashing that key cost a string per template, the plain text none.
  const templates = (state.templates[captureCount] ??= new Map());
  let parsed = templates.get(text);
  if (parsed === undefined) {
    parsed = parseTemplate(text, { captureCount });
    templates.set(text, parsed);
  }
  state.previousTemplate = { text, captureCount, parsed };
  return state.previousTemplate;
}

/** Places a sub-grammar's problem (offsets into a pattern or template) in the file. */
function placeProblem(problem: Problem, origin: TextOrigin): Diagnostic {
  return diagnosticAt(origin, problem.offset, problem.length, problem);
}

function emptySpanAfter(span: Span): Span {
  return { file: span.file, line: span.endLine, column: span.endColumn, endLine: span.endLine, endColumn: span.endColumn };
}

/** Offset just after the last character that is not a space or tab. */
function trimmedEnd(text: string): number {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

/** F11: warns (`long-pattern` / `long-template`) when the text has more characters (code points) than `limit`. */
function tooLong(
  diagnostics: Diagnostic[],
  column: 'pattern' | 'template',
  text: string,
  origin: TextOrigin,
  limit: number,
): void {
  // Code units never undercount code points, so most texts are settled without iterating them.
  if (text.length <= limit) return;
  let length = 0;
  for (const _ of text) length++;
  if (length <= limit) return;
  diagnostics.push(
    diagnosticAt(origin, 0, text.length, {
      severity: 'warning',
      code: column === 'pattern' ? 'long-pattern' : 'long-template',
      message: `${column} is ${length} characters long; Messaging Server 6.3 allows ${limit}`,
    }),
  );
}
