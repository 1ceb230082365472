import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { SessionRecipient } from '../access/schemas.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { delay, replyTexts, SmtpGate, type DialogueState, type GateLogger, type GateSession, type GateVerdict } from './gate.js';
import { LivePolicy, PolicyLoadError, type PolicyWatch } from './live-policy.js';

// The Haraka plugin's logic, as ESM. Haraka itself only ever sees the CommonJS shell (haraka.cts), which
// loads this module with import() and translates each answer into Haraka's return codes.

const port = z.number().int().min(0).max(65535);

/** The plugin's configuration file, `config/<plugin name>.json`. */
export const harakaConfigSchema = z.strictObject({
  /** The mappings file; a relative path is taken from Haraka's config directory. */
  mappings: z.string().min(1),
  mode: z.enum(['enforce', 'warn']).default('enforce'),
  /** Reload the mappings file (and its includes) when they change. */
  watch: z.boolean().default(false),
  /** Listening port → the port clients connect to, when they differ (a redirect or proxy): A4 field 3. */
  ports: z.record(z.string().regex(/^\d+$/, { error: 'must be a port number' }), port).default({}),
  /** Access options (A27), validated when the policy loads. */
  access: z.record(z.string(), z.unknown()).default({}),
  /** Where to write the per-entry hit counters as JSON, rewritten every `hitsIntervalSeconds` and at shutdown. */
  hitsFile: z.string().min(1).optional(),
  hitsIntervalSeconds: z.number().positive().default(60),
});

/** The configuration as written (defaults may be left out). */
export type HarakaConfig = z.input<typeof harakaConfigSchema>;

/** The parts of a Haraka connection the plugin reads. */
export interface HarakaConnection {
  remote: { ip: string; port: number };
  local: { ip: string; port: number };
  hello: { verb: string | null; host: string | null };
  tls: { enabled: boolean };
  notes: { auth_user?: unknown };
}

/** The parts of a Haraka envelope address the plugin reads (`@haraka/email-address`). */
export interface HarakaAddress {
  address: string;
}

/** How Haraka must answer: carry on to the next plugin, or deny with this code and these lines. */
export type HarakaAnswer =
  | { action: 'continue' }
  | { action: 'deny' | 'denysoft' | 'denydisconnect' | 'denysoftdisconnect'; code: number; lines: string[] };

const CONTINUE: HarakaAnswer = { action: 'continue' };

/** Where the plugin found itself: Haraka's config directory and the plugin's logger. */
export interface HarakaContext {
  configDirectory: string;
  logger: GateLogger;
  /** The plugin's logger for one connection: Haraka then tags each line with the connection id. */
  connectionLogger?: (connection: HarakaConnection) => GateLogger;
}

