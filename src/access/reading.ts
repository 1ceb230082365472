import type { MappingResult } from '../engine/types.js';
import type { ResolvedAccessOptions } from './schemas.js';
import type { DecidingTable } from './tables.js';

/** What one table's result means for the stage (A17). */
export type TableVerdict = 'absent' | 'nomatch' | 'neutral' | 'permit' | 'reject' | 'error';

/** An SMTP reply: basic code, enhanced status code when there is one, and the text lines. */
export interface SmtpReply {
  code: number;
  enhanced?: string;
  lines: string[];
}

/** A `$D` delay and how long it lasts (A20). */
export interface Delay {
  centiseconds: number;
  scope: 'transaction' | 'reply';
}

/** A table's mapping output split per A16, with the arguments that passed validation. */
export interface AccessReading {
  /** Raw argument fields by flag, in reading order. */
  args: Record<string, string[]>;
  /** The `$N`/`$F` text, or the informational text without them. */
  text: string;
  /** PORT_ACCESS: the text after `||` (A21). */
  logComment?: string;
  /** Malformed arguments, each ignored (A16). */
  warnings: string[];
  debugLevel?: number;
  delay?: Delay;
  enhancedFromX?: string;
  /** `$S`, raw, when it is three integers. */
  limits?: string;
}

// A15: arguments are taken from the front of the output in this fixed order, never alphabetically.
const PORT_ACCESS_ORDER = ['<', '>'];
const ADDRESS_TABLE_ORDER = ['U', 'J', 'K', 'I', '<', '>', 'D', 'T', 'A', 'S', 'X'];

const INTEGER = /^-?\d+$/;
const ENHANCED_CODE = /^[45]\.\d{1,3}\.\d{1,3}$/;
const THREE_INTEGERS = /^-?\d+,-?\d+,-?\d+$/;

/** A16: splits a table's output into flag arguments and the remaining text, and validates the arguments. */
export function readAccessResult(table: DecidingTable, output: string, flags: readonly string[] | string): AccessReading {
  const order = table === 'PORT_ACCESS' ? PORT_ACCESS_ORDER : ADDRESS_TABLE_ORDER;
  const args: Record<string, string[]> = {};
  let rest = output;
  for (const flag of order) {
    if (!flags.includes(flag)) continue;
    const values: string[] = [];
    for (let count = flag === 'I' ? 2 : 1; count > 0; count--) {
      // The last field needs no terminator.
      const bar = rest.indexOf('|');
      values.push(bar < 0 ? rest : rest.slice(0, bar));
      rest = bar < 0 ? '' : rest.slice(bar + 1);
    }
    args[flag] = values;
  }
  const reading: AccessReading = { args, text: rest, warnings: [] };
  if (table === 'PORT_ACCESS') {
    const comment = rest.indexOf('||');
    if (comment >= 0) {
      reading.text = rest.slice(0, comment);
      reading.logComment = rest.slice(comment + 2);
    }
    return reading;
  }
  const argument = (flag: string, valid: RegExp, what: string): string | undefined => {
    const value = args[flag]?.[0];
    if (value === undefined) return undefined;
    if (valid.test(value)) return value;
    reading.warnings.push(`$${flag} argument ${JSON.stringify(value)} is not ${what}; ignored`);
    return undefined;
  };
  const debugLevel = argument('U', INTEGER, 'an integer');
  if (debugLevel !== undefined) reading.debugLevel = Number(debugLevel);
  const delay = argument('D', INTEGER, 'an integer');
  if (delay !== undefined) reading.delay = delayOf(Number(delay));
  const limits = argument('S', THREE_INTEGERS, 'three integers x,y,z');
  if (limits !== undefined) reading.limits = limits;
  const enhanced = argument('X', ENHANCED_CODE, 'an enhanced status code 4.x.x or 5.x.x');
  if (enhanced !== undefined) reading.enhancedFromX = enhanced;
  return reading;
}

/** A20: positive delays last for the transaction, negative ones for this reply; zero is none. */
function delayOf(centiseconds: number): Delay | undefined {
  if (centiseconds === 0) return undefined;
  return centiseconds > 0 ? { centiseconds, scope: 'transaction' } : { centiseconds: -centiseconds, scope: 'reply' };
}

