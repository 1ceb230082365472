import { compilePattern, type CompiledPattern } from '../compile/index.js';
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
 * proof compares every entry with every earlier one, which grows with the square of the table.
 */
export const PAIRWISE_LIMIT = 2000;

/** An earlier entry that always ends the mapping when it matches, as a candidate to pre-empt later ones. */
interface Candidate {
  entry: Entry;
  key: string;
  everything: boolean;
  matcher: CompiledPattern | null;
}

/**
 * M2: the entries of a table that an earlier entry always pre-empts. Entry i pre-empts a later entry
 * j when i always ends the mapping once it matches (no failure, no `$C`/`$L`/`$R`), every string j
 * matches is matched by i, and no entry between them may continue the scan with a changed string
 * (after such an entry j could be tried on a string i was never offered). A pre-empted entry never
 * matches, so it neither pre-empts nor continues anything itself.
 */
export function findPreemptions(table: Table): Preemption[] {
  const pairwise = table.entries.length <= PAIRWISE_LIMIT;
  const preemptions: Preemption[] = [];
  let candidates: Candidate[] = [];
  let byKey = new Map<string, Entry>();
  let everything: Entry | null = null;

  for (const entry of table.entries) {
    const key = patternKey(entry.patternItems);
    const by = pairwise ? firstCovering(candidates, entry, key) : (everything ?? byKey.get(key) ?? null);
    if (by) {
      preemptions.push({ entry, by });
      continue;
    }
    if (mayContinue(entry)) {
      candidates = [];
      byKey = new Map();
      everything = null;
    }
    if (!alwaysEnds(entry)) continue;
    const candidate: Candidate = { entry, key, everything: matchesEverything(entry.patternItems), matcher: null };
    if (pairwise) candidates.push(candidate);
    if (!byKey.has(key)) byKey.set(key, entry);
    if (candidate.everything) everything ??= entry;
  }
  return preemptions;
}

/** The first candidate whose pattern provably matches every string the entry's pattern matches. */
function firstCovering(candidates: Candidate[], entry: Entry, key: string): Entry | null {
  let sample: string | undefined;
  for (const candidate of candidates) {
    if (candidate.everything || candidate.key === key) return candidate.entry;
    const items = candidate.entry.patternItems;
    // A back-match search has a budget and may throw; patternCovers refuses such patterns anyway.
    if (items.some((item) => item.kind === 'backmatch')) continue;
    // A cheap necessary condition first: the earlier pattern must match one input of the later.
    sample ??= sampleInput(entry.patternItems);
    candidate.matcher ??= compilePattern(items);
    if (candidate.matcher.match(sample) === null) continue;
    if (patternCovers(items, entry.patternItems)) return candidate.entry;
  }
  return null;
}
