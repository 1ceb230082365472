/**
 * The compiled-file format (`imsmap build`): a fixed header, JSON metadata and typed-array sections,
 * laid out so that loading views the arrays where they lie instead of parsing and indexing again.
 *
 *   0  magic (8 bytes)            48  metadata (UTF-8 JSON), zero-padded to a multiple of 8
 *   8  format version (u32 LE)    …   sections, each starting at a multiple of 8
 *  12  metadata length (u32 LE)
 *  16  SHA-256 of bytes 48…end
 *
 * Nothing is trusted before it is checked: a short, corrupt or foreign file is refused with a
 * CompiledFileError before any array is viewed, and every length and offset is checked against the
 * file (fail closed: no crash, no allocation larger than the file).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Entry, ParsedMappings, Span, TemplateNode, TextOrigin } from '../../syntax/ast.js';
import { CompiledEntry } from '../entry.js';
import { TableIndex } from '../table-index/index.js';
import {
  CAPTURE_COUNT,
  DERIVED_SEGMENT,
  ENTRY_FIELDS,
  FILE,
  PATTERN_SEGMENTS,
  PATTERN_SPAN,
  PATTERN_STRING,
  SEGMENT_FIELDS,
  SEGMENT_START,
  TEMPLATE_ID,
  TEMPLATE_SEGMENTS,
  TEMPLATE_SPAN,
  storedSegments,
  type StoredMappings,
  type StoredTable,
  type StoredTemplate,
} from './stored.js';

/** The first bytes of every compiled file: not text, so no mappings file starts with them. */
export const COMPILED_MAGIC = Uint8Array.from([0x89, 0x49, 0x4d, 0x53, 0x4d, 0x41, 0x50, 0x1a]);
/** Bumped whenever the layout changes; a file of another format version is foreign. */
export const COMPILED_FORMAT_VERSION = 1;
const HEADER_BYTES = 48;
const DIGEST_AT = 16;
const DIGEST_BYTES = 32;
const ALIGN = 8;

/** Why a compiled file was refused. */
export type CompiledFileProblem = 'unreadable' | 'corrupt' | 'foreign' | 'stale';

/** A compiled file that cannot be used; `source` names the changed source file of a stale one. */
export class CompiledFileError extends Error {
  override name = 'CompiledFileError';
  constructor(
    readonly problem: CompiledFileProblem,
    message: string,
    readonly source?: string,
  ) {
    super(message);
  }
}

/** One source file a compiled file was built from: the path as the parser named it, its absolute path and hash. */
export interface CompiledSource {
  path: string;
  resolved: string;
  sha256: string;
}

/** What the metadata records besides the stored mappings. */
export interface CompiledProvenance {
  imsmap: string;
  sources: CompiledSource[];
}

/** Whether bytes start like a compiled file (content decides, not the name: a renamed compiled file is still recognised). */
export function isCompiled(bytes: Uint8Array): boolean {
  return bytes.length >= COMPILED_MAGIC.length && COMPILED_MAGIC.every((byte, at) => bytes[at] === byte);
}

const ARRAY_TYPES = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
type StoredArray =
  | Int8Array<ArrayBufferLike>
  | Uint8Array<ArrayBufferLike>
  | Int16Array<ArrayBufferLike>
  | Uint16Array<ArrayBufferLike>
  | Int32Array<ArrayBufferLike>
  | Uint32Array<ArrayBufferLike>
  | Float32Array<ArrayBufferLike>
  | Float64Array<ArrayBufferLike>;

function arrayTypeName(value: unknown): ArrayTypeName | null {
  if (!ArrayBuffer.isView(value)) return null;
  const name = value.constructor.name;
  return name in ARRAY_TYPES ? (name as ArrayTypeName) : null;
}

