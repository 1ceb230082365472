import type { TextOrigin } from './ast.js';
import { originOfPieces } from './source.js';

/** Where an invalid UTF-8 sequence starts: 1-based physical line and column of the decoded text. */
export interface InvalidUtf8 {
  line: number;
  column: number;
}

/** A file's text after F1 decoding, with the places where its bytes were not UTF-8. */
export interface DecodedSource {
  text: string;
  invalidUtf8: InvalidUtf8[];
}

/**
 * One logical line (F2): the physical lines joined by continuation, with where every character
 * came from. Each physical piece starts a new segment of `origin`, always at column 1 of its line
 * except the first, so a character's position is its segment's line and column plus its distance.
 */
export class LogicalLine {
  /** Built on first use for a line that is one physical line: most lines never need it. */
  private builtOrigin: TextOrigin | undefined;

  constructor(
    readonly text: string,
    readonly file: string,
    /** The physical line it starts on. */
    readonly firstLine: number,
    /** Offsets in `text` where an appended continuation line starts (F10 exempts white space there). */
    readonly joins: readonly number[],
    /** True when one of its physical lines held invalid UTF-8 (F1) or NUL (F17): an entry on it is skipped. */
    readonly tainted: boolean,
    /** The segments of a continued line; a line that is one physical line has one, made when asked for. */
    segments?: TextOrigin['segments'],
  ) {
    if (segments) this.builtOrigin = { file, segments };
  }

  get origin(): TextOrigin {
    return (this.builtOrigin ??= { file: this.file, segments: [{ offset: 0, line: this.firstLine, column: 1 }] });
  }

  /**
   * The origin of a text cut out of this line as the given pieces and concatenated (see
   * originOfPieces). Speed: a pattern, and most templates, are one piece of a line that is one
   * physical line, so the text is one segment; settling that without building the line's own
   * origin, and with a segment array of exactly one, spares an origin and its array per entry.
   */
  originOf(pieces: ReadonlyArray<{ startOffset: number; image: string }>): TextOrigin {
    if (this.builtOrigin === undefined && pieces.length === 1) {
      return { file: this.file, segments: [{ offset: 0, line: this.firstLine, column: 1 + pieces[0].startOffset }] };
    }
    return originOfPieces(this.origin, pieces);
  }
}

/** A continuation on the last physical line of a file (F2.5): the backslash's position. */
export interface DanglingContinuation {
  line: number;
  column: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Shared by the many lines that are not continued, to spare an allocation per line. */
const NO_JOINS: readonly number[] = [];
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Decodes file content per F1: UTF-8, leading byte-order mark removed, invalid bytes located. */
export function decodeSource(input: string | Uint8Array): DecodedSource {
  if (typeof input === 'string') {
    return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, invalidUtf8: [] };
  }
  const bytes = UTF8_BOM.every((byte, i) => input[i] === byte) ? input.subarray(UTF8_BOM.length) : input;
  try {
    // The common case: valid UTF-8 decodes in one native call.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), invalidUtf8: [] };
  } catch {
    // LF never occurs inside a multi-byte sequence, so the lenient decoding keeps the line
    // structure and every bad sequence lies within one line.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    return { text, invalidUtf8: locateInvalidUtf8(bytes) };
  }
}

function locateInvalidUtf8(bytes: Uint8Array): InvalidUtf8[] {
  const found: InvalidUtf8[] = [];
  const lineDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(LINE_FEED, start);
    if (end < 0) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    try {
      lineDecoder.decode(lineBytes);
    } catch {
      found.push({ line, column: firstInvalidColumn(lineBytes) });
    }
    line += 1;
    start = end + 1;
  }
  return found;
}

