// The Postfix policy server (issue 14): `imsmap serve` beside postfwd, the rule-based policy daemon
// sites use today, in the same run, with equivalent rules (an anti-relay rule and a CIDR block list of
// 100 or 100,000 networks) and the same requests (distinct client addresses, half of them relay
// attempts, one in ten from a blocked network). postfwd runs with its request cache off. Printed:
// requests/s over one connection and over 20 concurrent ones, and p50/p99 latency (write to answer) at
// a fixed 1,000 requests/s. Every loop is bounded by time; everything listens on 127.0.0.1 only.
// Run after a build: `node bench/postfix.bench.mjs` (`npm run bench` builds and runs every bench).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './measure.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SIZES = (process.env.SIZES ?? '100,100000').split(',').map(Number);
const WINDOW_MS = 3000;
const WARMUP_MS = 700;
const RATE = 1000;
const RATE_SECONDS = 3;
const CONCURRENT = 20;
/** How long a server may take to start listening (postfwd reads a 100,000-line list first). */
const START_MS = 120_000;
const POOL = 20_000;

/** The n-th blocked network: 10.0.0.0/24, 10.0.1.0/24, … (11.x after 65,536). */
const blockedNetwork = (index) => `${10 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;

function mappingsText(size) {
  const lines = ['INTERNAL_IP', '', '  $(192.168.10.0/24)   $Y', '  *   $N', '', 'PORT_ACCESS', '', '  *|*|*|*|*   $C$|INTERNAL_IP;$3|$Y$E'];
  for (let index = 0; index < size; index++) lines.push(`  TCP|*|*|$(${blockedNetwork(index)}.0/24)|*   $N550$ Blocked`);
  lines.push('  *   $Y', '', 'ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*   $NRelaying$ not$ allowed', '');
  return lines.join('\n');
}

function postfwdRules(blockFile) {
  return [
    `id=BLOCK; client_address=file:${blockFile}; action=REJECT Blocked`,
    'id=INTERNAL; client_address=192.168.10.0/24; action=DUNNO',
    'id=AUTH; sasl_username=.; action=DUNNO',
    'id=RELAY; recipient_domain=!!(^corp\\.example$); action=REJECT Relaying not allowed',
    '',
  ].join('\n');
}

/** The requests: distinct clients, every second one a relay attempt, every tenth from a blocked network. */
function requests(size) {
  return Array.from({ length: POOL }, (_, index) => {
    const client =
      index % 10 === 0
        ? `${blockedNetwork((index * 7919) % size)}.${(index % 250) + 1}`
        : `172.${16 + ((index >> 16) & 15)}.${(index >> 8) & 255}.${index & 255}`;
    const recipient = index % 2 === 0 ? `user${index}@elsewhere.example` : `user${index}@corp.example`;
    return [
      'request=smtpd_access_policy',
      'protocol_state=RCPT',
      'protocol_name=ESMTP',
      `client_address=${client}`,
      `client_port=${40000 + (index % 20000)}`,
      'server_address=192.168.10.25',
      'server_port=25',
      'helo_name=client.example',
      `sender=sender${index}@example.net`,
      `recipient=${recipient}`,
      `instance=bench.${index}`,
      '',
      '',
    ].join('\n');
  });
}

/** One policy connection; `ask` resolves when the answer's empty line arrives, or false when it is cut. */
class Connection {
  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }
  constructor(socket) {
    this.socket = socket;
    this.buffer = '';
    this.waiting = undefined;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      this.buffer += chunk;
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        this.buffer = this.buffer.slice(end + 2);
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.(true);
      }
    });
    const cut = () => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(false);
    };
    socket.on('close', cut);
    socket.on('error', cut);
  }
  ask(text) {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(text);
    });
  }
  close() {
    this.socket.destroy();
  }
}

/** Sequential requests on each connection until `until`; how many were answered by then. */
async function run(port, pool, connections, until) {
  const clients = await Promise.all(Array.from({ length: connections }, () => Connection.open(port)));
  let next = 0;
  let answered = 0;
  const loop = async (client) => {
    while (performance.now() < until) {
      if (!(await client.ask(pool[next++ % pool.length]))) return;
      if (performance.now() <= until) answered += 1;
    }
  };
  const loops = Promise.all(clients.map(loop));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - performance.now())));
  // A slow server keeps requests outstanding past the deadline: they are not counted, and are cut.
  await Promise.race([loops, new Promise((resolve) => setTimeout(resolve, 200))]);
  for (const client of clients) client.close();
  return answered;
}

/** Requests/s answered within the window by `connections` sequential clients, after a warm-up on others. */
async function throughput(port, pool, connections) {
  await run(port, pool, connections, performance.now() + WARMUP_MS);
  return ((await run(port, pool, connections, performance.now() + WINDOW_MS)) / WINDOW_MS) * 1000;
}

/** p50/p99 latency at a fixed rate over CONCURRENT connections: each request goes to a free connection. */
async function fixedRate(port, pool) {
  const clients = await Promise.all(Array.from({ length: CONCURRENT }, () => Connection.open(port)));
  const free = [...clients];
  const total = RATE * RATE_SECONDS;
  const latencies = [];
  let due = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const send = (client, index) => {
      const sent = performance.now();
      client.ask(pool[index % pool.length]).then((ok) => {
        if (ok) latencies.push(performance.now() - sent);
        free.push(client);
      });
    };
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      while (due < total && due <= (elapsed * RATE) / 1000 && free.length > 0) send(free.pop(), due++);
      if (elapsed > RATE_SECONDS * 1000 + 5000 || latencies.length === total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  for (const client of clients) client.close();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), answered: latencies.length, total };
}

async function waitForPort(port, process) {
  const until = performance.now() + START_MS;
  while (performance.now() < until && process.exitCode === null) {
    const open = await new Promise((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(true)));
      probe.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function measure(name, port, pool) {
  const one = await throughput(port, pool, 1);
  const many = await throughput(port, pool, CONCURRENT);
  const latency = await fixedRate(port, pool);
  return { name, one, many, latency };
}

function row(size, result) {
  if (typeof result === 'string') return `  ${fmt(size).padStart(7)}  ${'postfwd'.padEnd(8)}  ${result}`;
  const { name, one, many, latency } = result;
  const latencyText =
    latency.answered === 0
      ? 'no answer'
      : `${latency.p50.toFixed(2)} / ${latency.p99.toFixed(2)}${latency.answered < latency.total ? ` (${fmt(latency.answered)} of ${fmt(latency.total)} answered)` : ''}`;
  return `  ${fmt(size).padStart(7)}  ${name.padEnd(8)}  ${fmt(one).padStart(10)}  ${fmt(many).padStart(11)}   ${latencyText}`;
}

const postfwdInstalled = spawnSync('postfwd', ['--version'], { stdio: 'ignore' }).error === undefined;
const folder = mkdtempSync(join(tmpdir(), 'imsmap-bench-postfix-'));
// postfwd drops to nobody and reads its block list from here.
chmodSync(folder, 0o755);
try {
  console.log(`requests/s over 1 and ${CONCURRENT} connections (${WINDOW_MS / 1000} s each), p50 / p99 ms at ${fmt(RATE)} requests/s`);
  console.log(`  ${'entries'.padStart(7)}  ${'server'.padEnd(8)}  ${'1 conn'.padStart(10)}  ${`${CONCURRENT} conns`.padStart(11)}   p50 / p99 ms`);
  for (const size of SIZES) {
    const pool = requests(size);
    const mappings = join(folder, `mappings-${size}`);
    writeFileSync(mappings, mappingsText(size));
    const port = await freePort();
    const log = openSync('/dev/null', 'w');
    const server = spawn(
      process.execPath,
      [CLI, 'serve', mappings, '--listen', `inet:127.0.0.1:${port}`, '--options', '{"channels":{"localDomains":["corp.example"]}}'],
      { stdio: ['ignore', log, 'inherit'] },
    );
    let imsmap;
    try {
      if (!(await waitForPort(port, server))) throw new Error('imsmap serve did not start');
      imsmap = await measure('imsmap', port, pool);
      console.log(row(size, imsmap));
    } finally {
      server.kill('SIGTERM');
    }

    if (!postfwdInstalled) {
      console.log(row(size, 'not installed: no comparison (.ci/run installs the postfwd package)'));
      continue;
    }
    const blockFile = join(folder, `block-${size}`);
    writeFileSync(blockFile, Array.from({ length: size }, (_, index) => `${blockedNetwork(index)}.0/24`).join('\n') + '\n');
    const rules = join(folder, `postfwd-${size}.cf`);
    writeFileSync(rules, postfwdRules(blockFile));
    const pidFile = join(folder, `postfwd-${size}.pid`);
    const postfwdPort = await freePort();
    // postfwd always daemonises; it is stopped through the pid file it writes. --cache=0: no request cache.
    const daemon = spawnSync(
      'postfwd',
      ['--file', rules, '--interface', '127.0.0.1', '--port', String(postfwdPort), '--cache=0', '--nodns', '--perfmon',
        '--noidlestats', '--norulestats', '--pidfile', pidFile, '--user', 'nobody', '--group', 'nogroup'],
      { stdio: 'ignore' },
    );
    try {
      if (daemon.status !== 0 || !(await waitForPort(postfwdPort, { exitCode: null }))) {
        console.log(row(size, `did not start within ${START_MS / 1000} s`));
        continue;
      }
      const postfwd = await measure('postfwd', postfwdPort, pool);
      console.log(row(size, postfwd));
      const ratio = (mine, theirs) => (theirs === 0 ? 'n/a' : `${fmt(mine / theirs, 1)}x`);
      const note = postfwd.one === 0 ? 'postfwd answered nothing within the window' : 'imsmap / postfwd';
      console.log(`  ${''.padStart(7)}  ${'ratio'.padEnd(8)}  ${ratio(imsmap.one, postfwd.one).padStart(10)}  ${ratio(imsmap.many, postfwd.many).padStart(11)}   (${note})`);
    } finally {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // postfwd never wrote its pid file: nothing was started.
      }
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
