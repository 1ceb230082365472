import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serve, stopServers, type Served } from '../cli/serve-process.js';
import { temporaryDirectory, TWO_TIER } from './helpers.js';
import { postfixUnavailable, startPostfix, type PostfixInstance } from './postfix-instance.js';
import { startAuthService, type AuthService } from './dovecot-auth.js';
import { SmtpClient, type WireReply } from './smtp-client.js';

// PD8: a real Postfix consults `imsmap serve` over check_policy_service, and real SMTP conversations show
// the two-tier scenario of issue 4 end to end. Postfix sees every test client as 127.0.0.1, so the client
// presents the scenario's addresses with XCLIENT (smtpd_authorized_xclient_hosts = 127.0.0.1): ADDR and
// PORT are the client, DESTADDR and DESTPORT the MTA's address and port (25 or 587). Submission logs in
// with a real AUTH PLAIN, which Postfix checks over the Dovecot protocol and then reports to the policy
// service as sasl_username.

const FIREWALL = '192.168.10.1';
const LAN_HOST = '192.168.10.50';
const INTERNET = '203.0.113.5';
const MTA = '192.168.10.25';
const RELAY_REFUSED = '550 5.7.1 <victim@elsewhere.example>: Recipient address rejected: Relaying not allowed: victim@elsewhere.example';

const unavailable = postfixUnavailable();
// CI installs Postfix (.ci/run), so there a missing Postfix is a failure, not a skip.
if (unavailable !== undefined && process.env.CI) throw new Error(`Postfix is required in CI: ${unavailable}`);
if (unavailable !== undefined) console.warn(`Skipping the real-Postfix tests: ${unavailable}`);

/** A file that parses but has lost its anti-relay rule (all of ORIG_SEND_ACCESS), as a bad edit leaves it. */
function withoutAntiRelay(text: string): string {
  return text.slice(0, text.indexOf('ORIG_SEND_ACCESS'));
}


