export {
  ldapConfigSchema,
  LdapCredentialsError,
  readBindPassword,
  type LdapConfig,
  type LdapConfigInput,
} from './config.js';
export { LdapUnavailableError } from './directory.js';
export {
  createLdapProviders,
  InvalidLdapConfigError,
  parseLdapConfig,
  type LdapProviderOptions,
  type LdapProviders,
} from './providers.js';
export { LdapUrlError, parseLdapUrl, type LdapSearch } from './url.js';
