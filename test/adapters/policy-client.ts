import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { bounded } from './smtp-client.js';
import { WireReader } from './wire-reader.js';

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

/**
 * A RCPT request as Postfix 3.7 writes it, from the two-tier scenario's NAT firewall 192.168.10.1 to the
 * MTA 192.168.10.25 on port 25, with the fields a test changes given as `overrides`.
 */
export function rcptRequest(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    request: 'smtpd_access_policy',
    protocol_state: 'RCPT',
    protocol_name: 'ESMTP',
    client_address: '192.168.10.1',
    client_port: '40000',
    server_address: '192.168.10.25',
    server_port: '25',
    helo_name: 'mx.sender.example',
    sender: 'alice@sender.example',
    recipient: 'bob@corp.example',
    instance: 'a1.b2.c3.1',
    ...overrides,
  };
}

/** One connection to a policy server. */
export class PolicyClient {
  /** Answers end in an empty line, which belongs to the answer as received. */
  private readonly reader = new WireReader('\n\n', true);
  private readonly closedPromise: Promise<void>;
  private sentAt = performance.now();

  private constructor(private readonly socket: net.Socket) {
    this.reader.attach(socket);
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
    const raw = await this.reader.next('a policy answer', 'the server closed the connection before answering', waitMs);
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
    return this.reader.ended;
  }

  /** Closes from our side. */
  close(): void {
    this.socket.destroy();
  }
}
