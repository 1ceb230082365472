import type { ChannelConfig } from './schemas.js';

/** What the source channel depends on besides the client's internal status (A24). */
export interface SourceChannelFacts {
  srcChannel?: string;
  serverPort?: number;
  authenticated: boolean;
}

/** A24: the source channel; first rule that applies: explicit, submit port, authenticated, internal, local. */
export function sourceChannel(facts: SourceChannelFacts, internal: boolean, channels: ChannelConfig): string {
  if (facts.srcChannel !== undefined) return facts.srcChannel;
  if (facts.serverPort !== undefined && channels.submitPorts.includes(facts.serverPort)) return channels.submit;
  if (facts.authenticated) return channels.auth;
  return internal ? channels.intranet : channels.local;
}

/** Whether the source channel depends on INTERNAL_IP, so that the table is only consulted when it matters. */
export function needsInternalStatus(facts: SourceChannelFacts, channels: ChannelConfig): boolean {
  return sourceChannel(facts, true, channels) !== sourceChannel(facts, false, channels);
}

/** A24: the destination channel: explicit; no `@` or a local domain (exact, case-blind) → local delivery; else local. */
export function destinationChannel(address: string, explicit: string | undefined, channels: ChannelConfig): string {
  if (explicit !== undefined) return explicit;
  const at = address.lastIndexOf('@');
  if (at < 0) return channels.localDelivery;
  const domain = address.slice(at + 1).toLowerCase();
  return channels.localDomains.includes(domain) ? channels.localDelivery : channels.local;
}
