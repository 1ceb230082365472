import { evaluationErrorReply, type Decision } from '../../access/decision.js';
import { AccessPolicy } from '../../access/policy.js';
import { TupleError } from '../../access/schemas.js';
import { AccessSession } from '../../access/session.js';
import type { LivePolicy } from '../live-policy.js';
import { postfixAction, replyAction, REQUEST_ERROR_ACTION, type AcceptAction } from './actions.js';
import { ATTRIBUTE_OF_FIELD, readPolicyRequest, sessionKey, type PolicyRequest, type PolicyStage, type RequestDefaults } from './attributes.js';
import type { FramedRequest } from './protocol.js';

// PD5: one conversation per policy connection. Requests of one `instance` are one transaction, driven
// through an AccessSession exactly as the SMTP dialogue would have driven it, so that the answers equal
// `imsmap decide` on the same tuples. The state is per connection, capped and expiring.

/** Where the tables come from: a fixed policy, or the generation in use of a live one. */
export type PolicySource = AccessPolicy | LivePolicy;

/** What a conversation needs to know besides the tables. */
export interface ConversationSettings extends RequestDefaults {
  acceptAction: AcceptAction;
  /** The most transactions one connection keeps; the least recently used goes first. */
  maxTransactions: number;
  /** A transaction idle this long is forgotten. */
  transactionTimeoutMs: number;
}

/** One answer as the log shows it (PD6: one line per answer). */
export interface PolicyAnswer {
  /** The `action=` value sent to Postfix. */
  action: string;
  /** How long the answer was held back (A20, PD4). */
  delayMs: number;
  /** `error` for a request that could not be answered from the tables (PD1, PD3, A29). */
  stage: PolicyStage | 'error';
  protocolState?: string;
  instance?: string;
  client?: string;
  server?: string;
  sender?: string;
  recipient?: string;
  /** The generation of a LivePolicy that answered. */
  generation?: number;
  /** The table whose result answered a rejection, with the entry's place in the file. */
  answeredBy?: string;
  /** Why the request was malformed, which attribute was bad, or what failed. */
  problem?: string;
  /** PD9.5: server_address/server_port were absent and the defaults applied. */
  serverDefaulted?: boolean;
}

interface Transaction {
  key: string;
  session: AccessSession;
  generation: number | undefined;
  connect: Decision | TupleError;
  mail?: { sender: string; decision: Decision | TupleError };
  lastUsed: number;
}