/** Column (in UTF-16 units of the lenient decoding) where a bad line's first invalid sequence starts. */
function firstInvalidColumn(lineBytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let decodedLength = 0;
  try {
    // Byte by byte, so that the text decoded before the failure tells where the bad sequence begins.
    for (let i = 0; i < lineBytes.length; i++) {
      decodedLength += decoder.decode(lineBytes.subarray(i, i + 1), { stream: true }).length;
    }
    decoder.decode();
  } catch {
    // The bytes held back when the decoder gave up are the start of the bad sequence.
  }
  return decodedLength + 1;
}

/** Splits decoded text into physical lines at LF, removing the CR of each CRLF pair (F1). */
export function physicalLines(text: string): string[] {
  const cursor = new PhysicalLineCursor(text);
  const lines: string[] = [];
  for (let line = cursor.next(); line !== null; line = cursor.next()) lines.push(line);
  return lines;
}

/**
 * Walks decoded text one physical line at a time (F1): lines end at LF, a CR before the LF is
 * dropped, and a final LF does not start another line.
 */
class PhysicalLineCursor {
  /** Offset where the next line starts. */
  private start = 0;
  /** 1-based number of the line `next` returned last. */
  number = 0;

  constructor(private readonly text: string) {}

  /** The next physical line, or null after the last one. */
  next(): string | null {
    const { text, start } = this;
    if (start >= text.length) return null;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    this.start = end + 1;
    this.number += 1;
    const carriageReturn = end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN;
    return text.slice(start, carriageReturn ? end - 1 : end);
  }
}

/**
 * Index of the backslash that continues this physical line (F2), or -1. The backslash must be the
 * last non-blank character and must not be the second half of a `$`-pair such as `$\` (F2.1).
 */
export function continuationBackslash(line: string): number {
  let last = line.length - 1;
  while (last >= 0 && (line[last] === ' ' || line[last] === '\t')) last--;
  if (last < 0 || line[last] !== '\\') return -1;
  let i = 0;
  while (i < last) i += line[i] === '$' ? 2 : 1;
  return i === last ? last : -1;
}

/**
 * Joins physical lines into logical lines (F2), one at a time: the builder builds each line as it
 * comes, so that a large file never holds all its lines and line shapes at once. A comment line is never continued (F2.4); a continuation on the
 * last line is reported and its logical line dropped (F2.5). Lines whose number is in
 * `taintedLines` mark the logical line they end up in.
 */
export class LogicalLineReader {
  private readonly physical: PhysicalLineCursor;
  /** Set once `next` has met a continuation on the last physical line. */
  danglingContinuation: DanglingContinuation | null = null;

  constructor(
    text: string,
    private readonly file: string,
    private readonly taintedLines: ReadonlySet<number>,
  ) {
    this.physical = new PhysicalLineCursor(text);
  }

  /** The next logical line, or null at the end of the text. */
  next(): LogicalLine | null {
    const { physical, file, taintedLines } = this;
    const first = physical.next();
    if (first === null) return null;
    const firstLine = physical.number;
    let backslash = first.startsWith('!') ? -1 : continuationBackslash(first);
    if (backslash < 0) {
      // The fast path for the usual line: one physical line, one segment.
      return new LogicalLine(first, file, firstLine, NO_JOINS, taintedLines.has(firstLine));
    }
    const segments = [{ offset: 0, line: firstLine, column: 1 }];
    const joins: number[] = [];
    let tainted = taintedLines.has(firstLine);
    let text = first.slice(0, backslash);
    let lastLine = firstLine;
    let lastBackslash = backslash;
    while (backslash >= 0) {
      const next = physical.next();
      if (next === null) {
        this.danglingContinuation = { line: lastLine, column: lastBackslash + 1 };
        return null;
      }
      lastLine = physical.number;
      tainted ||= taintedLines.has(lastLine);
      joins.push(text.length);
      segments.push({ offset: text.length, line: lastLine, column: 1 });
      backslash = continuationBackslash(next);
      if (backslash >= 0) lastBackslash = backslash;
      text += backslash >= 0 ? next.slice(0, backslash) : next;
    }
    return new LogicalLine(text, file, firstLine, joins, tainted, segments);
  }
}
