import * as z from 'zod';

const serverUrl = z
  .string()
  .regex(/^ldaps?:\/\/[^/?]+\/?$/i, { error: 'must be ldap://host:port or ldaps://host:port' })
  .transform((url) => url.replace(/\/$/, '').toLowerCase());

/** The `providers.ldap` section of `imsmap.config.json`: the directory the `$]…[` and `$}…{` lookups ask. */
export const ldapConfigSchema = z.strictObject({
  /** The default server, used by `ldap:///…` URLs and the domain lookups: `ldap://host:port` or `ldaps://…`. */
  url: serverUrl,
  /** Other servers a URL may name; a URL naming any server not listed here is refused (no surprise connections). */
  otherServers: z.array(serverUrl).default([]),
  /** Upgrade `ldap://` connections with StartTLS before binding. */
  startTls: z.boolean().default(false),
  tls: z
    .strictObject({
      /** PEM file of the certificate authorities to trust instead of the system's. */
      caFile: z.string().min(1).optional(),
      /** Verify the server's certificate (default true); turn off only for tests. */
      rejectUnauthorized: z.boolean().default(true),
    })
    .prefault({}),
  /** Simple bind; anonymous without it. The password comes from a file or an environment variable, never the command line. */
  bind: z
    .strictObject({
      dn: z.string().min(1),
      passwordFile: z.string().min(1).optional(),
      passwordEnv: z.string().min(1).optional(),
    })
    .refine((bind) => (bind.passwordFile === undefined) !== (bind.passwordEnv === undefined), {
      error: 'needs exactly one of passwordFile and passwordEnv',
    })
    .optional(),
  /** Milliseconds one lookup may take, connecting and binding included; past it the directory cannot answer (T11a). */
  timeoutMs: z.number().int().positive().max(600_000).default(5_000),
  /** Connections kept open to each server. */
  poolSize: z.number().int().min(1).max(64).default(4),
  /** Answers (hits and "absent") are kept this long and this many; errors never (T11a). `ttlSeconds: 0` turns caching off. */
  cache: z
    .strictObject({
      ttlSeconds: z.number().min(0).max(86_400).default(60),
      maxEntries: z.number().int().min(1).max(10_000_000).default(10_000),
    })
    .prefault({}),
  /** How `$}domain,attribute{` finds a domain's entry: defaults for the Sun/Oracle DC-tree schema. */
  domain: z
    .strictObject({
      /** The root of the DC tree. */
      baseDn: z.string().default('o=internet'),
      /** `{domain}` stands for the domain, LDAP-quoted. */
      filter: z
        .string()
        .refine((filter) => filter.includes('{domain}'), { error: 'must contain {domain}' })
        .default('(|(associatedDomain={domain})(sunPreferredDomain={domain}))'),
      scope: z.enum(['one', 'sub']).default('sub'),
      /** The attribute naming the domain's user and group tree (`_base_dn_`); the domain entry itself when absent. */
      baseDnAttribute: z.string().default('inetDomainBaseDN'),
      /** The attribute holding the domain's canonical name (`_canonical_name_`). */
      canonicalNameAttribute: z.string().default('sunPreferredDomain'),
      /** The attribute holding the domain's names (`_domain_name_`). */
      nameAttribute: z.string().default('associatedDomain'),
    })
    .prefault({}),
});

/** The `providers.ldap` section as given (defaults optional). */
export type LdapConfigInput = z.input<typeof ldapConfigSchema>;

/** The `providers.ldap` section with every default filled in. */
export type LdapConfig = z.output<typeof ldapConfigSchema>;
