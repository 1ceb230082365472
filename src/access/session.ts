import type { Decision } from './decision.js';
import type { AccessPolicy } from './policy.js';
import {
  connectionTupleSchema,
  envelopeTupleSchema,
  sessionRecipientSchema,
  sessionStateSchema,
  TupleError,
  validateTuple,
  type ConnectInput,
  type ConnectionTuple,
  type EnvelopeTuple,
  type MailInput,
  type RcptInput,
  type SessionRecipient,
  type SessionState,
} from './schemas.js';

/** The MAIL FROM transaction a session is in: the sender recipients are probed with, and the A11 counts. */
export interface TransactionState {
  /** The envelope From of later recipient probes: the `$J` replacement if FROM_ACCESS gave one (A23). */
  from: string;
  /** The reverse-path the client sent. */
  originalFrom: string;
  submitType?: EnvelopeTuple['submitType'];
  srcChannel?: string;
  /** RCPT TO commands so far, rejected ones included (A11 R). */
  rcptCount: number;
  /** Recipients accepted so far (A11 T). */
  acceptedCount: number;
  /** The positive `$D` in force: every later reply of the transaction waits this long (A20). */
  delayCentiseconds?: number;
}

/**
 * Follows one SMTP session (A27): connection, HELO/EHLO/LHLO, STARTTLS, AUTH, transactions, RCPT counts and
 * `$J` replacements (A23), calling the policy's stages with the tuples the MTA would build.
 */
export class AccessSession {
  private state: SessionState;
  private internal: boolean | undefined;
  private transaction: TransactionState | undefined;

  private constructor(
    private readonly policy: AccessPolicy,
    readonly connection: ConnectionTuple,
    state: SessionState,
    private readonly enforced: boolean,
  ) {
    this.state = { ...state };
    this.internal = state.internal;
  }

  /**
   * A session on an accepted TCP connection; bad tuples give a TupleError naming the field. With
   * `enforce: false` the caller answers every command as if accepted (a warn-only adapter), so rejected
   * MAIL FROM and RCPT TO commands still open the transaction and count as accepted, as the client saw them.
   */
  static open(
    policy: AccessPolicy,
    connection: ConnectionTuple,
    state: SessionState = {},
    options: { enforce?: boolean } = {},
  ): AccessSession | TupleError {
    const validConnection = validateTuple(connectionTupleSchema, connection);
    if (validConnection instanceof TupleError) return validConnection;
    const validState = validateTuple(sessionStateSchema, state);
    if (validState instanceof TupleError) return validState;
    return new AccessSession(policy, validConnection, validState, options.enforce !== false);
  }

  /** What the dialogue has established so far. */
  get session(): Readonly<SessionState> {
    const session: SessionState = { ...this.state };
    if (this.internal !== undefined) session.internal = this.internal;
    return session;
  }

  /** The open transaction, if a MAIL FROM was accepted and not yet ended. */
  get currentTransaction(): Readonly<TransactionState> | undefined {
    return this.transaction && { ...this.transaction };
  }

  /** The connect stage; its INTERNAL_IP verdict is kept for the channel choice of later stages (A24). */
  connect(): Decision | TupleError {
    return this.afterConnect(this.policy.connect(this.connectInput()));
  }

  /** The connect stage, awaiting asynchronous providers. */
  async connectAsync(): Promise<Decision | TupleError> {
    return this.afterConnect(await this.policy.connectAsync(this.connectInput()));
  }

  /** HELO: records the argument for app-info (A9); like RSET it ends any transaction (RFC 5321 §4.1.4). */
  helo(argument: string): void {
    this.greet(argument, { esmtp: false, lmtp: false });
  }

  /** EHLO: as HELO, and the session is ESMTP (input flag E, A13). */
  ehlo(argument: string): void {
    this.greet(argument, { esmtp: true, lmtp: false });
  }

  /** LHLO: as HELO, and the session is LMTP (input flag L, A13). */
  lhlo(argument: string): void {
    this.greet(argument, { esmtp: false, lmtp: true });
  }

  /** STARTTLS completed: input flag T from now on; the client must greet again (RFC 3207 §4.2). */
  startTls(): void {
    const { helo: _helo, authenticated: _authenticated, authSender: _authSender, ...kept } = this.state;
    this.state = { ...kept, tls: true, esmtp: false, lmtp: false };
    this.transaction = undefined;
  }

  /** AUTH succeeded, optionally with the authenticated sender address (A6 field 10). */
  authenticate(authSender?: string): void {
    const { authSender: _previous, ...kept } = this.state;
    this.state = authSender === undefined ? { ...kept, authenticated: true } : { ...kept, authenticated: true, authSender };
  }

  /** MAIL FROM: starts a new transaction (counts reset) if FROM_ACCESS accepts. */
  mailFrom(envelope: EnvelopeTuple): Decision | TupleError {
    const input = this.mailInput(envelope);
    return input instanceof TupleError ? input : this.afterMail(input, this.policy.mailFrom(input));
  }

