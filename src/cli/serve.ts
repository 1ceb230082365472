import path from 'node:path';
import { TupleError, validateTuple, type AccessOptions } from '../access/schemas.js';
import { LivePolicy, PolicyLoadError, type ReloadResult } from '../adapters/live-policy.js';
import { DEFAULT_POLICY_ENDPOINT, formatPolicyEndpoint, parsePolicyEndpoint, PolicyServer, type PolicyAnswer, type PolicyEndpoint } from '../adapters/postfix/index.js';
import { policyServerSettingsSchema, type PolicyServerEvent, type PolicyServerSettings } from '../adapters/postfix/server.js';
import type { ConfiguredProviders } from '../ldap/index.js';
import { ConfigError } from '../lint/config-types.js';
import { formatDiagnosticLine } from '../lint/format/text.js';
import { configResolver } from '../lint/node.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CommandRunner, type CommandIO } from './command.js';
import { parseOptions } from './decide.js';
import { providersOfConfig } from './load.js';

/** The command-line flags of the server settings (policyServerSettingsSchema), with the unit they take. */
const SETTING_FLAGS = {
  'accept-action': { setting: 'acceptAction', scale: undefined },
  'server-address': { setting: 'serverAddress', scale: undefined },
  'server-port': { setting: 'serverPort', scale: 1 },
  'max-connections': { setting: 'maxConnections', scale: 1 },
  'idle-timeout': { setting: 'idleTimeoutMs', scale: 1000 },
} as const;

/** The server settings the flags give; a number flag that is not a number is left as text for the check to name. */
function serverSettings(values: Record<string, unknown>): PolicyServerSettings {
  const settings: Record<string, unknown> = {};
  for (const [flag, { setting, scale }] of Object.entries(SETTING_FLAGS)) {
    const text = values[flag] as string | undefined;
    if (text === undefined) continue;
    settings[setting] = scale === undefined || !/^\d+$/.test(text) ? text : Number(text) * scale;
  }
  const valid = validateTuple(policyServerSettingsSchema, settings);
  if (valid instanceof TupleError) {
    const flag = Object.entries(SETTING_FLAGS).find(([, { setting }]) => setting === valid.field)?.[0] ?? valid.field;
    throw new UsageError(`--${flag}: ${valid.issues[0]?.message ?? valid.message}`);
  }
  return valid;
}

/** A value for a text log line: bare when it has no space, quote or control character; JSON-quoted otherwise (A31). */
function logValue(value: string): string {
  return /^[^\s"\\\u0000-\u001f\u007f]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
}

/** PD6: the text log line of one answer. */
export function formatAnswerLine(answer: PolicyAnswer & { connection: number; time: Date }): string {
  const fields: string[] = [answer.time.toISOString(), `#${answer.connection}`, answer.stage];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) fields.push(`${name}=${logValue(value)}`);
  };
  add('state', answer.protocolState);
  add('instance', answer.instance);
  add('client', answer.client);
  add('server', answer.server);
  if (answer.sender !== undefined) fields.push(`from=<${logValue(answer.sender).replace(/^""$/, '')}>`);
  if (answer.recipient !== undefined) fields.push(`to=<${logValue(answer.recipient)}>`);
  add('action', answer.action);
  if (answer.delayMs > 0) fields.push(`delay=${(answer.delayMs / 1000).toFixed(2)}s`);
  add('generation', answer.generation?.toString());
  add('by', answer.answeredBy);
  add('problem', answer.problem);
  if (answer.serverDefaulted) fields.push('server-defaulted');
  return fields.join(' ');
}

/** Writes the server's log: one line per answer, reload and event, as text or JSON lines. */
class ServeLog {
  constructor(
    private readonly io: CommandIO,
    private readonly json: boolean,
  ) {}

  answer(answer: PolicyAnswer & { connection: number; time: Date }): void {
    this.io.stdout.write((this.json ? JSON.stringify(answer) : formatAnswerLine(answer)) + '\n');
  }

  event(name: string, text: string, fields: Record<string, unknown> = {}): void {
    const time = new Date();
    this.io.stdout.write((this.json ? JSON.stringify({ time, event: name, ...fields }) : `${time.toISOString()} ${name}: ${text}`) + '\n');
  }

