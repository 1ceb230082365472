/**
 * `imsmap/providers`: ready-made providers for compile's `providers` option (format.md T9–T11) — the
 * general database, sequence files, and the LDAP directory for `$]…[` and `$}…{` lookups.
 */
export type {
  DatabaseProvider,
  DomainProvider,
  LookupContext,
  MaybePromise,
  Routine,
  SequenceProvider,
  UrlProvider,
} from '../engine/options.js';
export { createGeneralDatabase, formatSequenceValue, memorySequence, parseGeneralDatabase, type GeneralDatabase } from '../engine/providers.js';
export { fileSequence, loadGeneralDatabase } from '../engine/node.js';
export { ldapQuote } from '../engine/expand.js';
export { ldapConfigSchema, type LdapConfig, type LdapConfigInput } from '../ldap/config.js';
export { LdapCredentialsError, readBindPassword } from '../ldap/credentials.js';
export { LdapUnavailableError } from '../ldap/directory.js';
export type { ConfiguredProviders } from '../ldap/configured.js';
export {
  configuredProviders,
  createLdapProviders,
  InvalidLdapConfigError,
  parseLdapConfig,
  type LdapProviderOptions,
  type LdapProviders,
  type SiteProviderSettings,
} from '../ldap/providers.js';
export { LdapUrlError, parseLdapUrl, type LdapSearch } from '../ldap/url.js';
