import { compilePattern, type CompiledPattern } from '../compile/index.js';
import { sampleInput, witnessText } from '../lint/pattern-inclusion.js';
import type { Entry, IpItem, Table } from '../syntax/ast.js';
import { addressText, lastAddress } from '../syntax/ip.js';
import type { TableEdit } from './structure.js';

/** Where a probe came from: an edited entry's pattern, a subnet boundary, a neighbour's literal field, a case file, the audit. */
export type ProbeSource = 'entry' | 'boundary' | 'neighbour' | 'case' | 'audit';

/** One input to map through one table in both versions. */
export interface TableProbe {
  table: string;
  input: string;
  inputFlags: string;
  source: ProbeSource;
}

/** Entries on each side of an edited entry whose patterns are crossed with its own. */
const NEIGHBOURS = 3;
/** Earlier entries an edited entry's witness must get past: the window the search can afford. */
const EARLIER = 8;
/** Edited entries of the other version an edited entry is compared with, the nearest first. */
const ACROSS = 3;
/** Entries a moved entry crossed whose overlap with it is searched. */
const CROSSED = 64;
/** Probes of one table, so that a rewritten huge table cannot grow the run without bound. */
export const MAX_PROBES_PER_TABLE = 20_000;

/** Address bytes plus `delta` (±1), or null past either end of the family. */
function step(bytes: readonly number[], delta: 1 | -1): number[] | null {
  const result = [...bytes];
  for (let index = result.length - 1; index >= 0; index--) {
    const value = result[index]! + delta;
    if (value >= 0 && value <= 255) {
      result[index] = value;
      return result;
    }
    result[index] = delta === 1 ? 0 : 255;
  }
  return null;
}

/** P9.3: the first and last address of a subnet, and the address just outside each end. */
function boundaryAddresses(item: IpItem): string[] {
  const first = [...item.network];
  const last = lastAddress(item.network, item.prefixLength);
  return [first, last, step(first, -1), step(last, 1)]
    .filter((bytes): bytes is number[] => bytes !== null)
    .map((bytes) => addressText(bytes));
}

/**
 * The `|`-separated fields of a pattern that are plain text, by position (a probe's fields are
 * positional, A4–A8); null where a field has a wildcard, subnet or back-match.
 */
function literalFields(entry: Entry): Array<string | null> {
  const fields: Array<string | null> = [''];
  for (const item of entry.patternItems) {
    if (item.kind !== 'literal') {
      fields[fields.length - 1] = null;
      continue;
    }
    const [head, ...rest] = item.text.split('|');
    const current = fields[fields.length - 1];
    fields[fields.length - 1] = current === null ? null : current + head;
    fields.push(...rest);
  }
  return fields;
}

/**
 * Texts the entry's pattern matches: at its shortest, with wildcards filled in two different ways (a
 * template that copies a saved item, T3, then shows in the output), and at each subnet's boundaries.
 */
function entryTexts(entry: Entry): Array<{ text: string; source: ProbeSource }> {
  const texts: Array<{ text: string; source: ProbeSource }> = [
    { text: sampleInput(entry.patternItems), source: 'entry' },
    { text: sampleInput(entry.patternItems, { many: 'x' }), source: 'entry' },
    { text: sampleInput(entry.patternItems, { many: 'yz', one: 'y' }), source: 'entry' },
  ];
  for (const item of entry.patternItems) {
    if (item.kind !== 'ip') continue;
    for (const address of boundaryAddresses(item)) {
      texts.push({ text: sampleInput(entry.patternItems, { many: 'x', address: (other) => (other === item ? address : undefined) }), source: 'boundary' });
    }
  }
  return texts;
}

/** A probe's text with one `|` field replaced, when the probe has that field. */
function withField(text: string, position: number, value: string): string | null {
  const fields = text.split('|');
  if (position >= fields.length || fields[position] === value) return null;
  fields[position] = value;
  return fields.join('|');
}

/** Compiled patterns of the entries a diff looks at, compiled once each. */
class Matchers {
  private readonly compiled = new Map<Entry, CompiledPattern | null>();

