import { isDeepStrictEqual } from 'node:util';
import type { Decision } from '../access/decision.js';
import { tableVerdict } from '../access/reading.js';
import type { ChannelConfig } from '../access/schemas.js';
import type { EntryRef, MappingResult } from '../engine/types.js';
import type { AuditCheck } from '../lint/audit.js';
import { describeDecision } from '../lint/probing.js';

/** How a difference bears on the site's safety: more let through (weaker), less (stronger), or neither. */
export type Safety = 'weaker' | 'stronger' | 'other';

/** One field that differs, with its value in each version. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/** One version's answer to a probe: in words, and the entry that decided it. */
export interface Answer {
  summary: string;
  entry?: EntryRef;
}

/** How two answers differ: the fields, the safety class and the reason for it. */
export interface Comparison {
  fields: FieldChange[];
  safety: Safety;
  reason: string;
  old: Answer;
  new: Answer;
}

function changedFields(oldFacts: Record<string, unknown>, newFacts: Record<string, unknown>): FieldChange[] {
  return Object.keys(oldFacts)
    .filter((field) => !isDeepStrictEqual(oldFacts[field], newFacts[field]))
    .map((field) => ({ field, old: oldFacts[field], new: newFacts[field] }));
}

/** What a mapping result says, for comparison (M1); undefined stands for a table the version does not have. */
function mappingFacts(result: MappingResult | undefined): Record<string, unknown> {
  if (result === undefined) return { defined: false, matched: false, output: null, flags: [], error: null };
  return { defined: true, matched: result.matched, output: result.output, flags: result.flags, error: result.error?.code ?? null };
}

function mappingAnswer(result: MappingResult | undefined): Answer {
  if (result === undefined) return { summary: 'table not defined' };
  let summary: string;
  if (result.error) summary = `evaluation error ${result.error.code}`;
  else if (!result.matched) summary = 'no entry matches';
  else summary = `${JSON.stringify(result.output)}${result.flags.length > 0 ? ` flags ${result.flags.join('')}` : ''}`;
  return result.entry ? { summary, entry: result.entry } : { summary };
}

/** A17: whether an access table's result refuses (an evaluation error refuses too, A29). */
function refuses(result: MappingResult | undefined): boolean {
  const outcome = tableVerdict(result);
  return outcome === 'reject' || outcome === 'error';
}

/** A25: whether INTERNAL_IP's result makes the client internal. */
function internalBy(result: MappingResult | undefined): boolean {
  return result !== undefined && result.error === undefined && result.flags.includes('Y');
}

/**
 * Two versions' results of one table for one input; null when they agree. In INTERNAL_IP a client
 * that becomes internal is weaker (A25: internal clients skip the anti-relay entries); in the other
 * access tables a result that stops refusing is weaker (A17).
 */
export function compareMappings(table: string, oldResult: MappingResult | undefined, newResult: MappingResult | undefined): Comparison | null {
  const fields = changedFields(mappingFacts(oldResult), mappingFacts(newResult));
  if (fields.length === 0) return null;
  const comparison = { fields, old: mappingAnswer(oldResult), new: mappingAnswer(newResult) };
  if (table === 'INTERNAL_IP') {
    const [before, now] = [internalBy(oldResult), internalBy(newResult)];
    if (before !== now) return { ...comparison, safety: now ? 'weaker' : 'stronger', reason: now ? 'internal now, external before' : 'external now, internal before' };
  } else if (table.endsWith('_ACCESS')) {
    const [before, now] = [refuses(oldResult), refuses(newResult)];
    if (before !== now) return { ...comparison, safety: now ? 'stronger' : 'weaker', reason: now ? `${table} refuses it now` : `${table} no longer refuses it` };
  }
  return { ...comparison, safety: 'other', reason: 'a different result' };
}

/** The entry whose result decided a stage (A22): the refusing one, else the permitting one, else the first that matched. */
export function decidingEntry(decision: Decision): EntryRef | undefined {
  const by = (outcomes: readonly string[]) => decision.results.find((result) => outcomes.includes(result.outcome))?.mapping?.entry;
  return by(['reject', 'error']) ?? by(['permit']) ?? by(['neutral']);
}

