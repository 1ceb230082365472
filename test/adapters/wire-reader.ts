import type net from 'node:net';
import { bounded } from './smtp-client.js';

// The line reader of the raw protocol clients (SMTP, Postfix policy delegation): what a socket sends,
// cut into records at a separator and handed out in order, every wait bounded.

/** Records of one connection, each ending at `separator` (kept in the record when `keepSeparator`). */
export class WireReader {
  private buffer = '';
  private readonly records: string[] = [];
  private waiting: (() => void) | undefined;
  private endedBySender = false;

  constructor(
    private readonly separator: string,
    private readonly keepSeparator: boolean,
  ) {}

  /** Reads from a socket; called again for the TLS socket after STARTTLS, the buffer carrying over. */
  attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf(this.separator)) >= 0) {
        const next = end + this.separator.length;
        this.records.push(this.buffer.slice(0, this.keepSeparator ? next : end));
        this.buffer = this.buffer.slice(next);
      }
      this.wake();
    });
    socket.on('end', () => {
      this.endedBySender = true;
      this.wake();
    });
    socket.on('error', () => this.wake());
  }

  /** Whether the other side ended the connection. */
  get ended(): boolean {
    return this.endedBySender;
  }

  /** The next record; throws `endedMessage` when the connection ends first, and times out naming `what`. */
  async next(what: string, endedMessage: string, waitMs?: number): Promise<string> {
    while (this.records.length === 0) {
      if (this.endedBySender) throw new Error(endedMessage);
      await bounded(new Promise<void>((resolve) => (this.waiting = resolve)), what, waitMs);
    }
    return this.records.shift()!;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
