import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { WireReader } from './wire-reader.js';

// A raw SMTP client for the real-SMTP tests: it shows replies exactly as they arrive on the wire,
// measures how long each took, and sees the server close the connection. Every wait is bounded.

const WAIT_MS = 5000;

/** One SMTP reply as received: its lines with the codes, and how long after the command it completed. */
export interface WireReply {
  code: number;
  lines: string[];
  /** The lines joined with "\n", e.g. "550 5.7.1 Relaying not allowed: b@other.example". */
  text: string;
  elapsedMs: number;
}

/** An SMTP connection from a chosen loopback address. */
export class SmtpClient {
  /** Reply lines, without their CRLF. */
  private readonly reader = new WireReader('\r\n', false);
  private readonly closedPromise: Promise<void>;
  private sentAt = performance.now();

  private constructor(private socket: net.Socket | tls.TLSSocket) {
    this.reader.attach(socket);
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects from `localAddress` (any 127.x address on Linux loopback) and waits for the TCP handshake. */
  static connect(port: number, localAddress = '127.0.0.1'): Promise<SmtpClient> {
    const connected = new Promise<SmtpClient>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new SmtpClient(socket)));
      socket.once('error', reject);
    });
    return bounded(connected, `a connection to port ${port}`);
  }

  /** The next complete reply (greeting, or the answer to the last command). */
  async reply(): Promise<WireReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.reader.next('a reply line', 'the server closed the connection before a complete reply');
      lines.push(line);
      // The last line of a reply has a space (or nothing) after the code; "ddd-" continues it.
      if (/^\d{3}(?: |$)/.test(line)) break;
    }
    return { code: Number(lines[0]!.slice(0, 3)), lines, text: lines.join('\n'), elapsedMs: performance.now() - this.sentAt };
  }

  /** Sends one command line and waits for its reply. */
  async command(line: string): Promise<WireReply> {
    this.sentAt = performance.now();
    this.socket.write(line + '\r\n');
    return this.reply();
  }

  /** STARTTLS and the TLS handshake (the test servers use self-signed certificates). */
  async startTls(): Promise<WireReply> {
    const ready = await this.command('STARTTLS');
    if (ready.code !== 220) return ready;
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.reader.attach(secure);
    return ready;
  }

  /** Resolves when the server has closed the connection; rejects if it stays open. */
  closed(): Promise<void> {
    return bounded(this.closedPromise, 'the server to close the connection');
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

/** A promise that fails instead of hanging. */
export function bounded<T>(promise: Promise<T>, what: string, milliseconds = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A port nobody listens on now (for servers that cannot be told to pick one themselves). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
