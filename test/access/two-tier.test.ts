import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { AccessPolicy, AccessSession, TupleError } from '../../src/access/index.js';
import { compile } from '../../src/engine/compile.js';
import { hasErrors } from '../../src/syntax/diagnostics.js';
import { loadMappings } from '../../src/syntax/node.js';
import { decided, replyText } from './helpers.js';

// The scenario of issue 4: all inbound mail arrives through a NAT firewall (inside address 192.168.10.1),
// so every client looked internal and the MTA (192.168.10.25) was an open relay.

const FIXED = fileURLToPath(new URL('../../fixtures/two-tier/mappings', import.meta.url));
const OPEN_RELAY = fileURLToPath(new URL('../../fixtures/two-tier/mappings-open-relay', import.meta.url));
const FIREWALL = '192.168.10.1';
const MTA = '192.168.10.25';

function policyFrom(file: string): AccessPolicy {
  const parsed = loadMappings(file);
  expect(hasErrors(parsed.diagnostics)).toBe(false);
  const policy = AccessPolicy.create(compile(parsed), { channels: { localDomains: ['corp.example'] } });
  if (policy instanceof TupleError) throw policy;
  return policy;
}

function sessionOn(policy: AccessPolicy, clientIp: string, serverPort: number): AccessSession {
  const session = AccessSession.open(policy, { serverIp: MTA, serverPort, clientIp, clientPort: 51000 });
  if (session instanceof TupleError) throw session;
  return session;
}

describe('two-tier NAT firewall: the fixed file', () => {
  const policy = policyFrom(FIXED);

  test('mail from the firewall on port 25 to a local user is accepted on tcp_local', () => {
    const session = sessionOn(policy, FIREWALL, 25);
    const connect = decided(session.connect());
    expect(connect.action).toBe('accept');
    expect(connect.internal).toBe(false);
    expect(connect.results[0]!.mapping!.entry).toMatchObject({ index: 2 });
    session.ehlo('mx.sender.example');
    expect(decided(session.mailFrom({ from: 'alice@sender.example' })).srcChannel).toBe('tcp_local');
    const rcpt = decided(session.rcptTo({ to: 'bob@corp.example' }));
    expect(rcpt).toMatchObject({ action: 'accept', srcChannel: 'tcp_local', dstChannel: 'ims-ms' });
    expect(rcpt.results[0]!.probe).toBe('tcp_local|alice@sender.example|ims-ms|bob@corp.example');
  });

  test('relaying through the firewall to an outside address is refused, with a 0.30 s delay', () => {
    const session = sessionOn(policy, FIREWALL, 25);
    decided(session.connect());
    session.ehlo('mx.spammer.example');
    decided(session.mailFrom({ from: 'spam@spammer.example' }));
    const rcpt = decided(session.rcptTo({ to: 'victim@elsewhere.example' }));
    expect(rcpt.action).toBe('reject');
    expect(rcpt.temporary).toBe(false);
    expect(replyText(rcpt)).toBe('550 5.7.1 Relaying not allowed: victim@elsewhere.example');
    expect(rcpt.delay).toEqual({ centiseconds: 30, scope: 'transaction' });
    expect(rcpt.results[0]!.probe).toBe('tcp_local|spam@spammer.example|tcp_local|victim@elsewhere.example');
  });

  test('a direct client on port 25 is refused at connect with the port-587 text', () => {
    const decision = decided(policy.connect({ serverIp: MTA, serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000 }));
    expect(decision).toMatchObject({
      stage: 'connect',
      action: 'reject',
      temporary: false,
      closeConnection: true,
      internal: false,
      raw: '500 Please use port 587 to send mail\r\n',
      reply: { code: 500, lines: ['Please use port 587 to send mail'] },
    });
  });

  test('an authenticated user on port 587 may send outside', () => {
    const session = sessionOn(policy, '203.0.113.5', 587);
    expect(decided(session.connect())).toMatchObject({ action: 'accept', info: 'EHLO' });
    session.ehlo('laptop.example');
    session.startTls();
    session.ehlo('laptop.example');
    session.authenticate('carol@corp.example');
    expect(decided(session.mailFrom({ from: 'carol@corp.example' })).srcChannel).toBe('tcp_submit');
    const rcpt = decided(session.rcptTo({ to: 'friend@elsewhere.example' }));
    expect(rcpt).toMatchObject({ action: 'accept', srcChannel: 'tcp_submit', dstChannel: 'tcp_local' });
    expect(rcpt.results[0]).toMatchObject({
      probe: 'tcp_submit|carol@corp.example|tcp_local|friend@elsewhere.example',
      inputFlags: 'AET',
      outcome: 'nomatch',
    });
  });

  test('LAN hosts stay internal', () => {
    expect(policy.classifyClient('192.168.10.50')).toBe(true);
    expect(policy.classifyClient(FIREWALL)).toBe(false);
  });
});

describe('two-tier NAT firewall: the same file without the firewall line', () => {
  test('is the fixed file less exactly that line', () => {
    const fixed = readFileSync(FIXED, 'utf8').split('\n');
    const openRelay = readFileSync(OPEN_RELAY, 'utf8').split('\n');
    expect(fixed.filter((line) => !/^\s+192\.168\.10\.1\s+\$N$/.test(line))).toEqual(openRelay);
    expect(fixed.length - openRelay.length).toBe(1);
  });

  test('is an open relay: the firewall counts as internal and relaying is accepted', () => {
    const session = sessionOn(policyFrom(OPEN_RELAY), FIREWALL, 25);
    expect(decided(session.connect())).toMatchObject({ action: 'accept', internal: true });
    session.ehlo('mx.spammer.example');
    expect(decided(session.mailFrom({ from: 'spam@spammer.example' })).srcChannel).toBe('tcp_intranet');
    const rcpt = decided(session.rcptTo({ to: 'victim@elsewhere.example' }));
    expect(rcpt.action).toBe('accept');
    expect(rcpt.reply).toBeUndefined();
    expect(rcpt.results[0]).toMatchObject({
      probe: 'tcp_intranet|spam@spammer.example|tcp_local|victim@elsewhere.example',
      outcome: 'nomatch',
    });
  });
});