const count = z.number().int().nonnegative();
const spanSchema = z.object({ file: z.string(), line: count, column: count, endLine: count, endColumn: count });
const templateNodeSchema: z.ZodType<TemplateNode> = z.lazy(() => {
  const base = { offset: count, length: count };
  const argument = z.array(templateNodeSchema);
  return z.discriminatedUnion('kind', [
    z.object({ ...base, kind: z.literal('literal'), text: z.string() }),
    z.object({ ...base, kind: z.literal('capture'), index: count }),
    z.object({ ...base, kind: z.literal('case'), mode: z.enum(['lower', 'upper', 'original']) }),
    z.object({ ...base, kind: z.literal('quote') }),
    z.object({ ...base, kind: z.literal('control'), control: z.enum(['C', 'E', 'L', 'R']) }),
    z.object({ ...base, kind: z.literal('flagTest'), flag: z.string(), whenSet: z.boolean() }),
    z.object({ ...base, kind: z.literal('random'), percent: z.number() }),
    z.object({ ...base, kind: z.literal('flag'), flag: z.string() }),
    z.object({ ...base, kind: z.literal('mapping'), table: z.string(), argument }),
    z.object({ ...base, kind: z.literal('routine'), image: z.string(), routine: z.string(), argument }),
    z.object({ ...base, kind: z.literal('database'), argument }),
    z.object({ ...base, kind: z.literal('url'), argument }),
    z.object({ ...base, kind: z.literal('domain'), argument }),
    z.object({ ...base, kind: z.literal('sequence'), file: z.string(), radix: z.number().int(), width: count, modulus: count.nullable() }),
  ]) as z.ZodType<TemplateNode>;
});
const sectionRef = count;
const indexFieldSchema = z.union([
  z.object({ array: sectionRef }).strict(),
  z.object({ arrays: z.array(sectionRef) }).strict(),
  z.object({ json: z.unknown() }).strict(),
]);
const metadataSchema = z.object({
  imsmap: z.string(),
  littleEndian: z.boolean(),
  sources: z.array(z.object({ path: z.string(), resolved: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  files: z.array(z.string()).min(1),
  includes: z.array(z.object({ spec: z.string(), file: z.string(), span: spanSchema })),
  diagnostics: z.array(
    spanSchema.extend({ severity: z.enum(['error', 'warning', 'info']), code: z.string(), message: z.string(), hint: z.string().optional() }),
  ),
  templates: z.array(z.object({ text: z.string(), nodes: z.array(templateNodeSchema) })),
  strings: z.object({ units: sectionRef, offsets: sectionRef }),
  tables: z.array(
    z.object({
      name: z.string(),
      span: spanSchema,
      fields: sectionRef,
      segments: sectionRef,
      index: z.record(z.string(), indexFieldSchema),
    }),
  ),
  sections: z.array(z.object({ type: z.enum(Object.keys(ARRAY_TYPES) as [ArrayTypeName, ...ArrayTypeName[]]), offset: count, length: count })),
});
type Metadata = z.infer<typeof metadataSchema>;
type IndexField = z.infer<typeof indexFieldSchema>;

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Sections being written: the arrays, and their entries in the metadata. */
class SectionWriter {
  readonly arrays: StoredArray[] = [];

  add(array: StoredArray): number {
    return this.arrays.push(array) - 1;
  }
}

/** Strings interned into one UTF-16 pool. */
class PoolWriter {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private units = 0;

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      this.ids.set(text, (id = this.texts.push(text) - 1));
      this.units += text.length;
    }
    return id;
  }

  arrays(): { units: Uint16Array; offsets: Uint32Array } {
    const units = new Uint16Array(this.units);
    const offsets = new Uint32Array(this.texts.length + 1);
    let at = 0;
    this.texts.forEach((text, id) => {
      for (let unit = 0; unit < text.length; unit++) units[at + unit] = text.charCodeAt(unit);
      at += text.length;
      offsets[id + 1] = at;
    });
    return { units, offsets };
  }
}

function writeSpan(fields: Int32Array, at: number, span: { line: number; column: number; endLine: number; endColumn: number }): void {
  fields[at] = span.line;
  fields[at + 1] = span.column;
  fields[at + 2] = span.endLine;
  fields[at + 3] = span.endColumn;
}

/** Appends an origin's segments, unless it is the one segment its span implies; returns the count stored. */
function storeOrigin(origin: TextOrigin, span: Span, segments: number[]): number {
  const [first] = origin.segments;
  if (origin.segments.length === 1 && first!.offset === 0 && first!.line === span.line && first!.column === span.column) return DERIVED_SEGMENT;
  for (const segment of origin.segments) segments.push(segment.offset, segment.line, segment.column);
  return origin.segments.length;
}

/** The stored state of a table's index, its arrays moved to sections. */
function indexFields(entries: readonly Entry[], sections: SectionWriter): Record<string, IndexField> {
  const state = TableIndex.build(entries.map((entry) => new CompiledEntry(entry, {}))).storedState();
  return Object.fromEntries(
    Object.entries(state).map(([name, value]): [string, IndexField] => {
      if (arrayTypeName(value) !== null) return [name, { array: sections.add(value as StoredArray) }];
      if (Array.isArray(value) && value.length > 0 && value.every((item) => arrayTypeName(item) !== null)) {
        return [name, { arrays: value.map((item: StoredArray) => sections.add(item)) }];
      }
      return [name, { json: value }];
    }),
  );
}

/** Encodes parsed mappings (without errors) into the bytes of a compiled file. */
export function encodeCompiled(parsed: ParsedMappings, provenance: CompiledProvenance): Uint8Array {
  const sections = new SectionWriter();
  const pool = new PoolWriter();
  const templates: StoredTemplate[] = [];
  const templateIds = new Map<string, number>();
  const fileIds = new Map(parsed.files.map((file, id) => [file, id]));
  const tables = parsed.tables.map((table) => {
    const fields = new Int32Array(ENTRY_FIELDS * table.entries.length);
    const segments: number[] = [];
    table.entries.forEach((entry, position) => {
      const at = ENTRY_FIELDS * position;
      let template = templateIds.get(entry.template);
      if (template === undefined) templateIds.set(entry.template, (template = templates.push({ text: entry.template, nodes: entry.templateNodes }) - 1));
      fields[at + PATTERN_STRING] = pool.id(entry.pattern);
      fields[at + TEMPLATE_ID] = template;
      fields[at + FILE] = fileIds.get(entry.patternSpan.file) ?? 0;
      fields[at + CAPTURE_COUNT] = entry.captureCount;
      writeSpan(fields, at + PATTERN_SPAN, entry.patternSpan);
      writeSpan(fields, at + TEMPLATE_SPAN, entry.templateSpan);
      fields[at + SEGMENT_START] = segments.length / SEGMENT_FIELDS;
      fields[at + PATTERN_SEGMENTS] = storeOrigin(entry.patternOrigin, entry.patternSpan, segments);
      fields[at + TEMPLATE_SEGMENTS] = storeOrigin(entry.templateOrigin, entry.templateSpan, segments);
    });
    return {
      name: table.name,
      span: table.span,
      fields: sections.add(fields),
      segments: sections.add(Int32Array.from(segments)),
      index: indexFields(table.entries, sections),
    };
  });
  const strings = pool.arrays();
  const stringRefs = { units: sections.add(strings.units), offsets: sections.add(strings.offsets) };

  const layout = (metadataBytes: number): Metadata['sections'] => {
    let at = HEADER_BYTES + alignUp(metadataBytes);
    return sections.arrays.map((array) => {
      const section = { type: arrayTypeName(array)!, offset: at, length: array.length };
      at += alignUp(array.byteLength);
      return section;
    });
  };
  const metadataOf = (laidOut: Metadata['sections']): Metadata => ({
    imsmap: provenance.imsmap,
    littleEndian: LITTLE_ENDIAN,
    sources: provenance.sources,
    files: parsed.files,
    includes: parsed.includes,
    diagnostics: parsed.diagnostics,
    templates,
    strings: stringRefs,
    tables,
    sections: laidOut,
  });
  // Offsets depend on the metadata's length and the metadata holds them: lay out until it settles.
  let metadata = new TextEncoder().encode(JSON.stringify(metadataOf(layout(0))));
  for (;;) {
    const next = new TextEncoder().encode(JSON.stringify(metadataOf(layout(metadata.length))));
    if (alignUp(next.length) === alignUp(metadata.length)) {
      metadata = next;
      break;
    }
    metadata = next;
  }
  const laidOut = layout(metadata.length);
  const total = laidOut.length === 0 ? HEADER_BYTES + alignUp(metadata.length) : laidOut.at(-1)!.offset + alignUp(sections.arrays.at(-1)!.byteLength);
  const bytes = new Uint8Array(total);
  bytes.set(COMPILED_MAGIC, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, COMPILED_FORMAT_VERSION, true);
  view.setUint32(12, metadata.length, true);
  bytes.set(metadata, HEADER_BYTES);
  laidOut.forEach((section, at) => {
    const array = sections.arrays[at];
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), section.offset);
  });
  bytes.set(createHash('sha256').update(bytes.subarray(HEADER_BYTES)).digest(), DIGEST_AT);
  return bytes;
}

