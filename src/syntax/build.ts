import type { IToken } from 'chevrotain';
import type { Entry, ParsedMappings, Span, Table, TextOrigin } from './ast.js';
import type { Diagnostic, Problem } from './diagnostics.js';
import { fileIdentity, includePath, MAX_INCLUDE_DEPTH, readSafely, type IncludeReader } from './includes.js';
import { decodeSource, logicalLines, physicalLines, type LogicalLine } from './lines.js';
import { parseLineStructure, type EntrySyntax, type LineSyntax } from './parser.js';
import { parsePattern } from './pattern/index.js';
import { diagnosticAt, originOfPieces, positionAt, spanAt } from './source.js';
import { parseTemplate } from './template/index.js';

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
  readInclude: IncludeReader;
  /** Identities of the files being read, outermost first, for F7's cycle check. */
  reading: string[];
  /**
   * Sub-grammar results by text. Real tables repeat templates (`$Y`, `$N`, the same rejection
   * text) thousands of times; parsing each distinct text once roughly halves the parse of a large
   * file, and the results are never mutated, so entries may share them.
   */
  patterns: Map<string, ReturnType<typeof parsePattern>>;
  templates: Map<string, ReturnType<typeof parseTemplate>>;
}

/** Builds tables and diagnostics from a top-level file's content, following its includes. */
export function buildMappings(input: string | Uint8Array, file: string, readInclude: IncludeReader): ParsedMappings {
  const state: BuildState = {
    tables: [],
    tablesByName: new Map(),
    target: null,
    diagnostics: [],
    files: [],
    readInclude,
    reading: [],
    patterns: new Map(),
    templates: new Map(),
  };
  readFile(state, input, file, 0);
  return { tables: state.tables, diagnostics: inReadingOrder(state.diagnostics, state.files), files: state.files };
}

/** Sorts diagnostics by file (in reading order), line and column, keeping the order of equal positions. */
function inReadingOrder(diagnostics: Diagnostic[], files: string[]): Diagnostic[] {
  const fileRank = new Map(files.map((file, rank) => [file, rank]));
  return diagnostics
    .map((diagnostic, order) => ({ diagnostic, order }))
    .sort(
      (a, b) =>
        (fileRank.get(a.diagnostic.file) ?? 0) - (fileRank.get(b.diagnostic.file) ?? 0) ||
        a.diagnostic.line - b.diagnostic.line ||
        a.diagnostic.column - b.diagnostic.column ||
        a.order - b.order,
    )
    .map(({ diagnostic }) => diagnostic);
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
  const { lines, danglingContinuation } = logicalLines(physicalLines(decoded.text), file, tainted);
  if (danglingContinuation) {
    state.diagnostics.push(
      diagnosticAt({ file, segments: [{ offset: 0, ...danglingContinuation }] }, 0, 1, {
        severity: 'error',
        code: 'continuation-at-eof',
        message: 'continuation at end of file: the last line ends in a backslash',
        hint: 'remove the backslash or add the line it was meant to continue',
      }),
    );
  }

  // One lexer and parser run per file: logical lines joined by LF, each line's start remembered
  // so that token offsets turn back into offsets within their line.
  const syntaxes = lines.length === 0 ? [] : parseLineStructure(lines.map((line) => line.text).join('\n') + '\n');
  let lineStart = 0;
  syntaxes.forEach((syntax, index) => {
    const line = lines[index];
    buildLine(state, syntax, line, lineStart, depth);
    lineStart += line.text.length + 1;
  });

  state.reading.pop();
}

/** F3: what each class of logical line contributes. */
function buildLine(state: BuildState, syntax: LineSyntax, line: LogicalLine, lineStart: number, depth: number): void {
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
      openTable(state, syntax.name, syntax.extra, line, lineStart);
      return;
    case 'entry':
      buildEntry(state, syntax, line, lineStart);
      return;
    case 'comment':
    case 'blank':
      // A comment line (F6) or a blank line (F3) contributes nothing.
      return;
  }
}

/** F4, F12: a header opens its table, or makes the following entries go nowhere if it is a duplicate. */
function openTable(
  state: BuildState,
  nameToken: IToken,
  extra: IToken | undefined,
  line: LogicalLine,
  lineStart: number,
): void {
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
    const start = extra.startOffset - lineStart;
    state.diagnostics.push(
      diagnosticAt(line.origin, start, trimmedEnd(line.text) - start, {
        severity: 'error',
        code: 'header-extra-text',
        message: 'unexpected text after table name',
        hint: 'put each entry on its own line, indented by a space or tab',
      }),
    );
  }

  const name = written.toUpperCase();
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
  const file = includePath(line.origin.file, spec);
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
  readFile(state, content, file, depth + 1);
}

