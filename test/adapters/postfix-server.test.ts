import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { TupleError } from '../../src/access/index.js';
import {
  formatPolicyEndpoint,
  parsePolicyEndpoint,
  PolicyConversation,
  PolicyServer,
  type PolicyAnswer,
  type PolicyServerEvent,
  type PolicyServerOptions,
} from '../../src/adapters/postfix/index.js';
import { MAX_REQUEST_BYTES } from '../../src/adapters/postfix/protocol.js';
import { livePolicy, REPLIES, temporaryDirectory, TWO_TIER } from './helpers.js';
import { PolicyClient, policyRequest, rcptRequest } from './policy-client.js';

// The policy-delegation server (policy.md PD1–PD6) over real loopback connections, on the two-tier file
// of issue 4: the MTA 192.168.10.25 behind a NAT firewall 192.168.10.1, port 25 for the firewall only.

const EXAMPLE = fileURLToPath(new URL('../../fixtures/example.mappings', import.meta.url));
const ACTIONS = fileURLToPath(new URL('./fixtures/postfix-actions.mappings', import.meta.url));
const REQUEST_ERROR = 'DEFER_IF_PERMIT Policy request error';

const RELAY = { sender: 'spam@spammer.example', recipient: 'victim@elsewhere.example' };
const PORT_587_TEXT = '500 Please use port 587 to send mail';
const RELAY_TEXT = '550 5.7.1 Relaying not allowed: victim@elsewhere.example';

interface Running {
  server: PolicyServer;
  port: number;
  answers: PolicyAnswer[];
  events: PolicyServerEvent[];
  client(): Promise<PolicyClient>;
}

const running: Running[] = [];

async function serve(file = TWO_TIER, options: PolicyServerOptions = {}, compile = {}): Promise<Running> {
  const answers: PolicyAnswer[] = [];
  const events: PolicyServerEvent[] = [];
  const server = PolicyServer.create(livePolicy(file, { compile }), {
    ...options,
    onAnswer: (answer) => answers.push(answer),
    onEvent: (event) => events.push(event),
  });
  if (server instanceof TupleError) throw server;
  const bound = await server.listen('inet:127.0.0.1:0');
  if (bound.kind !== 'inet') throw new Error('expected an inet endpoint');
  const entry: Running = { server, port: bound.port, answers, events, client: () => PolicyClient.connect({ port: bound.port }) };
  running.push(entry);
  return entry;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((entry) => entry.server.close()));
});

