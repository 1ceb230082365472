/** PD6: where the server listens unless told otherwise; alone here so that the CLI's option list can name it without loading the server. */
export const DEFAULT_POLICY_ENDPOINT = 'inet:127.0.0.1:10040';