describe.skipIf(unavailable !== undefined)('a real Postfix consulting imsmap serve (two-tier scenario)', () => {
  let folder: { directory: string; remove: () => void };
  let mappings: string;
  let served: Served;
  let postfix: PostfixInstance | undefined;
  let auth: AuthService | undefined;

  beforeAll(async () => {
    folder = temporaryDirectory('imsmap-postfix-policy-');
    mappings = path.join(folder.directory, 'mappings');
    copyFileSync(TWO_TIER, mappings);
    served = await serve([mappings, '--options', '{"channels":{"localDomains":["corp.example"]}}']);
    auth = await startAuthService(new Map([['carol@corp.example', 'carol-secret']]));
    postfix = await startPostfix(served.port, auth.port);
  }, 120_000);

  afterAll(async () => {
    postfix?.stop();
    await auth?.close();
    served?.child.kill('SIGTERM');
    if (served) await served.exited;
    stopServers();
    folder?.remove();
  }, 60_000);

  /** An SMTP session as `client` reaching the MTA on `port`. */
  async function session(client: string, port: number): Promise<SmtpClient> {
    const smtp = await SmtpClient.connect(postfix!.smtpPort);
    expect((await smtp.reply()).code).toBe(220);
    const ehlo = await smtp.command('EHLO xclient.test');
    expect(ehlo.text).toContain('XCLIENT');
    const attributes = ['NAME=[UNAVAILABLE]', `ADDR=${client}`, 'PORT=40000', `DESTADDR=${MTA}`, `DESTPORT=${port}`];
    // XCLIENT answers with a new greeting; the session starts over as the presented client.
    expect((await smtp.command(`XCLIENT ${attributes.join(' ')}`)).code).toBe(220);
    expect((await smtp.command('EHLO client.example')).code).toBe(250);
    return smtp;
  }

  /** MAIL FROM and RCPT TO; the RCPT reply. */
  async function envelope(smtp: SmtpClient, from: string, to: string): Promise<WireReply> {
    expect((await smtp.command(`MAIL FROM:<${from}>`)).code).toBe(250);
    return smtp.command(`RCPT TO:<${to}>`);
  }

  /** DATA with a small message; the final reply. */
  async function data(smtp: SmtpClient): Promise<WireReply> {
    expect((await smtp.command('DATA')).code).toBe(354);
    return smtp.command('Subject: imsmap test\r\n\r\nHello.\r\n.');
  }

  test('the gateway on port 25 delivers to a local user: accepted and queued', async () => {
    const smtp = await session(FIREWALL, 25);
    expect((await envelope(smtp, 'alice@sender.example', 'bob@corp.example')).text).toMatch(/^250 /);
    expect((await data(smtp)).text).toMatch(/^250 2\.0\.0 Ok: queued/);
    await smtp.command('QUIT');
  });

  test('a LAN host delivers locally: accepted', async () => {
    const smtp = await session(LAN_HOST, 25);
    expect((await envelope(smtp, 'dave@corp.example', 'bob@corp.example')).code).toBe(250);
    expect((await data(smtp)).code).toBe(250);
    await smtp.command('QUIT');
  });

  test('the submission port: a wrong password is refused by Postfix itself', async () => {
    const smtp = await session(INTERNET, 587);
    const plain = Buffer.from('\0carol@corp.example\0guess').toString('base64');
    expect((await smtp.command(`AUTH PLAIN ${plain}`)).code).toBe(535);
    await smtp.command('QUIT');
  });

  test('the submission port: an authenticated user sends outside; accepted', async () => {
    const smtp = await session(INTERNET, 587);
    const plain = Buffer.from('\0carol@corp.example\0carol-secret').toString('base64');
    expect((await smtp.command(`AUTH PLAIN ${plain}`)).text).toMatch(/^235 /);
    expect((await envelope(smtp, 'carol@corp.example', 'friend@elsewhere.example')).code).toBe(250);
    expect((await data(smtp)).code).toBe(250);
    await smtp.command('QUIT');
  });

  test("a client on port 25 bypassing the gateway is refused with the mappings' own text", async () => {
    const smtp = await session(INTERNET, 25);
    const refused = await envelope(smtp, 'someone@internet.example', 'bob@corp.example');
    // Postfix puts its own words before a policy service's text (docs/postfix.md, what does not carry over).
    expect(refused.text).toBe(`500 5.7.1 <unknown[${INTERNET}]>: Client host rejected: Please use port 587 to send mail`);
    await smtp.command('QUIT');
  });

  test('a relay attempt through the gateway is refused 550 5.7.1 after the $D30 delay', async () => {
    const smtp = await session(FIREWALL, 25);
    const refused = await envelope(smtp, 'spam@spammer.example', 'victim@elsewhere.example');
    expect(refused.text).toBe(RELAY_REFUSED);
    expect(refused.elapsedMs).toBeGreaterThanOrEqual(295);
    await smtp.command('QUIT');
    const answer = await served.logged((line) => line.stage === 'rcpt' && line.recipient === 'victim@elsewhere.example');
    expect(answer).toMatchObject({ stage: 'rcpt', client: `${FIREWALL}:40000`, server: `${MTA}:25`, delayMs: 300 });
  });

  test('a half-written file, which has lost the anti-relay rule, is refused on reload; Postfix keeps rejecting relays', async () => {
    const text = readFileSync(TWO_TIER, 'utf8');
    // Cut inside INTERNAL_IP, as a copy in progress leaves it: everything after it, ORIG_SEND_ACCESS included, is gone.
    writeFileSync(`${mappings}.new`, text.slice(0, text.indexOf('$(192.168.10.0/24)') + 8));
    renameSync(`${mappings}.new`, mappings);
    served.child.kill('SIGHUP');
    await served.logged((line) => line.event === 'reload-refused' && line.trigger === 'SIGHUP');
    const smtp = await session(FIREWALL, 25);
    const refused = await envelope(smtp, 'spam@spammer.example', 'victim@elsewhere.example');
    expect(refused.text).toBe(RELAY_REFUSED);
    await smtp.command('QUIT');
    expect(postfix!.log()).toMatch(/reject: RCPT from unknown\[192\.168\.10\.1\]: 550 5\.7\.1 <victim@elsewhere\.example>: Recipient address rejected: Relaying not allowed/);
  });

  test('a valid file that dropped the anti-relay rule is refused on reload; Postfix keeps rejecting relays', async () => {
    copyFileSync(TWO_TIER, `${mappings}.new`);
    renameSync(`${mappings}.new`, mappings);
    served.child.kill('SIGHUP');
    const before = served.lines.length;
    await served.logged((line) => served.lines.indexOf(line) >= before && line.trigger === 'SIGHUP');
    writeFileSync(`${mappings}.new`, withoutAntiRelay(readFileSync(TWO_TIER, 'utf8')));
    renameSync(`${mappings}.new`, mappings);
    served.child.kill('SIGHUP');
    const seen = served.lines.length;
    const refused = await served.logged((line) => served.lines.indexOf(line) >= seen && line.trigger === 'SIGHUP');
    expect(refused).toMatchObject({ event: 'reload-refused', replaced: false });
    const smtp = await session(FIREWALL, 25);
    expect((await envelope(smtp, 'spam@spammer.example', 'victim@elsewhere.example')).text).toBe(RELAY_REFUSED);
    await smtp.command('QUIT');
  });
});
