export {
  ldapConfigSchema,
  LdapCredentialsError,
  readBindPassword,
  type LdapConfig,
  type LdapConfigInput,
} from './config.js';
export { LdapUnavailableError } from './directory.js';
export {
  configuredProviders,
  createLdapProviders,
  InvalidLdapConfigError,
  parseLdapConfig,
  type LdapProviderOptions,
  type ConfiguredProviders,
  type LdapProviders,
  type SiteProviderSettings,
} from './providers.js';
export { LdapUrlError, parseLdapUrl, type LdapSearch } from './url.js';
