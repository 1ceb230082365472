/**
 * imsmap/vitest: matchers for rule tests in a project's own vitest suite. Importing this module
 * registers them:
 *
 *     import 'imsmap/vitest';
 *     expect(set).toMap('PORT_ACCESS', 'TCP|192.0.2.25|25|203.0.113.5|40000', { flags: ['Y'] });
 *     expect(policy).toReject({ stage: 'rcpt', ... }, { code: 550, enhanced: '5.7.1' });
 */
import { expect } from 'vitest';
import { AccessPolicy, type StageInput } from '../access/policy.js';
import { checkDecision, checkMapping, formatDifferences, type Difference } from '../cases/run.js';
import type { DecisionExpectation, MappingExpectation } from '../cases/schema.js';
import { asciiUpper } from '../syntax/case.js';
import type { MappingSet } from '../engine/compile.js';
import { LivePolicy } from './live-policy.js';

/** What `toMap` checks, plus the input flags of the probe. */
export interface MapExpectation extends MappingExpectation {
  /** Input flags tested by `$:x` / `$;x` (T6), e.g. "AE". */
  inputFlags?: string;
}

/** What `toReject` checks besides the rejection itself. */
export type RejectExpectation = Omit<DecisionExpectation, 'action'>;

/** What `toAccept` checks besides the acceptance itself. */
export type AcceptExpectation = Omit<DecisionExpectation, 'action' | 'code' | 'enhanced' | 'text' | 'reply' | 'temporary' | 'closeConnection'>;

declare module 'vitest' {
  interface Matchers<T = any> {
    /** Maps `probe` through `table` and compares the fields given (output, flags, matched, entry, error). */
    toMap(table: string, probe: string, expected?: MapExpectation): void;
    /** Decides the tuple and expects a rejection with the fields given (code, enhanced, text, reply, …). */
    toReject(tuple: StageInput | Record<string, unknown>, expected?: RejectExpectation): void;
    /** Decides the tuple and expects an acceptance with the fields given (srcChannel, delay, info, …). */
    toAccept(tuple: StageInput | Record<string, unknown>, expected?: AcceptExpectation): void;
  }
}

/** A MappingSet, an AccessPolicy or a LivePolicy, as the received value. */
function mappingsOf(received: unknown): MappingSet | undefined {
  if (received instanceof LivePolicy) return received.policy.mappings;
  if (received instanceof AccessPolicy) return received.mappings;
  const candidate = received as Partial<MappingSet> | null;
  return typeof candidate?.mapSync === 'function' && typeof candidate.entries === 'function' ? (candidate as MappingSet) : undefined;
}

function policyOf(received: unknown): AccessPolicy | undefined {
  if (received instanceof LivePolicy) return received.policy;
  return received instanceof AccessPolicy ? received : undefined;
}

interface MatcherOutcome {
  pass: boolean;
  message: () => string;
}

/** The matcher result: passes without differences; the message shows the diff and what happened. */
function outcome(isNot: boolean, claim: string, differences: readonly Difference[], details: readonly string[]): MatcherOutcome {
  const pass = differences.length === 0;
  return {
    pass,
    message: () =>
      isNot
        ? [`expected ${claim} not to hold, but it did`, ...details.map((line) => `  ${line}`)].join('\n')
        : [`expected ${claim}`, ...formatDifferences(differences).map((line) => `  ${line}`), ...details.map((line) => `  ${line}`)].join('\n'),
  };
}

function wrongReceived(what: string, received: unknown): MatcherOutcome {
  return { pass: false, message: () => `expected ${what}, received ${typeof received === 'object' ? String(received?.constructor?.name) : typeof received}` };
}

/** The matchers `imsmap/vitest` registers; exported for `expect.extend` in a custom setup. */
export const imsmapMatchers = {
  toMap(this: { isNot: boolean }, received: unknown, table: string, probe: string, expected: MapExpectation = {}): MatcherOutcome {
    const mappings = mappingsOf(received);
    if (mappings === undefined) return wrongReceived('a MappingSet, AccessPolicy or LivePolicy', received);
    const { inputFlags = '', ...fields } = expected;
    const { differences, details } = checkMapping(mappings, table, probe, inputFlags, fields);
    const flags = inputFlags === '' ? '' : ` with input flags ${inputFlags}`;
    return outcome(this.isNot, `${asciiUpper(table)} to map ${JSON.stringify(probe)}${flags} to ${JSON.stringify(fields)}`, differences, details);
  },

  toReject(this: { isNot: boolean }, received: unknown, tuple: Record<string, unknown>, expected: RejectExpectation = {}): MatcherOutcome {
    const policy = policyOf(received);
    if (policy === undefined) return wrongReceived('an AccessPolicy or LivePolicy', received);
    const { differences, details } = checkDecision(policy, tuple, { action: 'reject', ...expected });
    return outcome(this.isNot, `${String(tuple.stage)} ${JSON.stringify(tuple)} to be rejected with ${JSON.stringify(expected)}`, differences, details);
  },

  toAccept(this: { isNot: boolean }, received: unknown, tuple: Record<string, unknown>, expected: AcceptExpectation = {}): MatcherOutcome {
    const policy = policyOf(received);
    if (policy === undefined) return wrongReceived('an AccessPolicy or LivePolicy', received);
    const { differences, details } = checkDecision(policy, tuple, { action: 'accept', ...expected });
    return outcome(this.isNot, `${String(tuple.stage)} ${JSON.stringify(tuple)} to be accepted with ${JSON.stringify(expected)}`, differences, details);
  },
};

expect.extend(imsmapMatchers);
