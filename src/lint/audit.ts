import ipaddr from 'ipaddr.js';
import { resolve } from 'pathe';
import type { Decision } from '../access/decision.js';
import type { AccessPolicy } from '../access/policy.js';
import { internalIpProbe } from '../access/probes.js';
import { TupleError, type ChannelConfig } from '../access/schemas.js';
import type { EntryRef } from '../engine/types.js';
import type { ParsedMappings, PatternItem } from '../syntax/ast.js';
import { addressText, isValidIpAddress, lastAddress } from '../syntax/ip.js';
import { defaultLintConfig } from './config.js';
import { LintContext } from './context.js';
import { sampleInput } from './pattern-inclusion.js';
import { describeDecision, describeEntry, policyFor, PROBE, unknowns } from './probing.js';
import { alwaysEnds, flagsSet } from './templates.js';

/** Options of {@link auditMappings}. */
export interface AuditOptions {
  /** The channel model (A24); default: the product's default channels. */
  channels?: ChannelConfig;
  /** An address that fronts all inbound traffic (a NAT firewall, a filtering appliance). */
  gateway?: string;
}

/** One SMTP stage of a check, in plain words. */
export interface AuditStage {
  stage: Decision['stage'];
  accepted: boolean;
  summary: string;
  decision: Decision;
}

/** One tuple of the battery: who connects where, and how far the transaction gets. */
export interface AuditCheck extends CheckPlan {
  /** A25: INTERNAL_IP's verdict on the client. */
  internal: boolean;
  srcChannel?: string;
  dstChannel?: string;
  stages: AuditStage[];
  /** Every stage accepted: the message would be taken for delivery. */
  delivered: boolean;
  /** Routines, lookups and random conditions the outcome rests on, which the audit cannot evaluate. */
  unknowns: string[];
}

/** An INTERNAL_IP entry that gives `$Y` (A25). */
export interface InternalEntry {
  pattern: string;
  file: string;
  line: number;
  /** False when an earlier entry always pre-empts it (M2). */
  reachable: boolean;
  /** True when its template can fail or continue, so it gives `$Y` only sometimes. */
  conditional: boolean;
}

/** What the audit found, in data and in plain sentences. */
export interface AuditReport {
  /** `unknown` when the deciding checks rest on something the audit cannot evaluate. */
  openRelay: 'yes' | 'no' | 'unknown';
  /** The check that proves the open relay. */
  relayProof?: AuditCheck;
  gateway?: { address: string; internal: boolean; entry?: EntryRef };
  internalEntries: InternalEntry[];
  checks: AuditCheck[];
  /** The findings as sentences, most important first. */
  summary: string[];
}

/** What one check sends. */
export interface CheckPlan {
  id: string;
  description: string;
  client: string;
  port: number;
  authenticated: boolean;
  recipient: string;
}

/** The checks whose delivery to an outside address means an open relay. */
const RELAY_CHECKS = new Set(['external-relay', 'gateway-relay']);

/** Runs connect, MAIL FROM and RCPT TO for one plan, stopping at the first refusal. */
function runCheck(context: LintContext, policy: AccessPolicy, plan: CheckPlan): AuditCheck {
  const connection = { serverIp: PROBE.serverIp, serverPort: plan.port, clientIp: plan.client, clientPort: PROBE.clientPort };
  const session = {
    helo: PROBE.helo,
    esmtp: true,
    ...(plan.authenticated ? { authenticated: true, authSender: PROBE.from } : {}),
  };
  const decisions: Decision[] = [];
  const stages: AuditStage[] = [];
  const record = (decision: Decision | TupleError): boolean => {
    // The tuples are built here from validated parts; a TupleError would be a bug of this module.
    if (decision instanceof TupleError) throw decision;
    decisions.push(decision);
    stages.push({ stage: decision.stage, accepted: decision.action === 'accept', summary: describeDecision(decision), decision });
    return decision.action === 'accept';
  };
  const connect = policy.connect({ ...connection, ...session });
  const internal = !(connect instanceof TupleError) && connect.internal === true;
  const envelope = { ...connection, ...session, internal, from: PROBE.from };
  const delivered =
    record(connect) && record(policy.mailFrom(envelope)) && record(policy.rcptTo({ ...envelope, to: plan.recipient }));
  const last = decisions[decisions.length - 1]!;
  const check: AuditCheck = { ...plan, internal, stages, delivered, unknowns: unknowns(context, decisions) };
  if (last.srcChannel !== undefined) check.srcChannel = last.srcChannel;
  if (last.dstChannel !== undefined) check.dstChannel = last.dstChannel;
  return check;
}

/** A25: the INTERNAL_IP entries that give `$Y`, and an address each stands for when it has one. */
function internalEntries(context: LintContext): Array<InternalEntry & { samples: string[] }> {
  return (context.table('INTERNAL_IP')?.entries ?? [])
    .filter((entry) => flagsSet(entry).has('Y'))
    .map((entry) => {
      const samples = representativeAddresses(entry.patternItems);
      return {
        pattern: entry.pattern,
        file: entry.patternSpan.file,
        line: entry.patternSpan.line,
        reachable: context.preemption(entry) === undefined,
        conditional: !alwaysEnds(entry),
        samples,
      };
    });
}

