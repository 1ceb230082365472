/**
 * The Postfix policy-delegation server (policy.md PD1–PD8): `PolicyServer` listens and answers Postfix's
 * `check_policy_service` requests from the access tables; `PolicyConversation` answers the requests of
 * one connection for a host that runs its own sockets.
 */
export { postfixAction, replyAction, REQUEST_ERROR_ACTION, type AcceptAction } from './actions.js';
export { readPolicyRequest, type PolicyRequest, type PolicyStage, type RequestDefaults } from './attributes.js';
export { PolicyConversation, type ConversationSettings, type PolicyAnswer, type PolicySource } from './conversation.js';
export { MAX_REQUEST_BYTES, PolicyRequestReader, type FramedRequest } from './protocol.js';
export {
  DEFAULT_POLICY_ENDPOINT,
  formatPolicyEndpoint,
  parsePolicyEndpoint,
  PolicyServer,
  policyServerSettingsSchema,
  type PolicyEndpoint,
  type PolicyServerEvent,
  type PolicyServerOptions,
  type PolicyServerSettings,
} from './server.js';