  /** MAIL FROM, awaiting asynchronous providers. */
  async mailFromAsync(envelope: EnvelopeTuple): Promise<Decision | TupleError> {
    const input = this.mailInput(envelope);
    return input instanceof TupleError ? input : this.afterMail(input, await this.policy.mailFromAsync(input));
  }

  /** RCPT TO within the transaction: R counts every command, T the accepted ones (A11). */
  rcptTo(recipient: SessionRecipient): Decision | TupleError {
    const input = this.rcptInput(recipient);
    return input instanceof TupleError ? input : this.afterRcpt(this.transaction!, this.policy.rcptTo(input));
  }

  /** RCPT TO, awaiting asynchronous providers. */
  async rcptToAsync(recipient: SessionRecipient): Promise<Decision | TupleError> {
    const input = this.rcptInput(recipient);
    if (input instanceof TupleError) return input;
    // Counted into the transaction the command was given in, even if a RSET came while it was pending.
    const transaction = this.transaction!;
    return this.afterRcpt(transaction, await this.policy.rcptToAsync(input));
  }

  /** RSET: ends the transaction. */
  rset(): void {
    this.transaction = undefined;
  }

  /** The end of DATA: ends the transaction, and with it any positive delay (A20). */
  endOfData(): void {
    this.transaction = undefined;
  }

  private greet(argument: string, kind: { esmtp: boolean; lmtp: boolean }): void {
    this.state = { ...this.state, helo: argument, ...kind };
    this.transaction = undefined;
  }

  private connectInput(): ConnectInput {
    return this.stageTuple();
  }

  /**
   * The connection and what the dialogue established, as every stage tuple starts: one copy of the
   * state and fields added one by one, as spreading several objects into one literal is slow.
   */
  private stageTuple(): ConnectInput {
    const tuple: ConnectInput = { ...this.state, ...this.connection };
    if (this.internal !== undefined) tuple.internal = this.internal;
    return tuple;
  }

  private afterConnect(decision: Decision | TupleError): Decision | TupleError {
    if (!(decision instanceof TupleError)) this.internal = decision.internal;
    return decision;
  }

  private mailInput(envelope: EnvelopeTuple): MailInput | TupleError {
    const valid = validateTuple(envelopeTupleSchema, envelope);
    if (valid instanceof TupleError) return valid;
    // A MAIL FROM always starts over, whatever it answers.
    this.transaction = undefined;
    return Object.assign(this.stageTuple(), valid);
  }

  private afterMail(input: MailInput, decision: Decision | TupleError): Decision | TupleError {
    if (decision instanceof TupleError || (decision.action === 'reject' && this.enforced)) return decision;
    this.transaction = {
      // A23: a `$J` replacement is the sender of every later recipient probe.
      from: decision.envelopeFrom ?? input.from,
      originalFrom: input.from,
      rcptCount: 0,
      acceptedCount: 0,
    };
    if (input.submitType !== undefined) this.transaction.submitType = input.submitType;
    if (input.srcChannel !== undefined) this.transaction.srcChannel = input.srcChannel;
    return withTransactionDelay(this.transaction, decision);
  }

  private rcptInput(recipient: SessionRecipient): RcptInput | TupleError {
    const valid = validateTuple(sessionRecipientSchema, recipient);
    if (valid instanceof TupleError) return valid;
    const transaction = this.transaction;
    if (transaction === undefined) {
      return new TupleError([{ field: '', path: [], message: 'RCPT TO needs an accepted MAIL FROM first' }]);
    }
    const input: RcptInput = Object.assign(this.stageTuple(), valid, {
      from: transaction.from,
      rcptIndex: transaction.rcptCount + 1,
      acceptedSoFar: transaction.acceptedCount,
    });
    if (transaction.submitType !== undefined) input.submitType = transaction.submitType;
    if (transaction.srcChannel !== undefined) input.srcChannel = transaction.srcChannel;
    return input;
  }

  private afterRcpt(transaction: TransactionState, decision: Decision | TupleError): Decision | TupleError {
    if (decision instanceof TupleError) return decision;
    transaction.rcptCount += 1;
    if (decision.action === 'accept' || !this.enforced) transaction.acceptedCount += 1;
    return withTransactionDelay(transaction, decision);
  }
}

/** A20: a positive delay holds for the rest of the transaction; a reply without its own delay inherits it. */
function withTransactionDelay(transaction: TransactionState, decision: Decision): Decision {
  if (decision.delay?.scope === 'transaction') {
    transaction.delayCentiseconds = decision.delay.centiseconds;
  } else if (decision.delay === undefined && transaction.delayCentiseconds !== undefined) {
    decision.delay = { centiseconds: transaction.delayCentiseconds, scope: 'transaction' };
  }
  return decision;
}
