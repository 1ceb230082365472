// CLI start-up (issue 13): the installed bin (package.json `bin`, the esbuild bundle) run as a user
// runs it, against bare `node -e 0` measured in the same loop. The runs interleave, so a burst of
// load on the machine hits every command alike; each figure is the median wall time of RUNS runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).bin.imsmap, new URL('..', import.meta.url)));
const RUNS = 15;

const commands = {
  'node -e 0': ['-e', '0'],
  'imsmap --version': [bin, '--version'],
  'imsmap --help': [bin, '--help'],
  'imsmap test (Quick start)': [bin, 'test', 'fixtures/example.mappings', '--table', 'PORT_ACCESS', 'TCP|192.0.2.25|25|203.0.113.5|40000'],
  'imsmap match': [bin, 'match', '*@corp.example', 'user@corp.example'],
};

/** Wall milliseconds of one run; a failing command fails the bench rather than timing an error. */
function timeRun(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) timeRun(args);
for (let run = 0; run < RUNS; run++) {
  for (const [name, args] of Object.entries(commands)) times[name].push(timeRun(args));
}
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
const bare = median(times['node -e 0']);
console.log(`start-up, median wall of ${RUNS} interleaved runs; baseline bare node -e 0: ${fmt(bare, 1)} ms`);
for (const name of Object.keys(commands).slice(1)) {
  const ms = median(times[name]);
  console.log(`${name.padEnd(28)} ${fmt(ms, 1).padStart(7)} ms; bare node ${fmt(bare, 1)} ms; ratio ${fmt(ms / bare, 2)}x`);
}
