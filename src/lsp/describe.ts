import { readAccessResult } from '../access/reading.js';
import { isAccessTable, type DecidingTable } from '../access/tables.js';
import { flagMeaning } from '../lint/flags.js';
import { staticOutput, templateNodes } from '../lint/templates.js';
import type { CharClass, Entry, PatternItem, TemplateNode } from '../syntax/ast.js';
import { addressText } from '../syntax/ip.js';

/** P3: the characters of each named glob, in words. */
const GLOB_WORDS: Record<string, string> = {
  A: 'ASCII letters',
  B: 'binary digits 0–1',
  D: 'decimal digits 0–9',
  H: 'hex digits 0–9 A–F',
  O: 'octal digits 0–7',
  S: 'symbol characters (letters, digits, `_`, `$`)',
  T: 'spaces, tabs or vertical tabs',
  X: 'hex digits 0–9 A–F',
};

function rangeWords([low, high]: readonly [number, number]): string {
  const show = (code: number) => JSON.stringify(String.fromCodePoint(code));
  return low === high ? show(low) : `${show(low)}–${show(high)}`;
}

function classWords(charClass: CharClass): string {
  switch (charClass.kind) {
    case 'any':
      return 'any characters';
    case 'glob':
      return GLOB_WORDS[charClass.letter]!;
    case 'set':
      return `characters from ${charClass.ranges.map(rangeWords).join(', ')} (case-blind, P5)`;
  }
}

/** P3–P9: one pattern item in words, with the substitution number it saves to. */
function itemWords(item: PatternItem): string {
  switch (item.kind) {
    case 'literal':
      return `the text ${JSON.stringify(item.text)} (case-blind, P1)`;
    case 'backmatch':
      return `the same text as $${item.ref} matched (P8)`;
    case 'wildcard': {
      const what = classWords(item.charClass);
      const count = item.width === 'one' ? `exactly one of ${what}` : `zero or more ${what}`;
      const lazy = item.lazy ? ', as few as possible (`$_`, P6)' : '';
      return `${count}${lazy}${savedAs(item.capture)}`;
    }
    case 'ip': {
      const family = item.family === 'ipv4' ? 'IPv4' : 'IPv6';
      const network = addressText(item.network);
      return `an ${family} address in the subnet ${network}/${item.prefixLength} (P9)${savedAs(item.capture)}`;
    }
  }
}

function savedAs(capture: number | null): string {
  return capture === null ? ', not saved (`$@`)' : ` → **$${capture}**`;
}

/** Markdown: what a pattern matches, item by item, with its numbered captures (P3, P4). */
export function describePattern(entry: Entry): string {
  const lines = [`**Pattern** \`${entry.pattern}\` matches the whole probe as:`, ''];
  for (const item of entry.patternItems) lines.push(`- ${itemWords(item)}`);
  if (entry.patternItems.length === 0) lines.push('- the empty string');
  lines.push('', entry.captureCount === 0 ? 'Nothing is saved for the template.' : `Saves $0…$${entry.captureCount - 1} for the template (P4).`);
  return lines.join('\n');
}

const CONTROL_WORDS: Record<string, string> = {
  C: '`$C`: continue with the next entry, the output becoming the new input (M2, T5)',
  E: '`$E`: end the mapping with this output (T5)',
  L: '`$L`: continue with the next entry and arrange one more pass over the table (M2, M5)',
  R: '`$R`: restart from the first entry with the output as input (M2, T5)',
};

/** T2–T11: one template node in words, flags as the table reads them (A14, A15). */
function nodeWords(node: TemplateNode, table: string): string {
  switch (node.kind) {
    case 'literal':
      return `the text ${JSON.stringify(node.text)}`;
    case 'capture':
      return `$${node.index}: the text the pattern saved as $${node.index} (T3)`;
    case 'case':
      return `case: ${node.mode} for the substitutions after it (T4)`;
    case 'quote':
      return '`$=`: quote the substitutions after it for an LDAP filter (T4)';
    case 'control':
      return CONTROL_WORDS[node.control]!;
    case 'flagTest':
      return `\`$${node.whenSet ? ':' : ';'}${node.flag}\`: go on only if input flag ${node.flag} is ${node.whenSet ? 'set' : 'not set'} (T6)`;
    case 'random':
      return `\`$?${node.percent}?\`: go on with probability ${node.percent}% (T6)`;
    case 'flag':
      return flagWords(node.flag, table);
    case 'mapping':
      return `\`$|${node.table};…|\`: the argument mapped through ${node.table} (T9)`;
    case 'routine':
      return `\`$[${node.image},${node.routine},…]\`: the result of the site routine ${node.routine} (T10)`;
    case 'database':
      return '`${…}`: the value of the key in the general database (T11)';
    case 'url':
      return '`$]…[`: the result of the URL (LDAP) lookup (T11)';
    case 'domain':
      return '`$}…{`: the attribute of the domain (T11)';
    case 'sequence':
      return `\`$#${node.file}…#\`: the next number of the sequence file (T11)`;
  }
}

/** A14, A15, T7: what a flag means in a table; outside the access tables a flag is just returned. */
export function flagWords(flag: string, table: string): string {
  if (!isAccessTable(table)) return `\`$${flag}\`: output flag ${flag}, returned with the result (T7)`;
  const meaning = flagMeaning(table, flag);
  return meaning === undefined ? `\`$${flag}\`: means nothing in ${table} (A14, A15)` : `\`$${flag}\`: ${meaning}`;
}

/** A16: how an access table reads an output it is known to produce in full. */
function readingWords(table: DecidingTable, entry: Entry, flags: string[]): string[] {
  const output = staticOutput(entry);
  if (!output.complete) return [];
  const reading = readAccessResult(table, output.text, flags);
  const lines = ['', `**${table} reads the output** ${JSON.stringify(output.text)} (A16):`, ''];
  for (const [flag, values] of Object.entries(reading.args)) lines.push(`- \`$${flag}\` takes ${values.map((value) => JSON.stringify(value)).join(' and ')}`);
  if (reading.delay) {
    const scope = reading.delay.scope === 'transaction' ? 'this and later replies of the transaction' : 'this reply only';
    lines.push(`- delay ${(reading.delay.centiseconds / 100).toFixed(2)} s before ${scope} (A20)`);
  }
  if (reading.debugLevel !== undefined) lines.push(`- debug level ${reading.debugLevel}`);
  if (reading.enhancedFromX !== undefined) lines.push(`- enhanced status code ${reading.enhancedFromX} when rejecting`);
  for (const warning of reading.warnings) lines.push(`- ${warning} (A16)`);
  const rejects = flags.includes('N') || flags.includes('F');
  lines.push(`- ${rejects ? 'rejects with the text' : 'the remaining text is'} ${JSON.stringify(reading.text)}`);
  if (reading.logComment !== undefined) lines.push(`- log comment ${JSON.stringify(reading.logComment)} (A21)`);
  return lines;
}

/** Markdown: what a template produces and what its flags mean in its table. */
export function describeTemplate(entry: Entry): string {
  const lines = [`**Template** \`${entry.template}\` in ${entry.table} produces, in order:`, ''];
  for (const node of entry.templateNodes) lines.push(`- ${nodeWords(node, entry.table)}`);
  if (entry.templateNodes.length === 0) lines.push('- the empty string');
  const flags = [...new Set([...templateNodes(entry.templateNodes)].flatMap((node) => (node.kind === 'flag' ? [node.flag] : [])))];
  if (isAccessTable(entry.table) && entry.table !== 'INTERNAL_IP') lines.push(...readingWords(entry.table, entry, flags));
  return lines.join('\n');
}
