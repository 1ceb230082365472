import { compile, type MappingSet } from '../engine/compile.js';
import type { EntryRef } from '../engine/types.js';
import type { Entry, ParsedMappings, Table } from '../syntax/ast.js';
import type { LintConfig } from './config-types.js';
import { findPreemptions, type Preemption } from './reachability.js';

/** What every lint rule sees: the parsed file, the configuration, and analyses computed once and shared. */
export class LintContext {
  private compiled: MappingSet | undefined;
  private readonly preemptions = new Map<Table, Map<Entry, Preemption>>();
  private readonly byName: Map<string, Table>;

  constructor(
    readonly parsed: ParsedMappings,
    readonly config: LintConfig,
  ) {
    this.byName = new Map(parsed.tables.map((table) => [table.name, table]));
  }

  /** The tables, in file order. */
  get tables(): readonly Table[] {
    return this.parsed.tables;
  }

  /** A table by its upper-cased name. */
  table(name: string): Table | undefined {
    return this.byName.get(name);
  }

  /** The entry a trace step or result names. */
  entry(ref: EntryRef): Entry | undefined {
    return this.byName.get(ref.table)?.entries[ref.index - 1];
  }

  /**
   * The tables compiled for evaluation, without providers: lookups fail as they do for an unconfigured
   * site, and nothing the linter or the audit evaluates writes a file or opens a connection (M13).
   */
  get mappings(): MappingSet {
    this.compiled ??= compile(this.parsed);
    return this.compiled;
  }

  /** M2: for each entry an earlier entry always pre-empts, that pre-emption. Each table is analysed when first asked about. */
  preemption(entry: Entry): Preemption | undefined {
    // By position, not by name: a file may repeat a table name (F12), and each table is analysed on its own.
    const table = this.tables.find((candidate) => candidate.entries[entry.index - 1] === entry);
    if (table === undefined) return undefined;
    let found = this.preemptions.get(table);
    if (found === undefined) {
      found = new Map(findPreemptions(table).map((preemption) => [preemption.entry, preemption]));
      this.preemptions.set(table, found);
    }
    return found.get(entry);
  }
}
