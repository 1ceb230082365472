import ipaddr from 'ipaddr.js';
import { TupleError } from '../../access/schemas.js';
import { ACCESS_TABLES, RECIPIENT_TABLES } from '../../access/tables.js';
import type { Entry, IpItem, PatternItem, Span, Table } from '../../syntax/ast.js';
import { addressText, lastAddress } from '../../syntax/ip.js';
import { parsePattern } from '../../syntax/pattern/index.js';
import type { LintContext } from '../context.js';
import { matchesEverything, patternCovers } from '../pattern-inclusion.js';
import { describeTableResult, policyFor, relayTuple, unknowns } from '../probing.js';
import type { LintRule } from '../rule.js';
import { fileRule, tableRule, tableText } from '../scope.js';
import { flagsSet, templateNodes } from '../templates.js';

let everyClient: { ipv4: PatternItem[]; ipv6: PatternItem[] } | undefined;

/**
 * A9: every IPv4 probe is dotted decimal, every IPv6 probe holds a colon. Parsed on first use, not when
 * the rules load: the glob needs the pattern grammar, which commands that only read the rules'
 * names (a configuration's checks) should not build.
 */
function everyClientPatterns(): { ipv4: PatternItem[]; ipv6: PatternItem[] } {
  return (everyClient ??= { ipv4: parsePattern('$D*.$D*.$D*.$D*').items, ipv6: parsePattern('*:*').items });
}

/** Subnets at least this broad are judged: a /8 of IPv4, a /16 of IPv6. */
const BROAD_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/**
 * Whether a broad subnet holds public (unicast) addresses, by ipaddr.js `range()`. An IPv4 subnet of
 * /8 or wider is a run of whole /8 blocks, and each special range that fills a /8 (private 10/8,
 * loopback 127/8, multicast, reserved) gives the block's first and last addresses alike; so does
 * each special range of IPv6 that holds a /16 or wider subnet.
 */
function holdsPublicSpace(item: IpItem): boolean {
  const bounds =
    item.family === 'ipv4'
      ? Array.from({ length: 2 ** (8 - item.prefixLength) }, (_, block) => {
          const first = [item.network[0]! + block, 0, 0, 0];
          return [first, lastAddress(first, 8)];
        })
      : [[[...item.network], lastAddress(item.network, item.prefixLength)]];
  return bounds.some((pair) => pair.some((address) => ipaddr.fromByteArray(address).range() === 'unicast'));
}

function subnetText(item: IpItem): string {
  return `${addressText(item.network)}/${item.prefixLength}`;
}

/** Why an INTERNAL_IP pattern makes broad or public space internal, or undefined. */
function broadness(items: readonly PatternItem[]): string | undefined {
  if (matchesEverything(items)) return 'every client';
  if (patternCovers(items, everyClientPatterns().ipv4)) return 'every IPv4 client';
  if (patternCovers(items, everyClientPatterns().ipv6)) return 'every IPv6 client';
  for (const item of items) {
    if (item.kind !== 'ip') continue;
    // P9.3: an IPv6 subnet also takes IPv4 clients (as ::ffff:a.b.c.d), so ::/0 takes everyone.
    if (item.prefixLength === 0) return `every ${item.family === 'ipv4' ? 'IPv4 ' : ''}client (${subnetText(item)})`;
    if (item.prefixLength <= BROAD_PREFIX[item.family] && holdsPublicSpace(item)) {
      return `public address space (${subnetText(item)} holds public addresses)`;
    }
  }
  return undefined;
}

/** A25: INTERNAL_IP entries that give `$Y` to the whole Internet or a public /8. */
export const broadInternalIp: LintRule = tableRule(
  {
    code: 'broad-internal-ip',
    defaultSeverity: 'warning',
    stage: 'lint',
    spec: 'A24, A25',
    description:
      'An INTERNAL_IP entry with `$Y` that makes every client, every IPv4 or IPv6 client, or a /8 (IPv6: /16) or wider subnet holding public addresses internal. Internal clients arrive on tcp_intranet, where the usual anti-relay entry does not apply.',
    help: 'List only your own networks with `$Y`, and end the table with `*  $N`.',
  },
  {
    *checkTable(context, table) {
      if (!isConsulted(context, table, 'INTERNAL_IP')) return;
      for (const entry of table.entries) {
        if (!flagsSet(entry).has('Y') || context.preemption(entry)) continue;
        const what = broadness(entry.patternItems);
        if (what === undefined) continue;
        yield {
          span: entry.patternSpan,
          message: `this INTERNAL_IP entry makes ${what} internal: such clients may relay (access.md A24, A25)`,
          hint: 'list only your own networks with $Y and end the table with "*  $N"',
        };
      }
    },
    input: (context, table) => String(isConsulted(context, table, 'INTERNAL_IP')),
  },
);

