// Access decisions per second (access.md A22) on a realistic mappings file: the documented PORT_ACCESS
// idiom in front of a network blocklist, INTERNAL_IP with site subnets, FROM_ACCESS rules, per-user
// ORIG_SEND_ACCESS controls ahead of the anti-relay rule, a SEND_ACCESS domain blocklist and the
// ORIG_MAIL_ACCESS allow entries of gross. Each figure stands beside baselines measured in the same run:
// the same policy over linearly scanned tables (M2), a plain Map.get per table lookup the decision makes
// (the floor of any in-process lookup) and Postfix's postmap over cidr: and hash: tables of the file's
// networks and addresses, when Postfix is installed. Figures only: nothing here asserts a time.
// Run after a build: `node bench/access.bench.mjs` (imports ../dist).
import { AccessPolicy, AccessSession } from '../dist/index.js';
import { compile } from '../dist/engine/compile.js';
import { parseMappings } from '../dist/syntax/index.js';
import { mapGetRate, postmapNote, postmapRate } from './baselines.mjs';
import { fmt, opsPerSecond } from './measure.mjs';

const BLOCKED_NETWORKS = 1000;
const USERS = 500;
const BLOCKED_DOMAINS = 500;

function realisticFile() {
  const lines = ['INTERNAL_IP', ''];
  for (let subnet = 0; subnet < 20; subnet++) lines.push(`  $(10.${subnet}.0.0/16)  $Y`);
  lines.push('  $(192.168.0.0/16)  $Y', '  127.0.0.1  $Y', '  *  $N', '', 'PORT_ACCESS', '');
  lines.push('  *|*|*|*|*  $C$|INTERNAL_IP;$3|$Y$E');
  for (let network = 0; network < BLOCKED_NETWORKS; network++) {
    lines.push(`  TCP|*|25|$(198.${18 + (network >> 8)}.${network & 255}.0/24)|*  $<blocked$ $3|$N421$ 4.7.1$ Go$ away`);
  }
  lines.push('  *  $YEHLO', '', 'FROM_ACCESS', '');
  lines.push('  TCP|*|*|*|*|SMTP*|MAIL|tcp_auth|*|*  $Y$J$6');
  lines.push('  TCP|*|*|*|*|SMTP*|MAIL|tcp_local|*@corp.example|  $NLocal$ sender$ requires$ AUTH');
  lines.push('', 'ORIG_SEND_ACCESS', '');
  for (let user = 0; user < USERS; user++) {
    lines.push(user % 2 === 0 ? `  *|user${user}@corp.example|tcp_local|*  $Y` : `  *|user${user}@corp.example|tcp_local|*  $NInternet$ access$ not$ permitted`);
  }
  lines.push('  tcp_local|*|tcp_local|*  $N$D30|Relaying$ not$ allowed', '', 'SEND_ACCESS', '');
  for (let domain = 0; domain < BLOCKED_DOMAINS; domain++) lines.push(`  *|*@spam${domain}.example|*|*  $NBlocked`);
  lines.push('', 'ORIG_MAIL_ACCESS', '');
  lines.push('  TCP|*|*|*|*|*|*|tcp_local||*|*  $Y$E');
  lines.push('  TCP|*|*|*|*|*|*|tcp_local|*|*|postmaster@*  $Y$E');
  lines.push('  TCP|*|*|*|*|*|*|tcp_local|*|*|abuse@*  $Y$E');
  return lines.join('\n') + '\n';
}

const text = realisticFile();
const parsed = parseMappings(text, { file: 'realistic.mappings' });
if (parsed.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
  throw new Error(`the generated file has errors: ${JSON.stringify(parsed.diagnostics.slice(0, 3))}`);
}
const OPTIONS = { channels: { localDomains: ['corp.example'] } };
const policy = AccessPolicy.create(compile(parsed), OPTIONS);
const linearPolicy = AccessPolicy.create(compile(parsed, { linearScan: true }), OPTIONS);
const entries = parsed.tables.reduce((sum, table) => sum + table.entries.length, 0);
console.log(`realistic file: ${parsed.tables.length} tables, ${fmt(entries)} entries`);

/** The table lookups (table and probe) one decision makes, through a MappingSet that records them. */
function lookupsOf(decide) {
  const mappings = compile(parsed);
  const lookups = [];
  const recording = {
    tables: mappings.tables,
    has: (table) => mappings.has(table),
    entries: (table) => mappings.entries(table),
    mapSync: (table, input, options) => (lookups.push(input), mappings.mapSync(table, input, options)),
    map: (table, input, options) => (lookups.push(input), mappings.map(table, input, options)),
  };
  decide(AccessPolicy.create(recording, OPTIONS));
  return lookups;
}

