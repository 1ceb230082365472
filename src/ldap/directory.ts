import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Client, NoSuchObjectError, type Entry } from 'ldapts';
import type { LdapConfig } from './config.js';

/** The directory cannot answer: unreachable, refusing the bind, too slow, or answering with an error (T11a). */
export class LdapUnavailableError extends Error {
  override name = 'LdapUnavailableError';
}

/** One search: base, scope, filter and the attributes wanted (all when empty). */
export interface DirectorySearch {
  baseDn: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
}

/** How the pool reaches and authenticates to every server. */
export interface ConnectionSettings {
  timeoutMs: number;
  poolSize: number;
  startTls: boolean;
  tlsOptions: ConnectionOptions;
  bind: { dn: string; password: string } | undefined;
}

/** The connection settings of a configuration, given the bind password already read. */
export function connectionSettings(config: LdapConfig, password: string | undefined, directory: string): ConnectionSettings {
  const tlsOptions: ConnectionOptions = { rejectUnauthorized: config.tls.rejectUnauthorized };
  if (config.tls.caFile !== undefined) {
    try {
      tlsOptions.ca = readFileSync(path.resolve(directory, config.tls.caFile));
    } catch {
      throw new LdapUnavailableError(`cannot read the CA file ${config.tls.caFile} (providers.ldap.tls.caFile)`);
    }
  }
  const bind = config.bind === undefined ? undefined : { dn: config.bind.dn, password: password ?? '' };
  return { timeoutMs: config.timeoutMs, poolSize: config.poolSize, startTls: config.startTls, tlsOptions, bind };
}

/** Rejects with LdapUnavailableError if `work` has not settled within `ms`; `onTimeout` then cleans up. */
function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new LdapUnavailableError(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** One pooled connection: connected, upgraded and bound once, then shared by concurrent searches. */
class PooledConnection {
  readonly client: Client;
  readonly ready: Promise<void>;
  active = 0;
  broken = false;

  constructor(url: string, settings: ConnectionSettings) {
    const timeouts = { timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs };
    // ldapts speaks TLS from the first byte whenever it is given TLS options, so only ldaps:// gets them here.
    this.client = new Client(url.startsWith('ldaps:') ? { url, ...timeouts, tlsOptions: settings.tlsOptions } : { url, ...timeouts });
    this.ready = this.open(settings);
    // A failed open is reported to the search waiting on it; no rejection may go unhandled meanwhile.
    this.ready.catch(() => undefined);
  }

  private async open(settings: ConnectionSettings): Promise<void> {
    if (settings.startTls) await this.client.startTLS(settings.tlsOptions);
    if (settings.bind) await this.client.bind(settings.bind.dn, settings.bind.password);
  }

  /** Drops the connection; a server that stopped answering must not keep a socket or a timer alive. */
  close(): void {
    this.broken = true;
    this.client.unbind().catch(() => undefined);
  }
}

/** The connections to one server, at most `poolSize`, created as the load needs them. */
class ServerPool {
  private connections: PooledConnection[] = [];

  constructor(
    private readonly url: string,
    private readonly settings: ConnectionSettings,
  ) {}

  /** The first entry the search finds, null when there is none or the base does not exist. */
  async first(search: DirectorySearch): Promise<Entry | null> {
    const connection = this.acquire();
    connection.active += 1;
    try {
      const { searchEntries } = await withDeadline(this.run(connection, search), this.settings.timeoutMs, () => this.discard(connection));
      return searchEntries[0] ?? null;
    } catch (error) {
      // "No such object" is the directory's answer that the base is absent (T11a: a failure, not an outage).
      if (error instanceof NoSuchObjectError) return null;
      this.discard(connection);
      if (error instanceof LdapUnavailableError) throw error;
      throw new LdapUnavailableError(`${this.url}: ${(error as Error).message || (error as Error).name}`);
    } finally {
      connection.active -= 1;
    }
  }

  private async run(connection: PooledConnection, search: DirectorySearch) {
    await connection.ready;
    return connection.client.search(search.baseDn, {
      scope: search.scope,
      filter: search.filter,
      attributes: search.attributes,
      sizeLimit: 1,
      timeLimit: Math.ceil(this.settings.timeoutMs / 1000),
    });
  }

  /** The least busy open connection, or a new one while the pool is not full. */
  private acquire(): PooledConnection {
    // A connection the server closed would reconnect without StartTLS or bind: replace it instead.
    for (const connection of this.connections) {
      if (!connection.broken && connection.active === 0 && !connection.client.isConnected) this.discard(connection);
    }
    if (this.connections.length < this.settings.poolSize) {
      const connection = new PooledConnection(this.url, this.settings);
      this.connections.push(connection);
      return connection;
    }
    return this.connections.reduce((best, connection) => (connection.active < best.active ? connection : best));
  }

  private discard(connection: PooledConnection): void {
    if (connection.broken) return;
    connection.close();
    this.connections = this.connections.filter((kept) => kept !== connection);
  }

  close(): void {
    for (const connection of this.connections) connection.close();
    this.connections = [];
  }
}

/** The configured directory servers, each with its own small pool of connections. */
export class Directory {
  private readonly pools = new Map<string, ServerPool>();

  constructor(
    private readonly defaultServer: string,
    private readonly otherServers: readonly string[],
    private readonly settings: ConnectionSettings,
  ) {}

  /** The first entry found on `server` (null: the default one); a server not configured is refused. */
  first(server: string | null, search: DirectorySearch): Promise<Entry | null> {
    const url = server ?? this.defaultServer;
    if (url !== this.defaultServer && !this.otherServers.includes(url)) {
      return Promise.reject(new LdapUnavailableError(`${url} is not a configured server (providers.ldap.otherServers)`));
    }
    let pool = this.pools.get(url);
    if (pool === undefined) this.pools.set(url, (pool = new ServerPool(url, this.settings)));
    return pool.first(search);
  }

  /** Closes every connection. */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }
}