function alignUp(length: number): number {
  return Math.ceil(length / ALIGN) * ALIGN;
}

/** The decoded contents of a compiled file: where it came from and what it holds. */
export interface DecodedCompiled {
  provenance: CompiledProvenance;
  stored: StoredMappings;
}

/**
 * Decodes and checks a compiled file's bytes: magic, format and imsmap version (`foreign`), digest,
 * metadata schema and every section, string and entry field (`corrupt`). Throws CompiledFileError.
 */
export function decodeCompiled(input: Uint8Array, imsmapVersion: string): DecodedCompiled {
  const corrupt = (what: string): CompiledFileError => new CompiledFileError('corrupt', `corrupt compiled file: ${what}`);
  if (!isCompiled(input)) throw new CompiledFileError('foreign', 'not a compiled mappings file');
  if (input.length < HEADER_BYTES) throw corrupt('shorter than its header (truncated?)');
  const header = new DataView(input.buffer, input.byteOffset, HEADER_BYTES);
  const format = header.getUint32(8, true);
  if (format !== COMPILED_FORMAT_VERSION) {
    throw new CompiledFileError('foreign', `compiled file format ${format}, this imsmap reads format ${COMPILED_FORMAT_VERSION}: build it again`);
  }
  const metadataLength = header.getUint32(12, true);
  if (metadataLength > input.length - HEADER_BYTES) throw corrupt('metadata runs past the end of the file (truncated?)');
  const digest = createHash('sha256').update(input.subarray(HEADER_BYTES)).digest();
  if (!digest.equals(input.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES))) throw corrupt('content does not match its SHA-256 (truncated or altered)');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.subarray(HEADER_BYTES, HEADER_BYTES + metadataLength)));
  } catch {
    throw corrupt('metadata is not JSON');
  }
  const checked = metadataSchema.safeParse(json);
  if (!checked.success) throw corrupt(`metadata: ${checked.error.issues[0]?.message ?? 'invalid'} at ${checked.error.issues[0]?.path.join('.')}`);
  const metadata = checked.data;
  if (metadata.imsmap !== imsmapVersion) {
    throw new CompiledFileError('foreign', `built by imsmap ${metadata.imsmap}, this is imsmap ${imsmapVersion}: build it again`);
  }
  if (metadata.littleEndian !== LITTLE_ENDIAN) throw new CompiledFileError('foreign', 'built on a machine of the other byte order: build it again');

  // Views need their element alignment; a buffer from a pool may start anywhere.
  const bytes = input.byteOffset % ALIGN === 0 ? input : input.slice();
  const bodyStart = HEADER_BYTES + alignUp(metadataLength);
  const views = metadata.sections.map(({ type, offset, length }, number) => {
    const Type = ARRAY_TYPES[type];
    if (offset < bodyStart || offset % ALIGN !== 0 || offset + length * Type.BYTES_PER_ELEMENT > bytes.length) {
      throw corrupt(`section ${number} lies outside the file`);
    }
    return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, length);
  });
  const section = <T extends ArrayTypeName>(ref: number, type: T): InstanceType<(typeof ARRAY_TYPES)[T]> => {
    const view = views[ref];
    if (view === undefined || arrayTypeName(view) !== type) throw corrupt(`section ${ref} is missing or not a ${type}`);
    return view as InstanceType<(typeof ARRAY_TYPES)[T]>;
  };

  const strings = { units: section(metadata.strings.units, 'Uint16Array'), offsets: section(metadata.strings.offsets, 'Uint32Array') };
  const stringCount = strings.offsets.length - 1;
  if (stringCount < 0 || strings.offsets[0] !== 0) throw corrupt('string offsets');
  for (let id = 0; id < stringCount; id++) {
    if (strings.offsets[id + 1] < strings.offsets[id] || strings.offsets[id + 1] > strings.units.length) throw corrupt('string offsets');
  }
  const reference = TableIndex.build([]).storedState();
  const tables = metadata.tables.map((table): StoredTable => {
    const fields = section(table.fields, 'Int32Array');
    const segments = section(table.segments, 'Int32Array');
    checkEntries(fields, segments, { strings: stringCount, templates: metadata.templates.length, files: metadata.files.length }, corrupt);
    return { name: table.name, span: table.span, fields, segments, index: indexState(table.index, reference, views, corrupt) };
  });
  const { imsmap, sources, files, includes, diagnostics, templates } = metadata;
  return { provenance: { imsmap, sources }, stored: { parsed: { files, includes, diagnostics }, strings, templates, tables } };
}

