import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLdapProviders, type LdapProviders } from '../../src/ldap/index.js';
import { MTA_DN, MTA_PASSWORD, Slapd } from './slapd.js';

let slapd: Slapd;
const opened: LdapProviders[] = [];

beforeAll(async () => {
  slapd = await Slapd.start();
});

afterAll(async () => {
  for (const providers of opened) providers.close();
  await slapd?.remove();
});

function providers(extra: Record<string, unknown> = {}): LdapProviders {
  const made = createLdapProviders(
    { url: slapd.url, bind: { dn: MTA_DN, passwordEnv: 'TEST_LDAP_PASSWORD' }, timeoutMs: 2000, ...extra },
    { env: { TEST_LDAP_PASSWORD: MTA_PASSWORD } },
  );
  opened.push(made);
  return made;
}

const context = { table: 'T', entry: { table: 'T', index: 1, file: 'f', line: 1 }, input: '', inputFlags: '' };

describe('the URL provider against slapd (T11)', () => {
  it('answers the first value of the first attribute', async () => {
    const { url } = providers();
    expect(await url('ldap:///o=isp?mail?sub?(uid=adam)', context)).toBe('adam@siroe.com');
  });
});
