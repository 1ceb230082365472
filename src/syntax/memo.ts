import type { Entry, Span, TextOrigin } from './ast.js';
import type { Diagnostic } from './diagnostics.js';

/** What parsing one entry line gave: the entry (null when an error kept it out) and the line's findings. */
interface ParsedEntryLine {
  file: string;
  /** The table it was an entry line of. */
  table: string;
  /** The physical line it stood on. */
  line: number;
  entry: Entry | null;
  diagnostics: readonly Diagnostic[];
}

/**
 * What one parse of a file keeps for the parse of its next version, as an editor re-parses after
 * each keystroke: pass the same memo to each parse of that file (`parseMappings(text, { memo })`).
 * An entry line that is one physical line, with neither invalid UTF-8 nor NUL on it, is settled by
 * its file, table and text alone (F5, F8–F11: all its positions lie on its own line), so an
 * unchanged line costs a lookup instead of a parse, and its entry keeps its parsed pattern and
 * template, which the compile stage's caches recognise. An entry that moved to another line or
 * position in its table is a copy with its line and index changed. A memo holds the lines of its
 * latest parse only, so it never outgrows one version of the file. Parse results share entries and
 * diagnostics with the results before them: like every parse result, they are not to be changed.
 */
export class ParseMemo {
  /** Keeps ParseMemo nominal: any object would otherwise pass for an empty class. */
  private declare readonly brand: never;
}

/** The entry lines of one text, in file order; those before `next` have been recalled (or were left behind). */
interface LinesOfText {
  lines: Array<ParsedEntryLine | undefined>;
  next: number;
}

/**
 * How many lines of one text a recall looks through for one of its file and table. Lines of equal
 * text are recalled in file order, so the one wanted is nearly always the next; the bound keeps a
 * file of thousands of equal lines, reordered, from costing a search per line through all of them
 * (a line not found is parsed, which is never wrong).
 */
const RECALL_SEARCH = 8;

/**
 * The entry lines a memo holds, by text: those of the parse before, to recall, and those of the
 * parse under way. Keyed by the text alone, a string the parse has made already, rather than by a
 * key composed with the file and table, which would cost a string per line.
 */
export class MemoLines {
  private previous = new Map<string, LinesOfText>();
  private current = new Map<string, LinesOfText>();

  /** Starts a parse: the lines of the one before become what can be recalled. */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /**
   * What the previous parse had for an entry line of this text in this file and table, placed on
   * `line` as entry `index` of its table; undefined when there is none to recall.
   */
  recall(text: string, file: string, table: string, line: number, index: number): ParsedEntryLine | undefined {
    const seen = this.previous.get(text);
    if (seen === undefined) return undefined;
    const { lines } = seen;
    const end = Math.min(lines.length, seen.next + RECALL_SEARCH);
    for (let at = seen.next; at < end; at++) {
      const parsed = lines[at];
      if (parsed === undefined || parsed.table !== table || parsed.file !== file) continue;
      // Each line is recalled once: taken out, and `next` moved past every line taken.
      lines[at] = undefined;
      while (seen.next < lines.length && lines[seen.next] === undefined) seen.next++;
      const moved = line - parsed.line;
      const recalled: ParsedEntryLine = {
        file,
        table,
        line,
        entry: parsed.entry && movedEntry(parsed.entry, moved, index),
        diagnostics: movedDiagnostics(parsed.diagnostics, moved),
      };
      this.remember(text, recalled);
      return recalled;
    }
    return undefined;
  }

  /** Keeps what parsing an entry line of this text gave, for the next parse. */
  remember(text: string, parsed: ParsedEntryLine): void {
    const seen = this.current.get(text);
    if (seen === undefined) this.current.set(text, { lines: [parsed], next: 0 });
    else seen.lines.push(parsed);
  }
}

const memoLines = new WeakMap<ParseMemo, MemoLines>();

/** The entry lines a memo holds, ready for a new parse. */
export function beginParse(memo: ParseMemo): MemoLines {
  let lines = memoLines.get(memo);
  if (lines === undefined) memoLines.set(memo, (lines = new MemoLines()));
  lines.begin();
  return lines;
}

// Spelled out rather than spread: a spread copy is made by a slow generic path, and copies come
// by the thousand when a line is added or removed near the top of a large table.
function movedEntry(entry: Entry, lines: number, index: number): Entry {
  if (lines === 0 && entry.index === index) return entry;
  const { table, pattern, template, patternItems, templateNodes, captureCount } = entry;
  return {
    table,
    index,
    pattern,
    template,
    patternItems,
    templateNodes,
    captureCount,
    patternOrigin: movedOrigin(entry.patternOrigin, lines),
    templateOrigin: movedOrigin(entry.templateOrigin, lines),
    patternSpan: movedSpan(entry.patternSpan, lines),
    templateSpan: movedSpan(entry.templateSpan, lines),
  };
}

function movedOrigin(origin: TextOrigin, lines: number): TextOrigin {
  if (lines === 0) return origin;
  return { file: origin.file, segments: origin.segments.map(({ offset, line, column }) => ({ offset, line: line + lines, column })) };
}

function movedSpan(span: Span, lines: number): Span {
  if (lines === 0) return span;
  const { file, line, column, endLine, endColumn } = span;
  return { file, line: line + lines, column, endLine: endLine + lines, endColumn };
}

function movedDiagnostics(diagnostics: readonly Diagnostic[], lines: number): readonly Diagnostic[] {
  if (lines === 0) return diagnostics;
  return diagnostics.map(({ severity, code, message, file, line, column, endLine, endColumn, hint }) =>
    hint === undefined
      ? { severity, code, message, file, line: line + lines, column, endLine: endLine + lines, endColumn }
      : { severity, code, message, file, line: line + lines, column, endLine: endLine + lines, endColumn, hint },
  );
}
