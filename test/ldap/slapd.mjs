// A slapd of a test's own (test/ldap) or a benchmark's (bench/ldap.bench.mjs): plain JavaScript so that
// both can run it; slapd.d.mts gives the tests its types.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The OS's OpenLDAP server; `.ci/run` installs it (Debian's slapd and ldap-utils) when missing. */
export const SLAPD = '/usr/sbin/slapd';
const MODULES = '/usr/lib/ldap';
const SCHEMAS = '/etc/ldap/schema';
const FIXTURES = fileURLToPath(new URL('../../fixtures/ldap/', import.meta.url));

/** The DC tree and the organisation trees it points at, each a database loaded from its fixture. */
const DATABASES = [
  { suffix: 'o=internet', ldif: 'dc-tree.ldif' },
  { suffix: 'o=isp', ldif: 'users.ldif' },
];

/** The administrator of the organisation trees, for ldapadd during a test. */
export const ADMIN_DN = 'cn=admin,o=isp';
export const ADMIN_PASSWORD = 'admin-secret';
/** The account the providers bind as (it is in the fixture). */
export const MTA_DN = 'cn=mta,o=isp';
export const MTA_PASSWORD = 'mta-secret';

/** A port nobody listens on right now: bind port 0, read it, let it go. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function configuration(directory) {
  const databases = DATABASES.map(
    ({ suffix }, index) => `
database mdb
maxsize 16777216
suffix "${suffix}"
rootdn "cn=admin,${suffix}"
rootpw ${ADMIN_PASSWORD}
directory ${path.join(directory, `db${index}`)}
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="${MTA_DN}" read by * none
`,
  );
  return `
include ${SCHEMAS}/core.schema
include ${SCHEMAS}/cosine.schema
include ${SCHEMAS}/inetorgperson.schema
include ${path.join(FIXTURES, 'messaging.schema')}
modulepath ${MODULES}
moduleload back_mdb
${databases.join('')}`;
}

/** Resolves once something accepts connections on the port, or rejects after `ms`. */
async function listening(port, child, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`slapd did not listen on ${port} within ${ms} ms`);
}

/** A slapd of the caller's own, on a free loopback port, loaded from the fixtures in fixtures/ldap/. */
export class Slapd {
  constructor(url, child, directory, args) {
    this.url = url;
    this.child = child;
    this.directory = directory;
    this.args = args;
  }

  /** Starts a fresh directory; the caller stops it with `remove`. */
  static async start() {
    const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-slapd-'));
    const conf = path.join(directory, 'slapd.conf');
    writeFileSync(conf, configuration(directory));
    DATABASES.forEach((_database, index) => mkdirSync(path.join(directory, `db${index}`)));
    for (const { suffix, ldif } of DATABASES) {
      const loaded = spawnSync('/usr/sbin/slapadd', ['-q', '-f', conf, '-b', suffix, '-l', path.join(FIXTURES, ldif)], { encoding: 'utf8' });
      if (loaded.status !== 0) throw new Error(`slapadd of ${ldif} failed: ${loaded.stderr}`);
    }
    // Another process may take the free port before slapd binds it: try a few.
    for (let attempt = 1; ; attempt += 1) {
      const url = `ldap://127.0.0.1:${await freePort()}`;
      const args = ['-d', '0', '-h', `${url}/`, '-f', conf];
      const child = spawn(SLAPD, args, { stdio: 'ignore' });
      try {
        await listening(Number(url.split(':')[2]), child, 10_000);
        return new Slapd(url, child, directory, args);
      } catch (error) {
        child.kill('SIGKILL');
        if (attempt === 3) throw error;
      }
    }
  }

  /** Adds entries with the OS's ldapadd, as an administrator would. */
  ldapadd(ldif) {
    const added = spawnSync('ldapadd', ['-x', '-H', this.url, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD], { input: ldif, encoding: 'utf8' });
    if (added.status !== 0) throw new Error(`ldapadd failed: ${added.stderr}`);
  }

  /** Freezes the server: connections are accepted by the kernel, nothing is answered. */
  pause() {
    this.child.kill('SIGSTOP');
  }

  /** Lets a paused server run again. */
  resume() {
    this.child.kill('SIGCONT');
  }

  /** Stops the server and waits until it is gone. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Starts the stopped server again on the same port and database. */
  async restart() {
    this.child = spawn(SLAPD, this.args, { stdio: 'ignore' });
    await listening(Number(this.url.split(':')[2]), this.child, 10_000);
  }

  /** Stops the server and deletes its files. */
  async remove() {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A server that accepts connections and never answers: a directory hung past the kernel's accept. */
export async function silentServer() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `ldap://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
