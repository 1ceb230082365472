import { diffFormatters } from '../diff/format.js';
import { DEFAULT_POLICY_ENDPOINT } from '../adapters/postfix/defaults.js';
import { lintFormatters } from '../lint/format/index.js';
import type { Command, CommandOption } from './command.js';

/** The `--config` option of the commands that evaluate: where the site's providers are configured. */
const configOption: CommandOption = {
  type: 'string',
  short: 'c',
  description: 'imsmap.config.json whose providers.ldap directory the lookups ask (default: next to the file, else the working directory)',
};

/**
 * Every subcommand, in the order `imsmap --help` lists them. Only names and options live here: each
 * command's module, with the stages it needs, is imported when that command runs, so `imsmap --help`
 * and every other command never load what they do not use. test/cli/lazy-stages.test.ts keeps this
 * module's own imports light.
 */
export const commands: Command[] = [
  {
    name: 'lint',
    summary: 'Check mappings files: syntax, unreachable entries, access-table sense, relay risks',
    usage: `imsmap lint [--format ${Object.keys(lintFormatters).join('|')}] [--max-warnings N] [--config PATH] FILE|GLOB…`,
    options: {
      format: { type: 'string', short: 'f', default: 'text', description: 'text, json (one object per line), sarif (SARIF 2.1.0) or github (workflow annotations)' },
      'max-warnings': { type: 'string', description: 'exit 1 when there are more warnings than this number' },
      config: { type: 'string', short: 'c', description: 'imsmap.config.json to use instead of the one found next to the file or in the working directory' },
    },
    load: async () => (await import('./lint.js')).lintCommand,
  },
  {
    name: 'test',
    summary: 'Map input strings through a table, like imsimta test -mapping',
    usage: 'imsmap test <mappings-file> --table <NAME> [--flags <letters>] [--debug] [--json] [--config <file>] [input…]',
    options: {
      table: { type: 'string', short: 't', description: 'the table to map through (case-insensitive)' },
      flags: { type: 'string', description: 'input flags tested by $:x and $;x, e.g. AT' },
      debug: { type: 'boolean', description: 'print the trace of each mapping first, as imsimta test -mapping -debug' },
      json: { type: 'boolean', description: 'one JSON object per input' },
      config: configOption,
    },
    load: async () => (await import('./test.js')).testCommand,
  },
  {
    name: 'match',
    summary: 'Match targets against a pattern, like imsimta test -match',
    usage: 'imsmap match [--debug] [--json] <pattern> [target…]',
    options: {
      debug: { type: 'boolean', description: 'print the compiled pattern items first' },
      json: { type: 'boolean', description: 'one JSON object per target' },
    },
    load: async () => (await import('./match.js')).matchCommand,
  },
  {
    name: 'decide',
    summary: 'Decide connect / MAIL FROM / RCPT TO tuples through the access tables, as the MTA would',
    usage: 'imsmap decide <mappings-file> [--json] [--debug] [--options <json>] [--config <file>] [tuple-json…]',
    options: {
      json: { type: 'boolean', description: 'one JSON Decision per tuple' },
      debug: { type: 'boolean', description: 'add the mapping trace of every table consulted' },
      options: { type: 'string', description: 'access options as JSON, e.g. {"channels":{"localDomains":["corp.example"]}}' },
      config: configOption,
    },
    load: async () => (await import('./decide.js')).decideCommand,
  },
  {
    name: 'audit',
    summary: 'Say whether the access tables make an open relay, who may send without AUTH, and who is internal',
    usage: 'imsmap audit FILE [--gateway IP] [--json] [--config PATH]',
    options: {
      gateway: { type: 'string', short: 'g', description: 'an address that fronts all inbound traffic (NAT firewall, filtering appliance); flagged if internal' },
      json: { type: 'boolean', description: 'the findings as one JSON object' },
      config: { type: 'string', short: 'c', description: 'imsmap.config.json with the channel model, routines and providers' },
    },
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    name: 'check',
    summary: 'Run rule tests (JSON case files) against a mappings file; --coverage lists entries no case reached',
    usage:
      'imsmap check <mappings-file> <cases.json…> [--coverage text|json|lcov] [--coverage-file <path>] [--config <file>]',
    options: {
      config: configOption,
      coverage: {
        type: 'string',
        description: 'report the entries no case reached: text, json or lcov; json and lcov on standard output leave it to the report (the case results go to standard error)',
      },
      'coverage-file': { type: 'string', description: 'write the coverage report (text unless --coverage says otherwise) to this file instead of standard output' },
    },
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'diff',
    summary: 'Show what an edit of a mappings file does: entries changed, probes answered differently, and whether anything got weaker',
    usage: `imsmap diff OLD NEW [--cases FILE]… [--format ${Object.keys(diffFormatters).join('|')}] [--json] [--allow-weaker] [--config PATH]`,
    options: {
      cases: { type: 'string', multiple: true, description: 'a case file (as imsmap check reads) whose cases both versions answer; repeatable' },
      format: { type: 'string', short: 'f', default: 'text', description: 'text, json (one object per line), markdown (a pull-request comment) or github (annotations)' },
      json: { type: 'boolean', description: 'the same as --format json' },
      'allow-weaker': { type: 'boolean', description: 'exit 0 even when something got weaker' },
      config: { type: 'string', short: 'c', description: 'imsmap.config.json with the channel model (default: found from the new file)' },
    },
    load: async () => (await import('./diff.js')).diffCommand,
  },
  {
    name: 'build',
    summary: 'Compile a mappings file into a file every command loads without parsing (like imsimta cnbuild)',
    usage: 'imsmap build <mappings-file> --output <compiled-file> [--json]',
    options: {
      output: { type: 'string', short: 'o', description: 'the compiled file to write (atomically: a temporary file, then a rename)' },
      json: { type: 'boolean', description: 'what was written, as one JSON object' },
    },
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'serve',
    summary: "Answer Postfix's check_policy_service requests from the access tables, reloading on SIGHUP and file change",
    usage: 'imsmap serve FILE [--listen inet:HOST:PORT|unix:PATH] [--options <json>] [--config PATH] [--json]',
    options: {
      listen: { type: 'string', short: 'l', default: DEFAULT_POLICY_ENDPOINT, description: 'where to listen: inet:HOST:PORT or unix:PATH' },
      options: { type: 'string', description: 'access options as JSON, as for decide; they win over the configuration' },
      config: { type: 'string', short: 'c', description: 'imsmap.config.json with the channel model (found beside the file when not named)' },
      json: { type: 'boolean', description: 'log one JSON object per line instead of text' },
      'accept-action': { type: 'string', description: 'what an accepting decision answers: DUNNO (default) or OK' },
      'server-address': { type: 'string', description: 'server address when Postfix sends none (default 0.0.0.0)' },
      'server-port': { type: 'string', description: 'server port when Postfix sends none (default 25)' },
      'max-connections': { type: 'string', description: 'connections served at once; more are closed (default 200)' },
      'idle-timeout': { type: 'string', description: 'seconds a connection may stay without a request (default 600)' },
    },
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'lsp',
    summary: 'Run the language server for editors (LSP over standard input and output)',
    usage: 'imsmap lsp [--stdio]',
    options: {
      stdio: { type: 'boolean', description: 'talk over standard input and output (the only transport; accepted because clients pass it)' },
    },
    load: async () => (await import('./lsp.js')).lspCommand,
  },
];
