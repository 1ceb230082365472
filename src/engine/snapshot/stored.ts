/**
 * The in-memory face of a compiled mappings file (`imsmap build`): entries kept in typed arrays and
 * materialised on demand, and the tables' indexes as they were built, so that loading a compiled file
 * neither parses nor re-indexes. Browser-safe: the file format and its checks live in file.ts.
 */
import type { CompilePatternOptions } from '../../compile/index.js';
import type { TemplateProgram } from '../../compile/template.js';
import type { Entry, ParsedMappings, PatternItem, Span, Table, TemplateNode, TextOrigin } from '../../syntax/ast.js';
import { parsePattern } from '../../syntax/pattern/index.js';
import { CompiledEntry } from '../entry.js';
import { CompiledTable } from '../mapping.js';
import { TableIndex } from '../table-index/index.js';

// One entry's fields in a table's entry array, in this order.
export const PATTERN_STRING = 0;
export const TEMPLATE_ID = 1;
export const FILE = 2;
export const CAPTURE_COUNT = 3;
export const PATTERN_SPAN = 4;
export const TEMPLATE_SPAN = 8;
/**
 * First segment of the pattern origin; the template origin's segments follow the pattern's. A count
 * of DERIVED_SEGMENT stands for the one segment most texts have: offset 0 at the start of their span.
 */
export const SEGMENT_START = 12;
export const PATTERN_SEGMENTS = 13;
export const TEMPLATE_SEGMENTS = 14;
export const DERIVED_SEGMENT = -1;
export const ENTRY_FIELDS = 15;
/** Each origin segment: offset, line, column. */
export const SEGMENT_FIELDS = 3;

/** All pattern and template texts: UTF-16 units, and where each string starts (one more offset than strings). */
export interface StringPool {
  units: Uint16Array;
  offsets: Uint32Array;
}

/** A distinct template text and its parsed nodes, shared by every entry written with it. */
export interface StoredTemplate {
  text: string;
  nodes: TemplateNode[];
}

/** One table of a compiled file: its header, entries as fields (ENTRY_FIELDS each) and index state. */
export interface StoredTable {
  name: string;
  span: Span;
  fields: Int32Array;
  segments: Int32Array;
  /** TableIndex.storedState() as it was built. */
  index: Record<string, unknown>;
}

/** Everything a compiled file holds besides its provenance, already validated. */
export interface StoredMappings {
  parsed: Omit<ParsedMappings, 'tables'>;
  strings: StringPool;
  templates: StoredTemplate[];
  tables: StoredTable[];
}

/** Longest run passed to String.fromCharCode at once: argument lists have a size limit. */
const DECODE_CHUNK = 8192;

/** The string at `id` of a pool. */
export function poolString(pool: StringPool, id: number): string {
  const start = pool.offsets[id];
  const end = pool.offsets[id + 1];
  let text = '';
  for (let at = start; at < end; at += DECODE_CHUNK) {
    text += String.fromCharCode.apply(null, pool.units.subarray(at, Math.min(end, at + DECODE_CHUNK)) as unknown as number[]);
  }
  return text;
}

/**
 * An entry of a compiled file: the Entry fields are read from the table's arrays when asked for, and
 * the pattern is parsed only when its items are first needed (the index decides most probes by keys).
 */
class StoredEntry implements Entry {
  private items: PatternItem[] | null = null;

  constructor(
    private readonly stored: StoredMappings,
    private readonly from: StoredTable,
    readonly index: number,
  ) {}

  private field(offset: number): number {
    return this.from.fields[ENTRY_FIELDS * (this.index - 1) + offset];
  }

  get table(): string {
    return this.from.name;
  }

  get pattern(): string {
    return poolString(this.stored.strings, this.field(PATTERN_STRING));
  }

  get template(): string {
    return this.stored.templates[this.field(TEMPLATE_ID)].text;
  }

  get patternItems(): PatternItem[] {
    return (this.items ??= parsePattern(this.pattern).items);
  }

  get templateNodes(): TemplateNode[] {
    return this.stored.templates[this.field(TEMPLATE_ID)].nodes;
  }

  get captureCount(): number {
    return this.field(CAPTURE_COUNT);
  }

  private get file(): string {
    return this.stored.parsed.files[this.field(FILE)];
  }