describe('PD1: the protocol', () => {
  let shared: Running;
  beforeAll(async () => {
    shared = await serve();
    // Kept for the whole block, not closed after each test.
    running.splice(running.indexOf(shared), 1);
  });
  afterAll(() => shared.server.close());

  test('one connection carries many requests; the answer is action=… and an empty line', async () => {
    const client = await PolicyClient.connect({ port: shared.port });
    expect((await client.ask(rcptRequest())).raw).toBe('action=DUNNO\n\n');
    expect((await client.ask(rcptRequest({ instance: 'x2', client_address: '203.0.113.5' }))).action).toBe(PORT_587_TEXT);
    client.close();
  });

  test('CRLF lines, a request split byte by byte, and pipelined requests answered in order', async () => {
    const client = await PolicyClient.connect({ port: shared.port });
    const crlf = policyRequest(rcptRequest({ instance: 'crlf', client_address: '203.0.113.5' })).replaceAll('\n', '\r\n');
    for (const character of crlf) client.send(character);
    expect((await client.reply()).action).toBe(PORT_587_TEXT);
    client.send(policyRequest(rcptRequest({ instance: 'p1' })) + policyRequest(rcptRequest({ instance: 'p2', client_address: '203.0.113.5' })));
    expect((await client.reply()).action).toBe('DUNNO');
    expect((await client.reply()).action).toBe(PORT_587_TEXT);
    client.close();
  });

  test('a repeated attribute keeps its last value (PD9.7)', async () => {
    const client = await PolicyClient.connect({ port: shared.port });
    client.send(policyRequest(rcptRequest({ instance: 'rep' })).replace('\n\n', '\nclient_address=203.0.113.5\n\n'));
    expect((await client.reply()).action).toBe(PORT_587_TEXT);
    client.close();
  });

  test.each([
    ['a line without "="', 'request=smtpd_access_policy\ngarbage\n\n'],
    ['an empty request', '\n'],
    ['no request attribute', policyRequest({ ...rcptRequest(), request: '' }).replace('request=\n', '')],
    ['an unknown request', policyRequest(rcptRequest({ request: 'junk_policy' }))],
    ['no protocol_state', policyRequest(rcptRequest()).replace('protocol_state=RCPT\n', '')],
    ['an unknown protocol_state', policyRequest(rcptRequest({ protocol_state: 'BDAT' }))],
  ])('%s is answered DEFER_IF_PERMIT and the connection goes on', async (_name, text) => {
    const client = await PolicyClient.connect({ port: shared.port });
    client.send(text);
    expect((await client.reply()).action).toBe(REQUEST_ERROR);
    expect((await client.ask(rcptRequest({ instance: 'after' }))).action).toBe('DUNNO');
    client.close();
  });

  test('64 KiB counts every byte up to the empty line; one more is an error and the connection is closed', async () => {
    const client = await PolicyClient.connect({ port: shared.port });
    const base = policyRequest(rcptRequest({ instance: 'big', padding: '' }));
    // "é" is two bytes in UTF-8: the limit counts bytes, not characters.
    const fill = MAX_REQUEST_BYTES - Buffer.byteLength(base);
    const exact = policyRequest(rcptRequest({ instance: 'big', padding: 'é'.repeat(fill / 2) }));
    expect(Buffer.byteLength(exact)).toBe(MAX_REQUEST_BYTES);
    expect((await client.ask(rcptRequest({ instance: 'big', padding: 'é'.repeat(fill / 2) }))).action).toBe('DUNNO');
    expect((await client.ask(rcptRequest({ instance: 'big', padding: 'é'.repeat(fill / 2) + 'x' }))).action).toBe(REQUEST_ERROR);
    expect((await client.ask(rcptRequest({ instance: 'after-big' }))).action).toBe('DUNNO');

    client.send('x='.padEnd(MAX_REQUEST_BYTES + 10, 'y'));
    expect((await client.reply()).action).toBe(REQUEST_ERROR);
    await client.closed();
    expect(shared.events).toContainEqual({ kind: 'request-overflow', connection: expect.any(Number) });
    const again = await PolicyClient.connect({ port: shared.port });
    expect((await again.ask(rcptRequest())).action).toBe('DUNNO');
    again.close();
  });
});

describe('PD2: which stage answers', () => {
  test('CONNECT is the connect stage; HELO, EHLO, DATA, END-OF-MESSAGE, VRFY and ETRN are DUNNO', async () => {
    const { client } = await serve();
    const connection = await client();
    const internet = { client_address: '203.0.113.5', sender: '', recipient: '', helo_name: '' };
    expect((await connection.ask(rcptRequest({ ...internet, protocol_state: 'CONNECT' }))).action).toBe(PORT_587_TEXT);
    for (const state of ['HELO', 'EHLO', 'DATA', 'END-OF-MESSAGE', 'VRFY', 'ETRN']) {
      expect((await connection.ask(rcptRequest({ ...internet, protocol_state: state }))).action).toBe('DUNNO');
    }
    connection.close();
  });

  test('MAIL and RCPT run the connect stage first (smtpd_delay_reject), and its rejection answers', async () => {
    const { client } = await serve();
    const connection = await client();
    const internet = { client_address: '203.0.113.5' };
    expect((await connection.ask(rcptRequest({ ...internet, protocol_state: 'MAIL', recipient: '' }))).action).toBe(PORT_587_TEXT);
    expect((await connection.ask(rcptRequest({ ...internet, instance: 'i2' }))).action).toBe(PORT_587_TEXT);
    connection.close();
  });

  test('policy_context names the stage in the CONNECT, MAIL and RCPT states only (PD9.6)', async () => {
    const { client } = await serve();
    const connection = await client();
    // A relay attempt through the firewall: the connection and the sender are fine, the recipient is not.
    expect((await connection.ask(rcptRequest({ ...RELAY, instance: 'c1', policy_context: 'connect' }))).action).toBe('DUNNO');
    expect((await connection.ask(rcptRequest({ ...RELAY, instance: 'c2', policy_context: 'mail' }))).action).toBe('DUNNO');
    expect((await connection.ask(rcptRequest({ ...RELAY, instance: 'c3', policy_context: 'rcpt' }))).action).toBe(RELAY_TEXT);
    expect((await connection.ask(rcptRequest({ ...RELAY, instance: 'c4', policy_context: 'smtpd' }))).action).toBe(RELAY_TEXT);
    expect((await connection.ask(rcptRequest({ ...RELAY, instance: 'c5', protocol_state: 'DATA', policy_context: 'rcpt' }))).action).toBe('DUNNO');
    connection.close();
  });
});

