import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

/** Runs `imsmap <argv>` with captured streams; `stdin` is the text standard input holds. */
export async function runImsmap(
  argv: string[],
  options: { stdin?: string; tty?: boolean; cwd?: string } = {},
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = Object.assign(Readable.from([options.stdin ?? '']), { isTTY: options.tty === true });
  const status = await runCli(argv, {
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    cwd: options.cwd ?? process.cwd(),
  });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** Writes files into a fresh temporary folder and returns its path. */
export function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return folder;
}