  private span(at: number): Span {
    const base = ENTRY_FIELDS * (this.index - 1) + at;
    const fields = this.from.fields;
    return { file: this.file, line: fields[base], column: fields[base + 1], endLine: fields[base + 2], endColumn: fields[base + 3] };
  }

  private origin(first: number, count: number, spanAt: number): TextOrigin {
    if (count === DERIVED_SEGMENT) {
      const { line, column } = this.span(spanAt);
      return { file: this.file, segments: [{ offset: 0, line, column }] };
    }
    const segments = [];
    const stored = this.from.segments;
    for (let at = SEGMENT_FIELDS * first; at < SEGMENT_FIELDS * (first + count); at += SEGMENT_FIELDS) {
      segments.push({ offset: stored[at], line: stored[at + 1], column: stored[at + 2] });
    }
    return { file: this.file, segments };
  }

  get patternSpan(): Span {
    return this.span(PATTERN_SPAN);
  }

  get templateSpan(): Span {
    return this.span(TEMPLATE_SPAN);
  }

  get patternOrigin(): TextOrigin {
    return this.origin(this.field(SEGMENT_START), this.field(PATTERN_SEGMENTS), PATTERN_SPAN);
  }

  get templateOrigin(): TextOrigin {
    return this.origin(this.field(SEGMENT_START) + storedSegments(this.field(PATTERN_SEGMENTS)), this.field(TEMPLATE_SEGMENTS), TEMPLATE_SPAN);
  }

  /** The plain Entry, for JSON output: the fields live on the prototype as getters. */
  toJSON(): Entry {
    const { table, index, pattern, template, patternItems, templateNodes, captureCount, patternOrigin, templateOrigin, patternSpan, templateSpan } = this;
    return { table, index, pattern, template, patternItems, templateNodes, captureCount, patternOrigin, templateOrigin, patternSpan, templateSpan };
  }
}

/** How many segments an origin's count keeps in the segment array. */
export function storedSegments(count: number): number {
  return count === DERIVED_SEGMENT ? 0 : count;
}

/** The stored parts behind each ParsedMappings a compiled file produced, for `compile` to reuse. */
const storedOf = new WeakMap<ParsedMappings, StoredMappings>();

/** ParsedMappings over a compiled file's contents: entries read lazily, the stored indexes kept for `compile`. */
export function storedParsedMappings(stored: StoredMappings): ParsedMappings {
  const tables: Table[] = stored.tables.map((table) => {
    const count = table.fields.length / ENTRY_FIELDS;
    const entries: Entry[] = new Array<Entry>(count);
    for (let position = 0; position < count; position++) entries[position] = new StoredEntry(stored, table, position + 1);
    return { name: table.name, span: table.span, entries };
  });
  const parsed: ParsedMappings = { ...stored.parsed, tables };
  storedOf.set(parsed, stored);
  return parsed;
}

/**
 * The compiled tables of mappings loaded from a compiled file, with their stored indexes; null for
 * mappings parsed from text. `programOf` is compile's, so programs are shared as they are for text.
 */
export function restoreTables(
  parsed: ParsedMappings,
  matcherOptions: CompilePatternOptions,
  programOf: (nodes: readonly TemplateNode[]) => TemplateProgram,
  indexed: boolean,
): CompiledTable[] | null {
  const stored = storedOf.get(parsed);
  if (stored === undefined) return null;
  return parsed.tables.map((table, number) => {
    const from = stored.tables[number];
    const entries = table.entries.map((entry) => new CompiledEntry(entry, matcherOptions));
    const programs: TemplateProgram[] = [];
    const programNumbers = new Map<number, number>();
    const steps = new Int32Array(CompiledTable.STEP_FIELDS * entries.length);
    for (let position = 0; position < entries.length; position++) {
      const fields = ENTRY_FIELDS * position;
      const template = from.fields[fields + TEMPLATE_ID];
      let program = programNumbers.get(template);
      if (program === undefined) programNumbers.set(template, (program = programs.push(programOf(stored.templates[template].nodes)) - 1));
      const step = CompiledTable.STEP_FIELDS * position;
      steps[step] = program;
      steps[step + 1] = from.fields[fields + PATTERN_SPAN];
      steps[step + 2] = from.fields[fields + FILE];
    }
    const index = indexed ? TableIndex.fromStoredState(entries, from.index) : null;
    return CompiledTable.restore(table.name, entries, programs, stored.parsed.files, steps, index);
  });
}
