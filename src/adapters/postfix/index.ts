/**
 * The Postfix policy-delegation server (policy.md PD1–PD8): `PolicyServer` listens and answers Postfix's
 * `check_policy_service` requests from the access tables; a host that runs its own sockets frames the
 * bytes with `PolicyRequestReader` and answers them with one `PolicyConversation` per connection.
 */
export { postfixAction, type AcceptAction } from './actions.js';
export type { PolicyStage } from './attributes.js';
export { PolicyConversation, type ConversationSettings, type PolicyAnswer, type PolicySource } from './conversation.js';
export { PolicyRequestReader, type FramedRequest } from './protocol.js';
export {
  DEFAULT_POLICY_ENDPOINT,
  formatPolicyEndpoint,
  parsePolicyEndpoint,
  PolicyServer,
  type PolicyEndpoint,
  type PolicyServerEvent,
  type PolicyServerOptions,
  type PolicyServerSettings,
} from './server.js';
