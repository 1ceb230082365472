import type { ConnectionTuple } from '../../access/schemas.js';

// PD2 and PD3: what a Postfix policy request asks and the tuple fields it carries. Values are passed on
// as Postfix sent them; the access stage validates them like any tuple (A27, A31).

/** The stage a request is answered for; `none` is a state iMS has no access table for (answered DUNNO). */
export type PolicyStage = 'connect' | 'mail' | 'rcpt' | 'none';

/** A policy request read as access inputs. */
export interface PolicyRequest {
  stage: PolicyStage;
  /** Postfix's protocol_state, as sent. */
  protocolState: string;
  /** PD5: the transaction the request belongs to ("" when Postfix sent none). */
  instance: string;
  /** END-OF-MESSAGE: the transaction is over and its state can go. */
  endsTransaction: boolean;
  connection: ConnectionTuple;
  /** PD9.5: server_address or server_port was absent and the configured default was used. */
  serverDefaulted: boolean;
  greeting: { helo: string; kind: 'HELO' | 'EHLO' | 'LHLO' } | undefined;
  tls: boolean;
  /** PD3, PD9.8: the authenticated sender, when sasl_username is not empty. */
  authSender: string | undefined;
  /** The envelope sender, "" for `<>`. */
  sender: string;
  recipient: string;
}

/** The server's own defaults for what an old Postfix does not send (PD9.5). */
export interface RequestDefaults {
  serverAddress: string;
  serverPort: number;
}

const STAGE_OF_STATE: Record<string, PolicyStage> = {
  CONNECT: 'connect',
  MAIL: 'mail',
  RCPT: 'rcpt',
  HELO: 'none',
  EHLO: 'none',
  DATA: 'none',
  'END-OF-MESSAGE': 'none',
  VRFY: 'none',
  ETRN: 'none',
};

const CONTEXT_STAGES = new Set<string>(['connect', 'mail', 'rcpt']);

/** Tuple fields by the Postfix attribute they come from, so that a log line names what Postfix sent. */
export const ATTRIBUTE_OF_FIELD: Readonly<Record<string, string>> = {
  clientIp: 'client_address',
  clientPort: 'client_port',
  serverIp: 'server_address',
  serverPort: 'server_port',
  helo: 'helo_name',
  authSender: 'sasl_sender',
  from: 'sender',
  to: 'recipient',
};

/** A port as a number when it is one; otherwise the text, for the tuple validation to name (PD3). */
function portValue(text: string): number {
  return /^\d{1,5}$/.test(text) ? Number(text) : (text as unknown as number);
}

/** PD2, PD3: the stage and inputs of a request, or why it is malformed (PD1, PD9.6). */
export function readPolicyRequest(attributes: ReadonlyMap<string, string>, defaults: RequestDefaults): PolicyRequest | string {
  const request = attributes.get('request');
  if (request === undefined) return 'no request attribute';
  if (request !== 'smtpd_access_policy') return `unknown request ${JSON.stringify(request)}`;
  const protocolState = attributes.get('protocol_state');
  if (protocolState === undefined) return 'no protocol_state attribute';
  const stateStage = STAGE_OF_STATE[protocolState.toUpperCase()];
  if (stateStage === undefined) return `unknown protocol_state ${JSON.stringify(protocolState)}`;
  const context = attributes.get('policy_context') ?? '';
  // PD9.6: policy_context chooses only in the states that have an access table.
  const stage = stateStage !== 'none' && CONTEXT_STAGES.has(context) ? (context as PolicyStage) : stateStage;

  const serverAddress = attributes.get('server_address');
  const serverPort = attributes.get('server_port');
  const protocol = (attributes.get('protocol_name') ?? '').toUpperCase();
  const helo = attributes.get('helo_name') ?? '';
  const saslUsername = attributes.get('sasl_username') ?? '';
  const saslSender = attributes.get('sasl_sender') ?? '';
  return {
    stage,
    protocolState: protocolState.toUpperCase(),
    instance: attributes.get('instance') ?? '',
    endsTransaction: protocolState.toUpperCase() === 'END-OF-MESSAGE',
    connection: {
      clientIp: attributes.get('client_address') ?? '',
      clientPort: portValue(attributes.get('client_port') ?? '0'),
      serverIp: serverAddress || defaults.serverAddress,
      serverPort: serverPort ? portValue(serverPort) : defaults.serverPort,
    },
    serverDefaulted: !serverAddress || !serverPort,
    greeting:
      helo === ''
        ? undefined
        : { helo, kind: protocol.startsWith('LMTP') ? 'LHLO' : protocol.startsWith('ESMTP') ? 'EHLO' : 'HELO' },
    tls: (attributes.get('encryption_protocol') ?? '') !== '',
    authSender: saslUsername === '' ? undefined : saslSender || saslUsername,
    sender: attributes.get('sender') ?? '',
    recipient: attributes.get('recipient') ?? '',
  };
}

/** The session fields of a request, as AccessSession would have established them. */
export function sessionKey(request: PolicyRequest): string {
  const { connection, greeting, tls, authSender } = request;
  return JSON.stringify([connection, greeting, tls, authSender]);
}