  serverEvent(event: PolicyServerEvent): void {
    const { kind, ...fields } = event;
    this.event(kind, Object.entries(fields).map(([name, value]) => `${name}=${String(value)}`).join(' '), fields);
  }

  /** A32: a reload says whether the tables were replaced, and why not, with the diagnostics. */
  reload(trigger: string, result: ReloadResult): void {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    const text = result.replaced
      ? `${trigger}: generation ${result.generation} in use`
      : `${trigger}: refused, generation ${result.generation} keeps answering (${errors.length} error(s))`;
    this.event(result.replaced ? 'reload' : 'reload-refused', text, { trigger, ...result });
    if (!this.json) this.diagnostics(result.diagnostics);
  }

  diagnostics(diagnostics: readonly Diagnostic[]): void {
    for (const diagnostic of diagnostics) this.io.stderr.write(formatDiagnosticLine(diagnostic) + '\n');
  }
}

/** `imsmap serve FILE`: the Postfix policy-delegation server (policy.md PD1–PD8). */
export const serveCommand: CommandRunner = {
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one mappings file');
    const file = positionals[0]!;
    const endpoint = parsePolicyEndpoint((values.listen as string | undefined) ?? DEFAULT_POLICY_ENDPOINT);
    if (endpoint instanceof TupleError) throw new UsageError(`--listen ${endpoint.issues[0]!.message}`);
    const settings = serverSettings(values);
    const config = configResolver(io.cwd, values.config as string | undefined)(file);
    if (config instanceof ConfigError) {
      io.stderr.write(`imsmap serve: ${config.message}\n`);
      return EXIT_USAGE;
    }
    const access = { channels: config.channels, ...parseOptions(values.options as string | undefined, false) };
    const log = new ServeLog(io, values.json === true);
    // The site's directory lookups (T11, T11a), shared by every generation the server reloads.
    const providers = await providersOfConfig('serve', config, io);
    if (providers === null) return EXIT_USAGE;
    try {
      return await serveUntilStopped(file, endpoint, settings, access, providers, log, io);
    } finally {
      providers.close();
    }
  },
};

/** Serves the policy protocol from a live policy until SIGTERM or SIGINT; the exit status of `imsmap serve`. */
async function serveUntilStopped(
  file: string,
  endpoint: PolicyEndpoint,
  settings: ReturnType<typeof serverSettings>,
  access: AccessOptions,
  providers: ConfiguredProviders,
  log: ServeLog,
  io: CommandIO,
): Promise<number> {
  const live = LivePolicy.load(path.resolve(io.cwd, file), { access, countHits: false, compile: providers.compile });
  if (live instanceof PolicyLoadError) {
    log.diagnostics(live.diagnostics);
    io.stderr.write(`imsmap serve: ${live.message}\n`);
    return EXIT_USAGE;
  }
  log.diagnostics(live.current.diagnostics);
  const server = PolicyServer.create(live, {
    ...settings,
    onAnswer: (answer) => log.answer(answer),
    onEvent: (event) => log.serverEvent(event),
  });
  if (server instanceof TupleError) throw new UsageError(server.message);
  let bound;
  try {
    bound = await server.listen(endpoint);
  } catch (error) {
    io.stderr.write(`imsmap serve: cannot listen on ${formatPolicyEndpoint(endpoint)}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const where = formatPolicyEndpoint(bound);
  log.event('listening', `${where} answering from ${file} (generation ${live.current.generation})`, {
    endpoint: where,
    file,
    generation: live.current.generation,
  });

  const watch = live.watch({ onReload: (result) => log.reload('file change', result) });
  const onHangup = () => log.reload('SIGHUP', live.reload());
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const onTerminate = (signal: string) => stop(signal);
  process.on('SIGHUP', onHangup);
  process.once('SIGTERM', onTerminate);
  process.once('SIGINT', onTerminate);
  const signal = await stopped;
  log.event('stopping', `${signal}: finishing the requests in flight`, { signal });
  watch.close();
  process.off('SIGHUP', onHangup);
  process.off('SIGTERM', onTerminate);
  process.off('SIGINT', onTerminate);
  await server.close();
  log.event('stopped', 'every connection closed');
  return EXIT_OK;
}
