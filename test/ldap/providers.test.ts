import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLdapProviders,
  InvalidLdapConfigError,
  LdapCredentialsError,
  LdapUnavailableError,
  type LdapConfigInput,
  type LdapProviders,
} from '../../src/ldap/index.js';
import { temporaryDirectory } from '../adapters/helpers.js';
import { MTA_DN, MTA_PASSWORD, silentServer, Slapd } from './slapd.mjs';

// The providers alone against a real slapd; test/ldap/decide.test.ts drives them through decisions.

let slapd: Slapd;
const opened: LdapProviders[] = [];
const PASSWORD_ENV = { IMSMAP_TEST_LDAP_PASSWORD: MTA_PASSWORD };

beforeAll(async () => {
  slapd = await Slapd.start();
});

afterAll(async () => {
  for (const providers of opened) providers.close();
  await slapd?.remove();
});

function providers(extra: Partial<LdapConfigInput> = {}, now?: () => number): LdapProviders {
  const config: LdapConfigInput = {
    url: slapd.url,
    bind: { dn: MTA_DN, passwordEnv: 'IMSMAP_TEST_LDAP_PASSWORD' },
    timeoutMs: 1500,
    ...extra,
  };
  const made = createLdapProviders(config, now ? { env: PASSWORD_ENV, now } : { env: PASSWORD_ENV });
  opened.push(made);
  return made;
}

const context = { table: 'T', entry: { table: 'T', index: 1, file: 'f', line: 1 }, input: '', inputFlags: '' };

describe('the URL provider against slapd (T11)', () => {
  let shared: LdapProviders;
  beforeAll(() => {
    shared = providers();
  });
  const url = (text: string) => shared.url(text, context);

  it('answers the first value of the first listed attribute the entry holds', async () => {
    expect(await url('ldap:///o=isp?mail?sub?(uid=adam)')).toBe('adam@siroe.com');
    expect(await url('ldap:///o=isp?description,uid,mail?sub?(uid=adam)')).toBe('adam');
    expect(await url('ldap:///uid=norman,ou=People,o=siroe.com,o=isp?mail')).toBe('norman@siroe.com');
  });

  it('a multi-valued attribute gives its first value', async () => {
    expect(await url('ldap:///o=internet?mailRoutingHosts?sub?(associatedDomain=siroe.com)')).toBe('mx1.siroe.com');
  });

  it('absent (T11a): no entry, no such attribute, no such base: null, so the entry fails', async () => {
    expect(await url('ldap:///o=isp?mail?sub?(uid=nobody)')).toBeNull();
    expect(await url('ldap:///o=isp?siteInternetAccess?sub?(uid=norman)')).toBeNull();
    expect(await url('ldap:///ou=Nowhere,o=isp?mail')).toBeNull();
  });

  it('a filter built by $= from a hostile probe finds nothing instead of every entry', async () => {
    expect(await url('ldap:///o=isp?mail?sub?(mail=%2a)')).toBeNull();
    expect(await url('ldap:///o=isp?mail?sub?(mail=*)')).not.toBeNull();
  });

  it('other URL schemes are not found; a malformed LDAP URL cannot be answered', () => {
    expect(shared.url('file:///etc/passwd', context)).toBeNull();
    expect(() => shared.url('ldap:///o=isp?mail?forever?(uid=x)', context)).toThrow();
  });

  it('a server the configuration does not name is refused without connecting', async () => {
    await expect(url('ldap://192.0.2.1:389/o=isp?mail?sub?(uid=adam)')).rejects.toThrow(/not a configured server/);
    const other = providers({ url: 'ldap://127.0.0.1:9', otherServers: [slapd.url] });
    expect(await other.url(`${slapd.url}/o=isp?mail?sub?(uid=adam)`, context)).toBe('adam@siroe.com');
  });
});

describe('the domain provider against slapd (T11)', () => {
  let domain: (name: string, attribute: string) => ReturnType<LdapProviders['domain']>;
  beforeAll(() => {
    const made = providers();
    domain = (name, attribute) => made.domain(name, attribute, context);
  });

  it('finds the domain by associatedDomain in the DC tree and answers its attributes', async () => {
    expect(await domain('siroe.com', 'inetDomainStatus')).toBe('active');
    expect(await domain('MAIL.SIROE.COM', 'mailRoutingHosts')).toBe('mx1.siroe.com');
    expect(await domain('sesta.com', 'inetDomainStatus')).toBe('inactive');
  });

  it('the special attributes', async () => {
    expect(await domain('mail.siroe.com', '_domain_dn_')).toBe('dc=siroe,dc=com,o=internet');
    expect(await domain('mail.siroe.com', '_base_dn_')).toBe('o=siroe.com,o=isp');
    expect(await domain('Mail.Siroe.Com', '_domain_name_')).toBe('mail.siroe.com');
    expect(await domain('mail.siroe.com', '_canonical_name_')).toBe('siroe.com');
    expect(await domain('sesta.com', '_canonical_name_')).toBe('sesta.com');
  });

  it('absent: an unknown domain, an attribute the entry lacks; an odd domain is quoted into the filter', async () => {
    expect(await domain('example.org', '_domain_dn_')).toBeNull();
    expect(await domain('sesta.com', 'mailRoutingHosts')).toBeNull();
    expect(await domain('*', '_domain_dn_')).toBeNull();
  });

  it('a configurable search: base, filter template and attributes', async () => {
    const custom = providers({ domain: { baseDn: 'o=isp', filter: '(o={domain})', scope: 'one', baseDnAttribute: 'o' } });
    expect(await custom.domain('siroe.com', '_domain_dn_', context)).toBe('o=siroe.com,o=isp');
    expect(await custom.domain('siroe.com', '_base_dn_', context)).toBe('siroe.com');
  });
});

