import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { smtpServerHooks, type SmtpServerAdapterOptions } from '../../src/adapters/smtp-server.js';
import type { LivePolicy } from '../../src/adapters/live-policy.js';
import {
  BUSY_CLIENT,
  EXTERNAL_CLIENT,
  INTERNAL_CLIENT,
  livePolicy,
  recorder,
  REPLIES,
  temporaryDirectory,
  TWO_TIER,
} from './helpers.js';
import { SmtpClient } from './smtp-client.js';

// nodemailer's smtp-server in this process, with the adapter's hooks and the two-tier scenario's file;
// a raw SMTP client on loopback asserts the replies exactly as they arrive.

const servers: SMTPServer[] = [];
const clients: SmtpClient[] = [];
const suiteStart = performance.now();

/** Starts smtp-server on an ephemeral loopback port with the adapter's hooks. */
async function serve(policy: LivePolicy, adapter: SmtpServerAdapterOptions = {}, options: SMTPServerOptions = {}): Promise<number> {
  const server = new SMTPServer({
    ...smtpServerHooks(policy, adapter),
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    ...options,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as { port: number }).port;
}

/** A client whose greeting has been read (or the refusal that replaced it). */
async function client(port: number, from: string): Promise<{ client: SmtpClient; greeting: Awaited<ReturnType<SmtpClient['reply']>> }> {
  const connection = await SmtpClient.connect(port, from);
  clients.push(connection);
  return { client: connection, greeting: await connection.reply() };
}

afterAll(async () => {
  for (const connection of clients) connection.close();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  console.log(`smtp-server adapter suite: ${((performance.now() - suiteStart) / 1000).toFixed(2)} s`);
});

describe('smtp-server: the two-tier file on the wire', () => {
  const policy = livePolicy(TWO_TIER);
  let relayPort: number;
  let port25: number;

  beforeAll(async () => {
    relayPort = await serve(policy);
    // The same server as the MTA's port 25, reached through a port redirect.
    port25 = await serve(policy, { serverPort: 25 });
  });

  test('an Internet client on port 25 gets the PORT_ACCESS text and the connection is closed (A19)', async () => {
    const { client: connection, greeting } = await client(port25, EXTERNAL_CLIENT);
    expect(greeting.text).toBe('500 Please use port 587 to send mail');
    await connection.closed();
    expect(connection.isEnded).toBe(true);
  });

  test('the internal host may connect on port 25 and relay', async () => {
    const { client: connection, greeting } = await client(port25, INTERNAL_CLIENT);
    expect(greeting.code).toBe(220);
    expect((await connection.command('EHLO lan.corp.example')).code).toBe(250);
    expect((await connection.command('MAIL FROM:<a@corp.example>')).text).toBe('250 Accepted');
    expect((await connection.command('RCPT TO:<b@other.example>')).text).toBe('250 Accepted');
  });

  test('relaying is refused with 550 5.7.1 after the $D30 delay, which holds for the rest of the transaction (A18, A20)', async () => {
    const { client: connection, greeting } = await client(relayPort, EXTERNAL_CLIENT);
    expect(greeting.code).toBe(220);
    await connection.command('EHLO mx.sender.example');
    expect((await connection.command('MAIL FROM:<a@sender.example>')).text).toBe('250 Accepted');
    const refused = await connection.command('RCPT TO:<b@other.example>');
    // Exactly one enhanced code: smtp-server's own are turned off, the decision's is in the text.
    expect(refused.text).toBe('550 5.7.1 Relaying not allowed: b@other.example');
    expect(refused.elapsedMs).toBeGreaterThanOrEqual(300);
    const local = await connection.command('RCPT TO:<c@corp.example>');
    expect(local.text).toBe('250 Accepted');
    expect(local.elapsedMs).toBeGreaterThanOrEqual(300);
    expect((await connection.command('DATA')).code).toBe(354);
    const queued = await connection.command('Subject: test\r\n\r\nhello\r\n.');
    expect(queued.code).toBe(250);
    expect(queued.elapsedMs).toBeGreaterThanOrEqual(300);
    console.log(
      `smtp-server $D30: RCPT reply after ${refused.elapsedMs.toFixed(0)} ms, next RCPT ${local.elapsedMs.toFixed(0)} ms, ` +
        `end of DATA ${queued.elapsedMs.toFixed(0)} ms`,
    );
  });

  test('TLS and AUTH feed the input flags and the channel: an authenticated client may relay (A13, A24)', async () => {
    const events = recorder();
    const port = await serve(
      policy,
      { onDecision: events.onDecision },
      { onAuth: (auth, _session, callback) => callback(null, { user: auth.username }) },
    );
    const { client: connection } = await client(port, EXTERNAL_CLIENT);
    await connection.command('EHLO laptop.example');
    expect((await connection.startTls()).code).toBe(220);
    expect((await connection.command('EHLO laptop.example')).code).toBe(250);
    const credentials = Buffer.from('\0carol@corp.example\0secret').toString('base64');
    expect((await connection.command(`AUTH PLAIN ${credentials}`)).code).toBe(235);
    expect((await connection.command('MAIL FROM:<carol@corp.example>')).code).toBe(250);
    expect((await connection.command('RCPT TO:<friend@other.example>')).text).toBe('250 Accepted');
    const rcpt = events.events.find((event) => event.stage === 'rcpt')!.verdict.decision!;
    expect(rcpt).toMatchObject({ action: 'accept', srcChannel: 'tcp_auth', dstChannel: 'tcp_local' });
    expect(rcpt.results[0]).toMatchObject({
      table: 'ORIG_SEND_ACCESS',
      probe: 'tcp_auth|carol@corp.example|tcp_local|friend@other.example',
      inputFlags: 'AET',
    });
    const mail = events.events.find((event) => event.stage === 'mail')!.verdict.decision!;
    // The FROM_ACCESS probe (A6), shown although the file has no such table: app-info, channel, AUTH sender.
    expect(mail.results[0]!.probe).toMatch(/^TCP\|127\.0\.0\.1\|\d+\|127\.0\.0\.5\|\d+\|SMTP\/laptop\.example\|MAIL\|tcp_auth\|carol@corp\.example\|carol@corp\.example$/);
    expect(mail.results[0]!.inputFlags).toBe('AT');
  });

  test('warn-only mode accepts everything and logs what it would have rejected', async () => {
    const events = recorder();
    const port = await serve(policy, { mode: 'warn', logger: events.logger, serverPort: 25 });
    const { client: connection, greeting } = await client(port, EXTERNAL_CLIENT);
    expect(greeting.code).toBe(220);
    await connection.command('EHLO mx.sender.example');
    expect((await connection.command('MAIL FROM:<a@sender.example>')).code).toBe(250);
    expect((await connection.command('RCPT TO:<b@other.example>')).text).toBe('250 Accepted');
    // The transaction goes on as the client saw it: the next recipient is the second one, one accepted before.
    expect((await connection.command('RCPT TO:<c@other.example>')).text).toBe('250 Accepted');
    expect(events.warnings).toEqual([
      expect.stringMatching(/^imsmap \(warn-only\): would reject connection from 127\.0\.0\.5:\d+ to 127\.0\.0\.1:25: 500 Please use port 587 to send mail and close$/),
      'imsmap (warn-only): would reject RCPT TO:<b@other.example> after 0.30 s: 550 5.7.1 Relaying not allowed: b@other.example',
      'imsmap (warn-only): would reject RCPT TO:<c@other.example> after 0.30 s: 550 5.7.1 Relaying not allowed: c@other.example',
    ]);
  });

  test("with smtp-server's enhanced codes, the text carries none, so none is duplicated", async () => {
    const port = await serve(policy, { enhancedStatusCodes: 'smtp-server' });
    const { client: connection } = await client(port, EXTERNAL_CLIENT);
    const ehlo = await connection.command('EHLO mx.sender.example');
    expect(ehlo.lines).toContain('250-ENHANCEDSTATUSCODES');
    await connection.command('MAIL FROM:<a@sender.example>');
    expect((await connection.command('RCPT TO:<b@other.example>')).text).toBe('550 5.1.1 Relaying not allowed: b@other.example');
  });
});

describe('smtp-server: replies, delays and flags on the wire', () => {
  const policy = livePolicy(REPLIES);
  let port: number;

  beforeAll(async () => {
    port = await serve(policy);
  });

  test('a multi-line 421 PORT_ACCESS reply is sent line by line and the connection closed (A19)', async () => {
    const { client: connection, greeting } = await client(port, BUSY_CLIENT);
    expect(greeting.lines).toEqual(['421-4.3.2 Too busy', '421 4.3.2 Try again later']);
    await connection.closed();
  });

  test('a FROM_ACCESS rejection uses its $X enhanced code (A18)', async () => {
    const { client: connection } = await client(port, EXTERNAL_CLIENT);
    await connection.command('EHLO mx.sender.example');
    expect((await connection.command('MAIL FROM:<spam@sender.example>')).text).toBe('550 5.7.0 Sender refused: spam@sender.example');
  });

  test('warn-only mode: a would-be-rejected MAIL FROM still opens the transaction the client sees', async () => {
    const events = recorder();
    const warnPort = await serve(policy, { mode: 'warn', logger: events.logger });
    const { client: connection } = await client(warnPort, EXTERNAL_CLIENT);
    await connection.command('EHLO mx.sender.example');
    expect((await connection.command('MAIL FROM:<spam@sender.example>')).text).toBe('250 Accepted');
    expect((await connection.command('RCPT TO:<later@other.example>')).text).toBe('250 Accepted');
    expect(events.warnings).toEqual([
      'imsmap (warn-only): would reject MAIL FROM:<spam@sender.example>: 550 5.7.0 Sender refused: spam@sender.example',
      'imsmap (warn-only): would reject RCPT TO:<later@other.example>: 450 4.2.1 Try again later: later@other.example',
    ]);
  });

  test('a negative $D delays only its own reply (A20)', async () => {
    const { client: connection } = await client(port, EXTERNAL_CLIENT);
    await connection.command('EHLO mx.sender.example');
    const mail = await connection.command('MAIL FROM:<slow@sender.example>');
    expect(mail.text).toBe('250 Accepted');
    expect(mail.elapsedMs).toBeGreaterThanOrEqual(400);
  });

  test('a class-4 $X gives a temporary 450 reply (A18)', async () => {
    const { client: connection } = await client(port, EXTERNAL_CLIENT);
    await connection.command('EHLO mx.sender.example');
    await connection.command('MAIL FROM:<a@sender.example>');
    expect((await connection.command('RCPT TO:<later@other.example>')).text).toBe('450 4.2.1 Try again later: later@other.example');
  });

  test('input flag T comes from STARTTLS: the same recipient is refused in clear text and accepted over TLS', async () => {
    const clear = (await client(port, EXTERNAL_CLIENT)).client;
    await clear.command('EHLO mx.sender.example');
    await clear.command('MAIL FROM:<a@sender.example>');
    expect((await clear.command('RCPT TO:<tls-only@other.example>')).text).toBe(
      '550 5.7.10 Encryption required: tls-only@other.example',
    );
    const secure = (await client(port, EXTERNAL_CLIENT)).client;
    await secure.command('EHLO mx.sender.example');
    await secure.startTls();
    await secure.command('EHLO mx.sender.example');
    await secure.command('MAIL FROM:<a@sender.example>');
    expect((await secure.command('RCPT TO:<tls-only@other.example>')).text).toBe('250 Accepted');
  });
});

describe('smtp-server: hot reload', () => {
  test('a reload applies to new connections; a connection keeps the tables it started with', async () => {
    const scratch = temporaryDirectory('imsmap-smtp-reload-');
    try {
      const file = path.join(scratch.directory, 'mappings');
      copyFileSync(REPLIES, file);
      const policy = livePolicy(file);
      const port = await serve(policy);
      const before = (await client(port, EXTERNAL_CLIENT)).client;
      await before.command('EHLO mx.sender.example');

      // The new version keeps every access table the old one had (A32 item 3 refuses a lost table).
      writeFileSync(file, `${readFileSync(TWO_TIER, 'utf8')}\nFROM_ACCESS\n  *  $Y\n`);
      expect(policy.reload()).toMatchObject({ replaced: true, generation: 2 });

      // Started on replies.mappings: no anti-relay rule there.
      await before.command('MAIL FROM:<a@sender.example>');
      expect((await before.command('RCPT TO:<b@other.example>')).text).toBe('250 Accepted');
      const after = (await client(port, EXTERNAL_CLIENT)).client;
      await after.command('EHLO mx.sender.example');
      await after.command('MAIL FROM:<a@sender.example>');
      expect((await after.command('RCPT TO:<b@other.example>')).text).toBe('550 5.7.1 Relaying not allowed: b@other.example');

      const hits = policy.hitReport()!;
      expect(hits.generation).toBe(2);
      expect(hits.entries.find((entry) => entry.table === 'ORIG_SEND_ACCESS')).toMatchObject({ index: 1, matched: 1, applied: 1 });
    } finally {
      scratch.remove();
    }
  });
});