/** F5, F8–F11: splits an entry line, checks it, parses both columns and adds the entry if it has no error. */
function buildEntry(state: BuildState, syntax: EntrySyntax, line: LogicalLine, lineStart: number): void {
  const { pattern: patternToken, pieces, dangling } = syntax;
  const patternStart = ((patternToken ?? dangling) as IToken).startOffset - lineStart;
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
    ? originOfPieces(line.origin, [patternToken], lineStart)
    : { file: line.origin.file, segments: [{ offset: 0, ...positionAt(line.origin, patternStart) }] };
  const patternSpan = spanAt(patternOrigin, 0, pattern.length);
  const templateOrigin: TextOrigin =
    pieces.length > 0
      ? originOfPieces(line.origin, pieces, lineStart)
      : { file: line.origin.file, segments: [{ offset: 0, line: patternSpan.endLine, column: patternSpan.endColumn }] };

  const found: Diagnostic[] = [];
  if (dangling) {
    found.push(
      diagnosticAt(line.origin, dangling.startOffset - lineStart, 1, {
        severity: 'error',
        code: 'dangling-dollar',
        message: 'dangling "$" at the end of the line',
        hint: 'write "$$" for a literal dollar sign',
      }),
    );
  } else if (pieces.length === 0) {
    found.push(
      diagnosticAt(patternOrigin, 0, pattern.length, {
        severity: 'warning',
        code: 'empty-template',
        message: 'entry has no template: when it matches, the output is the empty string',
      }),
    );
  }
  if (pattern.startsWith('!')) {
    found.push(
      diagnosticAt(patternOrigin, 0, 1, {
        severity: 'warning',
        code: 'indented-comment',
        message: 'indented comment? This line is an entry whose pattern starts with "!"',
        hint: 'a comment has "!" in column 1',
      }),
    );
  }
  const dropped = droppedWhiteSpace(syntax, line, lineStart);
  if (dropped) {
    found.push(
      diagnosticAt(line.origin, dropped.startOffset - lineStart, dropped.image.length, {
        severity: 'warning',
        code: 'dropped-whitespace',
        message: `white space in the template is dropped: the template reads "${template}"`,
        hint: 'quote white space that belongs to the output as "$ "; text after a template is not a comment',
      }),
    );
  }
  const patternLength = lengthIfOver(pattern, LONG_PATTERN);
  if (patternLength !== null) {
    found.push(
      diagnosticAt(patternOrigin, 0, pattern.length, {
        severity: 'warning',
        code: 'long-pattern',
        message: `pattern is ${patternLength} characters long; Messaging Server 6.3 allows ${LONG_PATTERN}`,
      }),
    );
  }
  const templateLength = lengthIfOver(template, LONG_TEMPLATE);
  if (templateLength !== null) {
    found.push(
      diagnosticAt(templateOrigin, 0, template.length, {
        severity: 'warning',
        code: 'long-template',
        message: `template is ${templateLength} characters long; Messaging Server 6.3 allows ${LONG_TEMPLATE}`,
      }),
    );
  }

  const parsedPattern = cached(state.patterns, pattern, () => parsePattern(pattern));
  const captureCount = parsedPattern.captureCount;
  const parsedTemplate = cached(state.templates, `${captureCount}:${template}`, () =>
    parseTemplate(template, { captureCount }),
  );
  for (const problem of parsedPattern.problems) found.push(placeProblem(problem, patternOrigin));
  for (const problem of parsedTemplate.problems) found.push(placeProblem(problem, templateOrigin));
  for (const diagnostic of found) state.diagnostics.push(diagnostic);
  if (line.tainted || found.some((diagnostic) => diagnostic.severity === 'error')) return;

  const entry: Entry = {
    table: target.name,
    index: target.entries.length + 1,
    pattern,
    template,
    patternItems: parsedPattern.items,
    templateNodes: parsedTemplate.nodes,
    captureCount: parsedPattern.captureCount,
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
function droppedWhiteSpace({ pieces, gaps }: EntrySyntax, line: LogicalLine, lineStart: number): IToken | undefined {
  if (pieces.length < 2) return undefined;
  const lastPieceStart = pieces[pieces.length - 1].startOffset;
  return gaps.find((gap) => {
    if (gap.startOffset > lastPieceStart) return false;
    const start = gap.startOffset - lineStart;
    const end = start + gap.image.length;
    return !line.joins.some((join) => join >= start && join <= end);
  });
}

/** The value stored under key, computed and stored on first use. */
function cached<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
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

/** The text's length in characters (code points, F11) when it exceeds `limit`, else null. */
function lengthIfOver(text: string, limit: number): number | null {
  // Code units never undercount code points, so most texts are settled without iterating them.
  if (text.length <= limit) return null;
  let length = 0;
  for (const _ of text) length++;
  return length > limit ? length : null;
}
