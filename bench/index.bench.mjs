// Table indexes (issue 5): probes per second through indexed tables against the linear scan of M2,
// measured in the same run, for generated tables of three shapes at 1k, 10k and 100k entries, with
// compile time and heap per entry, beside a plain Map.get over the same keys (the floor of an in-process
// lookup) and Postfix's postmap over cidr: or hash: tables of the same entries; then the batch CLI (`imsmap test` reading 100k probes from standard
// input) on the 100k CIDR table, start-up and parse included. Figures only: nothing here asserts a time.
// Run after a build: `node --expose-gc bench/index.bench.mjs` (`npm run bench` builds and runs every
// bench); SIZES=100000 in the environment limits the table sizes measured.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, parseMappings } from '../dist/index.js';
import { mapGetRate, postmapNote, postmapRate } from './baselines.mjs';
import { fmt, timeOnce } from './measure.mjs';

const SIZES = (process.env.SIZES ?? '1000,10000,100000').split(',').map(Number);
const PROBES = 100_000;
/** Time spent on the linear scan per measurement: at 100k entries that is a sample of a few dozen probes. */
const LINEAR_BUDGET_MS = 400;
/** Probes Postfix's cidr: table answers per size: it scans its entries in order, so a sample at the larger sizes. */
const CIDR_SAMPLE_ENTRY_PROBES = 2e8;

/**
 * Heap in use once collections have settled. gc() leaves pages to be swept concurrently, so a figure
 * read at once still counts some garbage: collect and pause until the figure stops falling. Sizes
 * are then taken by release (what dropping a structure frees), which small tables make noisy: the
 * per-entry figures are meaningful at 100k entries.
 */
async function settledHeap() {
  let previous = Infinity;
  for (let round = 0; round < 8; round++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 40));
    const used = process.memoryUsage().heapUsed;
    if (used > previous - 256 * 1024) return Math.min(used, previous);
    previous = used;
  }
  return previous;
}

/** A seeded generator (mulberry32), so every run measures the same tables and probes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quad = (value) => [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
const hex = (value) => value.toString(16);

/** Prefix lengths of generated IPv4 blocks, as blocklists have them: mostly /24 and single hosts. */
const IPV4_LENGTHS = [32, 32, 32, 32, 32, 24, 24, 24, 24, 24, 24, 24, 24, 24, 16, 16, 20, 22, 28];

/**
 * A random CIDR block and a way to draw an address inside it. IPv4 blocks lie in 1.0.0.0–199.255.255.255
 * and one block in twenty is IPv6 under 2001::/16, so addresses from 200.0.0.0 up and under 2002::/16
 * miss every block.
 */
function block(next) {
  if (next() < 0.05) {
    const [a, b] = [Math.floor(next() * 65536), Math.floor(next() * 65536)];
    const inside = () => `2001:${hex(a)}:${hex(b)}:${[0, 0, 0, 0, 0].map(() => hex(Math.floor(next() * 65536))).join(':')}`;
    return { pattern: `\${2001:${hex(a)}:${hex(b)}::/48}`, network: `2001:${hex(a)}:${hex(b)}::/48`, inside };
  }
  const length = IPV4_LENGTHS[Math.floor(next() * IPV4_LENGTHS.length)];
  const mask = length === 0 ? 0 : (-1 << (32 - length)) >>> 0;
  const network = ((0x01000000 + Math.floor(next() * 199 * 0x1000000)) & mask) >>> 0;
  const inside = () => quad((network | (Math.floor(next() * 2 ** 32) & ~mask)) >>> 0);
  return { pattern: `$(${quad(network)}/${length})`, network: `${quad(network)}/${length}`, inside };
}

function missingAddress(next) {
  if (next() < 0.05) return `2002:${[0, 0, 0, 0, 0, 0, 0].map(() => hex(Math.floor(next() * 65536))).join(':')}`;
  return quad((0xc8000000 + Math.floor(next() * 24 * 0x1000000)) >>> 0);
}

const DOMAINS = ['example.com', 'corp.example', 'mail.example.org', 'example.net', 'dept.example.edu'];

/**
 * The three shapes: table text (header and entries) and probes, half of which hit a generated entry;
 * for the baselines, each entry's key and each probe's (a client address, a sender address), and the
 * Postfix table type the keys make.
 */
