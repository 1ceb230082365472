#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closestName } from '../lint/names.js';
import { commands } from './commands.js';
import { escapeControls } from '../syntax/escape.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError, type Command, type CommandIO, type CommandOption } from './command.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: imsmap <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'imsmap <command> --help' for a command's options.",
  ].join('\n');
}

/** The package's version, read from package.json two folders up from both src/cli/ and dist/cli/. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const HELP_OPTION: CommandOption = { type: 'boolean', short: 'h', description: 'show this help' };

function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, option]) => ({
    flag: `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' <value>' : ''}`,
    description: option.default === undefined ? option.description : `${option.description} (default: ${option.default})`,
  }));
  const width = Math.max(...options.map((option) => option.flag.length));
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...options.map((option) => `  ${option.flag.padEnd(width)}  ${option.description}`),
  ].join('\n');
}

/** The parseArgs configuration of a command's options: everything but the help text. */
function parseArgsOptions(options: Record<string, CommandOption>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, { description: _description, ...config }]) => [name, config]));
}

/** Runs the CLI on an argument vector and returns the exit status; never throws on bad input. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    io.stdout.write(`imsmap ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const suggestion = closestName(name, commands.map((c) => c.name));
    io.stderr.write(`imsmap: unknown command '${escapeControls(name)}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: parseArgsOptions({ ...command.options, help: HELP_OPTION }),
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(commandHelp(command) + '\n');
      return EXIT_OK;
    }
    const runner = await command.load();
    return await runner.run(values, positionals, io);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`imsmap ${name}: ${escapeControls((error as Error).message)}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    // F17: a bug, never the input's fault: one line, the trace only when asked for.
    const detail = rest.includes('--debug') ? ((error as Error)?.stack ?? String(error)) : String((error as Error)?.message ?? error);
    io.stderr.write(`imsmap ${name}: internal error: ${detail.split('\n').map(escapeControls).join('\n')}\n`);
    return EXIT_INTERNAL;
  }
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`imsmap: internal error: ${escapeControls(String((error as Error)?.message ?? error))}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
