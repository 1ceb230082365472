import { evaluationErrorReply, type Decision } from '../access/decision.js';
import type { AccessPolicy } from '../access/policy.js';
import { formatReply, type SmtpReply } from '../access/reading.js';
import { TupleError, type ConnectionTuple, type EnvelopeTuple, type SessionRecipient } from '../access/schemas.js';
import { AccessSession } from '../access/session.js';
import { LivePolicy } from './live-policy.js';

// The part of the MTA adapters that knows nothing about the host: one GateSession per SMTP connection
// follows the dialogue with the access session helper (A27) and turns each decision into what the host
// must do — answer, with which reply, after which delay, and whether to close.

/** `enforce` answers as the decisions say; `warn` logs what it would have rejected and rejects nothing. */
export type EnforcementMode = 'enforce' | 'warn';

/** Where the adapters write: rejections, warn-only findings and the tables' `$<`/`$>` texts (A21). */
export interface GateLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Options every adapter shares. */
export interface GateOptions {
  /** Default `enforce`. In `warn` mode nothing is rejected and nothing is delayed. */
  mode?: EnforcementMode;
  /** Default: the console. */
  logger?: GateLogger;
  /** Told about every decision, for metrics or tests. */
  onDecision?: (event: GateEvent) => void;
}

/** The TCP endpoints as the host reports them. */
export interface ConnectionEndpoints {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
}

/** What the SMTP dialogue has established when MAIL FROM arrives: greeting, TLS and AUTH (A13, A24). */
export interface DialogueState {
  greeting: 'HELO' | 'EHLO' | 'LHLO' | undefined;
  /** The HELO/EHLO/LHLO argument (A9 app-info). */
  helo?: string;
  tls: boolean;
  authenticated: boolean;
  /** The authenticated identity as an address (A6 field 10). */
  authSender?: string;
}

/** What the host does with one command. */
export interface GateVerdict {
  /** False only for an enforced rejection. */
  accept: boolean;
  /** The rejection's reply — in warn mode, the reply that would have been sent. */
  reply?: SmtpReply;
  /** An enforced connect-stage rejection: send the reply, then close (A19). */
  closeConnection: boolean;
  /** How long to hold the reply back (A20); always 0 in warn mode. */
  delayMs: number;
  decision?: Decision;
  /** Why the check could not run (input the access API refused, a failing provider): answered as A29. */
  error?: Error;
}

/** One decision as the adapter saw and answered it. */
export interface GateEvent {
  stage: Decision['stage'];
  /** `RCPT TO:<b@other.example>`, `MAIL FROM:<>`, or the connection's endpoints. */
  subject: string;
  connection: ConnectionTuple;
  /** The LivePolicy generation the connection is bound to (undefined for a plain AccessPolicy). */
  generation?: number;
  verdict: GateVerdict;
}

const consoleLogger: GateLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

/** The reply lines as a host that writes the code itself wants them: `5.7.1 text`, or `text` without `enhanced`. */
export function replyTexts(reply: SmtpReply, withEnhanced = true): string[] {
  return reply.lines.map((line) => (withEnhanced && reply.enhanced !== undefined ? `${reply.enhanced} ${line}` : line));
}

/** Waits before a reply (A20). */
export function delay(milliseconds: number): Promise<void> {
  return milliseconds > 0 ? new Promise((resolve) => setTimeout(resolve, milliseconds)) : Promise.resolve();
}

/** Opens a GateSession per connection over a fixed policy or a LivePolicy. */
export class SmtpGate {
  readonly mode: EnforcementMode;
  private readonly logger: GateLogger;

  constructor(
    private readonly source: AccessPolicy | LivePolicy,
    private readonly options: GateOptions = {},
  ) {
    this.mode = options.mode ?? 'enforce';
    this.logger = options.logger ?? consoleLogger;
  }

  /**
   * A session for a new connection. It is bound to the tables in use now: a reload affects new
   * connections only, so one SMTP session never mixes two versions of the file — as the MTA, whose
   * running servers keep the configuration they started with. `publicPort` is the port clients
   * connect to when it differs from the listening one (a port redirect, a proxy). `logger`, when
   * given, writes this connection's lines, so that a host can tag them with its connection id.
   */
  open(endpoints: ConnectionEndpoints, publicPort?: number, logger: GateLogger = this.logger): GateSession {
    const connection: ConnectionTuple = {
      serverIp: withoutZone(endpoints.localAddress),
      serverPort: publicPort ?? endpoints.localPort,
      clientIp: withoutZone(endpoints.remoteAddress),
      clientPort: endpoints.remotePort,
    };
    const policy = this.source instanceof LivePolicy ? this.source.current : undefined;
    return new GateSession(this, policy?.policy ?? (this.source as AccessPolicy), connection, policy?.generation, logger);
  }

  /** Turns a decision (or the error that stopped it) into a verdict, logs it and tells `onDecision`. */
  answer(session: GateSession, stage: Decision['stage'], subject: string, outcome: Decision | Error): GateVerdict {
    const verdict = outcome instanceof Error ? this.failedCheck(stage, session, subject, outcome) : this.verdictOf(outcome, subject, session.logger);
    this.options.onDecision?.({ stage, subject, connection: session.connection, generation: session.generation, verdict });
    return verdict;
  }

