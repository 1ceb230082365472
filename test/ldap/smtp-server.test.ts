import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { smtpServerHooks } from '../../src/adapters/smtp-server.js';
import { configuredProviders, type ConfiguredProviders } from '../../src/ldap/index.js';
import { EXTERNAL_CLIENT, INTERNAL_CLIENT, livePolicy, ROOT } from '../adapters/helpers.js';
import { SmtpClient } from '../adapters/smtp-client.js';
import { MTA_DN, MTA_PASSWORD, Slapd } from './slapd.mjs';

// nodemailer's smtp-server with the adapter's hooks over fixtures/ldap/mappings, its lookups answered by
// a real slapd: the directory's answers on the wire, and 451 4.3.0 once the directory is gone (T11a, A29).

let slapd: Slapd;
let providers: ConfiguredProviders;
let server: SMTPServer;
let port: number;
const clients: SmtpClient[] = [];

beforeAll(async () => {
  slapd = await Slapd.start();
  providers = configuredProviders(
    { ldap: { url: slapd.url, bind: { dn: MTA_DN, passwordEnv: 'PASSWORD' }, timeoutMs: 1000, cache: { ttlSeconds: 0 } }, directory: ROOT },
    { env: { PASSWORD: MTA_PASSWORD } },
  );
  const policy = livePolicy(`${ROOT}fixtures/ldap/mappings`, {
    access: { channels: { localDomains: ['siroe.com'] } },
    compile: providers.compile,
  });
  server = new SMTPServer({ ...smtpServerHooks(policy), authOptional: true, disableReverseLookup: true, logger: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const connection of clients) connection.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  providers?.close();
  await slapd?.remove();
});

/** A client past its greeting and EHLO, with MAIL FROM accepted. */
async function transaction(from: string, clientAddress: string): Promise<SmtpClient> {
  const connection = await SmtpClient.connect(port, clientAddress);
  clients.push(connection);
  expect((await connection.reply()).code).toBe(220);
  await connection.command('EHLO client.example');
  expect((await connection.command(`MAIL FROM:<${from}>`)).code).toBe(250);
  return connection;
}

describe('smtp-server adapter with the LDAP providers', () => {
  test("RCPT TO gets the directory's answer", async () => {
    const outside = await transaction('someone@example.net', EXTERNAL_CLIENT);
    expect((await outside.command('RCPT TO:<olga@siroe.com>')).text).toBe('550 5.7.1 Mailbox inactive: olga@siroe.com');
    expect((await outside.command('RCPT TO:<norman@siroe.com>')).code).toBe(250);
    const adam = await transaction('adam@siroe.com', INTERNAL_CLIENT);
    expect((await adam.command('RCPT TO:<x@example.org>')).code).toBe(250);
    expect((await adam.command('RCPT TO:<bob@sesta.com>')).text).toBe('550 5.7.1 Domain inactive: bob@sesta.com');
    const norman = await transaction('norman@siroe.com', INTERNAL_CLIENT);
    expect((await norman.command('RCPT TO:<x@example.org>')).text).toBe('550 5.7.1 Internet access not permitted: x@example.org');
  });

  test('with slapd stopped every recipient the rules look up is deferred with 451 4.3.0, none accepted', async () => {
    const adam = await transaction('adam@siroe.com', INTERNAL_CLIENT);
    await slapd.stop();
    try {
      for (const recipient of ['x@example.org', 'norman@siroe.com', 'olga@siroe.com', 'bob@sesta.com']) {
        const reply = await adam.command(`RCPT TO:<${recipient}>`);
        expect(reply.code, recipient).toBe(451);
        expect(reply.text, recipient).toMatch(/^451 4\.3\.0 /);
      }
    } finally {
      await slapd.restart();
    }
    expect((await adam.command('RCPT TO:<x@example.org>')).code).toBe(250);
  });
});