describe('PD3: attributes become the tuple', () => {
  test('a bad value answers DEFER_IF_PERMIT and the log names the attribute', async () => {
    const { client, answers } = await serve();
    const connection = await client();
    expect((await connection.ask(rcptRequest({ client_address: '010.1.2.3' }))).action).toBe(REQUEST_ERROR);
    expect((await connection.ask(rcptRequest({ instance: 'p', server_port: '99999' }))).action).toBe(REQUEST_ERROR);
    expect((await connection.ask(rcptRequest({ instance: 's', sender: '<a@b.example>' }))).action).toBe(REQUEST_ERROR);
    expect(answers.map((answer) => answer.problem?.split(':')[0])).toEqual(['client_address', 'server_port', 'sender']);
    expect(answers.every((answer) => answer.stage === 'error')).toBe(true);
    connection.close();
  });

  test('without server_address and server_port the configured defaults apply and the log says so (PD9.5)', async () => {
    const internet = { client_address: '203.0.113.5', server_address: '', server_port: '' };
    const defaults = await serve();
    const connection = await defaults.client();
    expect((await connection.ask(rcptRequest(internet))).action).toBe(PORT_587_TEXT);
    expect(defaults.answers[0]).toMatchObject({ serverDefaulted: true, server: '0.0.0.0:25' });
    connection.close();

    const submission = await serve(TWO_TIER, { serverPort: 587 });
    const other = await submission.client();
    expect((await other.ask(rcptRequest(internet))).action).toBe('DUNNO');
    other.close();
  });

  test('sasl_username authenticates, with sasl_sender as the sender; sasl_sender alone does not (PD9.8)', async () => {
    // example.mappings: an authenticated client may relay; a local sender needs AUTH.
    const { client } = await serve(EXAMPLE);
    const connection = await client();
    const outsider = { client_address: '192.0.2.7', server_address: '192.0.2.25', sender: 'carol@corp.example', recipient: 'x@elsewhere.example' };
    expect((await connection.ask(rcptRequest({ ...outsider, instance: 'n1' }))).action).toBe('550 5.7.1 Local sender requires AUTH: carol@corp.example');
    expect((await connection.ask(rcptRequest({ ...outsider, instance: 'n2', sasl_sender: 'carol@corp.example' }))).action).toMatch(/^550 /);
    const authenticated = { ...outsider, instance: 'a1', sasl_method: 'PLAIN', sasl_username: 'carol@corp.example' };
    expect((await connection.ask(rcptRequest(authenticated))).action).toBe('DUNNO');
    connection.close();
  });

  test('a non-empty encryption_protocol is TLS (input flag T)', async () => {
    const { client } = await serve(REPLIES);
    const connection = await client();
    const request = rcptRequest({ client_address: '192.0.2.9', recipient: 'tls-only@x.example' });
    expect((await connection.ask(request)).action).toBe('550 5.7.10 Encryption required: tls-only@x.example');
    expect((await connection.ask({ ...request, instance: 't2', encryption_protocol: 'TLSv1.3' })).action).toBe('DUNNO');
    connection.close();
  });
});

