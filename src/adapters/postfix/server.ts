import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { connectionTupleSchema, TupleError, validateTuple } from '../../access/schemas.js';
import { PolicyConversation, type PolicyAnswer, type PolicySource } from './conversation.js';
import { PolicyRequestReader, type FramedRequest } from './protocol.js';
import { DEFAULT_POLICY_ENDPOINT } from './defaults.js';

// PD6: the policy server. Each connection is one PolicyConversation answering its requests strictly in
// order; a delay holds that connection's answer back and nothing else. Connections are capped, idle ones
// time out, and closing finishes the requests already received before the connections end.

export { DEFAULT_POLICY_ENDPOINT };

/** A listening endpoint as Postfix names it: `inet:HOST:PORT` or `unix:PATH`. */
export type PolicyEndpoint = { kind: 'inet'; host: string; port: number } | { kind: 'unix'; path: string };

/** Reads `inet:HOST:PORT` (HOST may be `[v6]`) or `unix:PATH`; a TupleError names what is wrong. */
export function parsePolicyEndpoint(text: string): PolicyEndpoint | TupleError {
  const problem = (message: string) => new TupleError([{ field: 'listen', path: ['listen'], message }]);
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    return path === '' ? problem('unix: needs a socket path') : { kind: 'unix', path };
  }
  const match = /^inet:(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) return problem(`must be inet:HOST:PORT or unix:PATH, not ${JSON.stringify(text)}`);
  const port = Number(match[3]);
  if (port > 65535) return problem('the port must be from 0 to 65535');
  return { kind: 'inet', host: match[1] ?? match[2]!, port };
}

