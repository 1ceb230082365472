// Alone in this module so that the CLI's option list can name the default without loading the server.

/** PD6: where the server listens unless told otherwise. */
export const DEFAULT_POLICY_ENDPOINT = 'inet:127.0.0.1:10040';
