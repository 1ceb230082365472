import type { Span, TextOrigin } from './ast.js';
import type { Diagnostic, Severity } from './diagnostics.js';

type Segment = TextOrigin['segments'][number];

/** Where a text with no segments is taken to start: the top of its file. */
const FILE_START: Segment = { offset: 0, line: 1, column: 1 };

/** The segment holding the character at `offset`: the last one starting at or before it. */
function segmentAt(origin: TextOrigin, offset: number): Segment {
  const { segments } = origin;
  let index = segments.length - 1;
  while (index > 0 && segments[index].offset > offset) index--;
  return segments[index] ?? FILE_START;
}

function columnIn(segment: Segment, offset: number): number {
  return segment.column + Math.max(0, offset - segment.offset);
}

/** The file position (1-based line and column) of the character at `offset` of a text with this origin. */
export function positionAt(origin: TextOrigin, offset: number): { line: number; column: number } {
  const segment = segmentAt(origin, offset);
  return { line: segment.line, column: columnIn(segment, offset) };
}

/**
 * The offset in a text of `length` code units with this origin of the character at a file position
 * (1-based line and column); the position just after the text counts. Undefined when the position
 * is outside the text.
 */
export function offsetAt(origin: TextOrigin, length: number, line: number, column: number): number | undefined {
  const { segments } = origin;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment.line !== line || column < segment.column) continue;
    const offset = segment.offset + column - segment.column;
    if (offset <= (segments[index + 1]?.offset ?? length)) return offset;
  }
  return undefined;
}

/**
 * The span of `length` code units from `offset`. The end is placed just after the last character
 * rather than at `offset + length`, which would land at the start of the next segment when the
 * range ends at a continuation join.
 */
export function spanAt(origin: TextOrigin, offset: number, length: number): Span {
  const start = segmentAt(origin, offset);
  const line = start.line;
  const column = columnIn(start, offset);
  if (length <= 0) return { file: origin.file, line, column, endLine: line, endColumn: column };
  const last = segmentAt(origin, offset + length - 1);
  return { file: origin.file, line, column, endLine: last.line, endColumn: columnIn(last, offset + length - 1) + 1 };
}

/** A diagnostic about `length` code units from `offset` of a text with this origin. */
export function diagnosticAt(
  origin: TextOrigin,
  offset: number,
  length: number,
  finding: { severity: Severity; code: string; message: string; hint?: string },
): Diagnostic {
  const { severity, code, message, hint } = finding;
  const { file, line, column, endLine, endColumn } = spanAt(origin, offset, length);
  // Spelled out rather than spread from the span: spreading gave every diagnostic a separate
  // property store, an object more to keep and slower to make.
  return hint === undefined
    ? { severity, code, message, file, line, column, endLine, endColumn }
    : { severity, code, message, file, line, column, endLine, endColumn, hint };
}

/**
 * The origin of a text cut out of a logical line as the given pieces and concatenated: the pattern
 * is one piece, the template one piece per run F8 keeps; their offsets are in the line.
 */
export function originOfPieces(line: TextOrigin, pieces: ReadonlyArray<{ startOffset: number; image: string }>): TextOrigin {
  const segments: Segment[] = [];
  let textOffset = 0;
  for (const piece of pieces) {
    const start = piece.startOffset;
    const end = start + piece.image.length;
    const first = segmentAt(line, start);
    pushSegment(segments, textOffset, first.line, columnIn(first, start));
    // A piece crossing a continuation join goes on in column 1 of the next physical line.
    for (const joined of line.segments) {
      if (joined.offset > start && joined.offset < end) {
        pushSegment(segments, textOffset + joined.offset - start, joined.line, joined.column);
      }
    }
    textOffset += end - start;
  }
  return { file: line.file, segments };
}

/** Adds a segment unless it merely continues the previous one on the same line. */
function pushSegment(segments: Segment[], offset: number, line: number, column: number): void {
  const previous = segments[segments.length - 1];
  if (previous && previous.line === line && previous.column + (offset - previous.offset) === column) return;
  segments.push({ offset, line, column });
}