  /** Whether the entry's pattern matches the text; null when that cannot be told cheaply (a back-match search has a budget). */
  matches(entry: Entry, text: string): boolean | null {
    if (!this.compiled.has(entry)) {
      this.compiled.set(entry, entry.patternItems.some((item) => item.kind === 'backmatch') ? null : compilePattern(entry.patternItems));
    }
    const matcher = this.compiled.get(entry);
    return matcher ? matcher.match(text) !== null : null;
  }

  /**
   * A text `entry` matches that every one of `others` matches too (`othersMatch`) or none of them:
   * one of `known` when it qualifies, so that the search runs only when the samples do not do.
   */
  witness(entry: Entry, others: readonly Entry[], othersMatch: boolean, known: readonly string[]): string | null {
    const qualifies = (text: string) =>
      this.matches(entry, text) === true && others.every((other) => this.matches(other, text) === othersMatch);
    return known.find(qualifies) ?? witnessText(entry.patternItems, others.map((other) => other.patternItems), othersMatch);
  }
}

/**
 * Probes that may tell the two versions of an edited table apart, found from the patterns (M2): for
 * every touched entry, texts it matches (also past the earlier entries, with and without each
 * neighbour), its subnets' boundaries, and those texts with the literal fields of its neighbours;
 * for every edited entry, the texts it matches and the nearest edited entries of the other version
 * do not; for every moved entry, the texts both it and an entry it crossed match.
 */
export function editProbes(edit: TableEdit, oldTable: Table | undefined, newTable: Table | undefined): TableProbe[] {
  const found = new Map<string, ProbeSource>();
  const add = (text: string | null, source: ProbeSource) => {
    if (text !== null && !found.has(text) && found.size < MAX_PROBES_PER_TABLE) found.set(text, source);
  };
  const sides: Array<[Entry[], Table | undefined]> = [
    [edit.touched.old, oldTable],
    [edit.touched.new, newTable],
  ];
  const matchers = new Matchers();
  for (const [entries, table] of sides) {
    const all = table?.entries ?? [];
    for (const entry of entries) {
      const at = entry.index - 1;
      const neighbours = all.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1).filter((other) => other !== entry);
      const texts = entryTexts(entry);
      const samples = texts.map(({ text }) => text);
      const searched = [matchers.witness(entry, all.slice(Math.max(0, at - EARLIER), at), false, samples)];
      for (const other of neighbours) {
        searched.push(matchers.witness(entry, [other], true, samples), matchers.witness(entry, [other], false, samples));
        const outside = matchers.witness(other, [entry], false, entryTexts(other).map(({ text }) => text));
        if (outside !== null) texts.push({ text: outside, source: 'neighbour' });
      }
      for (const text of searched) if (text !== null) texts.push({ text, source: 'entry' });
      for (const { text, source } of texts) add(text, source);
      for (const other of neighbours) {
        literalFields(other).forEach((value, position) => {
          if (value === null) return;
          for (const { text } of texts) add(withField(text, position, value), 'neighbour');
        });
      }
    }
  }
  // An edit replaces some entries by others: texts one side's entry matches and the nearest entries of the other side do not.
  for (const [entries, others, table] of [[edit.touched.old, edit.touched.new, oldTable], [edit.touched.new, edit.touched.old, newTable]] as const) {
    for (const entry of entries) {
      const nearest = [...others].sort((a, b) => Math.abs(a.index - entry.index) - Math.abs(b.index - entry.index)).slice(0, ACROSS);
      const earlier = (table?.entries ?? []).slice(Math.max(0, entry.index - 1 - ACROSS), entry.index - 1);
      if (nearest.length > 0) add(matchers.witness(entry, [...earlier, ...nearest], false, []), 'entry');
      for (const other of nearest) add(matchers.witness(entry, [other], false, []), 'entry');
    }
  }
  for (const { entry, crossed } of edit.moves) {
    for (const other of crossed.slice(0, CROSSED)) add(matchers.witness(entry.new, [other.new], true, []), 'entry');
  }
  return [...found].map(([input, source]) => ({ table: edit.table, input, inputFlags: '', source }));
}
