import type { MappingSet } from '../engine/compile.js';
import type { MappingResult } from '../engine/types.js';
import { destinationChannel, needsInternalStatus, sourceChannel, type SourceChannelFacts } from './channels.js';
import { combineResults, evaluateTable, type Decision, type EvaluatedTable } from './decision.js';
import {
  fromAccessInputFlags,
  fromAccessProbe,
  internalIpProbe,
  portAccessInputFlags,
  portAccessProbe,
  recipientInputFlags,
  recipientProbe,
  type ConnectionFields,
  type RecipientProbeFields,
} from './probes.js';
import type { ConnectInput, MailInput, RcptInput, ResolvedAccessOptions } from './schemas.js';
import type { RecipientTable } from './tables.js';

/** One table lookup a stage needs: the driver answers with the engine's result, or undefined for an absent table. */
export interface TableLookup {
  table: string;
  probe: string;
  flags: string;
}

/**
 * A stage's logic as a generator over its table lookups. The same generator is driven by `mapSync`
 * (lookUpSync) or by awaited `map` calls (lookUpAsync), so the sync and async APIs cannot drift apart.
 */
export type AccessEvaluation<T> = Generator<TableLookup, T, MappingResult | undefined>;

/** Drives an evaluation with the engine's synchronous calls (M10). */
export function lookUpSync<T>(evaluation: AccessEvaluation<T>, mappings: MappingSet, explain: boolean): T {
  let step = evaluation.next();
  while (!step.done) {
    const { table, probe, flags } = step.value;
    step = evaluation.next(mappings.has(table) ? mappings.mapSync(table, probe, { flags, explain }) : undefined);
  }
  return step.value;
}

/** Drives an evaluation with the engine's asynchronous calls, awaiting providers (M10). */
export async function lookUpAsync<T>(evaluation: AccessEvaluation<T>, mappings: MappingSet, explain: boolean): Promise<T> {
  let step = evaluation.next();
  while (!step.done) {
    const { table, probe, flags } = step.value;
    step = evaluation.next(mappings.has(table) ? await mappings.map(table, probe, { flags, explain }) : undefined);
  }
  return step.value;
}

/** A25: a client is internal iff INTERNAL_IP yields `Y`; an absent table or an error makes nobody internal. */
export function* classifyEvaluation(clientIp: string): AccessEvaluation<boolean> {
  const mapping = yield { table: 'INTERNAL_IP', probe: internalIpProbe(clientIp), flags: '' };
  return mapping !== undefined && mapping.error === undefined && mapping.flags.includes('Y');
}

/** A22 step 1: PORT_ACCESS, with the client's INTERNAL_IP verdict alongside. */
export function* connectEvaluation(input: ConnectInput, options: ResolvedAccessOptions): AccessEvaluation<Decision> {
  const internal = input.internal ?? (yield* classifyEvaluation(input.clientIp));
  const probe = portAccessProbe(input);
  const flags = portAccessInputFlags(input);
  const mapping = yield { table: 'PORT_ACCESS', probe, flags };
  // PORT_ACCESS carries no address information (A1), so its rejection names none.
  return combineResults({ stage: 'connect', internal }, [evaluateTable('PORT_ACCESS', probe, flags, mapping, '')], options);
}

/** A22 step 2: FROM_ACCESS at MAIL FROM. */
export function* mailEvaluation(input: MailInput, options: ResolvedAccessOptions): AccessEvaluation<Decision> {
  const srcChannel = yield* sourceChannelEvaluation(input, options);
  const probe = fromAccessProbe(
    { ...connectionFields(input), srcChannel, from: input.from, authSender: input.authSender },
    options,
  );
  const flags = fromAccessInputFlags({ authenticated: isAuthenticated(input), tls: input.tls });
  const mapping = yield { table: 'FROM_ACCESS', probe, flags };
  return combineResults({ stage: 'mail', srcChannel }, [evaluateTable('FROM_ACCESS', probe, flags, mapping, input.from)], options);
}

/** A22 step 3: the four recipient tables at RCPT TO, the expanded ones once per expanded address. */
export function* rcptEvaluation(input: RcptInput, options: ResolvedAccessOptions): AccessEvaluation<Decision> {
  const srcChannel = yield* sourceChannelEvaluation(input, options);
  const expanded = input.expanded ?? [input.to];
  const connection = connectionFields(input);
  // Built field by field: a spread of an object of unknown shape ahead of the other fields made each later field a slow store.
  const base: RecipientProbeFields = {
    connection: connection.connection,
    helo: connection.helo,
    appInfo: connection.appInfo,
    submitType: connection.submitType,
    srcChannel,
    from: input.from,
    dstChannel: '',
    to: input.to,
    orcpt: input.orcpt,
    rcptIndex: input.rcptIndex,
    acceptedSoFar: input.acceptedSoFar,
    expansionCount: input.expansionCount ?? expanded.length,
    conversionTags: input.conversionTags,
  };
  const destination = (address: string) => destinationChannel(address, input.dstChannel, options.channels);
  const original = { ...base, dstChannel: destination(input.to) };
  const perAddress = expanded.map((recipient) => ({ ...base, recipient, dstChannel: destination(recipient) }));
  const probes: Array<[RecipientTable, RecipientProbeFields]> = [
    ['ORIG_SEND_ACCESS', original],
    ...perAddress.map((fields): [RecipientTable, RecipientProbeFields] => ['SEND_ACCESS', fields]),
    ['ORIG_MAIL_ACCESS', original],
    ...perAddress.map((fields): [RecipientTable, RecipientProbeFields] => ['MAIL_ACCESS', fields]),
  ];
  const facts = { authenticated: isAuthenticated(input), notify: input.notify, esmtp: input.esmtp, lmtp: input.lmtp, tls: input.tls };
  const flags = recipientInputFlags(facts, options.notifyDefaultFlags);
  const evaluated: EvaluatedTable[] = [];
  for (const [table, fields] of probes) {
    const probe = recipientProbe(table, fields, options);
    const mapping = yield { table, probe, flags };
    // A18: the reply names the RCPT TO address, also when an expanded address was rejected.
    evaluated.push(evaluateTable(table, probe, flags, mapping, input.to));
  }
  return combineResults({ stage: 'rcpt', srcChannel, dstChannel: original.dstChannel }, evaluated, options);
}

/** Authentication as given, or as implied by an authenticated sender. */
function isAuthenticated(input: MailInput): boolean {
  return input.authenticated ?? input.authSender !== undefined;
}

/** A24: the source channel, consulting INTERNAL_IP only when the verdict could change it. */
function* sourceChannelEvaluation(input: MailInput, options: ResolvedAccessOptions): AccessEvaluation<string> {
  const facts: SourceChannelFacts = {
    srcChannel: input.srcChannel,
    serverPort: input.serverPort,
    authenticated: isAuthenticated(input),
  };
  let internal = false;
  if (input.clientIp !== undefined && needsInternalStatus(facts, options.channels)) {
    internal = input.internal ?? (yield* classifyEvaluation(input.clientIp));
  }
  return sourceChannel(facts, internal, options.channels);
}

/** The connection part of a MAIL FROM or RCPT TO tuple; the schema guarantees all four fields or none (A10). */
function connectionFields(input: MailInput): ConnectionFields {
  const fields: ConnectionFields = { helo: input.helo, appInfo: input.appInfo, submitType: input.submitType };
  if (input.serverIp !== undefined) {
    fields.connection = {
      serverIp: input.serverIp,
      serverPort: input.serverPort!,
      clientIp: input.clientIp!,
      clientPort: input.clientPort!,
    };
  }
  return fields;
}