const SHAPES = [
  {
    table: 'INTERNAL_IP',
    note: 'CIDR blocks, IPv4 /16–/32 and IPv6 /48',
    generate(size, next) {
      const blocks = Array.from({ length: size }, () => block(next));
      const lines = blocks.map((b) => `  ${b.pattern}  $Y`);
      const probes = Array.from({ length: PROBES }, (_, i) => (i % 2 === 0 ? blocks[Math.floor(next() * size)].inside() : missingAddress(next)));
      return { lines, probes, keys: blocks.map((b) => b.network), probeKeys: probes, postfix: 'cidr' };
    },
  },
  {
    table: 'ORIG_SEND_ACCESS',
    note: 'per-address rules tcp_local|user@domain|tcp_local|*',
    generate(size, next) {
      const address = (user) => `user${user}@${DOMAINS[user % DOMAINS.length]}`;
      const lines = Array.from({ length: size }, (_, user) =>
        user % 2 === 0 ? `  tcp_local|${address(user)}|tcp_local|*  $Y` : `  tcp_local|${address(user)}|tcp_local|*  $NInternet$ access$ not$ permitted`,
      );
      const probes = Array.from({ length: PROBES }, (_, i) => {
        const user = i % 2 === 0 ? Math.floor(next() * size) : size + Math.floor(next() * size);
        const sender = i % 10 === 4 ? address(user).toUpperCase() : address(user);
        return `tcp_local|${sender}|tcp_local|rcpt${i % 1000}@remote${i % 97}.example`;
      });
      const keys = Array.from({ length: size }, (_, user) => address(user));
      return { lines, probes, keys, probeKeys: probes.map((probe) => probe.split('|')[1].toLowerCase()), postfix: 'hash' };
    },
  },
  {
    table: 'PORT_ACCESS',
    note: 'literal ports, CIDRs, globs; a final * $Y',
    generate(size, next) {
      const ports = [25, 587, 465, 110, 143, 993];
      const rules = [];
      for (let i = 0; i < size - 3; i++) {
        const kind = next();
        const b = block(next);
        const port = ports[Math.floor(next() * ports.length)];
        if (kind < 0.4) rules.push({ pattern: `TCP|*|${port}|${b.pattern}|*`, template: '$N500$ blocked', network: b.network, probe: () => `${port}|${b.inside()}` });
        else if (kind < 0.8) rules.push({ pattern: `TCP|*|*|${b.pattern}|*`, template: '$N', network: b.network, probe: () => `25|${b.inside()}` });
        else if (kind < 0.95) {
          const closed = 10000 + Math.floor(next() * 55000);
          rules.push({ pattern: `TCP|*|${closed}|*|*`, template: '$N', probe: () => `${closed}|${missingAddress(next)}` });
        } else rules.push({ pattern: `TCP|*|$D*|${b.pattern}|*`, template: '$N', network: b.network, probe: () => `25|${b.inside()}` });
      }
      const lines = [
        '  TCP|*|*|$(127.0.0.0/8)|*  $Y',
        '  UDP|*|*|*|*  $N',
        ...rules.map((rule) => `  ${rule.pattern}  ${rule.template}`),
        '  *  $Y',
      ];
      const probes = Array.from({ length: PROBES }, (_, i) => {
        const portAndClient = i % 2 === 0 ? rules[Math.floor(next() * rules.length)].probe() : `25|${missingAddress(next)}`;
        return `TCP|192.0.2.25|${portAndClient}|${40000 + (i % 20000)}`;
      });
      // Postfix's cidr: table over the client networks alone: its tables have no port or glob.
      const keys = rules.flatMap((rule) => (rule.network === undefined ? [] : [rule.network]));
      return { lines, probes, keys, probeKeys: probes.map((probe) => probe.split('|')[3]), postfix: 'cidr' };
    },
  },
];

function mappingsText(table, lines) {
  return `${table}\n${lines.join('\n')}\n`;
}

/** Best of a few rounds over all probes, in probes per second by wall clock and by CPU time. */
function indexedRate(set, table, probes) {
  for (const probe of probes) set.mapSync(table, probe);
  let wall = 0;
  let cpu = 0;
  let matched = 0;
  for (let round = 0; round < 3; round++) {
    matched = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const probe of probes) if (set.mapSync(table, probe).matched) matched++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpuStart);
    wall = Math.max(wall, probes.length / seconds);
    cpu = Math.max(cpu, probes.length / ((used.user + used.system) / 1e6));
  }
  return { wall, cpu, matched };
}

