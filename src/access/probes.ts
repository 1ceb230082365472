import type ipaddr from 'ipaddr.js';
import { isStrictDottedQuad } from '../compile/ip.js';
import { parseIpAddress } from '../syntax/ip.js';
import type { ConnectionTuple, NotifyKeyword, ResolvedAccessOptions, SubmitType } from './schemas.js';
import type { RecipientTable } from './tables.js';

/** The options that shape probe strings (A11, A12); every field has the A27 default when omitted. */
export type ProbeOptions = Partial<
  Pick<
    ResolvedAccessOptions,
    'mappingParanoia' | 'accessOrcpt' | 'accessCounts' | 'includeConversionTag' | 'accessCountsExpansion'
  >
>;

/** The connection part of FROM_ACCESS and (ORIG_)MAIL_ACCESS probes (A6, A8); no connection = non-SMTP (A10). */
export interface ConnectionFields {
  connection?: ConnectionTuple;
  helo?: string;
  /** Replaces the whole app-info field (A9). */
  appInfo?: string;
  submitType?: SubmitType;
}

/** Every field of a FROM_ACCESS probe (A6), channels already chosen (A24). */
export interface FromProbeFields extends ConnectionFields {
  srcChannel: string;
  /** Envelope From without angle brackets; "" for the null reverse-path. */
  from: string;
  authSender?: string;
}

/** Every field of a recipient-table probe (A7, A8, A11), channels already chosen (A24). */
export interface RecipientProbeFields extends ConnectionFields {
  srcChannel: string;
  from: string;
  dstChannel: string;
  /** The RCPT TO address: the recipient of the ORIG_* probes, and the orcpt fallback (A11). */
  to: string;
  /** The expanded address of a SEND_ACCESS / MAIL_ACCESS probe; default `to`. Ignored by ORIG_* tables. */
  recipient?: string;
  /** ORCPT parameter as `type;xtext` (A11). */
  orcpt?: string;
  rcptIndex?: number;
  acceptedSoFar?: number;
  expansionCount?: number;
  conversionTags?: readonly string[];
}

/**
 * Renders an IP address as probes show it (A9): IPv6 per RFC 5952, IPv4-mapped (`::ffff:0:0/96`) as
 * IPv4, and every other IPv6 address that embeds an IPv4 one (`::a.b.c.d`, NAT64, 6to4) in hex, so
 * that no IPv4 pattern can take it for the IPv4 host.
 */
export function renderIpAddress(address: string): string {
  // A strict dotted quad is already as probes show it.
  if (isStrictDottedQuad(address)) return address;
  // ipaddr.parse reads `::a.b.c.d` as IPv4-mapped; the strict parser of P9 does not.
  const parsed = parseIpAddress(address);
  // Probe builders are public and pure: an address the schemas would refuse is shown as given.
  if (parsed === null) return address;
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
}

/** A12: a free-text field with every `|` replaced, so that it cannot shift the fields after it. */
export function paranoidField(text: string, replacement: string | false = '_'): string {
  return replacement === false ? text : text.replaceAll('|', replacement);
}

/** A5: the INTERNAL_IP probe is the bare client address. */
export function internalIpProbe(clientIp: string): string {
  return renderIpAddress(clientIp);
}

/** A4: `TCP|server-address|server-port|client-address|client-port`. */
export function portAccessProbe(connection: ConnectionTuple): string {
  return portAccessFields(connection).join('|');
}

function portAccessFields(connection: ConnectionTuple): string[] {
  return [
    'TCP',
    renderIpAddress(connection.serverIp),
    String(connection.serverPort),
    renderIpAddress(connection.clientIp),
    String(connection.clientPort),
  ];
}

/** A6/A8 fields 1–7: the PORT_ACCESS fields, app-info and submit-type; A10 blanks for non-SMTP. */
function connectionFields(fields: ConnectionFields, paranoia: string | false): string[] {
  if (fields.connection === undefined) return ['', '', '', '', '', '', 'MAIL'];
  const appInfo =
    fields.appInfo !== undefined ? paranoidField(fields.appInfo, paranoia) : `SMTP/${paranoidField(fields.helo ?? '', paranoia)}`;
  return [...portAccessFields(fields.connection), appInfo, fields.submitType ?? 'MAIL'];
}

/** A6: the 10-field FROM_ACCESS probe. */
export function fromAccessProbe(fields: FromProbeFields, options: ProbeOptions = {}): string {
  const paranoia = options.mappingParanoia ?? '_';
  return [
    ...connectionFields(fields, paranoia),
    fields.srcChannel,
    paranoidField(fields.from, paranoia),
    paranoidField(fields.authSender ?? '', paranoia),
  ].join('|');
}

/** A7: the ORIG_SEND_ACCESS / SEND_ACCESS probe, with the optional fields of A11. */
export function sendAccessProbe(
  table: 'ORIG_SEND_ACCESS' | 'SEND_ACCESS',
  fields: RecipientProbeFields,
  options: ProbeOptions = {},
): string {
  return [...recipientFields(table, fields, options.mappingParanoia ?? '_'), ...optionalFields(table, fields, options)].join('|');
}

