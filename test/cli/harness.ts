// The one harness for CLI tests: `imsmap <argv>` run in-process through runCli with captured streams.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';

/** The repository root: the working directory of a run unless the test gives another. */
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** What one CLI run printed and returned; `output` is both streams interleaved, as on a terminal. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** How to run: standard input's text, which streams are terminals, and the working directory. */
export interface CliRunOptions {
  stdin?: string;
  /** Standard input is a terminal (commands then do not wait for lines). */
  stdinTty?: boolean;
  /** Standard output is a terminal (lint then colours its report). */
  stdoutTty?: boolean;
  cwd?: string;
}

/** Runs `imsmap <argv>` with captured streams. */
export async function runImsmap(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let output = '';
  const sink = (append: (text: string) => void, isTTY: boolean) =>
    Object.assign(
      new Writable({
        write(chunk, _encoding, callback) {
          append(String(chunk));
          output += String(chunk);
          callback();
        },
      }),
      { isTTY },
    );
  const stdin = Object.assign(Readable.from([options.stdin ?? '']), { isTTY: options.stdinTty === true });
  const status = await runCli(argv, {
    stdin,
    stdout: sink((text) => (stdout += text), options.stdoutTty === true),
    stderr: sink((text) => (stderr += text), false),
    cwd: options.cwd ?? repoDir,
  });
  return { status, stdout, stderr, output };
}

/** Writes files into a fresh temporary folder and returns its path. */
export function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'imsmap-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return folder;
}
