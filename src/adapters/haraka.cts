/**
 * imsmap/haraka: the access tables as a Haraka plugin.
 *
 * Haraka loads plugins with require(), and imsmap is ESM, so this entry is CommonJS and loads the
 * plugin's logic with import() in `register`. In Haraka's directory, `plugins/imsmap.js` holds one line,
 *
 *     Object.assign(exports, require('imsmap/haraka'))
 *
 * `config/plugins` lists `imsmap`, and `config/imsmap.json` names the mappings file (docs/adapters.md).
 */
import type { HarakaAddress, HarakaAnswer, HarakaConnection, HarakaImsmap } from './haraka-plugin.js' with {
  'resolution-mode': 'import',
};

/** Haraka's return codes (haraka-constants); this module is not run in Haraka's sandbox, which defines them. */
const RETURN_CODES = {
  continue: 900,
  deny: 902,
  denysoft: 903,
  denydisconnect: 904,
  denysoftdisconnect: 909,
} as const;

/**
 * A reply with its own code: Haraka's `respond` recognises this shape by its constructor's name and
 * writes `code` with each line of `reply`, instead of the hook's default code.
 */
class DSN {
  constructor(
    readonly code: number,
    readonly reply: string[],
  ) {}
}

type Next = (code?: number, message?: DSN | string) => void;

/** The Haraka plugin object the methods below run on (`this`). */
interface HarakaPlugin {
  name: string;
  config: { get(name: string, type?: string): unknown; root_path?: string; overrides_path?: string };
  register_hook(hook: string, method: string, priority?: number): void;
  /** Haraka's plugin logger; a connection among the arguments puts its id in the line. */
  loginfo(message: string, connection?: HarakaConnection): void;
  logwarn(message: string, connection?: HarakaConnection): void;
  logcrit(message: string): void;
  imsmap?: Promise<HarakaImsmap | Error>;
}

/** The hooks, run before every other plugin's so that no earlier OK skips the access check. */
const HOOKS: Array<[hook: string, method: string]> = [
  ['init_master', 'imsmap_init'],
  ['init_child', 'imsmap_init'],
  ['connect', 'imsmap_connect'],
  ['mail', 'imsmap_mail'],
  ['rcpt', 'imsmap_rcpt'],
  ['data', 'imsmap_data'],
  ['data_post', 'imsmap_data_post'],
  ['rset', 'imsmap_rset'],
];
const FIRST = -100;

/** Starts loading the policy and registers the hooks. */
function register(this: HarakaPlugin): void {
  const logger = { info: (message: string) => this.loginfo(message), warn: (message: string) => this.logwarn(message) };
  const connectionLogger = (connection: HarakaConnection) => ({
    info: (message: string) => this.loginfo(message, connection),
    warn: (message: string) => this.logwarn(message, connection),
  });
  // haraka-config reads Haraka's own defaults from root_path and the installation's files from overrides_path.
  const { overrides_path: installation, root_path: defaults } = this.config;
  const configDirectory = installation ?? defaults ?? process.cwd();
  const settings = this.config.get(`${this.name}.json`, 'json');
  this.imsmap = import('./haraka-plugin.js').then(
    ({ HarakaImsmap }) => HarakaImsmap.start(settings, { configDirectory, logger, connectionLogger }),
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  for (const [hook, method] of HOOKS) this.register_hook(hook, method, FIRST);
}

/** A policy that cannot load stops Haraka at startup rather than letting mail through unchecked. */
function imsmap_init(this: HarakaPlugin, next: Next): void {
  void loaded(this).then((imsmap) => {
    if (imsmap instanceof Error) {
      this.logcrit(imsmap.message);
      next(RETURN_CODES.deny, imsmap.message);
    } else {
      this.loginfo(`imsmap: ${imsmap.policy.file} loaded (generation ${imsmap.policy.current.generation})`);
      next();
    }
  });
}

/** hook_connect: PORT_ACCESS; a rejection disconnects. */
function imsmap_connect(this: HarakaPlugin, next: Next, connection: HarakaConnection): void {
  respond(this, next, (imsmap) => imsmap.connect(connection));
}

/** hook_mail: FROM_ACCESS. */
function imsmap_mail(this: HarakaPlugin, next: Next, connection: HarakaConnection, parameters: [HarakaAddress]): void {
  respond(this, next, (imsmap) => imsmap.mail(connection, parameters[0]));
}

/** hook_rcpt: the recipient tables; an accepted recipient is left to the other plugins. */
function imsmap_rcpt(
  this: HarakaPlugin,
  next: Next,
  connection: HarakaConnection,
  parameters: [HarakaAddress, Record<string, string | null>],
): void {
  respond(this, next, (imsmap) => imsmap.rcpt(connection, parameters[0], parameters[1]));
}

/** hook_data: the DATA reply waits out the transaction's `$D` delay. */
function imsmap_data(this: HarakaPlugin, next: Next, connection: HarakaConnection): void {
  respond(this, next, (imsmap) => imsmap.data(connection));
}

/** hook_data_post: so does the end-of-DATA reply, which ends the transaction. */
function imsmap_data_post(this: HarakaPlugin, next: Next, connection: HarakaConnection): void {
  respond(this, next, (imsmap) => imsmap.dataPost(connection));
}

/** hook_rset: the transaction ends, and its delay with it. */
function imsmap_rset(this: HarakaPlugin, next: Next, connection: HarakaConnection): void {
  void loaded(this).then((imsmap) => {
    if (!(imsmap instanceof Error)) imsmap.rset(connection);
    next();
  });
}

/** Haraka's shutdown call: stop watching and write the hit counters. */
function shutdown(this: HarakaPlugin): void {
  void loaded(this).then((imsmap) => {
    if (!(imsmap instanceof Error)) imsmap.shutdown();
  });
}

/** The plugin's logic once loaded, or why it could not load. */
function loaded(plugin: HarakaPlugin): Promise<HarakaImsmap | Error> {
  return plugin.imsmap ?? Promise.resolve(new Error('imsmap: the plugin was not registered'));
}

/** Runs a hook and answers Haraka; without a policy every command is deferred with the A29 reply. */
function respond(plugin: HarakaPlugin, next: Next, run: (imsmap: HarakaImsmap) => Promise<HarakaAnswer>): void {
  void loaded(plugin)
    .then((imsmap) => (imsmap instanceof Error ? Promise.reject(imsmap) : run(imsmap)))
    .then(
      (answer) => (answer.action === 'continue' ? next() : next(RETURN_CODES[answer.action], new DSN(answer.code, answer.lines))),
      (error: unknown) => {
        plugin.logcrit(`imsmap: ${(error as Error).message}`);
        next(RETURN_CODES.denysoft, new DSN(451, ['4.3.0 Access check failed']));
      },
    );
}

export = {
  register,
  shutdown,
  imsmap_init,
  imsmap_connect,
  imsmap_mail,
  imsmap_rcpt,
  imsmap_data,
  imsmap_data_post,
  imsmap_rset,
};