/** What a decision says, for comparison: verdict, reply code and text, delay, flags (A28). */
function decisionFacts(decision: Decision): Record<string, unknown> {
  const answering = decision.results.find((result) => result.outcome === 'reject' || result.outcome === 'error') ?? decision.results.find((result) => result.mapping?.matched);
  return {
    action: decision.action,
    code: decision.reply?.code ?? null,
    enhanced: decision.reply?.enhanced ?? null,
    text: decision.reply?.lines ?? null,
    delay: decision.delay ?? null,
    flags: answering?.mapping?.flags ?? [],
    actions: decision.actions,
    internal: decision.internal ?? null,
    srcChannel: decision.srcChannel ?? null,
    dstChannel: decision.dstChannel ?? null,
    info: decision.info ?? null,
  };
}

function decisionAnswer(decision: Decision): Answer {
  const entry = decidingEntry(decision);
  return entry ? { summary: describeDecision(decision), entry } : { summary: describeDecision(decision) };
}

/** A RCPT TO accepted for the outgoing channel from a client that is neither internal nor authenticated: a relay (A24). */
function relays(decision: Decision, channels: ChannelConfig): boolean {
  return decision.stage === 'rcpt' && decision.action === 'accept' && decision.srcChannel === channels.local && decision.dstChannel === channels.local;
}

/** Two versions' decisions of one tuple; null when they agree. Accepting what was refused, or calling a client internal, is weaker. */
export function compareDecisions(oldDecision: Decision, newDecision: Decision, channels: ChannelConfig): Comparison | null {
  const fields = changedFields(decisionFacts(oldDecision), decisionFacts(newDecision));
  if (fields.length === 0) return null;
  const comparison = { fields, old: decisionAnswer(oldDecision), new: decisionAnswer(newDecision) };
  if (oldDecision.action !== newDecision.action) {
    if (newDecision.action === 'reject') return { ...comparison, safety: 'stronger', reason: 'refused now, accepted before' };
    return { ...comparison, safety: 'weaker', reason: relays(newDecision, channels) ? 'relay now possible' : 'accepted now, refused before' };
  }
  if (oldDecision.internal !== newDecision.internal && newDecision.internal !== undefined) {
    return newDecision.internal
      ? { ...comparison, safety: 'weaker', reason: 'internal now for a client that was external' }
      : { ...comparison, safety: 'stronger', reason: 'external now for a client that was internal' };
  }
  return { ...comparison, safety: 'other', reason: 'a different reply' };
}

function checkAnswer(check: AuditCheck): Answer {
  const last = check.stages.at(-1)!;
  const summary = `${check.delivered ? 'delivered' : 'refused'}${check.internal ? ' (client internal)' : ''}: ${last.stage}: ${last.summary}`;
  const entry = decidingEntry(last.decision);
  return entry ? { summary, entry } : { summary };
}

/** Two versions' runs of one audit check; null when they agree. A relay check now delivered is weaker. */
export function compareChecks(oldCheck: AuditCheck, newCheck: AuditCheck): Comparison | null {
  // The battery stops at the first refusal, so the last stage is the one that answered.
  const facts = (check: AuditCheck) => ({
    delivered: check.delivered,
    internal: check.internal,
    stage: check.stages.at(-1)!.stage,
    ...decisionFacts(check.stages.at(-1)!.decision),
  });
  const fields = changedFields(facts(oldCheck), facts(newCheck));
  if (fields.length === 0) return null;
  const comparison = { fields, old: checkAnswer(oldCheck), new: checkAnswer(newCheck) };
  if (oldCheck.delivered !== newCheck.delivered) {
    if (!newCheck.delivered) return { ...comparison, safety: 'stronger', reason: 'refused now, delivered before' };
    const relay = newCheck.recipient.includes('@') && !newCheck.authenticated;
    return { ...comparison, safety: 'weaker', reason: relay ? 'relay now possible' : 'delivered now, refused before' };
  }
  if (oldCheck.internal !== newCheck.internal) {
    return newCheck.internal
      ? { ...comparison, safety: 'weaker', reason: 'internal now for a client that was external' }
      : { ...comparison, safety: 'stronger', reason: 'external now for a client that was internal' };
  }
  return { ...comparison, safety: 'other', reason: 'a different reply' };
}
