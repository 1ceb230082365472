import type { CompileOptions } from '../engine/options.js';

// Apart from the providers themselves (zod, ldapts), so that a command run without a configuration file
// can evaluate with none and load neither.

/** The engine options a site's configuration asks for, and how to close the connections they open. */
export interface ConfiguredProviders {
  compile: CompileOptions;
  close(): void;
}

/** What a site without a `providers.ldap` section evaluates with: no providers, nothing to close. */
export function noSiteProviders(): ConfiguredProviders {
  return { compile: {}, close: () => undefined };
}