/** The linear scan on a prefix of the probes, for a fixed time: a sample at the larger sizes. */
function linearRate(set, table, probes) {
  for (let i = 0; i < 5; i++) set.mapSync(table, probes[i]);
  const start = process.hrtime.bigint();
  let count = 0;
  let seconds = 0;
  while (count < probes.length && (seconds < LINEAR_BUDGET_MS / 1000 || count < 20)) {
    set.mapSync(table, probes[count++]);
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { rate: count / seconds, sampled: count };
}

/** Whether indexed and linear results agree on the first probes (the differential test's job; a sanity check here). */
function agree(indexed, linear, table, probes) {
  return probes.every((probe) => JSON.stringify(indexed.mapSync(table, probe)) === JSON.stringify(linear.mapSync(table, probe)));
}

console.log('table indexes (issue 5): probes through mapSync, indexed vs linear scan in the same run');
console.log(`node ${process.version}; wall and CPU-time rates (the CPU figure is steadier on a busy machine)\n`);
const rows = [];
const perProbe = new Map();
for (const [shapeIndex, shape] of SHAPES.entries()) {
  for (const size of SIZES) {
    const { lines, probes, keys, probeKeys, postfix } = shape.generate(size, random(1000 * shapeIndex + size));
    let parsed = parseMappings(mappingsText(shape.table, lines), { file: `${shape.table}.mappings` });
    const entries = parsed.tables[0].entries.length;
    await settledHeap();
    let indexed = null;
    // Only the time is kept from timeOnce: its result object would keep the set alive for the heap figures.
    const compileMs = timeOnce(() => (indexed = compile(parsed))).ms;
    const rate = indexedRate(indexed, shape.table, probes);
    const afterProbes = await settledHeap();
    let linear = compile(parsed, { linearScan: true });
    const baseline = linearRate(linear, shape.table, probes);
    const same = agree(indexed, linear, shape.table, probes.slice(0, Math.min(baseline.sampled, 200)));
    indexed = linear = null;
    const withParse = await settledHeap();
    parsed = null;
    const withoutParse = await settledHeap();
    const floor = mapGetRate(keys, probeKeys);
    const postfixKeys = postfix === 'cidr' ? probeKeys.slice(0, Math.max(1000, Math.floor(CIDR_SAMPLE_ENTRY_PROBES / size))) : probeKeys;
    const postmap = postmapRate(postfix, keys.map((key) => `${key} OK`), postfixKeys);
    const nanoseconds = 1e9 / rate.cpu;
    perProbe.set(`${shape.table} ${size}`, nanoseconds);
    rows.push({
      table: shape.table,
      entries: fmt(entries),
      'indexed probes/s (wall)': fmt(rate.wall),
      'indexed probes/s (cpu)': fmt(rate.cpu),
      'ns/probe (cpu)': fmt(nanoseconds),
      'linear probes/s': fmt(baseline.rate),
      'linear sample': fmt(baseline.sampled),
      'ratio (wall)': `${fmt(rate.wall / baseline.rate)}×`,
      'Map.get/s': fmt(floor),
      'indexed ÷ Map.get': fmt(rate.wall / floor, 3),
      'postmap/s': postmap === null ? 'n/a' : `${fmt(postmap.rate)} ${postfix}:`,
      'indexed ÷ postmap': postmap === null ? 'n/a' : `${fmt(rate.wall / postmap.rate, 1)}×`,
      'compile ms': fmt(compileMs, 1),
      'set B/entry': fmt((afterProbes - withParse) / entries),
      'parse result B/entry': fmt((withParse - withoutParse) / entries),
      matched: `${fmt((100 * rate.matched) / probes.length)}%`,
      agree: same ? 'yes' : 'NO',
    });
  }
}
console.table(rows);
for (const shape of SHAPES.filter(() => SIZES.includes(1_000) && SIZES.includes(100_000))) {
  const growth = perProbe.get(`${shape.table} 100000`) / perProbe.get(`${shape.table} 1000`);
  console.log(`${shape.table.padEnd(17)} cost per probe 100k / 1k entries: ${fmt(growth, 2)}× (${shape.note})`);
}
console.log(
  '\nset B/entry: heap the MappingSet retains beyond the parse result (which it also keeps, for entries() and traces),' +
    '\nmeasured after the probes, so matchers built on first use are counted; parse result B/entry: the AST itself.' +
    '\nBoth are taken by release (what a collection frees when the structure is dropped): noisy below 100k entries.' +
    '\nMap.get: a plain Map of the entries\' keys (network, sender address) probed with each probe\'s key, the floor of an' +
    '\nin-process lookup. PORT_ACCESS in Postfix: a cidr: table of the client networks alone (no ports or globs).',
);
console.log(postmapNote());

// The batch CLI: `imsmap test` on the 100k CIDR table with 100k probes on standard input.
const folder = mkdtempSync(join(tmpdir(), 'imsmap-index-bench-'));
try {
  const { lines, probes } = SHAPES[0].generate(100_000, random(100_000));
  const mappingsFile = join(folder, 'mappings');
  const probesFile = join(folder, 'probes.txt');
  const outputFile = join(folder, 'output.txt');
  writeFileSync(mappingsFile, mappingsText('INTERNAL_IP', lines));
  writeFileSync(probesFile, probes.join('\n') + '\n');
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const input = openSync(probesFile, 'r');
  const output = openSync(outputFile, 'w');
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, 'test', mappingsFile, '--table', 'INTERNAL_IP'], { stdio: [input, output, 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(input);
  closeSync(output);
  const results = readFileSync(outputFile, 'utf8').split('\n').filter((line) => line.startsWith('Output string:')).length;
  const parseOnly = timeOnce(() => parseMappings(readFileSync(mappingsFile, 'utf8'), { file: mappingsFile }));
  console.log(
    `\nbatch CLI: imsmap test, 100,000-entry CIDR table, ${fmt(PROBES)} probes on stdin: ${fmt(seconds, 2)} s wall` +
      ` (exit ${run.status}, ${fmt(results)} results; in-process parse of the file alone ${fmt(parseOnly.ms)} ms)`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