/** Checks that every entry's references fall inside the pools and arrays they point into. */
function checkEntries(
  fields: Int32Array,
  segments: Int32Array,
  limits: { strings: number; templates: number; files: number },
  corrupt: (what: string) => CompiledFileError,
): void {
  if (fields.length % ENTRY_FIELDS !== 0 || segments.length % SEGMENT_FIELDS !== 0) throw corrupt('entry arrays have a partial record');
  const segmentCount = segments.length / SEGMENT_FIELDS;
  const below = (value: number, limit: number): boolean => value >= 0 && value < limit;
  for (let at = 0; at < fields.length; at += ENTRY_FIELDS) {
    const first = fields[at + SEGMENT_START];
    const used = storedSegments(fields[at + PATTERN_SEGMENTS]) + storedSegments(fields[at + TEMPLATE_SEGMENTS]);
    if (
      !below(fields[at + PATTERN_STRING], limits.strings) ||
      !below(fields[at + TEMPLATE_ID], limits.templates) ||
      !below(fields[at + FILE], limits.files) ||
      fields[at + PATTERN_SEGMENTS] < DERIVED_SEGMENT ||
      fields[at + TEMPLATE_SEGMENTS] < DERIVED_SEGMENT ||
      first < 0 ||
      first + used > segmentCount
    ) {
      throw corrupt(`entry ${at / ENTRY_FIELDS + 1} points outside the file`);
    }
  }
}

