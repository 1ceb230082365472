import type { StageInput } from '../access/policy.js';
import { PROBE } from '../lint/probing.js';
import { isValidIpAddress } from '../syntax/ip.js';

// A probe of an access table read back into the stage tuple that would send it (A4–A8), so that both
// versions can give the full decision for it. Fields a real session could not send (a wildcard's
// shortest text is often empty) take the audit's documentation values instead.

const address = (text: string | undefined, fallback: string) => (text !== undefined && isValidIpAddress(text) ? text : fallback);

function port(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && /^\d{1,5}$/.test(text) && value <= 65535 ? value : fallback;
}

const mailbox = (text: string | undefined, fallback: string) => (text === undefined || text === '' || text.startsWith('<') ? fallback : text);

/** A4: the connection of fields 1–5 of a PORT_ACCESS, FROM_ACCESS or MAIL_ACCESS probe. */
function connection(fields: readonly string[]) {
  return {
    serverIp: address(fields[1], PROBE.serverIp),
    serverPort: port(fields[2], 25),
    clientIp: address(fields[3], PROBE.externalClient),
    clientPort: port(fields[4], PROBE.clientPort),
  };
}

const DEFAULT_CONNECTION = { serverIp: PROBE.serverIp, serverPort: 25, clientIp: PROBE.externalClient, clientPort: PROBE.clientPort };

/** A6/A8 fields 6–7: app-info (replacing `SMTP/helo`, A9) and the submit type. */
function session(fields: readonly string[]) {
  const submitType = ['MAIL', 'SEND', 'SAML', 'SOML'].includes(fields[6] ?? '') ? (fields[6] as 'MAIL') : 'MAIL';
  return { appInfo: fields[5] ?? `SMTP/${PROBE.helo}`, esmtp: true, submitType };
}

/** A7/A8: source channel, envelope From, destination channel and recipient, from `at` on. */
function recipient(fields: readonly string[], at: number) {
  const tuple: Record<string, unknown> = { from: mailbox(fields[at + 1], PROBE.from), to: mailbox(fields[at + 3], PROBE.outsideRecipient) };
  if (fields[at]) tuple.srcChannel = fields[at];
  if (fields[at + 2]) tuple.dstChannel = fields[at + 2];
  return tuple;
}

/** The stage tuple whose decision consults `table` with (nearly) this probe, or null for a table no stage consults. */
export function tupleForProbe(table: string, probe: string): StageInput | null {
  const fields = probe.split('|');
  switch (table) {
    case 'INTERNAL_IP':
      return { stage: 'connect', ...DEFAULT_CONNECTION, clientIp: address(probe, PROBE.externalClient) };
    case 'PORT_ACCESS':
      return { stage: 'connect', ...connection(fields) };
    case 'FROM_ACCESS': {
      const authSender = fields[9] ?? '';
      const auth = authSender === '' ? {} : { authenticated: true, authSender };
      const tuple: Record<string, unknown> = { ...connection(fields), ...session(fields), ...auth, from: mailbox(fields[8], PROBE.from) };
      if (fields[7]) tuple.srcChannel = fields[7];
      return { stage: 'mail', ...tuple } as StageInput;
    }
    case 'ORIG_SEND_ACCESS':
    case 'SEND_ACCESS':
      return { stage: 'rcpt', ...DEFAULT_CONNECTION, helo: PROBE.helo, esmtp: true, ...recipient(fields, 0) } as StageInput;
    case 'ORIG_MAIL_ACCESS':
    case 'MAIL_ACCESS':
      return { stage: 'rcpt', ...connection(fields), ...session(fields), ...recipient(fields, 7) } as StageInput;
    default:
      return null;
  }
}
