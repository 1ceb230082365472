import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { bounded } from './smtp-client.js';

// A raw client of Postfix's policy delegation protocol for the tests: it writes requests exactly as given
// and reads the answers as they arrive on the wire. Every wait is bounded.

/** One answer: the action and how long after the request it arrived. */
export interface PolicyReply {
  action: string;
  /** The whole answer as received, e.g. "action=DUNNO\n\n". */
  raw: string;
  elapsedMs: number;
}

/** The attributes of a request as Postfix writes them: `name=value` lines and an empty line. */
export function policyRequest(attributes: Record<string, string>): string {
  return Object.entries(attributes).map(([name, value]) => `${name}=${value}\n`).join('') + '\n';
}

/** One connection to a policy server. */
export class PolicyClient {
  private buffer = '';
  private readonly answers: string[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private readonly closedPromise: Promise<void>;
  private sentAt = performance.now();

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        this.answers.push(this.buffer.slice(0, end + 2));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => this.wake());
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects to `inet` host and port, or to a unix socket path. */
  static connect(where: { port: number; host?: string } | { path: string }): Promise<PolicyClient> {
    const connected = new Promise<PolicyClient>((resolve, reject) => {
      const socket = 'path' in where ? net.connect(where.path) : net.connect(where.port, where.host ?? '127.0.0.1');
      socket.once('connect', () => resolve(new PolicyClient(socket)));
      socket.once('error', reject);
    });
    return bounded(connected, 'a connection to the policy server');
  }

  /** Writes text as it is (several requests, half a request, garbage). */
  send(text: string): void {
    this.sentAt = performance.now();
    this.socket.write(text);
  }

  /** Sends one request and waits for its answer. */
  ask(attributes: Record<string, string>): Promise<PolicyReply> {
    this.send(policyRequest(attributes));
    return this.reply();
  }

  /** The next answer. */
  async reply(waitMs?: number): Promise<PolicyReply> {
    while (this.answers.length === 0) {
      if (this.ended) throw new Error('the server closed the connection before answering');
      await bounded(new Promise<void>((resolve) => (this.waiting = resolve)), 'a policy answer', waitMs);
    }
    const raw = this.answers.shift()!;
    const action = /^action=(.*)\n\n$/.exec(raw)?.[1];
    if (action === undefined) throw new Error(`not an answer: ${JSON.stringify(raw)}`);
    return { action, raw, elapsedMs: performance.now() - this.sentAt };
  }

  /** Resolves when the server has closed the connection; rejects if it stays open. */
  closed(waitMs?: number): Promise<void> {
    return bounded(this.closedPromise, 'the server to close the connection', waitMs);
  }

  /** Whether the server ended the connection. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Closes from our side. */
  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