describe('PD4: decisions become actions', () => {
  test('a multi-line reply is one line joined with "; "; acceptAction OK answers OK', async () => {
    const { client } = await serve(REPLIES, { acceptAction: 'OK' });
    const connection = await client();
    expect((await connection.ask(rcptRequest({ client_address: '127.0.0.9', protocol_state: 'CONNECT' }))).action).toBe(
      '421 4.3.2 Too busy; Try again later',
    );
    expect((await connection.ask(rcptRequest({ instance: 'ok', client_address: '192.0.2.9' }))).action).toBe('OK');
    connection.close();
  });

  test('hold, discard and a header line; reject beats discard beats hold beats prepend', async () => {
    const { client } = await serve(ACTIONS);
    const connection = await client();
    const answer = async (recipient: string) => (await connection.ask(rcptRequest({ instance: recipient, recipient }))).action;
    expect(await answer('hold@corp.example')).toBe('HOLD ORIG_SEND_ACCESS');
    expect(await answer('drop@corp.example')).toBe('DISCARD ORIG_SEND_ACCESS');
    expect(await answer('tagged@corp.example')).toBe('PREPEND X-Policy: tagged');
    expect(await answer('both@corp.example')).toBe('HOLD ORIG_SEND_ACCESS');
    expect(await answer('else@corp.example')).toBe('DUNNO');
    connection.close();
  });

  test('the $D delay is served by waiting before the answer; other connections are not held up', async () => {
    const { client } = await serve();
    const [slow, quick] = await Promise.all([client(), client()]);
    const relayed = slow.ask(rcptRequest(RELAY));
    const local = await quick.ask(rcptRequest());
    const relay = await relayed;
    expect(relay.action).toBe(RELAY_TEXT);
    expect(relay.elapsedMs).toBeGreaterThanOrEqual(295);
    expect(local.elapsedMs).toBeLessThan(relay.elapsedMs);
    slow.close();
    quick.close();
  });

  test('a failing lookup is an evaluation error: 451 4.3.0 (A29), and the server goes on', async () => {
    const failing = { providers: { url: () => Promise.reject(new Error('directory down')) } };
    const { client, answers } = await serve(ACTIONS, {}, failing);
    const connection = await client();
    expect((await connection.ask(rcptRequest({ recipient: 'lookup@corp.example' }))).action).toBe('451 4.3.0 Access check failed');
    // T11a: a provider that rejects is ProviderUnavailable inside the decision, not an exception.
    expect(answers[0]).toMatchObject({ stage: 'rcpt', action: '451 4.3.0 Access check failed' });
    expect((await connection.ask(rcptRequest({ instance: 'next', recipient: 'hold@corp.example' }))).action).toBe('HOLD ORIG_SEND_ACCESS');
    connection.close();
  });
});

