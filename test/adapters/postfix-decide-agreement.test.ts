import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TupleError, type Decision } from '../../src/access/index.js';
import { postfixAction, PolicyServer, type PolicyAnswer } from '../../src/adapters/postfix/index.js';
import { runImsmap } from '../cli/harness.js';
import { ACCESS_OPTIONS, livePolicy, TWO_TIER } from './helpers.js';
import { PolicyClient } from './policy-client.js';

// PD8: `imsmap decide` and the policy server agree on every tuple. Each case is one SMTP transaction as
// Postfix reports it at RCPT time; decide gets the same tuples stage by stage (connect, MAIL FROM, RCPT TO),
// and the first rejection among them is what the server must answer (PD2, PD9.4).

const EXAMPLE = fileURLToPath(new URL('../../fixtures/example.mappings', import.meta.url));

interface Case {
  clientIp: string;
  serverPort: number;
  authSender: string | undefined;
  tls: boolean;
  from: string;
  to: string;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const clientIp of ['192.168.10.1', '192.168.10.50', '203.0.113.5', '192.0.2.7', '127.0.0.1', '2001:db8::5'])
    for (const serverPort of [25, 587])
      for (const authSender of [undefined, 'carol@corp.example'])
        for (const tls of [false, true])
          for (const from of ['alice@sender.example', 'carol@corp.example', ''])
            for (const to of ['bob@corp.example', 'victim@elsewhere.example', 'intern@corp.example'])
              all.push({ clientIp, serverPort, authSender, tls, from, to });
  return all;
}

const SERVER_IP = '192.168.10.25';
const CLIENT_PORT = 40000;

/** The three decide tuples of a case. */
function decideTuples(item: Case): object[] {
  const connection = { serverIp: SERVER_IP, serverPort: item.serverPort, clientIp: item.clientIp, clientPort: CLIENT_PORT };
  const session = {
    ...connection,
    helo: 'client.example',
    esmtp: true,
    ...(item.tls ? { tls: true } : {}),
    ...(item.authSender === undefined ? {} : { authenticated: true, authSender: item.authSender }),
  };
  return [
    { stage: 'connect', ...connection },
    { stage: 'mail', ...session, from: item.from },
    { stage: 'rcpt', ...session, from: item.from, to: item.to },
  ];
}

/** The request Postfix sends for a case at RCPT time. */
function policyAttributes(item: Case, instance: string): Record<string, string> {
  return {
    request: 'smtpd_access_policy',
    protocol_state: 'RCPT',
    protocol_name: 'ESMTP',
    client_address: item.clientIp,
    client_port: String(CLIENT_PORT),
    server_address: SERVER_IP,
    server_port: String(item.serverPort),
    helo_name: 'client.example',
    ...(item.tls ? { encryption_protocol: 'TLSv1.3', encryption_cipher: 'TLS_AES_256_GCM_SHA384' } : {}),
    ...(item.authSender === undefined ? {} : { sasl_method: 'PLAIN', sasl_username: item.authSender }),
    sender: item.from,
    recipient: item.to,
    instance,
  };
}

/** What the server must answer: the first rejecting stage, else the recipient's decision (PD2, PD4). */
function expected(decisions: Decision[]): { action: string; delayMs: number } {
  const [connect, mail, rcpt] = decisions as [Decision, Decision, Decision];
  const answering = [connect, mail].find((decision) => decision.action === 'reject') ?? rcpt;
  // A20: a positive delay of the MAIL FROM answer holds for the recipients of its transaction too.
  const delay = answering === rcpt ? (rcpt.delay ?? (mail.delay?.scope === 'transaction' ? mail.delay : undefined)) : answering.delay;
  return { action: postfixAction(answering, 'DUNNO'), delayMs: (delay?.centiseconds ?? 0) * 10 };
}

describe.each([
  ['the two-tier file', TWO_TIER],
  ['the bundled example', EXAMPLE],
])('decide and serve agree on %s', (_name, file) => {
  const all = cases();
  let server: PolicyServer;
  let port = 0;
  const answers = new Map<string, PolicyAnswer>();

  beforeAll(async () => {
    const created = PolicyServer.create(livePolicy(file), { onAnswer: (answer) => answers.set(answer.instance!, answer) });
    if (created instanceof TupleError) throw created;
    server = created;
    const bound = await server.listen('inet:127.0.0.1:0');
    port = bound.kind === 'inet' ? bound.port : 0;
  });
  afterAll(() => server.close());

  test(`${all.length} transactions: the same action and delay from both`, async () => {
    const stdin = all.flatMap((item) => decideTuples(item).map((tuple) => JSON.stringify(tuple))).join('\n');
    const run = await runImsmap(['decide', file, '--json', '--options', JSON.stringify(ACCESS_OPTIONS)], { stdin });
    expect(run.stderr).toBe('');
    const decisions = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Decision);
    expect(decisions).toHaveLength(all.length * 3);

    // Delays are served by waiting, so the cases are spread over many connections.
    const connections = 40;
    const actions = new Array<string>(all.length);
    await Promise.all(
      Array.from({ length: connections }, async (_, lane) => {
        const client = await PolicyClient.connect({ port });
        for (let index = lane; index < all.length; index += connections) {
          actions[index] = (await client.ask(policyAttributes(all[index]!, `case-${index}`))).action;
        }
        client.close();
      }),
    );

    const disagreements = all.flatMap((item, index) => {
      const want = expected(decisions.slice(index * 3, index * 3 + 3));
      const got = { action: actions[index], delayMs: answers.get(`case-${index}`)?.delayMs };
      return got.action === want.action && got.delayMs === want.delayMs ? [] : [{ item, want, got }];
    });
    expect(disagreements).toEqual([]);
    // The matrix exercises every kind of answer the file can give.
    const kinds = new Set(actions.map((action) => action.split(' ')[0]));
    expect(kinds.has('DUNNO')).toBe(true);
    expect([...kinds].some((kind) => /^5\d\d$/.test(kind))).toBe(true);
  });
});
