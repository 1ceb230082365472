import type { MappingSet } from './compile.js';
import type { MappingResult } from './types.js';

/** How often one entry took part in mapping calls since counting began. */
export interface EntryHits {
  table: string;
  /** 1-based position among the table's entries. */
  index: number;
  file: string;
  line: number;
  pattern: string;
  template: string;
  /** Times the pattern matched and the template was expanded (M1 trace steps), nested calls included. */
  matched: number;
  /** Of those, the expansions that completed. */
  applied: number;
  /** Of those, the expansions that failed (M3). */
  failed: number;
}

/** The JSON form of the counters: every entry, the ones never matched listed again under `unreached`. */
export interface HitReport {
  since: string;
  /** Top-level mapping calls per table. */
  lookups: Record<string, number>;
  entries: EntryHits[];
  /** Entries whose pattern never matched: candidates for dead rules. */
  unreached: Array<Pick<EntryHits, 'table' | 'index' | 'file' | 'line' | 'pattern'>>;
}

/**
 * Per-entry hit counters over one compiled mappings file. They are read from each result's trace (M1),
 * which names every entry that matched, nested `$|TABLE;…|` calls included; the engine itself is untouched.
 */
export class HitCounter {
  /** The same tables as the counted set; every call through it is counted. */
  readonly mappings: MappingSet;
  /** Every entry's counters in file order, and the same objects by `TABLE#index` for the trace lookups. */
  private readonly ordered: EntryHits[] = [];
  private readonly byEntry = new Map<string, EntryHits>();
  private readonly lookups = new Map<string, number>();
  private since = new Date();

  constructor(counted: MappingSet) {
    for (const table of counted.tables) {
      for (const entry of counted.entries(table) ?? []) {
        const hits: EntryHits = {
          table,
          index: entry.index,
          file: entry.patternSpan.file,
          line: entry.patternSpan.line,
          pattern: entry.pattern,
          template: entry.template,
          matched: 0,
          applied: 0,
          failed: 0,
        };
        this.ordered.push(hits);
        this.byEntry.set(entryKey(table, entry.index), hits);
      }
    }
    this.mappings = {
      tables: counted.tables,
      has: (table) => counted.has(table),
      entries: (table) => counted.entries(table),
      mapSync: (table, input, options) => this.record(counted.mapSync(table, input, options)),
      map: async (table, input, options) => this.record(await counted.map(table, input, options)),
    };
  }

  /** Counts one result's trace and hands the result back. */
  record(result: MappingResult): MappingResult {
    this.lookups.set(result.table, (this.lookups.get(result.table) ?? 0) + 1);
    for (const step of result.trace) {
      const hits = this.byEntry.get(entryKey(step.entry.table, step.entry.index));
      if (hits === undefined) continue;
      hits.matched += 1;
      if (step.outcome === 'failed-continue' || step.outcome === 'failed-end') hits.failed += 1;
      else hits.applied += 1;
    }
    return result;
  }

  /** Every entry with its counts, tables in file order. */
  entries(): EntryHits[] {
    return this.ordered.map((hits) => ({ ...hits }));
  }

  /** The entries whose pattern never matched. */
  unreached(): EntryHits[] {
    return this.entries().filter((hits) => hits.matched === 0);
  }

  /** Starts counting again from zero. */
  reset(): void {
    for (const hits of this.ordered) {
      hits.matched = 0;
      hits.applied = 0;
      hits.failed = 0;
    }
    this.lookups.clear();
    this.since = new Date();
  }

  /** The counters as JSON (what `JSON.stringify(counter)` writes). */
  toJSON(): HitReport {
    return {
      since: this.since.toISOString(),
      lookups: Object.fromEntries(this.lookups),
      entries: this.entries(),
      unreached: this.unreached().map(({ table, index, file, line, pattern }) => ({ table, index, file, line, pattern })),
    };
  }
}

function entryKey(table: string, index: number): string {
  return `${table}#${index}`;
}