/** `addr:port`, or `[addr]:port` for IPv6. */
function endpointText(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** PD3: a bad value named by the Postfix attribute it came from. */
function attributeProblem(error: TupleError): string {
  const issue = error.issues[0];
  const attribute = ATTRIBUTE_OF_FIELD[error.field] ?? error.field;
  return attribute === '' ? error.message : `${attribute}: ${issue?.message ?? error.message}`;
}

/** The rejecting table of a decision, with the entry that answered (`ORIG_SEND_ACCESS mappings:28`). */
function answeringTable(decision: Decision): string | undefined {
  if (decision.action !== 'reject') return undefined;
  const result = decision.results.find((candidate) => candidate.outcome === 'reject' || candidate.outcome === 'error');
  if (result === undefined) return undefined;
  const entry = result.mapping?.entry;
  return entry === undefined ? result.table : `${result.table} ${entry.file}:${entry.line}`;
}

/** Answers the requests of one policy connection (PD1–PD5), in order. */
export class PolicyConversation {
  private readonly transactions = new Map<string, Transaction>();

  constructor(
    private readonly source: PolicySource,
    private readonly settings: ConversationSettings,
  ) {}

  /** The answer to one framed request; never throws. */
  async answer(framed: FramedRequest): Promise<PolicyAnswer> {
    if ('malformed' in framed) return { action: REQUEST_ERROR_ACTION, delayMs: 0, stage: 'error', problem: framed.malformed };
    const request = readPolicyRequest(framed.attributes, this.settings);
    if (typeof request === 'string') return { action: REQUEST_ERROR_ACTION, delayMs: 0, stage: 'error', problem: request };
    const answer: PolicyAnswer = {
      action: 'DUNNO',
      delayMs: 0,
      stage: request.stage,
      protocolState: request.protocolState,
      instance: request.instance,
      client: endpointText(request.connection.clientIp, request.connection.clientPort),
      server: endpointText(request.connection.serverIp, request.connection.serverPort),
    };
    if (request.sender !== '' || request.stage !== 'connect') answer.sender = request.sender;
    if (request.recipient !== '') answer.recipient = request.recipient;
    if (request.serverDefaulted) answer.serverDefaulted = true;
    if (request.stage === 'none') {
      // PD2: no access table in this state. END-OF-MESSAGE ends the transaction and its delay (PD9.3).
      if (request.endsTransaction) this.transactions.delete(request.instance);
      return answer;
    }
    try {
      const { decision, generation } = await this.decide(request);
      if (generation !== undefined) answer.generation = generation;
      if (decision instanceof TupleError) {
        answer.stage = 'error';
        answer.action = REQUEST_ERROR_ACTION;
        answer.problem = attributeProblem(decision);
        return answer;
      }
      answer.action = postfixAction(decision, this.settings.acceptAction);
      answer.delayMs = (decision.delay?.centiseconds ?? 0) * 10;
      const answeredBy = answeringTable(decision);
      if (answeredBy !== undefined) answer.answeredBy = answeredBy;
    } catch (error) {
      // A29: a provider that failed is an evaluation error, answered with a temporary rejection.
      answer.stage = 'error';
      answer.action = replyAction(evaluationErrorReply());
      answer.problem = (error as Error)?.message ?? String(error);
    }
    return answer;
  }

  /** PD2, PD9.4: a mail or rcpt request runs the earlier stages of its transaction first; the first rejection answers. */
  private async decide(request: PolicyRequest): Promise<{ decision: Decision | TupleError; generation: number | undefined }> {
    const transaction = await this.transactionFor(request);
    if (transaction instanceof TupleError) return { decision: transaction, generation: undefined };
    const { generation } = transaction;
    const connect = transaction.connect;
    if (request.stage === 'connect' || connect instanceof TupleError || connect.action === 'reject') {
      return { decision: connect, generation };
    }
    if (transaction.mail === undefined || transaction.mail.sender !== request.sender) {
      transaction.mail = { sender: request.sender, decision: await transaction.session.mailFromAsync({ from: request.sender }) };
    }
    const mail = transaction.mail.decision;
    if (request.stage === 'mail' || mail instanceof TupleError || mail.action === 'reject') return { decision: mail, generation };
    return { decision: await transaction.session.rcptToAsync({ to: request.recipient }), generation };
  }

  /** The transaction of the request's instance, opened (connect, greeting, TLS, AUTH) when new or changed. */
  private async transactionFor(request: PolicyRequest): Promise<Transaction | TupleError> {
    const now = Date.now();
    const key = sessionKey(request);
    const known = request.instance === '' ? undefined : this.transactions.get(request.instance);
    if (known !== undefined && known.key === key && now - known.lastUsed <= this.settings.transactionTimeoutMs) {
      // Map order is the eviction order: move the transaction to the back.
      this.transactions.delete(request.instance);
      this.transactions.set(request.instance, known);
      known.lastUsed = now;
      return known;
    }
    const { policy, generation } = this.source instanceof AccessPolicy ? { policy: this.source, generation: undefined } : this.source.current;
    const session = AccessSession.open(policy, request.connection);
    if (session instanceof TupleError) return session;
    const connect = await session.connectAsync();
    if (request.tls) session.startTls();
    if (request.greeting !== undefined) {
      const { helo, kind } = request.greeting;
      if (kind === 'EHLO') session.ehlo(helo);
      else if (kind === 'LHLO') session.lhlo(helo);
      else session.helo(helo);
    }
    if (request.authSender !== undefined) session.authenticate(request.authSender);
    const transaction: Transaction = { key, session, generation, connect, lastUsed: now };
    if (request.instance !== '') this.remember(request.instance, transaction, now);
    return transaction;
  }

  private remember(instance: string, transaction: Transaction, now: number): void {
    this.transactions.delete(instance);
    for (const [oldest, candidate] of this.transactions) {
      const expired = now - candidate.lastUsed > this.settings.transactionTimeoutMs;
      if (!expired && this.transactions.size < this.settings.maxTransactions) break;
      this.transactions.delete(oldest);
    }
    this.transactions.set(instance, transaction);
  }

  /** How many transactions the conversation holds (bounded by maxTransactions). */
  get size(): number {
    return this.transactions.size;
  }
}
