import type { Diagnostic } from './diagnostics.js';

/** A range of a source file: 1-based lines and columns, end exclusive. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Where the characters of a pattern or template text came from. Continuation joins (F2) and the
 * white space F8 drops make a text's offsets jump between physical positions, so a text keeps one
 * segment per contiguous run: the character at `offset` stands at `line:column`, and the following
 * characters of the run follow it on the same line.
 */
export interface TextOrigin {
  file: string;
  segments: ReadonlyArray<{ offset: number; line: number; column: number }>;
}

// ---------------------------------------------------------------------------------------------
// Patterns (format.md P3–P9). Offsets and lengths are in code units of the pattern text and
// cover the item's whole source spelling (`$_$@*` for a lazy unsaved star).

/** Inclusive code-point range of a character class. */
export type CodeRange = readonly [number, number];

/**
 * The characters one wildcard position accepts. `any` is `*`/`%`; a letter is a named glob
 * (P3); `set` is `$[…]` (P5). `ranges` are as written: case-blind membership (P1, P5) is the
 * matcher's job, which tests a character and its ASCII case counterpart.
 */
export type CharClass =
  | { kind: 'any' }
  | { kind: 'glob'; letter: 'A' | 'B' | 'D' | 'H' | 'O' | 'S' | 'T' | 'X'; ranges: readonly CodeRange[] }
  | { kind: 'set'; ranges: readonly CodeRange[] };

/** Literal characters to match case-blind (P1); quoted `$$ $* $% $ ` already resolved. */
export interface LiteralItem {
  kind: 'literal';
  text: string;
  offset: number;
  length: number;
}

/** `*`, `%` and the globs: one character (`one`) or any number (`many`) of a class. */
export interface WildcardItem {
  kind: 'wildcard';
  width: 'one' | 'many';
  charClass: CharClass;
  /** `$_` before a `many` item: shortest first (P6, P10). Always false on `one` items. */
  lazy: boolean;
  /** Substitution number (P4), or null when saving was off (`$@`). */
  capture: number | null;
  offset: number;
  length: number;
}

/** `$n*`: the text saved item `ref` captured, compared case-blind (P8). */
export interface BackmatchItem {
  kind: 'backmatch';
  ref: number;
  offset: number;
  length: number;
}

/** `$(addr/n)`, `$<addr/n>`, `${addr/n}` (P9), normalised to a subnet. */
export interface IpItem {
  kind: 'ip';
  form: 'prefix' | 'ignore' | 'v6';
  family: 'ipv4' | 'ipv6';
  /** The address as written in the pattern. */
  address: string;
  /** Significant leading bits of the subnet in the address's own family (ignore form converted). */
  prefixLength: number;
  /** Network bytes with host bits masked off (4 or 16 bytes). */
  network: readonly number[];
  capture: number | null;
  offset: number;
  length: number;
}

/** One item of a parsed pattern. */
export type PatternItem = LiteralItem | WildcardItem | BackmatchItem | IpItem;

// ---------------------------------------------------------------------------------------------
// Templates (format.md T2–T11). Offsets and lengths are in code units of the template text.

interface NodeBase {
  offset: number;
  length: number;
}

/** One element of a parsed template, expanded left to right (T1). */
export type TemplateNode =
  /** Literal text, quotes `$$ $ ` already resolved. */
  | (NodeBase & { kind: 'literal'; text: string })
  /** `$0`–`$9` (T3). */
  | (NodeBase & { kind: 'capture'; index: number })
  /** `$\` lower, `$^` upper, `$_` original case and end of `$=` (T4). */
  | (NodeBase & { kind: 'case'; mode: 'lower' | 'upper' | 'original' })
  /** `$=`: LDAP-filter quoting of later substituted text (T4). */
  | (NodeBase & { kind: 'quote' })
  /** `$C $E $L $R`, letter upper-cased (T5). */
  | (NodeBase & { kind: 'control'; control: 'C' | 'E' | 'L' | 'R' })
  /** `$:x` (whenSet true) / `$;x` (whenSet false); letters upper-cased (T6). */
  | (NodeBase & { kind: 'flagTest'; flag: string; whenSet: boolean })
  /** `$?x?`: continue with probability `percent` (T6). */
  | (NodeBase & { kind: 'random'; percent: number })
  /** Any other `$`+character: an output flag; letters upper-cased (T7). */
  | (NodeBase & { kind: 'flag'; flag: string })
  /** `$|table;argument|` (T9); table upper-cased. */
  | (NodeBase & { kind: 'mapping'; table: string; argument: TemplateNode[] })
  /** `$[image,routine,argument]` (T10). */
  | (NodeBase & { kind: 'routine'; image: string; routine: string; argument: TemplateNode[] })
  /** `${key}` general database (T11). */
  | (NodeBase & { kind: 'database'; argument: TemplateNode[] })
  /** `$]url[` (T11). */
  | (NodeBase & { kind: 'url'; argument: TemplateNode[] })
  /** `$}domain,attribute{` (T11); split at the first comma after expansion. */
  | (NodeBase & { kind: 'domain'; argument: TemplateNode[] })
  /** `$#file|radix|width|m#` (T11); radix may be negative (lower-case digits). */
  | (NodeBase & { kind: 'sequence'; file: string; radix: number; width: number; modulus: number | null });

// ---------------------------------------------------------------------------------------------
// Files

/** One `pattern template` line of a table; only entries without errors reach the AST. */
export interface Entry {
  /** Upper-cased name of the table the entry belongs to. */
  table: string;
  /** 1-based position among the table's entries. */
  index: number;
  /** Pattern text after F2 joins, spelled as written (`$ ` kept). */
  pattern: string;
  /** Template text after F2 joins and the F8 white-space rule. */
  template: string;
  patternItems: PatternItem[];
  templateNodes: TemplateNode[];
  /** Number of saved items of the pattern (P4). */
  captureCount: number;
  patternOrigin: TextOrigin;
  templateOrigin: TextOrigin;
  patternSpan: Span;
  /** For an entry without template: an empty span just after the pattern. */
  templateSpan: Span;
}

/** A named table (F4) with its entries in file order. */
export interface Table {
  /** Upper-cased name (F4). */
  name: string;
  /** The header's name as written. */
  span: Span;
  entries: Entry[];
}

/** An include line (F7) that names a file, whether or not the file could be read. */
export interface IncludeLine {
  /** The file spec as written after `<`, white space trimmed. */
  spec: string;
  /** The path it names, relative specs resolved against the including file's folder (F7 Decision). */
  file: string;
  /** Where the spec stands on the include line. */
  span: Span;
}

/** What the parser returns: the tables it could build and every diagnostic, never an exception. */
export interface ParsedMappings {
  tables: Table[];
  diagnostics: Diagnostic[];
  /** The top-level file followed by every file read through an include, in reading order. */
  files: string[];
  /** Every include line that names a file, in reading order: what editors link to. */
  includes: IncludeLine[];
}
