import type { Entry, ParsedMappings, PatternItem, TemplateNode } from '../syntax/ast.js';
import { parseMappings, ParseMemo, type ParseOptions } from '../syntax/index.js';
import type { TemplateProgram } from '../compile/template.js';
import { compileValidated, type CompileReuse, type MappingSet } from './compile.js';
import type { CompiledEntry } from './entry.js';
import type { CompiledTable } from './mapping.js';
import { validateCompileOptions, type CompileOptions } from './options.js';
import { entryCandidates, type CandidatesOf } from './table-index/index.js';

/** A version of the file, parsed and compiled. */
export interface CompiledVersion {
  /** The version's tables and diagnostics, as parseMappings gives them. */
  parsed: ParsedMappings;
  /** The version's tables compiled, as compile gives them. */
  set: MappingSet;
}

/**
 * Values kept from one compile for the next, by key: what the compile under way takes over moves
 * from the last generation to the new one, and the rest is dropped with the last generation, so a
 * cache never holds more than one version of the file needs.
 */
class Generations<K, V> {
  private last = new Map<K, V>();
  private current = new Map<K, V>();

  /** Starts a compile: the values of the one before become what can be taken over. */
  next(): void {
    this.last = this.current;
    this.current = new Map();
  }

  /** The value kept for a key by this compile or the last one. */
  take(key: K): V | undefined {
    return this.current.get(key) ?? this.last.get(key);
  }

  /** Keeps a value for the next compile. */
  keep(key: K, value: V): void {
    this.current.set(key, value);
  }

  /** The value for a key, kept or made by `build`, and kept for the next compile. */
  get(key: K, build: () => V): V {
    const value = this.take(key) ?? build();
    this.keep(key, value);
    return value;
  }
}

/**
 * Parses and compiles the successive versions of one mappings file, as an editor or the playground
 * does after each keystroke, doing again only the work on what changed. Unchanged entry lines are
 * recalled instead of parsed (ParseMemo); a table whose entries are all unchanged keeps its
 * compiled table and index; in a changed table, unchanged entries, moved or not, keep their
 * matchers and template programs, and the index is rebuilt from their kept keys. Every version answers exactly
 * as `compile(parseMappings(text, options), compileOptions)` would (test/engine/incremental.test.ts).
 * Includes are read through the `readInclude` given, as by parseMappings of `imsmap/browser`.
 */
export class IncrementalCompiler {
  private readonly settings: CompileOptions;
  private readonly memo = new ParseMemo();
  private readonly tables = new Generations<string, { entries: readonly Entry[]; compiled: CompiledTable }>();
  /** By pattern items, which an entry keeps when an edit moves it (ParseMemo). */
  private readonly entries = new Generations<readonly PatternItem[], CompiledEntry>();
  private readonly programs = new Generations<readonly TemplateNode[], TemplateProgram>();
  private readonly candidates = new Generations<readonly PatternItem[], ReturnType<CandidatesOf>>();
  private readonly reuse: CompileReuse;

  /** Options are validated (zod) once, here: malformed ones throw InvalidCompileOptionsError as with compile. */
  constructor(compileOptions?: CompileOptions) {
    this.settings = validateCompileOptions(compileOptions);
    this.reuse = {
      table: (name, entries, build) => {
        const kept = this.tables.take(name);
        const compiled = kept !== undefined && sameEntries(kept.entries, entries) ? kept.compiled : build();
        this.tables.keep(name, { entries, compiled });
        return compiled;
      },
      entry: (entry, build) => {
        const kept = this.entries.take(entry.patternItems);
        const compiled = kept === undefined ? build() : kept.source === entry ? kept : kept.movedTo(entry);
        this.entries.keep(entry.patternItems, compiled);
        return compiled;
      },
      program: (nodes, build) => this.programs.get(nodes, build),
      candidates: (entry) => this.candidates.get(entry.source.patternItems, () => entryCandidates(entry)),
    };
  }

  /** Parses and compiles the file's latest text. */
  compile(text: string | Uint8Array, parseOptions: Omit<ParseOptions, 'memo'> = {}): CompiledVersion {
    for (const cache of [this.tables, this.entries, this.programs, this.candidates]) cache.next();
    const parsed = parseMappings(text, { ...parseOptions, memo: this.memo });
    return { parsed, set: compileValidated(parsed, this.settings, this.reuse) };
  }
}

function sameEntries(kept: readonly Entry[], entries: readonly Entry[]): boolean {
  return kept.length === entries.length && kept.every((entry, position) => entry === entries[position]);
}
