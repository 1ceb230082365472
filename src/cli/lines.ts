import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { escapeControls } from '../syntax/escape.js';
import type { CommandIO } from './command.js';

/**
 * Collects output and hands it to the stream in large chunks: one `write` per line would dominate the
 * cost of a batch of millions of probes. Waits for `drain` when the stream asks for it.
 */
export class BufferedWriter {
  private buffer = '';
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly chunkSize = 1 << 16,
  ) {}

  /** Adds text and flushes when the buffer is full. */
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= this.chunkSize) await this.flush();
  }

  /** Adds one line (a newline is appended). */
  line(text: string): Promise<void> {
    return this.write(text + '\n');
  }

  /** Adds lines of text that may hold untrusted input, each with its control characters escaped (F17, A31). */
  textLines(lines: readonly string[]): Promise<void> {
    return this.write(lines.map((text) => escapeControls(text) + '\n').join(''));
  }

  /** Writes whatever is buffered. */
  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

const WAITING_FOR_INPUT = Symbol('waiting for input');

/** Whether a batch command prompts: it reads standard input (no positional inputs) and that is a terminal. */
export function isInteractive(positionals: readonly string[], io: CommandIO): boolean {
  return positionals.length === 0 && io.stdin.isTTY === true;
}

/**
 * The inputs of a batch command: its positional arguments, or else one per line of standard input
 * (CR of CRLF removed). When interactive, `prompt` is shown before each line is read.
 */
export async function* commandInputs(
  positionals: readonly string[],
  io: CommandIO,
  writer: BufferedWriter,
  prompt: string,
): AsyncGenerator<string> {
  if (positionals.length > 0) {
    yield* positionals;
    return;
  }
  const interactive = isInteractive(positionals, io);
  const reader = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  const lines = reader[Symbol.asyncIterator]();
  for (;;) {
    if (interactive) {
      await writer.write(prompt);
      await writer.flush();
    }
    const pending = lines.next();
    // Before waiting for more input, write what is buffered: a program that talks to the command through
    // pipes (a policy service, a test) gets each answer before it sends the next question.
    if ((await Promise.race([pending, WAITING_FOR_INPUT])) === WAITING_FOR_INPUT) await writer.flush();
    const next = await pending;
    if (next.done) return;
    yield next.value;
  }
}
