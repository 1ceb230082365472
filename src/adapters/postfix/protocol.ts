import { StringDecoder } from 'node:string_decoder';

// PD1 and PD9.7: the framing of Postfix's policy delegation protocol. A request is `name=value` lines
// ended by an empty line; lines end in LF or CRLF. The reader never holds more than one request's worth
// of text beyond the limit, so a client that never sends the empty line cannot grow it without bound.

/** PD1: the largest request, counted in bytes up to and including the empty line (PD9.7). */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** One complete request: its attributes (a repeated name keeps its last value), or why it is malformed. */
export type FramedRequest = { attributes: Map<string, string> } | { malformed: string };

/** Splits a byte stream into requests; `overflow` is set once a request passes the limit (PD1). */
export class PolicyRequestReader {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private scanFrom = 0;
  /** A request grew past MAX_REQUEST_BYTES without its empty line: the stream cannot be resynchronised. */
  overflow = false;

  /** The requests completed by this chunk, in order. */
  push(chunk: Buffer): FramedRequest[] {
    if (this.overflow) return [];
    this.pending += this.decoder.write(chunk);
    const requests: FramedRequest[] = [];
    for (;;) {
      const end = this.boundary();
      if (end < 0) break;
      const text = this.pending.slice(0, end);
      this.pending = this.pending.slice(end);
      this.scanFrom = 0;
      requests.push(Buffer.byteLength(text) > MAX_REQUEST_BYTES ? { malformed: 'request over 64 KiB' } : parseRequest(text));
    }
    // UTF-8 takes at least one byte per UTF-16 unit, so the exact count is needed only near the limit.
    if (this.pending.length > MAX_REQUEST_BYTES / 3 && Buffer.byteLength(this.pending) > MAX_REQUEST_BYTES) {
      this.overflow = true;
      this.pending = '';
    }
    return requests;
  }

  /** Whether part of a request has arrived and not yet its end. */
  get partial(): boolean {
    return this.pending.length > 0;
  }

  /** The index just after the empty line that ends the first request, or -1. */
  private boundary(): number {
    const text = this.pending;
    // An empty line with nothing before it is an (empty) request of its own.
    if (text.charCodeAt(0) === 10) return 1;
    if (text.charCodeAt(0) === 13 && text.charCodeAt(1) === 10) return 2;
    let newline = text.indexOf('\n', this.scanFrom);
    while (newline >= 0) {
      const next = text.charCodeAt(newline + 1);
      if (next === 10) return newline + 2;
      if (next === 13 && text.charCodeAt(newline + 2) === 10) return newline + 3;
      // A lone CR at the very end may still become CRLF: look at it again with the next chunk.
      if (next === 13 && newline + 2 >= text.length) break;
      if (Number.isNaN(next)) break;
      newline = text.indexOf('\n', newline + 1);
    }
    this.scanFrom = Math.max(0, text.length - 2);
    return -1;
  }
}

/** The attributes of one request's text (its empty line included). */
function parseRequest(text: string): FramedRequest {
  const attributes = new Map<string, string>();
  const lines = text.split('\n');
  // The text ends with the empty line: the last two split parts are the empty line and what follows it.
  for (let index = 0; index < lines.length - 2; index++) {
    let line = lines[index]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const equals = line.indexOf('=');
    if (equals <= 0) return { malformed: `line ${index + 1} is not name=value` };
    attributes.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return { attributes };
}
