import { ACCESS_TABLES, RECIPIENT_TABLES, type AccessTableName } from '../access/tables.js';

const RECIPIENT_OUTPUT_FLAGS = 'YNFTBHVZUI<>DASX';

/** A14, A15: the output flags each access table gives a meaning. */
export const OUTPUT_FLAGS: Record<AccessTableName, string> = {
  PORT_ACCESS: 'YNFT<>',
  // A15 lists `$<` and `$>` for "all" tables; the linter does not call them meaningless here.
  INTERNAL_IP: 'YNF<>',
  FROM_ACCESS: 'YNFTBHVZ!UJKI<>DASX',
  ORIG_SEND_ACCESS: RECIPIENT_OUTPUT_FLAGS,
  SEND_ACCESS: RECIPIENT_OUTPUT_FLAGS,
  ORIG_MAIL_ACCESS: RECIPIENT_OUTPUT_FLAGS,
  MAIL_ACCESS: RECIPIENT_OUTPUT_FLAGS,
};

const RECIPIENT_INPUT_FLAGS = 'ATSFDEL';

/** A13: the input flags the MTA sets on each table's probes. */
export const INPUT_FLAGS: Record<AccessTableName, string> = {
  PORT_ACCESS: 'A',
  INTERNAL_IP: '',
  FROM_ACCESS: 'AT',
  ORIG_SEND_ACCESS: RECIPIENT_INPUT_FLAGS,
  SEND_ACCESS: RECIPIENT_INPUT_FLAGS,
  ORIG_MAIL_ACCESS: RECIPIENT_INPUT_FLAGS,
  MAIL_ACCESS: RECIPIENT_INPUT_FLAGS,
};

/** What the A14/A15 flags do, for messages. */
export const FLAG_MEANINGS: Record<string, string> = {
  B: 'deliver to the bitbucket',
  H: 'hold the message',
  V: 'discard for all recipients',
  Z: 'jettison for all recipients',
  '!': 'no vacation replies',
  U: 'debug level',
  J: 'replace the envelope From',
  K: 'replace the Sender: address',
  I: 'group check',
  D: 'delay',
  A: 'header line to add',
  S: 'limits',
  X: 'enhanced status code',
  T: 'tag',
};

/** A14, A15: the meanings that differ by table, or that only the verdict flags have. */
const TABLE_MEANINGS: Partial<Record<AccessTableName, Record<string, string>>> = {
  PORT_ACCESS: {
    Y: 'accept the connection',
    N: 'reject: send the text and close the connection',
    F: 'reject: send the text and close the connection',
    T: 'write a "T" connection-log record when rejecting',
  },
  INTERNAL_IP: { Y: 'the client is internal', N: 'the client is not internal', F: 'the client is not internal' },
};

const VERDICT_MEANINGS: Record<string, string> = {
  Y: 'permit',
  N: 'reject with the text that remains after the argument fields',
  F: 'reject with the text that remains after the argument fields',
  '<': 'log the argument when the probe matches',
  '>': 'log the argument when access is rejected',
};

/** A13–A15: what an output flag does in an access table, or undefined when that table does not read it. */
export function flagMeaning(table: AccessTableName, flag: string): string | undefined {
  if (!OUTPUT_FLAGS[table].includes(flag)) return undefined;
  return TABLE_MEANINGS[table]?.[flag] ?? VERDICT_MEANINGS[flag] ?? FLAG_MEANINGS[flag];
}

/** The tables that read a flag, the four recipient tables (A1) named together. */
export function tablesReading(flag: string): string[] {
  const readers: string[] = ACCESS_TABLES.filter((table) => OUTPUT_FLAGS[table].includes(flag));
  if (!RECIPIENT_TABLES.every((table) => readers.includes(table))) return readers;
  return [...readers.filter((table) => !(RECIPIENT_TABLES as readonly string[]).includes(table)), 'the recipient tables'];
}