describe('PD5: one transaction per instance, per connection, bounded', () => {
  test('a positive delay holds the later answers of its instance until END-OF-MESSAGE (PD9.3)', async () => {
    const { client } = await serve();
    const connection = await client();
    const transaction = { sender: RELAY.sender, instance: 'tx' };
    expect((await connection.ask(rcptRequest({ ...transaction, recipient: RELAY.recipient }))).action).toBe(RELAY_TEXT);
    const held = await connection.ask(rcptRequest(transaction));
    expect(held.action).toBe('DUNNO');
    expect(held.elapsedMs).toBeGreaterThanOrEqual(295);
    expect((await connection.ask(rcptRequest({ ...transaction, protocol_state: 'END-OF-MESSAGE' }))).action).toBe('DUNNO');
    expect((await connection.ask(rcptRequest(transaction))).elapsedMs).toBeLessThan(295);

    // The same instance on another connection is another transaction.
    expect((await connection.ask(rcptRequest({ ...transaction, recipient: RELAY.recipient }))).action).toBe(RELAY_TEXT);
    const other = await client();
    expect((await other.ask(rcptRequest(transaction))).elapsedMs).toBeLessThan(295);
    connection.close();
    other.close();
  });

  test('a conversation keeps at most maxTransactions, and forgets idle ones', async () => {
    const settings = { acceptAction: 'DUNNO' as const, serverAddress: '0.0.0.0', serverPort: 25, maxTransactions: 3, transactionTimeoutMs: 60_000 };
    const conversation = new PolicyConversation(livePolicy(TWO_TIER), settings);
    for (let index = 0; index < 10; index++) {
      await conversation.answer({ attributes: new Map(Object.entries(rcptRequest({ instance: `i${index}` }))) });
      expect(conversation.size).toBe(Math.min(index + 1, 3));
    }
    const expiring = new PolicyConversation(livePolicy(TWO_TIER), { ...settings, transactionTimeoutMs: 1 });
    await expiring.answer({ attributes: new Map(Object.entries(rcptRequest({ instance: 'old' }))) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expiring.answer({ attributes: new Map(Object.entries(rcptRequest({ instance: 'new' }))) });
    expect(expiring.size).toBe(1);
  });
});

describe('PD6: running the server', () => {
  test('one onAnswer per answer, with the generation and the entry that answered', async () => {
    const { client, answers } = await serve();
    const connection = await client();
    await connection.ask(rcptRequest(RELAY));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      stage: 'rcpt',
      protocolState: 'RCPT',
      client: '192.168.10.1:40000',
      server: '192.168.10.25:25',
      sender: RELAY.sender,
      recipient: RELAY.recipient,
      action: RELAY_TEXT,
      delayMs: 300,
      generation: 1,
      answeredBy: `ORIG_SEND_ACCESS ${TWO_TIER}:27`,
    });
    connection.close();
  });

  test('an idle connection is closed after idleTimeoutMs', async () => {
    const { client, events } = await serve(TWO_TIER, { idleTimeoutMs: 100 });
    const connection = await client();
    expect((await connection.ask(rcptRequest())).action).toBe('DUNNO');
    await connection.closed(3000);
    expect(events).toContainEqual({ kind: 'idle-timeout', connection: 1 });
  });

  test('connections beyond maxConnections are closed as they arrive', async () => {
    const { client, events } = await serve(TWO_TIER, { maxConnections: 1 });
    const first = await client();
    expect((await first.ask(rcptRequest())).action).toBe('DUNNO');
    const second = await client();
    await second.closed();
    expect(events).toContainEqual({ kind: 'refused-connection', connections: 1 });
    expect((await first.ask(rcptRequest({ instance: 'still' }))).action).toBe('DUNNO');
    first.close();
  });

  test('close() answers the requests in flight, then ends the connections and stops listening', async () => {
    const { server, client, port } = await serve();
    const connection = await client();
    connection.send(policyRequest(rcptRequest(RELAY)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close();
    const answer = await connection.reply();
    expect(answer.action).toBe(RELAY_TEXT);
    await connection.closed();
    await closing;
    const refused = await new Promise<boolean>((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(false)));
      probe.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  test('listens on a unix socket: a stale socket file is replaced, a live one or any other file is not', async () => {
    const { directory, remove } = temporaryDirectory('imsmap-policy-');
    try {
      const socketPath = path.join(directory, 'policy.sock');
      // A process that exits without closing its server leaves the socket file behind, as a crash does.
      const crashed = `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.exit(0))`;
      expect(spawnSync(process.execPath, ['-e', crashed]).status).toBe(0);
      expect(lstatSync(socketPath).isSocket()).toBe(true);
      const server = PolicyServer.create(livePolicy(TWO_TIER)) as PolicyServer;
      expect(formatPolicyEndpoint(await server.listen(`unix:${socketPath}`))).toBe(`unix:${socketPath}`);
      const client = await PolicyClient.connect({ path: socketPath });
      expect((await client.ask(rcptRequest())).action).toBe('DUNNO');
      client.close();

      const second = PolicyServer.create(livePolicy(TWO_TIER)) as PolicyServer;
      await expect(second.listen(`unix:${socketPath}`)).rejects.toThrow(/EADDRINUSE/);
      await server.close();
      expect(existsSync(socketPath)).toBe(false);

      const plainFile = path.join(directory, 'not-a-socket');
      writeFileSync(plainFile, 'keep me');
      await expect(second.listen(`unix:${plainFile}`)).rejects.toThrow(/EADDRINUSE/);
      expect(readFileSync(plainFile, 'utf8')).toBe('keep me');
    } finally {
      remove();
    }
  });

  test('endpoints and settings are checked', () => {
    expect(parsePolicyEndpoint('inet:127.0.0.1:10040')).toEqual({ kind: 'inet', host: '127.0.0.1', port: 10040 });
    expect(parsePolicyEndpoint('inet:[::1]:10040')).toEqual({ kind: 'inet', host: '::1', port: 10040 });
    expect(parsePolicyEndpoint('unix:/run/imsmap.sock')).toEqual({ kind: 'unix', path: '/run/imsmap.sock' });
    for (const bad of ['127.0.0.1:10040', 'inet:127.0.0.1', 'inet:127.0.0.1:70000', 'unix:', 'inet::1:25']) {
      expect(parsePolicyEndpoint(bad)).toBeInstanceOf(TupleError);
    }
    expect(formatPolicyEndpoint({ kind: 'inet', host: '::1', port: 25 })).toBe('inet:[::1]:25');
    const bad = PolicyServer.create(livePolicy(TWO_TIER), { acceptAction: 'PERMIT' as 'OK' });
    expect(bad).toBeInstanceOf(TupleError);
    expect((bad as TupleError).field).toBe('acceptAction');
    expect((PolicyServer.create(livePolicy(TWO_TIER), { serverAddress: '010.0.0.1' }) as TupleError).field).toBe('serverAddress');
  });
});