/** Postfix's name of an endpoint. */
export function formatPolicyEndpoint(endpoint: PolicyEndpoint): string {
  if (endpoint.kind === 'unix') return `unix:${endpoint.path}`;
  return `inet:${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

const count = z.number().int().min(1);

/** The server's settings with their defaults (PD4, PD5, PD6, PD9.5). */
export const policyServerSettingsSchema = z.strictObject({
  /** PD9.5: what a decision that does not restrict answers. */
  acceptAction: z.enum(['DUNNO', 'OK']).default('DUNNO'),
  /** PD9.5: the server address when Postfix sends none (before 3.2). */
  serverAddress: connectionTupleSchema.shape.serverIp.default('0.0.0.0'),
  /** PD9.5: the server port when Postfix sends none. */
  serverPort: connectionTupleSchema.shape.serverPort.default(25),
  /** More connections than this are closed as they arrive. */
  maxConnections: count.default(200),
  /** A connection without a request for this long is closed (Postfix's own client gives up after 300 s). */
  idleTimeoutMs: count.default(600_000),
  /** PD5: transactions kept per connection. */
  maxTransactions: count.default(100),
  /** PD5: a transaction idle this long is forgotten. */
  transactionTimeoutMs: count.default(3_600_000),
});

/** Settings as a caller writes them (every field optional). */
export type PolicyServerSettings = z.input<typeof policyServerSettingsSchema>;

/** Something the server did besides answering. */
export type PolicyServerEvent =
  | { kind: 'refused-connection'; connections: number }
  | { kind: 'idle-timeout'; connection: number }
  | { kind: 'request-overflow'; connection: number };

/** Settings plus the callbacks that see every answer and event. */
export interface PolicyServerOptions extends PolicyServerSettings {
  /** PD6: called once per answer, after it was written. */
  onAnswer?: (answer: PolicyAnswer & { connection: number; time: Date }) => void;
  onEvent?: (event: PolicyServerEvent) => void;
}

/** Queued requests beyond which a connection stops reading until its answers catch up. */
const MAX_QUEUED_REQUESTS = 64;
/** How long a closing connection may take to say goodbye before it is cut. */
const CLOSE_GRACE_MS = 1000;

interface Connection {
  id: number;
  socket: net.Socket;
  busy: boolean;
  queue: FramedRequest[];
  /** Close once the queued requests are answered (the stream cannot be read further, or the server closes). */
  closing: boolean;
}

/** The Postfix policy-delegation server over a policy source (PD1–PD7). */
export class PolicyServer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private closing = false;
  private endpoint: PolicyEndpoint | undefined;
  private drained: (() => void) | undefined;

  private constructor(
    private readonly source: PolicySource,
    private readonly settings: z.output<typeof policyServerSettingsSchema>,
    private readonly hooks: Pick<PolicyServerOptions, 'onAnswer' | 'onEvent'>,
  ) {}

  /** A server over a policy (a LivePolicy follows its reloads); bad settings give a TupleError naming the setting. */
  static create(source: PolicySource, options: PolicyServerOptions = {}): PolicyServer | TupleError {
    const { onAnswer, onEvent, ...settings } = options;
    const valid = validateTuple(policyServerSettingsSchema, settings);
    if (valid instanceof TupleError) return valid;
    const hooks: Pick<PolicyServerOptions, 'onAnswer' | 'onEvent'> = {};
    if (onAnswer !== undefined) hooks.onAnswer = onAnswer;
    if (onEvent !== undefined) hooks.onEvent = onEvent;
    return new PolicyServer(source, valid, hooks);
  }

  /** Starts listening; resolves with the endpoint actually bound (port 0 becomes the chosen port). */
  async listen(where: PolicyEndpoint | string = DEFAULT_POLICY_ENDPOINT): Promise<PolicyEndpoint> {
    const endpoint = typeof where === 'string' ? parsePolicyEndpoint(where) : where;
    if (endpoint instanceof TupleError) throw endpoint;
    if (endpoint.kind === 'unix') await removeStaleSocket(endpoint.path);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      const ready = () => {
        this.server.off('error', reject);
        resolve();
      };
      if (endpoint.kind === 'unix') this.server.listen(endpoint.path, ready);
      else this.server.listen(endpoint.port, endpoint.host, ready);
    });
    const bound = this.server.address();
    this.endpoint = endpoint.kind === 'inet' && typeof bound === 'object' && bound !== null ? { ...endpoint, port: bound.port } : endpoint;
    return this.endpoint;
  }

  /** Where the server listens, once it does. */
  get address(): PolicyEndpoint | undefined {
    return this.endpoint;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** PD6: stops accepting, answers every request already received, then closes the connections. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const connection of this.connections) this.finish(connection);
      if (this.connections.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await stopped;
    }
  }

  private accept(socket: net.Socket): void {
    if (this.closing || this.connections.size >= this.settings.maxConnections) {
      this.hooks.onEvent?.({ kind: 'refused-connection', connections: this.connections.size });
      socket.destroy();
      return;
    }
    const connection: Connection = { id: this.nextId++, socket, busy: false, queue: [], closing: false };
    this.connections.add(connection);
    const conversation = new PolicyConversation(this.source, this.settings);
    const reader = new PolicyRequestReader();
    socket.setNoDelay(true);
    socket.setTimeout(this.settings.idleTimeoutMs);
    socket.on('timeout', () => {
      if (connection.busy && !connection.closing) return;
      if (!connection.closing) this.hooks.onEvent?.({ kind: 'idle-timeout', connection: connection.id });
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      connection.queue.push(...reader.push(chunk));
      if (reader.overflow && !connection.closing) {
        // PD1: past the limit the next request boundary cannot be found; answer, then close.
        this.hooks.onEvent?.({ kind: 'request-overflow', connection: connection.id });
        connection.queue.push({ malformed: 'request over 64 KiB' });
        connection.closing = true;
        socket.pause();
      }
      if (connection.queue.length > MAX_QUEUED_REQUESTS) socket.pause();
      void this.pump(connection, conversation);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(connection);
      if (this.connections.size === 0) this.drained?.();
    });
  }

  /** Answers the queued requests one after another, each after its delay. */
  private async pump(connection: Connection, conversation: PolicyConversation): Promise<void> {
    if (connection.busy) return;
    connection.busy = true;
    const { socket } = connection;
    for (let framed = connection.queue.shift(); framed !== undefined; framed = connection.queue.shift()) {
      const answer = await conversation.answer(framed);
      if (answer.delayMs > 0) await sleep(answer.delayMs);
      if (socket.destroyed) break;
      const flushed = socket.write(`action=${answer.action}\n\n`);
      this.hooks.onAnswer?.({ ...answer, connection: connection.id, time: new Date() });
      // A client that does not read its answers gets no more of them buffered: wait until it reads.
      if (!flushed) await drainedOrClosed(socket);
      if (connection.queue.length <= MAX_QUEUED_REQUESTS && !connection.closing) socket.resume();
    }
    connection.busy = false;
    if (connection.closing) this.finish(connection);
  }

  /** Ends a connection once nothing is left to answer. */
  private finish(connection: Connection): void {
    connection.closing = true;
    if (connection.busy || connection.queue.length > 0) return;
    connection.socket.end();
    connection.socket.setTimeout(CLOSE_GRACE_MS);
  }
}

/** Resolves when the socket has written its buffer out, or is gone. */
function drainedOrClosed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** A socket file left by a server that is gone is removed; a live one makes listen fail as it should. */
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path) || !lstatSync(path).isSocket()) return;
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (!alive) unlinkSync(path);
}
