export { ldapConfigSchema, type LdapConfig, type LdapConfigInput } from './config.js';
export type { ConfiguredProviders } from './configured.js';
export { LdapCredentialsError, readBindPassword } from './credentials.js';
export { LdapUnavailableError } from './directory.js';
export {
  configuredProviders,
  createLdapProviders,
  InvalidLdapConfigError,
  parseLdapConfig,
  type LdapProviderOptions,
  type LdapProviders,
  type SiteProviderSettings,
} from './providers.js';
export { LdapUrlError, parseLdapUrl, type LdapSearch } from './url.js';