/** A17: the outcome of one table's result; `undefined` stands for a table the file does not define. */
export function tableVerdict(mapping: MappingResult | undefined): TableVerdict {
  if (mapping === undefined) return 'absent';
  if (mapping.error !== undefined) return 'error';
  if (!mapping.matched) return 'nomatch';
  if (mapping.flags.includes('N') || mapping.flags.includes('F')) return 'reject';
  return mapping.flags.includes('Y') ? 'permit' : 'neutral';
}

const CONTROL_NAMES: Record<string, string> = { '\r': '\\r', '\n': '\\n' };

/**
 * A reply line as it may go on the wire (A31): never CR or LF, and every other control character but
 * TAB escaped (`\r`, `\n`, `\x1b`), whether it came from a tuple field, a lookup or the file.
 */
function replyLine(text: string): string {
  return text.replace(
    /[\0-\x08\n-\x1f\x7f]/g,
    (control) => CONTROL_NAMES[control] ?? `\\x${control.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const LEADING_CODE = /^([45]\d\d)(?: |$)/;
const LEADING_ENHANCED = /^([45]\.\d{1,3}\.\d{1,3})(?: |$)/;

/** A18: the reply of an address table's rejection: `550 5.7.1 <text>: <address>` with its variations. */
export function addressReply(
  text: string,
  address: string,
  enhancedFromX: string | undefined,
  options: Pick<ResolvedAccessOptions, 'tempFailCode' | 'accessErrors'>,
): SmtpReply {
  let rest = text;
  let code: number | undefined;
  let enhanced: string | undefined;
  const basic = LEADING_CODE.exec(rest);
  if (basic) {
    code = Number(basic[1]);
    rest = rest.slice(basic[0].length).trimStart();
    const written = LEADING_ENHANCED.exec(rest);
    if (written) {
      enhanced = written[1];
      rest = rest.slice(written[0].length).trimStart();
    }
  }
  enhanced ??= enhancedFromX;
  code ??= enhanced?.startsWith('4') ? options.tempFailCode : 550;
  enhanced ??= `${String(code)[0]}.7.1`;
  if (rest === '') {
    rest = options.accessErrors === 1 ? 'you are not allowed to use this address' : 'unknown host or domain';
  }
  return { code, enhanced, lines: [replyLine(address === '' ? rest : `${rest}: ${address}`)] };
}

/** A19: what the MTA sends before closing (`raw`) and the normalised reply of a PORT_ACCESS rejection. */
export function portAccessReply(
  text: string,
  options: Pick<ResolvedAccessOptions, 'portAccessTildeLines' | 'portAccessDefaultText'>,
): { raw: string; reply: SmtpReply } {
  if (text === '') return { raw: '', reply: { code: 554, lines: [replyLine(options.portAccessDefaultText)] } };
  const lines = (options.portAccessTildeLines ? text.split('~') : [text]).map(replyLine);
  const raw = lines.map((line) => `${line}\r\n`).join('');
  const leading = /^([45]\d\d)(?:[ -]|$)/.exec(lines[0]!);
  if (!leading) return { raw, reply: { code: 554, lines } };
  const code = leading[1]!;
  const enhanced = /^([245]\.\d{1,3}\.\d{1,3})(?: |$)/.exec(lines[0]!.slice(leading[0].length))?.[1];
  const prefix = new RegExp(`^${code}(?:[ -]|$)${enhanced === undefined ? '' : `(?:${enhanced.replaceAll('.', '\\.')}(?: |$))?`}`);
  const reply: SmtpReply = { code: Number(code), lines: lines.map((line) => line.replace(prefix, '')) };
  if (enhanced !== undefined) reply.enhanced = enhanced;
  return { raw, reply };
}

/** The reply as sent on the wire, one string per line: `code[-| ]enhanced text`. */
export function formatReply(reply: SmtpReply): string[] {
  return reply.lines.map((line, index) => {
    const separator = index < reply.lines.length - 1 ? '-' : ' ';
    const body = reply.enhanced === undefined ? line : `${reply.enhanced} ${line}`;
    return `${reply.code}${separator}${body}`;
  });
}