  private verdictOf(decision: Decision, subject: string, logger: GateLogger): GateVerdict {
    for (const entry of decision.log) logger.info(`imsmap: ${entry.table} log on ${entry.when}: ${entry.text}`);
    const enforcing = this.mode === 'enforce';
    const rejected = decision.action === 'reject';
    const delayMs = decision.delay === undefined ? 0 : decision.delay.centiseconds * 10;
    const verdict: GateVerdict = {
      accept: !(rejected && enforcing),
      closeConnection: rejected && enforcing && decision.closeConnection,
      delayMs: enforcing ? delayMs : 0,
      decision,
    };
    if (rejected) {
      verdict.reply = decision.reply!;
      const reply = formatReply(decision.reply!).join(' / ');
      if (enforcing) {
        logger.info(`imsmap: rejected ${subject}: ${reply}`);
      } else {
        const wait = delayMs > 0 ? ` after ${(delayMs / 1000).toFixed(2)} s` : '';
        logger.warn(`imsmap (warn-only): would reject ${subject}${wait}: ${reply}${decision.closeConnection ? ' and close' : ''}`);
      }
    }
    return verdict;
  }

  private failedCheck(stage: Decision['stage'], session: GateSession, subject: string, error: Error): GateVerdict {
    session.logger.warn(`imsmap: cannot check ${subject}: ${error.message}`);
    const accept = this.mode === 'warn' || session.policy.options.onEvaluationError === 'accept';
    return { accept, reply: evaluationErrorReply(), closeConnection: !accept && stage === 'connect', delayMs: 0, error };
  }
}

/** One SMTP connection's checks, in dialogue order. */
export class GateSession {
  private readonly access: AccessSession | TupleError;

  constructor(
    private readonly gate: SmtpGate,
    readonly policy: AccessPolicy,
    readonly connection: ConnectionTuple,
    readonly generation: number | undefined,
    /** Where this connection's lines go. */
    readonly logger: GateLogger,
  ) {
    this.access = AccessSession.open(policy, connection, {}, { enforce: gate.mode === 'enforce' });
  }

  /** The connect stage: PORT_ACCESS (A22 step 1). */
  connect(): Promise<GateVerdict> {
    const { clientIp, clientPort, serverIp, serverPort } = this.connection;
    const subject = `connection from ${clientIp}:${clientPort} to ${serverIp}:${serverPort}`;
    return this.check('connect', subject, (access) => access.connectAsync());
  }

  /** MAIL FROM with the dialogue state the host reports (A22 step 2). */
  mailFrom(dialogue: DialogueState, envelope: EnvelopeTuple): Promise<GateVerdict> {
    return this.check('mail', `MAIL FROM:<${envelope.from}>`, (access) => {
      replayDialogue(access, dialogue);
      return access.mailFromAsync(envelope);
    });
  }

  /** RCPT TO (A22 step 3). */
  rcptTo(recipient: SessionRecipient): Promise<GateVerdict> {
    return this.check('rcpt', `RCPT TO:<${recipient.to}>`, (access) => access.rcptToAsync(recipient));
  }

  /** A20: the positive delay in force for the later replies of the transaction (DATA, end of DATA). */
  transactionDelayMs(): number {
    if (this.gate.mode === 'warn' || this.access instanceof TupleError) return 0;
    return (this.access.currentTransaction?.delayCentiseconds ?? 0) * 10;
  }

  /** The end of DATA ends the transaction and its delay (A20). */
  endOfData(): void {
    if (!(this.access instanceof TupleError)) this.access.endOfData();
  }

  /** RSET ends the transaction and its delay (A20). */
  rset(): void {
    if (!(this.access instanceof TupleError)) this.access.rset();
  }

  /** Runs one stage; whatever stops it (bad input, a failing provider) becomes the A29 answer, never a rejection. */
  private async check(
    stage: Decision['stage'],
    subject: string,
    run: (access: AccessSession) => Promise<Decision | TupleError>,
  ): Promise<GateVerdict> {
    let outcome: Decision | Error;
    try {
      outcome = this.access instanceof TupleError ? this.access : await run(this.access);
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    }
    return this.gate.answer(this, stage, subject, outcome);
  }
}

/**
 * Hosts report the dialogue as state, the session helper takes it as events: replay it in protocol
 * order (STARTTLS, greeting, AUTH). A MAIL FROM starts a new transaction anyway, so nothing is lost.
 */
function replayDialogue(access: AccessSession, dialogue: DialogueState): void {
  if (dialogue.tls) access.startTls();
  const helo = dialogue.helo ?? '';
  if (dialogue.greeting === 'EHLO') access.ehlo(helo);
  else if (dialogue.greeting === 'LHLO') access.lhlo(helo);
  else if (dialogue.greeting === 'HELO') access.helo(helo);
  if (dialogue.authenticated) access.authenticate(dialogue.authSender);
}

/** A link-local address's `%zone` names a local interface: it has no place in a probe (A9). */
function withoutZone(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}
