import type { Entry } from 'ldapts';
import * as z from 'zod';
import type { DomainProvider, UrlProvider } from '../engine/options.js';
import { ldapQuote } from '../engine/expand.js';
import { AnswerCache } from './cache.js';
import { noSiteProviders, type ConfiguredProviders } from './configured.js';
import { ldapConfigSchema, type LdapConfig, type LdapConfigInput } from './config.js';
import { readBindPassword } from './credentials.js';
import { connectionSettings, Directory } from './directory.js';
import { LdapUrlError, parseLdapUrl } from './url.js';

/** The `$]…[` and `$}…{` providers over one directory, and what it takes to stop them. */
export interface LdapProviders {
  /** `$]ldap://…[` lookups; other URL schemes (`file:`, `data:`) are not found. */
  readonly url: UrlProvider;
  /** `$}domain,attribute{` lookups in the DC tree, with the special attributes of T11. */
  readonly domain: DomainProvider;
  /** Answers held by the cache, hits and "absent" together. */
  readonly cachedAnswers: number;
  /** Closes every connection; later lookups open new ones. */
  close(): void;
}

/** Where the configuration came from, for the files it names, and the environment holding its password. */
export interface LdapProviderOptions {
  /** The folder relative files (password, CA) are read from; default the working directory. */
  directory?: string;
  env?: NodeJS.ProcessEnv;
  /** The clock of the cache, for tests. */
  now?: () => number;
}

/** A `providers.ldap` section that does not validate. */
export class InvalidLdapConfigError extends Error {
  override name = 'InvalidLdapConfigError';
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9;.-]*$/;

/** The values of an entry's attribute, named case-blind as LDAP does, as text. */
function valuesOf(entry: Entry, attribute: string): string[] {
  const wanted = attribute.toLowerCase();
  const key = Object.keys(entry).find((name) => name !== 'dn' && name.toLowerCase() === wanted);
  if (key === undefined) return [];
  const value = entry[key]!;
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/**
 * The result of a URL lookup: the first value of the first listed attribute the entry holds (all
 * attributes in the server's order when the URL lists none), null when there is none (T11, T11a).
 */
function firstValue(entry: Entry | null, attributes: readonly string[]): string | null {
  if (entry === null) return null;
  const names = attributes.length > 0 ? attributes : Object.keys(entry).filter((name) => name !== 'dn');
  for (const name of names) {
    const [value] = valuesOf(entry, name);
    if (value !== undefined) return value;
  }
  return null;
}

/** The special attributes of `$}domain,attribute{` (T11), answered from the domain's entry. */
function domainAnswer(entry: Entry, domain: string, attribute: string, settings: LdapConfig['domain']): string | null {
  const names = valuesOf(entry, settings.nameAttribute);
  const domainName = names.find((name) => name.toLowerCase() === domain.toLowerCase()) ?? names[0] ?? domain;
  switch (attribute.toLowerCase()) {
    case '_domain_dn_':
      return entry.dn;
    case '_base_dn_':
      // Schema 2 keeps users under the domain entry itself; the DC tree points elsewhere.
      return firstValue(entry, [settings.baseDnAttribute]) ?? entry.dn;
    case '_domain_name_':
      return domainName;
    case '_canonical_name_':
      return firstValue(entry, [settings.canonicalNameAttribute]) ?? domainName;
    default:
      return firstValue(entry, [attribute]);
  }
}

/** Validates a `providers.ldap` section, filling in the defaults. */
export function parseLdapConfig(input: unknown): LdapConfig {
  const result = ldapConfigSchema.safeParse(input);
  if (!result.success) throw new InvalidLdapConfigError(z.prettifyError(result.error));
  return result.data;
}

/**
 * The URL and domain providers of a site's directory (T11), for `compile({ providers })`. Nothing connects
 * until the first lookup. A directory that cannot answer makes the lookup throw, which the engine reports
 * as ProviderUnavailable (T11a); answers are cached, errors never.
 */
export function createLdapProviders(input: LdapConfigInput | LdapConfig, options: LdapProviderOptions = {}): LdapProviders {
  const config = parseLdapConfig(input);
  const folder = options.directory ?? process.cwd();
  const settings = connectionSettings(config, readBindPassword(config, folder, options.env), folder);
  const directory = new Directory(config.url, config.otherServers, settings);
  const cache = new AnswerCache(config.cache.ttlSeconds * 1000, config.cache.maxEntries, options.now);
  const domainAttributes = [config.domain.nameAttribute, config.domain.baseDnAttribute, config.domain.canonicalNameAttribute];

  const url: UrlProvider = (text) => {
    if (!/^ldaps?:/i.test(text)) return null;
    const search = parseLdapUrl(text);
    return cache.answer(`url ${text}`, async () => firstValue(await directory.first(search.server, search), search.attributes));
  };

  const domain: DomainProvider = (name, attribute) => {
    const special = /^_[a-z]+(_[a-z]+)*_$/i.test(attribute);
    if (!special && !ATTRIBUTE_NAME.test(attribute)) throw new LdapUrlError(`"${attribute}" is not an attribute name`);
    const key = `domain ${name.toLowerCase()},${attribute.toLowerCase()}`;
    return cache.answer(key, async () => {
      const entry = await directory.first(null, {
        baseDn: config.domain.baseDn,
        scope: config.domain.scope,
        filter: config.domain.filter.replaceAll('{domain}', ldapQuote(name)),
        attributes: special ? domainAttributes : [...domainAttributes, attribute],
      });
      return entry === null ? null : domainAnswer(entry, name, attribute, config.domain);
    });
  };

  return {
    url,
    domain,
    get cachedAnswers() {
      return cache.size;
    },
    close: () => directory.close(),
  };
}

/** What building a site's providers needs from its configuration: the LDAP section and the folder its files are in. */
export interface SiteProviderSettings {
  ldap?: LdapConfigInput | LdapConfig;
  directory: string;
}

/**
 * The providers `imsmap.config.json` configures (`providers.ldap`), as `compile` options: what `decide`,
 * `test`, `check`, `serve` and the adapters evaluate with. Without an LDAP section there are none. Throws
 * LdapCredentialsError when the bind password cannot be read.
 */
export function configuredProviders(settings: SiteProviderSettings, options: Omit<LdapProviderOptions, 'directory'> = {}): ConfiguredProviders {
  if (settings.ldap === undefined) return noSiteProviders();
  const ldap = createLdapProviders(settings.ldap, { ...options, directory: settings.directory });
  return { compile: { providers: { url: ldap.url, domain: ldap.domain } }, close: () => ldap.close() };
}