/**
 * Addresses a pattern stands for, to try as clients: the first and the last host of a subnet (never
 * its network or broadcast address) for a lone IP construct, the text itself for a literal address.
 */
function representativeAddresses(items: readonly PatternItem[]): string[] {
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.kind === 'ip') {
    const bits = only.network.length * 8;
    if (only.prefixLength >= bits - 1) return [addressText(only.network)];
    const first = [...only.network];
    first[first.length - 1] += 1;
    const last = lastAddress(only.network, only.prefixLength);
    last[last.length - 1] -= 1;
    return [first, last].map((bytes) => addressText(bytes));
  }
  const sample = sampleInput(items);
  return isValidIpAddress(sample) ? [sample] : [];
}

/** The battery of access.md A24's cases: external, internal, authenticated, submission, loopback, gateway. */
function plans(internalClient: string | null, channels: ChannelConfig, gateway: string | undefined): CheckPlan[] {
  const external = PROBE.externalClient;
  const outside = PROBE.outsideRecipient;
  const list: CheckPlan[] = [
    { id: 'external-relay', description: 'an external client on port 25 without AUTH, to an outside address', client: external, port: 25, authenticated: false, recipient: outside },
    { id: 'external-local', description: 'an external client on port 25 without AUTH, to a local user', client: external, port: 25, authenticated: false, recipient: PROBE.localRecipient },
    { id: 'authenticated-relay', description: 'an external client on port 25 after AUTH, to an outside address', client: external, port: 25, authenticated: true, recipient: outside },
  ];
  for (const port of channels.submitPorts) {
    list.push(
      { id: `submit-${port}`, description: `an external client on submission port ${port} without AUTH, to an outside address`, client: external, port, authenticated: false, recipient: outside },
      { id: `submit-${port}-auth`, description: `an external client on submission port ${port} after AUTH, to an outside address`, client: external, port, authenticated: true, recipient: outside },
    );
  }
  if (internalClient !== null) {
    list.push({ id: 'internal-relay', description: `an internal client (${internalClient}) on port 25, to an outside address`, client: internalClient, port: 25, authenticated: false, recipient: outside });
  }
  list.push({ id: 'loopback-relay', description: 'a loopback client on port 25, to an outside address', client: PROBE.loopbackClient, port: 25, authenticated: false, recipient: outside });
  if (gateway !== undefined) {
    list.push({ id: 'gateway-relay', description: `a client coming through the gateway ${gateway} on port 25 without AUTH, to an outside address`, client: gateway, port: 25, authenticated: false, recipient: outside });
  }
  return list;
}

function stagesInWords(check: AuditCheck): string {
  return check.stages.map((stage) => `${stage.stage}: ${stage.summary}`).join('; ');
}

function route(check: AuditCheck): string {
  return check.srcChannel && check.dstChannel ? ` (${check.srcChannel} → ${check.dstChannel})` : '';
}

/** The sentence for the open-relay verdict. */
function relaySentence(openRelay: AuditReport['openRelay'], proof: AuditCheck | undefined, relayChecks: AuditCheck[]): string {
  if (openRelay === 'yes') return `OPEN RELAY: ${proof!.description} is accepted${route(proof!)} — ${stagesInWords(proof!)}.`;
  if (openRelay === 'unknown') {
    const resting = [...new Set(relayChecks.flatMap((check) => check.unknowns))].join(', ');
    return `Open relay: cannot tell — the relay checks depend on ${resting}, which the audit cannot evaluate (it assumes they fail).`;
  }
  return `Not an open relay: ${relayChecks.map((check) => `${check.description} is refused (${outcome(check)})`).join('; ')}.`;
}

/** How a check ended, in plain words, with what it rests on when the audit cannot evaluate that. */
function outcome(check: AuditCheck): string {
  const last = check.stages.at(-1)!;
  const resting = check.unknowns.length > 0 ? `; depends on ${check.unknowns.join(', ')}` : '';
  return `${last.stage}: ${last.summary}${resting}`;
}

/** Who may send what without AUTH, per port, in plain words. */
function submissionSentences(checks: AuditCheck[], channels: ChannelConfig): string[] {
  const byId = new Map(checks.map((check) => [check.id, check]));
  const local = byId.get('external-local')!;
  const relay = byId.get('external-relay')!;
  const sentences = [
    local.stages.length === 1 && relay.stages.length === 1
      ? `Port 25 without AUTH: external clients are refused at connect (${outcome(relay)}).`
      : `Port 25 without AUTH: external clients ${local.delivered ? 'may' : 'may not'} send to local users (${outcome(local)}) and ${relay.delivered ? 'may' : 'may not'} relay to outside addresses (${outcome(relay)}).`,
  ];
  for (const port of channels.submitPorts) {
    const check = byId.get(`submit-${port}`)!;
    sentences.push(
      check.delivered
        ? `Port ${port} without AUTH: the mappings accept relaying${route(check)}; the ${channels.submit} channel is mustsaslserver (access.md A24), so the MTA itself demands AUTH there.`
        : `Port ${port} without AUTH: refused (${outcome(check)}).`,
    );
  }
  return sentences;
}