/**
 * A stored index state, checked against the shape of an index this version builds: the same fields,
 * each an array of the same type or a value of the same JSON type.
 */
function indexState(
  stored: Record<string, IndexField>,
  reference: Record<string, unknown>,
  views: StoredArray[],
  corrupt: (what: string) => CompiledFileError,
): Record<string, unknown> {
  const names = Object.keys(reference);
  if (Object.keys(stored).length !== names.length) throw corrupt('index fields');
  return Object.fromEntries(
    names.map((name) => {
      const field = stored[name];
      const expected = reference[name];
      const fitting = (value: unknown, like: unknown): boolean =>
        arrayTypeName(like) !== null ? arrayTypeName(value) === arrayTypeName(like) : typeof value === typeof like && Array.isArray(value) === Array.isArray(like);
      let value: unknown;
      if (field === undefined) throw corrupt(`index field ${name} is missing`);
      if ('array' in field) value = views[field.array];
      else if ('arrays' in field) value = field.arrays.map((ref) => views[ref]);
      else value = field.json;
      const fits = Array.isArray(expected) && Array.isArray(value) && 'arrays' in field
        ? expected.length > 0 && value.every((item) => fitting(item, expected[0]))
        : fitting(value, expected);
      if (!fits) throw corrupt(`index field ${name}`);
      return [name, value];
    }),
  );
}