// The floor: one Map.get per lookup, over a Map of every entry's pattern text.
const entryKeys = parsed.tables.flatMap((table) => table.entries.map((entry) => entry.pattern));

// Postfix: the file's networks in a cidr: table (client addresses), its addresses and domains in a hash: table.
const networks = [...text.matchAll(/\$\(([\d./]+)\)/g)].map((match) => `${match[1]} OK`);
const addresses = [...text.matchAll(/(user\d+@corp\.example|spam\d+\.example)/g)].map((match) => `${match[1]} OK`);
const cidrRate = postmapRate('cidr', networks, Array.from({ length: 20_000 }, (_, i) => `198.${18 + (i % 4)}.${i % 256}.9`));
const hashRate = postmapRate('hash', addresses, Array.from({ length: 20_000 }, (_, i) => `user${i % 1000}@corp.example`));
const postfixLine = (rate, what) => (rate === null ? '' : `; postmap ${what} ${fmt(rate.rate)} lookups/s`);
console.log(postmapNote());
console.log(
  `baselines per lookup: Map.get over the ${fmt(entryKeys.length)} patterns ${fmt(mapGetRate(entryKeys, entryKeys))} lookups/s` +
    postfixLine(cidrRate, `cidr: (${fmt(networks.length)} networks)`) +
    postfixLine(hashRate, `hash: (${fmt(addresses.length)} addresses and domains)`) +
    '\n',
);

const server = { serverIp: '192.0.2.25', serverPort: 25 };
const external = { ...server, clientIp: '203.0.113.5', clientPort: 40000, helo: 'mx.example.net', esmtp: true };
const cases = [
  ['connect, external client (whole blocklist scanned)', (p) => p.connect({ ...server, clientIp: '203.0.113.5', clientPort: 40000 })],
  ['connect, blocked network (last block entry)', (p) => p.connect({ ...server, clientIp: '198.21.231.9', clientPort: 40000 })],
  ['connect, internal client', (p) => p.connect({ ...server, clientIp: '10.7.1.2', clientPort: 40000 })],
  ['mail, external sender', (p) => p.mailFrom({ ...external, from: 'bob@example.net' })],
  ['rcpt, inbound to a local user', (p) => p.rcptTo({ ...external, from: 'bob@example.net', to: 'user7@corp.example' })],
  ['rcpt, relay attempt (anti-relay rejects)', (p) => p.rcptTo({ ...external, from: 'bob@example.net', to: 'x@example.org' })],
  [
    'rcpt, alias expanding to 5 addresses',
    (p) =>
      p.rcptTo({
        ...external,
        from: 'bob@example.net',
        to: 'team@corp.example',
        expanded: ['user1@corp.example', 'user2@corp.example', 'user3@corp.example', 'user4@corp.example', 'user5@corp.example'],
      }),
  ],
];

const rows = {};
for (const [name, decide] of cases) {
  const decision = decide(policy);
  const lookups = lookupsOf(decide);
  const figure = opsPerSecond(() => decide(policy));
  const linear = opsPerSecond(() => decide(linearPolicy), 200);
  const floor = mapGetRate(entryKeys, lookups) / lookups.length;
  rows[name] = {
    'decisions/s': fmt(figure),
    action: decision.action,
    'top-level lookups': lookups.length,
    'linear scan/s': fmt(linear),
    'ratio to linear': `${fmt(figure / linear, 1)}×`,
    'Map.get floor/s': fmt(floor),
    'share of floor': fmt(figure / floor, 3),
  };
}
console.table(rows);

const asyncFigure = await (async () => {
  const start = process.hrtime.bigint();
  let count = 0;
  while (Number(process.hrtime.bigint() - start) < 500e6) {
    await policy.rcptToAsync({ ...external, from: 'bob@example.net', to: 'x@example.org' });
    count++;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
})();
console.log(`${'rcpt, relay attempt, async API'.padEnd(52)} ${fmt(asyncFigure).padStart(10)} decisions/s`);

const sessionFigure = opsPerSecond(() => {
  const session = AccessSession.open(policy, { ...server, clientIp: '203.0.113.5', clientPort: 40000 });
  session.connect();
  session.ehlo('mx.example.net');
  session.mailFrom({ from: 'bob@example.net' });
  for (let recipient = 0; recipient < 3; recipient++) session.rcptTo({ to: `user${recipient * 2}@corp.example` });
});
console.log(`${'session: connect, EHLO, MAIL, 3 × RCPT'.padEnd(52)} ${fmt(sessionFigure).padStart(10)} sessions/s`);
