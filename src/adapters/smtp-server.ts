/**
 * imsmap/smtp-server: the access tables as hooks of nodemailer's `smtp-server`.
 *
 *     const hooks = smtpServerHooks(LivePolicy.load('mappings') as LivePolicy, { mode: 'enforce' });
 *     new SMTPServer({ ...hooks, authOptional: true }).listen(25);
 */
import type {
  SMTPServerAddress,
  SMTPServerDataStream,
  SMTPServerOptions,
  SMTPServerSession,
} from 'smtp-server';
import type { AccessPolicy } from '../access/policy.js';
import type { SmtpReply } from '../access/reading.js';
import type { NotifyKeyword, SessionRecipient } from '../access/schemas.js';
import { delay, replyTexts, SmtpGate, type DialogueState, type GateOptions, type GateSession } from './gate.js';
import type { LivePolicy } from './live-policy.js';

export type { EnforcementMode, GateEvent, GateLogger, GateVerdict } from './gate.js';

/** Options of `smtpServerHooks`. */
export interface SmtpServerAdapterOptions extends GateOptions {
  /** The port clients connect to when it is not the listening port (a port redirect, a proxy): A4 field 3. */
  serverPort?: number;
  /**
   * Who writes the enhanced status code of a rejection. `imsmap` (default): the hooks set smtp-server's
   * `hideENHANCEDSTATUSCODES` and put the decision's own code in the text, so the wire shows exactly
   * `550 5.7.1 Relaying not allowed: b@other.example` (A18). `smtp-server`: smtp-server adds its generic code
   * for the basic code (550 → 5.1.1) to every reply, and the text carries none, so none is duplicated.
   */
  enhancedStatusCodes?: 'imsmap' | 'smtp-server';
  /** The authenticated sender address (A6 field 10) from `session.user`; default: the user if it is a string. */
  authSender?: (user: unknown) => string | undefined;
  /** Your own handlers: each runs after imsmap accepted the command. */
  onConnect?: SMTPServerOptions['onConnect'];
  onMailFrom?: SMTPServerOptions['onMailFrom'];
  onRcptTo?: SMTPServerOptions['onRcptTo'];
  /** Your DATA handler; imsmap holds its final reply back by the transaction's `$D` delay (A20). */
  onData?: SMTPServerOptions['onData'];
}

type Callback = (error?: Error | null) => void;
type DataCallback = Parameters<NonNullable<SMTPServerOptions['onData']>>[2];

/** The SMTPServer options the adapter provides: spread them into `new SMTPServer({...})`. */
export interface SmtpServerHooks {
  hideENHANCEDSTATUSCODES: boolean;
  onConnect(session: SMTPServerSession, callback: Callback): void;
  onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void;
  onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void;
  onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: DataCallback): void;
}

/** An error smtp-server answers with: `responseCode` is the reply code, the message its text. */
export type SmtpRejection = Error & { responseCode: number };

/**
 * The rejection smtp-server sends as the reply. smtp-server writes an array message as a multi-line
 * reply (A19 `~` lines); an Error's message is otherwise one line.
 */
export function smtpRejection(reply: SmtpReply, withEnhanced: boolean): SmtpRejection {
  const texts = replyTexts(reply, withEnhanced);
  const rejection = Object.assign(new Error(texts.join(' ')), { responseCode: reply.code });
  if (texts.length > 1) Object.defineProperty(rejection, 'message', { value: texts });
  return rejection;
}

const GREETINGS = new Set(['HELO', 'EHLO', 'LHLO']);
const NOTIFY_KEYWORDS = new Set<string>(['SUCCESS', 'FAILURE', 'DELAY', 'NEVER']);

/** smtp-server hooks that check connections, senders and recipients against the access tables (A22). */
export function smtpServerHooks(policy: AccessPolicy | LivePolicy, options: SmtpServerAdapterOptions = {}): SmtpServerHooks {
  const gate = new SmtpGate(policy, options);
  const textsCarryEnhanced = (options.enhancedStatusCodes ?? 'imsmap') === 'imsmap';
  const authSender = options.authSender ?? ((user: unknown) => (typeof user === 'string' ? user : undefined));
  // smtp-server keeps one session object per connection for its whole life.
  const sessions = new WeakMap<SMTPServerSession, GateSession>();
  const sessionFor = (session: SMTPServerSession): GateSession => {
    let gateSession = sessions.get(session);
    if (gateSession === undefined) {
      gateSession = gate.open(session, options.serverPort);
      sessions.set(session, gateSession);
    }
    return gateSession;
  };

  return {
    hideENHANCEDSTATUSCODES: textsCarryEnhanced,

    onConnect(session, callback) {
      void sessionFor(session)
        .connect()
        .then((verdict) => {
          // The connect reply is written without smtp-server's enhanced codes, so it carries its own (A19).
          if (!verdict.accept) return callback(smtpRejection(verdict.reply!, true));
          chain(callback, options.onConnect && ((next) => options.onConnect!(session, next)));
        });
    },

    onMailFrom(address, session, callback) {
      void (async () => {
        const dialogue: DialogueState = {
          greeting: GREETINGS.has(session.openingCommand) ? (session.openingCommand as DialogueState['greeting']) : undefined,
          helo: session.hostNameAppearsAs || undefined,
          tls: session.secure === true,
          authenticated: Boolean(session.user),
          authSender: authSender(session.user),
        };
        const verdict = await sessionFor(session).mailFrom(dialogue, { from: address.address });
        await delay(verdict.delayMs);
        if (!verdict.accept) return callback(smtpRejection(verdict.reply!, textsCarryEnhanced));
        chain(callback, options.onMailFrom && ((next) => options.onMailFrom!(address, session, next)));
      })();
    },

    onRcptTo(address, session, callback) {
      void (async () => {
        const verdict = await sessionFor(session).rcptTo(recipientOf(address));
        await delay(verdict.delayMs);
        if (!verdict.accept) return callback(smtpRejection(verdict.reply!, textsCarryEnhanced));
        chain(callback, options.onRcptTo && ((next) => options.onRcptTo!(address, session, next)));
      })();
    },

    onData(stream, session, callback) {
      const gateSession = sessionFor(session);
      const finish: DataCallback = (error, message) => {
        // A20: the end-of-DATA reply is the transaction's last one; its delay ends with it.
        const held = gateSession.transactionDelayMs();
        gateSession.endOfData();
        void delay(held).then(() => callback(error, message));
      };
      if (options.onData) return options.onData(stream, session, finish);
      stream.on('end', () => finish());
      stream.resume();
    },
  };
}

/** A RCPT TO as the session helper takes it, with the DSN parameters smtp-server parsed (A11, A13). */
function recipientOf(address: SMTPServerAddress): SessionRecipient {
  const recipient: SessionRecipient = { to: address.address };
  const notify = address.dsn?.notify;
  if (Array.isArray(notify) && notify.length > 0) {
    recipient.notify = notify.map((keyword) => keyword.toUpperCase()).filter((keyword) => NOTIFY_KEYWORDS.has(keyword)) as NotifyKeyword[];
  }
  if (typeof address.dsn?.orcpt === 'string') recipient.orcpt = address.dsn.orcpt;
  return recipient;
}

/** Runs the user's handler after an accepting check, or accepts. */
function chain(callback: Callback, next: ((callback: Callback) => void) | undefined): void {
  if (next === undefined) callback();
  else next(callback);
}
