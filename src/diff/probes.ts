import ipaddr from 'ipaddr.js';
import { lastAddress } from '../lint/addresses.js';
import { sampleInput, witnessText } from '../lint/coverage.js';
import type { Entry, IpItem, Table } from '../syntax/ast.js';
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
    .map((bytes) => ipaddr.fromByteArray(bytes).toString());
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

/**
 * Probes that may tell the two versions of an edited table apart, found from the patterns (M2): for
 * every touched entry, texts it matches (also past the earlier entries, with and without each
 * neighbour), its subnets' boundaries, and those texts with the literal fields of its neighbours;
 * for every moved entry, the texts both it and an entry it crossed match.
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
  for (const [entries, table] of sides) {
    const all = table?.entries ?? [];
    for (const entry of entries) {
      const at = entry.index - 1;
      const neighbours = all.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1).filter((other) => other !== entry);
      const texts = entryTexts(entry);
      const pastEarlier = witnessText(entry.patternItems, all.slice(Math.max(0, at - EARLIER), at).map((other) => other.patternItems), false);
      if (pastEarlier !== null) texts.push({ text: pastEarlier, source: 'entry' });
      for (const other of neighbours) {
        for (const othersMatch of [true, false]) {
          const text = witnessText(entry.patternItems, [other.patternItems], othersMatch);
          if (text !== null) texts.push({ text, source: 'entry' });
        }
        const outside = witnessText(other.patternItems, [entry.patternItems], false);
        if (outside !== null) texts.push({ text: outside, source: 'neighbour' });
      }
      for (const { text, source } of texts) add(text, source);
      for (const other of neighbours) {
        literalFields(other).forEach((value, position) => {
          if (value === null) return;
          for (const { text } of texts) add(withField(text, position, value), 'neighbour');
        });
      }
    }
  }
  for (const { entry, crossed } of edit.moves) {
    for (const other of crossed.slice(0, CROSSED)) add(witnessText(entry.new.patternItems, [other.new.patternItems], true), 'entry');
  }
  return [...found].map(([input, source]) => ({ table: edit.table, input, inputFlags: '', source }));
}
