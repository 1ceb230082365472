import { closestName } from '../lint/names.js';
import type { Entry, ParsedMappings, Table } from '../syntax/ast.js';

/** Where an entry stands in one version, and what it says. */
export interface EntryPlace {
  file: string;
  line: number;
  /** 1-based position among the table's entries. */
  index: number;
  pattern: string;
  template: string;
}

/** One entry edit: `changed` keeps the place in the table and changes pattern or template; `moved` keeps both and changes the place. */
export interface EntryChange {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  table: string;
  old?: EntryPlace;
  new?: EntryPlace;
}

/** What happened to one table between the versions. */
export interface TableChange {
  table: string;
  status: 'added' | 'removed' | 'changed';
  /** An added table named like a removed one within a typo (or the other way round): probably a misspelling. */
  typoOf?: string;
  changes: EntryChange[];
}

/** A pair of entries that play the same part in both versions. */
export interface EntryPair {
  old: Entry;
  new: Entry;
}

/** The edits of one table, with the entries the diff's probes start from. */
export interface TableEdit extends TableChange {
  /** Entries of the old and the new version that an edit touches: the ones whose inputs may be decided differently. */
  touched: { old: Entry[]; new: Entry[] };
  /** Each moved entry with the entries it moved past (M2: where both match, the first one now differs). */
  moves: Array<{ entry: EntryPair; crossed: EntryPair[] }>;
}

/** Above this many cells the longest-common-subsequence table is not built; entries are then matched by identity in order. */
const ALIGNMENT_CELL_LIMIT = 16_000_000;

/** Pattern and template as written: two entries with the same identity behave the same wherever they stand. */
export function identity(entry: Entry): string {
  return `${entry.pattern}\u0000${entry.template}`;
}

/** Where an entry stands, as reports show it. */
export function placeOf(entry: Entry): EntryPlace {
  return {
    file: entry.patternSpan.file,
    line: entry.patternSpan.line,
    index: entry.index,
    pattern: entry.pattern,
    template: entry.template,
  };
}

/**
 * Pairs of indexes of a longest common subsequence of two key lists, common ends trimmed first so
 * that a few edits in a long table cost little.
 */