function internalSentence(entries: InternalEntry[]): string {
  if (entries.length === 0) return 'Internal clients: none (INTERNAL_IP gives $Y to no one).';
  const listed = entries.map((entry) => {
    const notes = [!entry.reachable && 'never reached', entry.conditional && 'conditional'].filter(Boolean);
    return `${entry.pattern} (line ${entry.line}${notes.length > 0 ? `, ${notes.join(', ')}` : ''})`;
  });
  return `Internal clients (INTERNAL_IP gives $Y): ${listed.join(', ')}; every other client is external.`;
}

/** The lint context and access policy the audit's checks run against. */
function auditSetup(parsed: ParsedMappings, givenChannels: ChannelConfig | undefined) {
  const base = defaultLintConfig(resolve());
  const channels = givenChannels ?? base.channels;
  const context = new LintContext(parsed, { ...base, channels });
  return { context, policy: policyFor(context, channels), channels };
}

/** Runs given checks of the battery against a file: how `imsmap diff` runs one version's battery on the other. */
export function runAuditChecks(parsed: ParsedMappings, plans: readonly CheckPlan[], channels?: ChannelConfig): AuditCheck[] {
  const { context, policy } = auditSetup(parsed, channels);
  return plans.map((plan) => runCheck(context, policy, plan));
}

/**
 * Runs a standard battery of tuples through the file's access tables (A22–A25) and says whether the
 * site is an open relay (with the tuple that proves it), who may submit on which port without
 * authentication, which clients count as internal, and whether a given gateway counts as internal.
 */
export function auditMappings(parsed: ParsedMappings, options: AuditOptions = {}): AuditReport | TupleError {
  if (options.gateway !== undefined && !isValidIpAddress(options.gateway)) {
    return new TupleError([{ field: 'gateway', path: ['gateway'], message: 'must be an IPv4 or IPv6 address' }]);
  }
  // Fail closed: tables that could not be read are no evidence either way.
  const unreadable = parsed.diagnostics.filter((diagnostic) => diagnostic.code === 'unreadable-file');
  if (unreadable.length > 0) {
    const reasons = unreadable.map((diagnostic) => `${diagnostic.file}: ${diagnostic.message}`).join('; ');
    return {
      openRelay: 'unknown',
      internalEntries: [],
      checks: [],
      summary: [`CANNOT JUDGE: the mappings could not be read (${reasons}); nothing is known about relaying.`],
    };
  }
  const { context, policy, channels } = auditSetup(parsed, options.channels);
  const entries = internalEntries(context);
  const classify = (address: string) => policy.classifyClient(address) === true;
  // Prefer a LAN host to loopback: it shows what the site's own network may do.
  const candidates = entries.filter((entry) => entry.reachable).flatMap((entry) => entry.samples).filter(classify);
  const internalClient = candidates.find((address) => ipaddr.parse(address).range() !== 'loopback') ?? candidates[0] ?? null;
  const checks = plans(internalClient, channels, options.gateway).map((plan) => runCheck(context, policy, plan));

  const relayChecks = checks.filter((check) => RELAY_CHECKS.has(check.id));
  const proof = relayChecks.find((check) => check.delivered && check.unknowns.length === 0);
  const openRelay = proof ? 'yes' : relayChecks.some((check) => check.unknowns.length > 0) ? 'unknown' : 'no';
  const report: AuditReport = {
    openRelay,
    internalEntries: entries.map(({ samples: _samples, ...entry }) => entry),
    checks,
    summary: [relaySentence(openRelay, proof, relayChecks)],
  };
  if (proof) report.relayProof = proof;
  if (options.gateway !== undefined) {
    const mapping = context.table('INTERNAL_IP') ? context.mappings.mapSync('INTERNAL_IP', internalIpProbe(options.gateway)) : undefined;
    const internal = classify(options.gateway);
    report.gateway = { address: options.gateway, internal };
    if (mapping?.entry) report.gateway.entry = mapping.entry;
    const decidedBy = mapping?.entry ? `: ${describeEntry(mapping.entry)} decides` : '';
    report.summary.push(
      internal
        ? `GATEWAY INTERNAL: ${options.gateway} counts as internal${decidedBy}. Every client that reaches the MTA through it is internal and arrives on ${channels.intranet}, where the anti-relay entry for ${channels.local} does not apply. Give the gateway "$N" in INTERNAL_IP above the entry that covers it.`
        : `Gateway ${options.gateway} counts as external${decidedBy}.`,
    );
  }
  report.summary.push(internalSentence(report.internalEntries), ...submissionSentences(checks, channels));
  return report;
}
