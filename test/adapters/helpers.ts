import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { TupleError, type AccessOptions, type Decision } from '../../src/access/index.js';
import type { GateEvent, GateLogger } from '../../src/adapters/gate.js';
import { LivePolicy, PolicyLoadError, type LivePolicyOptions } from '../../src/adapters/live-policy.js';

/** The two-tier scenario of issue 4 (the MTA behind a NAT firewall). */
export const TWO_TIER = fileURLToPath(new URL('../../fixtures/two-tier/mappings', import.meta.url));
/** Replies, delays and input flags the two-tier file does not exercise. */
export const REPLIES = fileURLToPath(new URL('./fixtures/replies.mappings', import.meta.url));
/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** examples.md conventions: corp.example is the local domain. */
export const ACCESS_OPTIONS: AccessOptions = { channels: { localDomains: ['corp.example'] } };

// Loopback addresses: Linux routes all of 127.0.0.0/8 to lo, so a client can choose its source address.
// In the two-tier file 127.0.0.1 is internal and any other 127.x address is an Internet client.
export const INTERNAL_CLIENT = '127.0.0.1';
export const EXTERNAL_CLIENT = '127.0.0.5';
/** replies.mappings refuses this client at connect with a two-line 421 reply. */
export const BUSY_CLIENT = '127.0.0.9';

/** A LivePolicy that must load. */
export function livePolicy(file: string, options: LivePolicyOptions = {}): LivePolicy {
  const policy = LivePolicy.load(file, { access: ACCESS_OPTIONS, ...options });
  if (policy instanceof PolicyLoadError) throw policy;
  return policy;
}

/** A logger that keeps what it was told, and the adapters' decision events. */
export function recorder(): { logger: GateLogger; warnings: string[]; infos: string[]; events: GateEvent[]; onDecision: (event: GateEvent) => void } {
  const warnings: string[] = [];
  const infos: string[] = [];
  const events: GateEvent[] = [];
  return {
    logger: { info: (message) => infos.push(message), warn: (message) => warnings.push(message) },
    warnings,
    infos,
    events,
    onDecision: (event) => events.push(event),
  };
}

/** A temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix: string): { directory: string; remove: () => void } {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A fresh directory removed when the current test finishes. */
export function testDirectory(prefix: string): string {
  const { directory, remove } = temporaryDirectory(prefix);
  onTestFinished(remove);
  return directory;
}

/** The decision of a tuple the test knows to be valid; a TupleError fails the test. */
export function decided(result: Decision | TupleError): Decision {
  if (result instanceof TupleError) throw result;
  return result;
}