function alignment(oldKeys: readonly string[], newKeys: readonly string[]): Array<[number, number]> {
  let start = 0;
  while (start < oldKeys.length && start < newKeys.length && oldKeys[start] === newKeys[start]) start++;
  let oldEnd = oldKeys.length;
  let newEnd = newKeys.length;
  while (oldEnd > start && newEnd > start && oldKeys[oldEnd - 1] === newKeys[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  const pairs: Array<[number, number]> = [];
  for (let index = 0; index < start; index++) pairs.push([index, index]);
  const rows = oldEnd - start;
  const columns = newEnd - start;
  if (rows * columns > ALIGNMENT_CELL_LIMIT) pairs.push(...greedyAlignment(oldKeys, newKeys, start, oldEnd, newEnd));
  else if (rows > 0 && columns > 0) {
    // lengths[i][j]: the LCS of the suffixes from i and j, kept as one flat array.
    const width = columns + 1;
    const lengths = new Uint32Array((rows + 1) * width);
    for (let i = rows - 1; i >= 0; i--) {
      for (let j = columns - 1; j >= 0; j--) {
        lengths[i * width + j] =
          oldKeys[start + i] === newKeys[start + j]
            ? lengths[(i + 1) * width + j + 1]! + 1
            : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < rows && j < columns) {
      if (oldKeys[start + i] === newKeys[start + j]) pairs.push([start + i++, start + j++]);
      else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i++;
      else j++;
    }
  }
  for (let offset = 0; offset < oldKeys.length - oldEnd; offset++) pairs.push([oldEnd + offset, newEnd + offset]);
  return pairs;
}

/** An increasing matching by identity, each new entry taking the next unused old one with its key: for tables too long to align. */
function greedyAlignment(oldKeys: readonly string[], newKeys: readonly string[], start: number, oldEnd: number, newEnd: number): Array<[number, number]> {
  const positions = new Map<string, number[]>();
  for (let index = oldEnd - 1; index >= start; index--) {
    const list = positions.get(oldKeys[index]!) ?? [];
    list.push(index);
    positions.set(oldKeys[index]!, list);
  }
  const pairs: Array<[number, number]> = [];
  let last = start - 1;
  for (let index = start; index < newEnd; index++) {
    const list = positions.get(newKeys[index]!);
    while (list && list.length > 0 && list[list.length - 1]! <= last) list.pop();
    const match = list?.pop();
    if (match === undefined) continue;
    pairs.push([match, index]);
    last = match;
  }
  return pairs;
}

/** Takes and removes the first entry of `list` that `accept` takes. */
function takeFirst(list: Entry[], accept: (entry: Entry) => boolean): Entry | undefined {
  const at = list.findIndex(accept);
  return at < 0 ? undefined : list.splice(at, 1)[0];
}

/**
 * The edits of a table present in both versions: entries outside a longest common subsequence are
 * moved (the same entry elsewhere), changed (an edit in the same gap between unchanged entries: the
 * same pattern first, then in order), or else added and removed.
 */
function tableEdits(oldTable: Table, newTable: Table): TableEdit {
  const pairs = alignment(oldTable.entries.map(identity), newTable.entries.map(identity));
  const changes: EntryChange[] = [];
  const touched = { old: [] as Entry[], new: [] as Entry[] };
  const record = (kind: EntryChange['kind'], oldEntry: Entry | undefined, newEntry: Entry | undefined) => {
    const change: EntryChange = { kind, table: newTable.name };
    if (oldEntry) {
      change.old = placeOf(oldEntry);
      touched.old.push(oldEntry);
    }
    if (newEntry) {
      change.new = placeOf(newEntry);
      touched.new.push(newEntry);
    }
    changes.push(change);
  };
  // The gaps between aligned pairs: runs of old and new entries the alignment left out.
  const gaps: Array<{ old: Entry[]; new: Entry[] }> = [];
  let oldNext = 0;
  let newNext = 0;
  for (const [oldIndex, newIndex] of [...pairs, [oldTable.entries.length, newTable.entries.length] as [number, number]]) {
    if (oldIndex > oldNext || newIndex > newNext) {
      gaps.push({ old: oldTable.entries.slice(oldNext, oldIndex), new: newTable.entries.slice(newNext, newIndex) });
    }
    oldNext = oldIndex + 1;
    newNext = newIndex + 1;
  }
  const leftOld = new Map<string, Entry[]>();
  for (const entry of gaps.flatMap((gap) => gap.old)) leftOld.set(identity(entry), [...(leftOld.get(identity(entry)) ?? []), entry]);
  const moved = new Set<Entry>();
  const movedPairs: EntryPair[] = [];
  for (const entry of gaps.flatMap((gap) => gap.new)) {
    const from = leftOld.get(identity(entry))?.shift();
    if (!from) continue;
    moved.add(from).add(entry);
    movedPairs.push({ old: from, new: entry });
    record('moved', from, entry);
  }
  for (const gap of gaps) {
    const olds = gap.old.filter((entry) => !moved.has(entry));
    const news = gap.new.filter((entry) => !moved.has(entry));
    for (const entry of [...news]) {
      const before = takeFirst(olds, (candidate) => candidate.pattern === entry.pattern);
      if (!before) continue;
      news.splice(news.indexOf(entry), 1);
      record('changed', before, entry);
    }
    while (olds.length > 0 && news.length > 0) record('changed', olds.shift(), news.shift());
    for (const entry of olds) record('removed', entry, undefined);
    for (const entry of news) record('added', undefined, entry);
  }
  changes.sort((a, b) => (a.new?.index ?? a.old!.index) - (b.new?.index ?? b.old!.index));
  const counterparts: EntryPair[] = [
    ...pairs.map(([oldIndex, newIndex]) => ({ old: oldTable.entries[oldIndex]!, new: newTable.entries[newIndex]! })),
    ...movedPairs,
  ];
  const moves = movedPairs.map((entry) => ({
    entry,
    crossed: counterparts.filter(
      (other) => Math.sign(other.new.index - entry.new.index) !== Math.sign(other.old.index - entry.old.index),
    ),
  }));
  return { table: newTable.name, status: 'changed', changes, touched, moves };
}

/** Every table that differs between the versions, in the new file's order, then the removed ones. */
export function structuralEdits(oldParsed: ParsedMappings, newParsed: ParsedMappings): TableEdit[] {
  const oldTables = new Map(oldParsed.tables.map((table) => [table.name, table]));
  const newNames = new Set(newParsed.tables.map((table) => table.name));
  const removedNames = oldParsed.tables.map((table) => table.name).filter((name) => !newNames.has(name));
  const addedNames = newParsed.tables.map((table) => table.name).filter((name) => !oldTables.has(name));
  const whole = (table: Table, status: 'added' | 'removed', others: readonly string[]): TableEdit => {
    const side = status === 'added' ? 'new' : 'old';
    const edit: TableEdit = {
      table: table.name,
      status,
      changes: table.entries.map((entry) => ({ kind: status, table: table.name, [side]: placeOf(entry) })),
      touched: { old: status === 'removed' ? table.entries : [], new: status === 'added' ? table.entries : [] },
      moves: [],
    };
    const typoOf = closestName(table.name, others);
    if (typoOf !== undefined) edit.typoOf = typoOf;
    return edit;
  };
  const edits: TableEdit[] = [];
  for (const table of newParsed.tables) {
    const before = oldTables.get(table.name);
    if (!before) edits.push(whole(table, 'added', removedNames));
    else {
      const edit = tableEdits(before, table);
      if (edit.changes.length > 0) edits.push(edit);
    }
  }
  for (const table of oldParsed.tables) if (!newNames.has(table.name)) edits.push(whole(table, 'removed', addedNames));
  return edits;
}
