import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './smtp-client.js';

// A private Postfix for the real-MTA tests (policy.md PD8): its own config, queue and data directories in a
// temporary folder, smtpd on one free loopback port and nothing else listening, every message accepted
// handed to the discard transport. It is stopped however the test ends, the process's exit included.

/** Why Postfix cannot run here, or undefined when it can. */
export function postfixUnavailable(): string | undefined {
  if (spawnSync('postfix', ['-c', '/nonexistent', 'status'], { stdio: 'ignore' }).error !== undefined) {
    return 'the postfix command is not installed (.ci/run installs the postfix package)';
  }
  if (userInfo().uid !== 0) return 'starting a Postfix instance needs root';
  if (spawnSync('id', ['postfix'], { stdio: 'ignore' }).status !== 0) return 'the postfix user does not exist';
  return undefined;
}

/** A running private Postfix. */
export interface PostfixInstance {
  /** The smtpd port on 127.0.0.1. */
  smtpPort: number;
  /** Postfix's log so far (maillog_file). */
  log(): string;
  stop(): void;
}

const running = new Set<string>();
// Whatever else happens, no Postfix outlives the test process.
process.once('exit', () => {
  for (const configDirectory of running) spawnSync('postfix', ['-c', configDirectory, 'abort'], { stdio: 'ignore' });
});

/**
 * Starts a private Postfix whose smtpd consults the policy service at `policyPort` for the connect stage
 * (client restrictions) and before its own relay check (relay restrictions), as docs/postfix.md shows;
 * AUTH PLAIN is checked by the Dovecot-protocol service at `authPort`.
 */
export async function startPostfix(policyPort: number, authPort: number): Promise<PostfixInstance> {
  const root = mkdtempSync(path.join(tmpdir(), 'imsmap-postfix-'));
  // The daemons run as the postfix user and must reach their directories.
  chmodSync(root, 0o755);
  const configDirectory = path.join(root, 'etc');
  const dataDirectory = path.join(root, 'data');
  for (const directory of [configDirectory, path.join(root, 'queue'), dataDirectory]) mkdirSync(directory);
  const postfixUser = execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim();
  chownSync(dataDirectory, Number(postfixUser), -1);
  const smtpPort = await freePort();
  const maillog = path.join(root, 'maillog');

  writeFileSync(
    path.join(configDirectory, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${root}/queue`,
      `data_directory = ${dataDirectory}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      `maillog_file = ${maillog}`,
      `maillog_file_prefixes = ${root}`,
      // Loopback only, IPv4 only: nothing of this instance is reachable from elsewhere.
      'inet_interfaces = loopback-only',
      'inet_protocols = ipv4',
      'myhostname = mx.corp.example',
      'mydomain = corp.example',
      'mydestination = corp.example',
      'mynetworks = 127.0.0.1/32',
      'local_recipient_maps =',
      'alias_maps =',
      'alias_database =',
      'biff = no',
      // Nothing accepted leaves the machine.
      'default_transport = discard:test',
      'local_transport = discard:test',
      'relay_transport = discard:test',
      // The test client presents the addresses of the scenario (the client, the MTA's address and port).
      'smtpd_authorized_xclient_hosts = 127.0.0.1',
      'smtpd_sasl_auth_enable = yes',
      'smtpd_sasl_type = dovecot',
      `smtpd_sasl_path = inet:127.0.0.1:${authPort}`,
      'smtpd_delay_reject = yes',
      `smtpd_client_restrictions = check_policy_service { inet:127.0.0.1:${policyPort}, policy_context=connect }`,
      `smtpd_relay_restrictions = check_policy_service { inet:127.0.0.1:${policyPort}, policy_context=rcpt }, permit_sasl_authenticated, reject_unauth_destination`,
      'smtpd_recipient_restrictions =',
      '',
    ].join('\n'),
  );
  // master.cf: name type private unpriv chroot wakeup maxproc command; no chroot, so no copies of /etc.
  writeFileSync(
    path.join(configDirectory, 'master.cf'),
    [
      `127.0.0.1:${smtpPort} inet n - n - - smtpd`,
      'cleanup unix n - n - 0 cleanup',
      'qmgr unix n - n 300 1 qmgr',
      'rewrite unix - - n - - trivial-rewrite',
      'bounce unix - - n - 0 bounce',
      'defer unix - - n - 0 bounce',
      'trace unix - - n - 0 bounce',
      'verify unix - - n - 1 verify',
      'flush unix n - n 1000? 0 flush',
      'proxymap unix - - n - - proxymap',
      'showq unix n - n - - showq',
      'error unix - - n - - error',
      'retry unix - - n - - error',
      'discard unix - - n - - discard',
      'anvil unix - - n - 1 anvil',
      'scache unix - - n - 1 scache',
      'postlog unix-dgram n - n - 1 postlogd',
      '',
    ].join('\n'),
  );

  running.add(configDirectory);
  const stop = () => {
    if (!running.delete(configDirectory)) return;
    spawnSync('postfix', ['-c', configDirectory, 'stop'], { stdio: 'ignore', timeout: 20_000 });
    spawnSync('postfix', ['-c', configDirectory, 'abort'], { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  const started = spawnSync('postfix', ['-c', configDirectory, 'start'], { encoding: 'utf8', timeout: 60_000 });
  if (started.status !== 0) {
    const log = existsSync(maillog) ? readFileSync(maillog, 'utf8') : '';
    stop();
    throw new Error(`postfix start failed (${started.status}): ${started.stderr}${log}`);
  }
  await waitForPort(smtpPort);
  return { smtpPort, log: () => (existsSync(maillog) ? readFileSync(maillog, 'utf8') : ''), stop };
}

/** Waits until something accepts connections on the loopback port. */
async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(true)));
      probe.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
