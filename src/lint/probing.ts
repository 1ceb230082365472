import type { Decision, TableResult } from '../access/decision.js';
import { AccessPolicy } from '../access/policy.js';
import { formatReply } from '../access/reading.js';
import { TupleError, type ChannelConfig, type RcptInput } from '../access/schemas.js';
import type { EntryRef } from '../engine/types.js';
import type { LintContext } from './context.js';
import { templateNodes } from './templates.js';

/**
 * The parties of the probes the relay checks send: documentation addresses (RFC 5737) and domains
 * (RFC 2606), so that no real site's entries single them out.
 */
export const PROBE = {
  serverIp: '192.0.2.25',
  externalClient: '198.51.100.7',
  loopbackClient: '127.0.0.1',
  clientPort: 40312,
  helo: 'probe.example.net',
  from: 'probe@example.net',
  outsideRecipient: 'relay-test@example.org',
  /** A24: a recipient without `@` goes to the local delivery channel. */
  localRecipient: 'postmaster',
} as const;

/** An access policy over the file's compiled tables with the configured channel model (A24). */
export function policyFor(context: LintContext, channels: ChannelConfig): AccessPolicy {
  const policy = AccessPolicy.create(context.mappings, { channels });
  // The channel model was validated with the same schema when the configuration was read.
  if (policy instanceof TupleError) throw policy;
  return policy;
}

/** The RCPT TO tuple of an external, unauthenticated client relaying tcp_local → tcp_local (A24). */
export function relayTuple(channels: ChannelConfig): RcptInput {
  return {
    serverIp: PROBE.serverIp,
    serverPort: 25,
    clientIp: PROBE.externalClient,
    clientPort: PROBE.clientPort,
    helo: PROBE.helo,
    esmtp: true,
    from: PROBE.from,
    to: PROBE.outsideRecipient,
    srcChannel: channels.local,
    dstChannel: channels.local,
  };
}

/**
 * What a set of decisions rests on that the linter cannot evaluate: routines, external lookups and
 * random conditions in the entries their traces went through (T10, T11, T6). The engine ran them
 * without providers, so a decision that touched one says nothing certain about the site.
 */
export function unknowns(context: LintContext, decisions: readonly Decision[]): string[] {
  const found = new Set<string>();
  for (const decision of decisions) {
    for (const result of decision.results) {
      for (const step of result.mapping?.trace ?? []) {
        for (const node of templateNodes(context.entry(step.entry)?.templateNodes ?? [])) {
          if (node.kind === 'routine') found.add(`routine ${node.routine}`);
          else if (node.kind === 'database') found.add('a general-database lookup');
          else if (node.kind === 'url') found.add('a URL lookup');
          else if (node.kind === 'domain') found.add('a domain lookup');
          else if (node.kind === 'sequence') found.add('a sequence number');
          else if (node.kind === 'random') found.add('a random condition');
        }
      }
    }
  }
  return [...found];
}

/**
 * `TABLE entry at file:19`, the way reports name an entry: by its place, since an entry number would
 * skip the entries dropped for errors.
 */
export function describeEntry(ref: EntryRef): string {
  return `${ref.table} entry at ${ref.file}:${ref.line}`;
}

/** One table's part in a decision, in plain words (A17). */
export function describeTableResult(result: TableResult): string {
  const entry = result.mapping?.entry;
  const at = entry ? `the entry at ${entry.file}:${entry.line}` : 'an entry';
  switch (result.outcome) {
    case 'absent':
      return `${result.table} is not defined`;
    case 'nomatch':
      return `${result.table}: no entry matches`;
    case 'neutral':
      return `${result.table}: ${at} matches without $Y or $N`;
    case 'permit':
      return `${result.table}: ${at} permits it`;
    case 'reject':
      return `${result.table}: ${at} refuses it`;
    case 'error':
      return `${result.table}: evaluation error (${result.mapping?.error?.code ?? 'unknown'})`;
  }
}

/** A stage's decision in plain words: accepted, or refused by which entry with which reply. */
export function describeDecision(decision: Decision): string {
  if (decision.action === 'accept') {
    const permitting = decision.results.find((result) => result.outcome === 'permit')?.mapping?.entry;
    if (permitting) return `accepted (${describeEntry(permitting)} permits it)`;
    return decision.results.every((result) => result.outcome === 'absent')
      ? 'accepted (no table of this stage is defined)'
      : 'accepted (no table refuses it)';
  }
  const refusing = decision.results.find((result) => result.outcome === 'reject' || result.outcome === 'error');
  const entry = refusing?.mapping?.entry;
  const reply = decision.reply ? `: ${formatReply(decision.reply).join(' / ')}` : '';
  return `refused${entry ? ` by ${describeEntry(entry)}` : ''}${reply}`;
}
