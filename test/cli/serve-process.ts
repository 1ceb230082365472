import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bounded } from '../adapters/smtp-client.js';

// `imsmap serve` as a real process, the way an administrator runs it: the built CLI (dist/, made by
// `npm ci`), listening on a free loopback port, logging JSON lines the tests read.

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A running `imsmap serve`. */
export interface Served {
  child: ChildProcess;
  port: number;
  /** Every line the server logged so far, parsed (--json). */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the first logged line (now or later) that matches. */
  logged(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** Kills every server a test left running. */
export function stopServers(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/** Starts `imsmap serve FILE … --json` on a free loopback port and waits until it listens. */
export async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args, '--listen', 'inet:127.0.0.1:0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logged = async (match: (line: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      await bounded(new Promise<void>((resolve) => waiters.push(resolve)), 'a log line', 20_000);
    }
  };
  const listening = await logged((line) => line.event === 'listening');
  const port = Number(/:(\d+)$/.exec(String(listening.endpoint))![1]);
  return { child, port, lines, logged, exited };
}