/** Whether the table is the one the file's name `name` stands for. */
function isConsulted(context: LintContext, table: Table, name: string): boolean {
  return table.name === name && context.table(name) === table;
}

/** Where a relay finding points: the permitting entry, else the first recipient table, else the first access table. */
function relayFindingSpan(context: LintContext, permitting: Entry | undefined): Span {
  if (permitting) return permitting.patternSpan;
  const table = [...RECIPIENT_TABLES, ...ACCESS_TABLES].map((name) => context.table(name)).find((found) => found !== undefined);
  return table!.span;
}

/**
 * What the relay evaluation reads: the channel model, which access tables the file defines and where
 * (a finding without a permitting entry points at one), and the tables the RCPT TO stage consults
 * (the recipient tables, INTERNAL_IP for the source channel) with every table they call through `$|…|`.
 */
function relayInput(context: LintContext): string {
  const read = new Set<string>(['INTERNAL_IP', ...RECIPIENT_TABLES]);
  for (const name of read) {
    for (const entry of context.table(name)?.entries ?? []) {
      for (const node of templateNodes(entry.templateNodes)) if (node.kind === 'mapping') read.add(node.table);
    }
  }
  const parts = [JSON.stringify([context.config.channels, ACCESS_TABLES.map((name) => context.table(name)?.span)])];
  for (const name of read) {
    const table = context.table(name);
    parts.push(table === undefined ? `${name} is not defined` : tableText(table));
  }
  return parts.map((part) => `${part.length}:${part}`).join('');
}

/**
 * A24: evaluates the classic relay attempt — an external, unauthenticated client (tcp_local) sending
 * to an outside address (tcp_local) — through the recipient tables, as the MTA would at RCPT TO.
 */
export const noAntiRelay: LintRule = fileRule(
  {
    code: 'no-anti-relay',
    defaultSeverity: 'info',
    stage: 'lint',
    spec: 'A22, A24',
    description:
      'In a file that defines access tables, no recipient table refuses the relay probe tcp_local → tcp_local (an external, unauthenticated client sending to an outside address). Checked by evaluating the probe, not by reading the text; silent when the answer depends on a routine or external lookup. An info by default because a file may be one part of a site’s configuration: raise it to "error" for a complete mappings file.',
    help: 'Add `tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed` to ORIG_SEND_ACCESS, after the entries that let your own users relay.',
    *check(context) {
      if (!ACCESS_TABLES.some((name) => context.table(name))) return;
      const channels = context.config.channels;
      const decision = policyFor(context, channels).rcptTo(relayTuple(channels));
      if (decision instanceof TupleError || decision.action === 'reject' || unknowns(context, [decision]).length > 0) return;
      const permit = decision.results.find((result) => result.outcome === 'permit')?.mapping?.entry;
      const consulted = decision.results.filter((result, index, all) => all.findIndex((other) => other.table === result.table) === index);
      const absent = consulted.filter((result) => result.outcome === 'absent').map((result) => result.table);
      const outcomes = consulted.filter((result) => result.outcome !== 'absent').map(describeTableResult);
      if (absent.length > 0) outcomes.push(`${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} not defined`);
      const probe = decision.results[0]!.probe;
      yield {
        span: relayFindingSpan(context, permit && context.entry(permit)),
        message: `no recipient table refuses relaying: the probe ${probe} (an external client without AUTH to an outside address) is accepted — ${outcomes.join('; ')}`,
        hint: `add "${channels.local}|*|${channels.local}|*  $NRelaying$ not$ allowed" to ORIG_SEND_ACCESS`,
      };
    },
  },
  relayInput,
);