/** A8: the 11-field ORIG_MAIL_ACCESS / MAIL_ACCESS probe, with the optional fields of A11. */
export function mailAccessProbe(
  table: 'ORIG_MAIL_ACCESS' | 'MAIL_ACCESS',
  fields: RecipientProbeFields,
  options: ProbeOptions = {},
): string {
  const paranoia = options.mappingParanoia ?? '_';
  return [
    ...connectionFields(fields, paranoia),
    ...recipientFields(table, fields, paranoia),
    ...optionalFields(table, fields, options),
  ].join('|');
}

/** The probe of any recipient table (A7, A8). */
export function recipientProbe(table: RecipientTable, fields: RecipientProbeFields, options: ProbeOptions = {}): string {
  return table === 'ORIG_SEND_ACCESS' || table === 'SEND_ACCESS'
    ? sendAccessProbe(table, fields, options)
    : mailAccessProbe(table, fields, options);
}

function recipientFields(table: RecipientTable, fields: RecipientProbeFields, paranoia: string | false): string[] {
  const recipient = table.startsWith('ORIG_') ? fields.to : (fields.recipient ?? fields.to);
  return [fields.srcChannel, paranoidField(fields.from, paranoia), fields.dstChannel, paranoidField(recipient, paranoia)];
}

// A11: bit 0 of access_orcpt / access_counts selects all four tables, bits 1–4 one table each;
// include_conversiontag keeps bits 0–2 for other tables, so its recipient-table bits are 3–6.
const TABLE_BIT: Record<RecipientTable, number> = {
  ORIG_SEND_ACCESS: 1,
  SEND_ACCESS: 2,
  ORIG_MAIL_ACCESS: 3,
  MAIL_ACCESS: 4,
};

function selectsTable(mask: number, table: RecipientTable): boolean {
  return (mask & 1) !== 0 || (mask & (1 << TABLE_BIT[table])) !== 0;
}

/** A11: `[|orcpt][|counts][|conversiontag]`, always in this order. */
function optionalFields(table: RecipientTable, fields: RecipientProbeFields, options: ProbeOptions): string[] {
  const paranoia = options.mappingParanoia ?? '_';
  const appended: string[] = [];
  if (selectsTable(options.accessOrcpt ?? 0, table)) {
    appended.push(paranoidField(fields.orcpt !== undefined ? decodeOrcpt(fields.orcpt) : fields.to, paranoia));
  }
  if (selectsTable(options.accessCounts ?? 0, table)) {
    const counts = [fields.rcptIndex ?? 1, fields.acceptedSoFar ?? 0];
    if (options.accessCountsExpansion) counts.push(fields.expansionCount ?? 1);
    appended.push(counts.map((count) => `${count}/`).join(''));
  }
  if (((options.includeConversionTag ?? 0) & (1 << (TABLE_BIT[table] + 2))) !== 0) {
    appended.push((fields.conversionTags ?? []).map((tag) => paranoidField(tag, paranoia)).join(','));
  }
  return appended;
}

/** A11: the ORCPT value with its xtext `+HH` escapes decoded (RFC 3461 §4). */
export function decodeOrcpt(orcpt: string): string {
  return orcpt.replace(/\+([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The session facts that set input flags (A13). */
export interface InputFlagFacts {
  dispatcher?: boolean;
  authenticated?: boolean;
  tls?: boolean;
  esmtp?: boolean;
  lmtp?: boolean;
  notify?: readonly NotifyKeyword[];
}

/** A13: input flags of PORT_ACCESS: `A` for the Dispatcher's probe (default). */
export function portAccessInputFlags(facts: InputFlagFacts): string {
  return facts.dispatcher === false ? '' : 'A';
}

/** A13: input flags of FROM_ACCESS: `A` authenticated, `T` TLS (no D, F, S, E, L). */
export function fromAccessInputFlags(facts: InputFlagFacts): string {
  return (facts.authenticated ? 'A' : '') + (facts.tls ? 'T' : '');
}

/** A13: input flags of the recipient tables, ascending: A, D (NOTIFY=DELAY), E, F (FAILURE), L, S (SUCCESS), T. */
export function recipientInputFlags(facts: InputFlagFacts, notifyDefaultFlags = false): string {
  // Only keywords the client sent count; notifyDefaultFlags stands in for the MTA's implicit FAILURE,DELAY.
  const sent = facts.notify ?? [];
  const notify = sent.length === 0 && notifyDefaultFlags ? ['FAILURE', 'DELAY'] : sent;
  return (
    (facts.authenticated ? 'A' : '') +
    (notify.includes('DELAY') ? 'D' : '') +
    (facts.esmtp ? 'E' : '') +
    (notify.includes('FAILURE') ? 'F' : '') +
    (facts.lmtp ? 'L' : '') +
    (notify.includes('SUCCESS') ? 'S' : '') +
    (facts.tls ? 'T' : '')
  );
}
