/** The streams a command talks to; tests pass their own. */
export interface CommandIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

/** Exit statuses shared by every command (docs/cli.md: 0 ok, 1 findings or evaluation errors, 2 usage or input). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An internal error (a bug): one line on standard error, the trace only with `--debug` (F17). */
export const EXIT_INTERNAL = 70;

/** A usage mistake: the CLI prints its message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One option of a command: what node:util parseArgs needs, plus the sentence `--help` and docs/cli.md show. */
export interface CommandOption {
  type: 'string' | 'boolean';
  short?: string;
  /** The option may be given more than once; its value is then the list of every value. */
  multiple?: boolean;
  default?: string | boolean;
  description: string;
}

/** What a subcommand does: exported by the command's module, which imports the stages it needs. */
export interface CommandRunner {
  run(values: Record<string, unknown>, positionals: string[], io: CommandIO): Promise<number>;
}

/** One subcommand of `imsmap`: its options, and where what it does is loaded from. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, CommandOption>;
  /** Imports the command's module when the command runs: no other command pays for its stages. */
  load(): Promise<CommandRunner>;
}
