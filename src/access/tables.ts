// The one list of the tables the access layer consults (access.md A1): probes, readings, lint rules,
// the language server and the adapters all name them from here.

/** access.md A1: the tables the access layer consults. */
export const ACCESS_TABLES = [
  'PORT_ACCESS',
  'INTERNAL_IP',
  'FROM_ACCESS',
  'ORIG_SEND_ACCESS',
  'SEND_ACCESS',
  'ORIG_MAIL_ACCESS',
  'MAIL_ACCESS',
] as const;

/** One of the A1 tables. */
export type AccessTableName = (typeof ACCESS_TABLES)[number];

/** A1: the recipient tables, probed at RCPT TO in this order (A22). */
export const RECIPIENT_TABLES = ['ORIG_SEND_ACCESS', 'SEND_ACCESS', 'ORIG_MAIL_ACCESS', 'MAIL_ACCESS'] as const;

/** One of the four recipient tables. */
export type RecipientTable = (typeof RECIPIENT_TABLES)[number];

/** The access tables whose results make decisions (A28): all but INTERNAL_IP, which classifies clients (A25). */
export type DecidingTable = Exclude<AccessTableName, 'INTERNAL_IP'>;

/** Whether a table name is one of A1's access tables. */
export function isAccessTable(name: string): name is AccessTableName {
  return (ACCESS_TABLES as readonly string[]).includes(name);
}

/**
 * Names the product itself consults besides A1: address reversal and forwarding (format.md M9) and
 * the related tables of access.md A30. A header close to one of these is probably misspelt.
 */
export const PRODUCT_TABLES: readonly string[] = [
  ...ACCESS_TABLES,
  'REVERSE',
  'FORWARD',
  'IP_ACCESS',
  'DEQUEUE_ACCESS',
  'AUTH_ACCESS',
  'AUTH_REWRITE',
  'BURL_ACCESS',
];