/** The access tables as Haraka hooks: one instance per Haraka process. */
export class HarakaImsmap {
  private readonly sessions = new WeakMap<HarakaConnection, GateSession>();
  private readonly gate: SmtpGate;
  private readonly watch: PolicyWatch | undefined;
  private readonly hitsTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly policy: LivePolicy,
    private readonly config: z.output<typeof harakaConfigSchema>,
    private readonly context: HarakaContext,
  ) {
    this.gate = new SmtpGate(policy, { mode: config.mode, logger: context.logger });
    if (config.watch) {
      this.watch = policy.watch({
        onReload: (result) => {
          if (result.replaced) context.logger.info(`imsmap: reloaded ${policy.file} (generation ${result.generation})`);
          else {
            // A32 item 5: the log line carries the reason and the diagnostics.
            const reason = result.refused ? `${result.refused.reason}: ${result.refused.message}` : 'refused';
            context.logger.warn(`imsmap: keeping generation ${result.generation}, reload refused (${reason}): ${summarise(result.diagnostics)}`);
          }
        },
      });
    }
    if (config.hitsFile !== undefined) {
      this.hitsTimer = setInterval(() => this.writeHits(), config.hitsIntervalSeconds * 1000);
      this.hitsTimer.unref();
    }
  }

  /** Validates the configuration and loads the mappings file; any problem is returned as an Error naming it. */
  static start(config: unknown, context: HarakaContext): HarakaImsmap | Error {
    const parsed = harakaConfigSchema.safeParse(config ?? {});
    if (!parsed.success) return new Error(`imsmap configuration: ${z.prettifyError(parsed.error)}`);
    const settings = parsed.data;
    const file = path.resolve(context.configDirectory, settings.mappings);
    const policy = LivePolicy.load(file, { access: settings.access });
    if (policy instanceof PolicyLoadError) return new Error(`imsmap: ${policy.message}: ${summarise(policy.diagnostics)}`);
    const hitsFile = settings.hitsFile === undefined ? undefined : path.resolve(context.configDirectory, settings.hitsFile);
    return new HarakaImsmap(policy, { ...settings, hitsFile }, context);
  }

  /** hook_connect: PORT_ACCESS; a rejection closes the connection (A19). */
  async connect(connection: HarakaConnection): Promise<HarakaAnswer> {
    const listening = connection.local.port;
    const session = this.gate.open(
      { localAddress: connection.local.ip, localPort: listening, remoteAddress: connection.remote.ip, remotePort: connection.remote.port },
      this.config.ports[String(listening)],
      this.context.connectionLogger?.(connection),
    );
    this.sessions.set(connection, session);
    return answerOf(await session.connect(), 'connect');
  }

  /** hook_mail: FROM_ACCESS with the greeting, TLS and AUTH state of the connection. */
  async mail(connection: HarakaConnection, from: HarakaAddress): Promise<HarakaAnswer> {
    const verb = connection.hello.verb?.toUpperCase();
    const authUser = connection.notes.auth_user;
    const dialogue: DialogueState = {
      greeting: verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO' ? verb : undefined,
      tls: connection.tls.enabled,
      authenticated: typeof authUser === 'string' && authUser !== '',
    };
    if (connection.hello.host) dialogue.helo = connection.hello.host;
    if (dialogue.authenticated) dialogue.authSender = authUser as string;
    const verdict = await this.sessionOf(connection).mailFrom(dialogue, { from: from.address });
    await delay(verdict.delayMs);
    return answerOf(verdict, 'command');
  }

  /** hook_rcpt: the four recipient tables; an accepted recipient is left to the other plugins. */
  async rcpt(connection: HarakaConnection, to: HarakaAddress, parameters: Record<string, string | null> = {}): Promise<HarakaAnswer> {
    const recipient: SessionRecipient = { to: to.address };
    const notify = parameters.NOTIFY?.toUpperCase().split(',');
    if (notify !== undefined) recipient.notify = notify as SessionRecipient['notify'];
    if (typeof parameters.ORCPT === 'string') recipient.orcpt = parameters.ORCPT;
    const verdict = await this.sessionOf(connection).rcptTo(recipient);
    await delay(verdict.delayMs);
    return answerOf(verdict, 'command');
  }

  /** hook_data: the DATA reply waits out the transaction's positive `$D` (A20). */
  async data(connection: HarakaConnection): Promise<HarakaAnswer> {
    await delay(this.sessionOf(connection).transactionDelayMs());
    return CONTINUE;
  }

  /** hook_data_post: the end-of-DATA reply waits too, and ends the transaction (A20). */
  async dataPost(connection: HarakaConnection): Promise<HarakaAnswer> {
    const session = this.sessionOf(connection);
    const held = session.transactionDelayMs();
    session.endOfData();
    await delay(held);
    return CONTINUE;
  }

  /** hook_rset: the transaction ends. */
  rset(connection: HarakaConnection): void {
    this.sessions.get(connection)?.rset();
  }

  /** Stops the watcher and writes the hit counters one last time. */
  shutdown(): void {
    this.watch?.close();
    clearInterval(this.hitsTimer);
    this.writeHits();
  }

  private sessionOf(connection: HarakaConnection): GateSession {
    let session = this.sessions.get(connection);
    if (session === undefined) {
      // A connection that arrived while the plugin was still loading was never checked at connect.
      session = this.gate.open(
        {
          localAddress: connection.local.ip,
          localPort: connection.local.port,
          remoteAddress: connection.remote.ip,
          remotePort: connection.remote.port,
        },
        undefined,
        this.context.connectionLogger?.(connection),
      );
      this.sessions.set(connection, session);
    }
    return session;
  }

  private writeHits(): void {
    const report = this.policy.hitReport();
    if (this.config.hitsFile === undefined || report === undefined) return;
    try {
      writeFileSync(this.config.hitsFile, JSON.stringify(report, null, 2) + '\n');
    } catch (error) {
      this.context.logger.warn(`imsmap: cannot write ${this.config.hitsFile}: ${(error as Error).message}`);
    }
  }
}

/** A verdict in Haraka's terms: connect-stage rejections disconnect, 4xx replies are soft. */
function answerOf(verdict: GateVerdict, stage: 'connect' | 'command'): HarakaAnswer {
  if (verdict.accept) return CONTINUE;
  const reply = verdict.reply!;
  const soft = reply.code < 500;
  const action =
    stage === 'connect' || verdict.closeConnection ? (soft ? 'denysoftdisconnect' : 'denydisconnect') : soft ? 'denysoft' : 'deny';
  // Haraka writes the code; the enhanced code goes in the text (Haraka adds none of its own).
  return { action, code: reply.code, lines: replyTexts(reply) };
}

/** The errors of a file in one log line. */
function summarise(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.message}`)
    .join('; ');
}
