// Reload soak (access.md A32): decisions in a tight loop on a watched LivePolicy while a writer thread
// rewrites the file every way a careless deployment does — in place with slow writes cut at line
// boundaries, unlink and recreate, rename over, a broken file, a file without the anti-relay rule, an
// empty file, a file that lost a table, deep nesting — and an operator calls reload() at random moments.
// It asserts that no decision came from a generation A32 forbids, that the relay tuple was never accepted,
// that nothing crashed and that every refused reload carried its reason, and prints the counts.
//
//   npm run soak                            (builds, then runs 30 s)
//   node scripts/reload-soak.mjs --seconds 20
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const SAFE = fileURLToPath(new URL('../fixtures/hostile/anti-relay.mappings', import.meta.url));
const ACCESS = { channels: { localDomains: ['corp.example'] } };
const RELAY = { stage: 'rcpt', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@ext.example', to: 'b@other.example' };
const LOCAL = { ...RELAY, to: 'u@corp.example' };

/** The writer: one thread, so that its writes really interleave with the reads of the main thread. */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, good, hostile, until } = workerData;
const counts = {};
const random = (n) => Math.floor(Math.random() * n);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const modes = {
  inPlaceSlow() {
    // Truncate, then write the lines in chunks cut at random line boundaries, with random pauses.
    const lines = good[random(good.length)].split(/(?<=\\n)/);
    fs.truncateSync(file, 0);
    for (let at = 0; at < lines.length; ) {
      const next = Math.min(lines.length, at + 1 + random(4));
      fs.appendFileSync(file, lines.slice(at, next).join(''));
      at = next;
      pause(random(40));
    }
  },
  unlinkRecreate() {
    fs.rmSync(file, { force: true });
    pause(random(60));
    fs.writeFileSync(file, good[random(good.length)]);
  },
  renameOver() {
    fs.writeFileSync(file + '.tmp', good[random(good.length)]);
    fs.renameSync(file + '.tmp', file);
  },
  hostile() {
    const name = Object.keys(hostile)[random(Object.keys(hostile).length)];
    counts['hostile:' + name] = (counts['hostile:' + name] ?? 0) + 1;
    fs.writeFileSync(file, hostile[name]);
    pause(50 + random(150));
    fs.writeFileSync(file, good[random(good.length)]);
  },
};
const names = Object.keys(modes);
while (Date.now() < until) {
  const name = names[random(names.length)];
  counts[name] = (counts[name] ?? 0) + 1;
  modes[name]();
  // Sometimes long enough for the watcher's quiet interval, sometimes not.
  pause(random(150));
}
parentPort.postMessage(counts);
`;

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/**
 * Runs the soak against a library (the built package, or the sources under vitest) for `seconds`;
 * resolves with the counts and a list of violated assertions (empty when A32 held).
 */
export async function runSoak({ library, seconds }) {
  const { LivePolicy, PolicyLoadError, TupleError } = library;
  const safe = readFileSync(SAFE, 'utf8');
  const good = [safe, safe.replace('one', 'two')];
  const relayRule = /^ {2}tcp_local\|.*$/m;
  const hostile = {
    broken: `${safe}  $(10.0.0.0/8  $N\n`,
    noAntiRelay: safe.replace(relayRule, '  *  $Y'),
    empty: '',
    lostTable: safe.replace(/^INTERNAL_IP[^]*?(?=^PORT_ACCESS)/m, ''),
    cutInHeader: safe.slice(0, safe.indexOf('ORIG_SEND') + 4),
    deepNesting: `${safe}\nT1\n  a  ${'${'.repeat(500)}\n`,
  };
  const allowed = new Set(good.map(sha256));

  const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-soak-'));
  const file = path.join(directory, 'mappings');
  writeFileSync(file, good[0]);
  const counts = {
    seconds,
    decisions: 0,
    relayDecisions: 0,
    relayAccepted: 0,
    localAccepted: 0,
    forbiddenDecisions: 0,
    tupleErrors: 0,
    generationsUsed: 0,
    watcherReloads: 0,
    operatorReloads: 0,
    replaced: 0,
    refused: {},
    refusedWithoutReason: 0,
    crashes: 0,
    writes: {},
  };
  const problems = [];
  const crash = (error) => {
    counts.crashes += 1;
    problems.push(`crash: ${error?.stack ?? error}`);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const note = (result, by) => {
    counts[by] += 1;
    if (result.replaced) counts.replaced += 1;
    else if (!result.refused?.reason || !result.refused.message) counts.refusedWithoutReason += 1;
    else counts.refused[result.refused.reason] = (counts.refused[result.refused.reason] ?? 0) + 1;
  };

  const live = LivePolicy.load(file, { access: ACCESS });
  if (live instanceof PolicyLoadError) throw live;
  const watch = live.watch({ debounceMs: 25, onReload: (result) => note(result, 'watcherReloads') });
  const generations = new Set();
  const until = Date.now() + seconds * 1000;
  const writer = new Worker(WRITER, { eval: true, workerData: { file, good, hostile, until } });
  const writerDone = new Promise((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });

  try {
    let nextOperatorReload = Date.now();
    while (Date.now() < until) {
      // A tight batch of decisions, then one turn of the event loop for the watcher.
      for (let index = 0; index < 50; index += 1) {
        const generation = live.current;
        generations.add(generation.generation);
        const relay = index % 2 === 0;
        const decision = generation.policy.decide(relay ? RELAY : LOCAL);
        counts.decisions += 1;
        if (!allowed.has(generation.sha256)) counts.forbiddenDecisions += 1;
        if (decision instanceof TupleError) {
          counts.tupleErrors += 1;
          continue;
        }
        if (relay) {
          counts.relayDecisions += 1;
          if (decision.action === 'accept') counts.relayAccepted += 1;
        } else if (decision.action === 'accept') counts.localAccepted += 1;
      }
      if (Date.now() >= nextOperatorReload) {
        note(live.reload(), 'operatorReloads');
        nextOperatorReload = Date.now() + 20 + Math.floor(Math.random() * 80);
      }
      await sleep(0);
    }
    counts.writes = await writerDone;
    // Let the watcher take the writer's last version.
    await sleep(500);
  } finally {
    watch.close();
    live.close();
    await writer.terminate();
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    rmSync(directory, { recursive: true, force: true });
  }
  counts.generationsUsed = generations.size;

  if (counts.forbiddenDecisions > 0) problems.push(`${counts.forbiddenDecisions} decisions came from a generation A32 forbids`);
  if (counts.relayAccepted > 0) problems.push(`the relay tuple was accepted ${counts.relayAccepted} times`);
  if (counts.tupleErrors > 0) problems.push(`${counts.tupleErrors} tuple errors`);
  if (counts.refusedWithoutReason > 0) problems.push(`${counts.refusedWithoutReason} refused reloads without a reason`);
  if (counts.localAccepted !== counts.decisions - counts.relayDecisions) problems.push('a local delivery was refused');
  if (counts.replaced === 0 || Object.keys(counts.refused).length === 0) problems.push('the soak never replaced or never refused a generation');
  return { counts, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--seconds');
  const seconds = at > 0 ? Number(process.argv[at + 1]) : 30;
  const library = await import('../dist/index.js');
  const started = Date.now();
  const { counts, problems } = await runSoak({ library, seconds });
  console.log(JSON.stringify({ ...counts, wallSeconds: (Date.now() - started) / 1000, rssMB: Math.round(process.memoryUsage().rss / 1e6) }, null, 2));
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  console.log(problems.length === 0 ? 'reload soak: A32 held' : 'reload soak: A32 violated');
  process.exitCode = problems.length === 0 ? 0 : 1;
}
