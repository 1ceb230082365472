/**
 * What the main entry exports of the adapters stage: hot reload (LivePolicy), per-entry hit counters
 * and the host-neutral SMTP gate the MTA adapters build on. The adapters themselves are package
 * subpaths with their own peer dependencies: imsmap/smtp-server, imsmap/haraka, imsmap/vitest.
 */
export {
  LivePolicy,
  PolicyLoadError,
  type LiveHitReport,
  type LivePolicyOptions,
  type PolicyGeneration,
  type PolicyWatch,
  type ReloadResult,
  type WatchOptions,
} from './live-policy.js';
export { HitCounter, type EntryHits, type HitReport } from '../engine/hit-counter.js';
export {
  GateSession,
  SmtpGate,
  type ConnectionEndpoints,
  type DialogueState,
  type EnforcementMode,
  type GateEvent,
  type GateLogger,
  type GateOptions,
  type GateVerdict,
} from './gate.js';
export * from './postfix/index.js';
