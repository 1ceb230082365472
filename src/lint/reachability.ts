import { CompiledEntry } from '../engine/entry.js';
import { TableIndex } from '../engine/table-index/index.js';
import type { Entry, Table } from '../syntax/ast.js';
import { matchesEverything, patternCovers, patternKey, sampleInput } from './pattern-inclusion.js';
import { alwaysEnds, mayContinue } from './templates.js';

/** An entry that can never be used, and the earlier entry that always takes its inputs (M2). */
export interface Preemption {
  entry: Entry;
  by: Entry;
}

/**
 * Above this many entries a table is checked for catch-alls and duplicate patterns only: the full
 * proof compares an entry with every earlier one its sample input reaches, which can grow with the
 * square of the table.
 */
export const PAIRWISE_LIMIT = 2000;

/**
 * M2: the entries of a table that an earlier entry always pre-empts. Entry i pre-empts a later entry
 * j when i always ends the mapping once it matches (no failure, no `$C`/`$L`/`$R`), every string j
 * matches is matched by i, and no entry between them may continue the scan with a changed string
 * (after such an entry j could be tried on a string i was never offered). A pre-empted entry never
 * matches, so it neither pre-empts nor continues anything itself.
 */
export function findPreemptions(table: Table): Preemption[] {
  const pairwise = table.entries.length <= PAIRWISE_LIMIT;
  const coverers = pairwise ? new Coverers(table.entries) : null;
  const preemptions: Preemption[] = [];
  const preempted = new Set<Entry>();
  // The candidates to pre-empt an entry are the always-ending entries since the last that may continue.
  let windowStart = 0;
  let byKey = new Map<string, Entry>();
  let everything: Entry | null = null;

  for (const entry of table.entries) {
    const key = patternKey(entry.patternItems);
    const sameKey = byKey.get(key) ?? null;
    const by = coverers ? coverers.first(entry, windowStart, earlier(everything, sameKey), preempted) : (everything ?? sameKey);
    if (by) {
      preemptions.push({ entry, by });
      preempted.add(entry);
      continue;
    }
    if (mayContinue(entry)) {
      windowStart = entry.index - 1;
      byKey = new Map();
      everything = null;
    }
    if (!alwaysEnds(entry)) continue;
    if (!byKey.has(key)) byKey.set(key, entry);
    if (everything === null && matchesEverything(entry.patternItems)) everything = entry;
  }
  return preemptions;
}

/** The earlier of two entries of a table, either possibly missing. */
function earlier(a: Entry | null, b: Entry | null): Entry | null {
  return a === null || (b !== null && b.index < a.index) ? b : a;
}

/**
 * The table's always-ending entries without back-matches (a back-match search has a budget and may
 * throw, and patternCovers refuses such patterns anyway), indexed as the engine indexes a table, so
 * that the earlier entries whose pattern matches a sample input of a later entry — a cheap necessary
 * condition for covering it — are found without trying every one.
 */
class Coverers {
  private readonly entries: Entry[];
  private readonly index: TableIndex;

  constructor(tableEntries: readonly Entry[]) {
    this.entries = tableEntries.filter((entry) => alwaysEnds(entry) && !entry.patternItems.some((item) => item.kind === 'backmatch'));
    this.index = TableIndex.build(this.entries.map((entry) => new CompiledEntry(entry, {})));
  }

  /**
   * The first entry from table position `windowStart` on, before `entry` and not itself pre-empted,
   * whose pattern provably matches every string the entry's matches; `quick` (a catch-all or the same
   * pattern, which cover it by construction) when none comes before it.
   */
  first(entry: Entry, windowStart: number, quick: Entry | null, preempted: ReadonlySet<Entry>): Entry | null {
    const end = (quick ?? entry).index - 1;
    const sample = sampleInput(entry.patternItems);
    let from = this.positionAtOrAfter(windowStart);
    for (let found = this.index.firstMatch(sample, from); found !== null; found = this.index.firstMatch(sample, from)) {
      const candidate = this.entries[found.position]!;
      if (candidate.index - 1 >= end) break;
      if (!preempted.has(candidate) && patternCovers(candidate.patternItems, entry.patternItems)) return candidate;
      from = found.position + 1;
    }
    return quick;
  }

  /** The first indexed position whose entry stands at table position `position` or later. */
  private positionAtOrAfter(position: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.index - 1 < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