describe('outages (T11a): the provider rejects, it never answers "absent"', () => {
  it('a wrong password: the bind is refused', async () => {
    const refused = createLdapProviders(
      { url: slapd.url, bind: { dn: MTA_DN, passwordEnv: 'P' }, timeoutMs: 1500 },
      { env: { P: 'wrong' } },
    );
    opened.push(refused);
    await expect(refused.url('ldap:///o=isp?mail?sub?(uid=adam)', context)).rejects.toThrow(LdapUnavailableError);
  });

  it('nothing listening: connection refused', async () => {
    const closed = providers({ url: 'ldap://127.0.0.1:9' });
    await expect(closed.domain('siroe.com', '_domain_dn_', context)).rejects.toThrow(LdapUnavailableError);
  });

  it('a server that accepts and never answers hits the time-out', async () => {
    const silent = await silentServer();
    try {
      const hung = providers({ url: silent.url, timeoutMs: 300 });
      const started = Date.now();
      await expect(hung.url('ldap:///o=isp?mail?sub?(uid=adam)', context)).rejects.toThrow(/no answer within 300 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });

  it('errors are not cached: the next lookup asks again and gets the answer once the directory is back', async () => {
    const made = providers({ timeoutMs: 300 });
    slapd.pause();
    try {
      await expect(made.url('ldap:///o=isp?mail?sub?(uid=norman)', context)).rejects.toThrow(LdapUnavailableError);
      expect(made.cachedAnswers).toBe(0);
    } finally {
      slapd.resume();
    }
    expect(await made.url('ldap:///o=isp?mail?sub?(uid=norman)', context)).toBe('norman@siroe.com');
    expect(made.cachedAnswers).toBe(1);
  });
});

describe('the cache (T11a): hits and absent for the TTL, bounded, per provider set', () => {
  it('answers from the cache until the TTL passes, then asks the directory again', async () => {
    let clock = 0;
    const made = providers({ cache: { ttlSeconds: 10, maxEntries: 100 } }, () => clock);
    const lookup = () => made.url('ldap:///o=isp?mail?sub?(uid=paula)', context);
    expect(await lookup()).toBeNull();
    slapd.ldapadd('dn: uid=paula,ou=People,o=siroe.com,o=isp\nobjectClass: inetOrgPerson\nuid: paula\ncn: Paula\nsn: P\nmail: paula@siroe.com\n');
    clock = 9_999;
    expect(lookup()).toBeNull();
    clock = 10_000;
    expect(await lookup()).toBe('paula@siroe.com');
    // A cached answer comes back at once, without a promise, so mapSync can use it.
    expect(lookup()).toBe('paula@siroe.com');
  });

  it('holds at most maxEntries answers, the oldest going first', async () => {
    const made = providers({ cache: { ttlSeconds: 60, maxEntries: 2 } });
    for (const uid of ['adam', 'norman', 'olga']) await made.url(`ldap:///o=isp?mail?sub?(uid=${uid})`, context);
    expect(made.cachedAnswers).toBe(2);
    expect(made.url('ldap:///o=isp?mail?sub?(uid=olga)', context)).toBe('olga@siroe.com');
    // Evicted: asked again. Awaited, so that the lookup cannot outlive the test and reject unobserved
    // when the connection closes at the end of the file.
    const asked = made.url('ldap:///o=isp?mail?sub?(uid=adam)', context);
    expect(asked).toBeInstanceOf(Promise);
    expect(await asked).toBe('adam@siroe.com');
  });
});

describe('configuration', () => {
  it('reads the password from a file relative to the configuration folder', async () => {
    const { directory, remove } = temporaryDirectory('imsmap-ldap-');
    try {
      writeFileSync(path.join(directory, 'ldap.secret'), `${MTA_PASSWORD}\n`);
      const made = createLdapProviders({ url: slapd.url, bind: { dn: MTA_DN, passwordFile: 'ldap.secret' } }, { directory });
      opened.push(made);
      expect(await made.url('ldap:///o=isp?mail?sub?(uid=adam)', context)).toBe('adam@siroe.com');
    } finally {
      remove();
    }
  });

  it('names what is wrong', () => {
    expect(() => createLdapProviders({ url: 'http://x' })).toThrow(InvalidLdapConfigError);
    expect(() => createLdapProviders({ url: 'ldap://x', bind: { dn: 'cn=x', passwordEnv: 'A', passwordFile: 'b' } })).toThrow(/exactly one/);
    expect(() => createLdapProviders({ url: 'ldap://x', bind: { dn: 'cn=x', passwordEnv: 'UNSET_X' } }, { env: {} })).toThrow(LdapCredentialsError);
    expect(() => createLdapProviders({ url: 'ldap://x', bind: { dn: 'cn=x', passwordFile: '/nonexistent/secret' } })).toThrow(/cannot read the password file/);
  });
});
