// Compiled configuration (issue 13, `imsmap build`): loading a compiled file against parsing and
// compiling the text, measured side by side in the same run, in process and through the CLI.
// Targets: load of 100k entries <= 50 ms and 1M <= 400 ms; 10 probes on the 1M-entry file <= 0.6 s
// wall via the CLI; the 100k x 100k `imsmap test --json` batch about <= 0.35 s wall. Peak RSS of
// the CLI runs comes from GNU time (/usr/bin/time; `apt-get install time` where it is missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../dist/engine/compile.js';
import { buildCompiledFile, loadCompiledFile } from '../dist/engine/snapshot/node.js';
import { loadMappings } from '../dist/syntax/node.js';
import { fmt, timeOnce } from './measure.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const folder = mkdtempSync(join(tmpdir(), 'imsmap-compiled-bench-'));

/** The INTERNAL_IP address of entry i: 10.0.0.0 upwards, one /32 each. */
const addressOf = (i) => `${10 + (i >> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function writeTable(entries) {
  const lines = ['INTERNAL_IP'];
  for (let i = 0; i < entries; i++) lines.push(`  $(${addressOf(i)}/32)  $Y`);
  lines.push('  *  $N', '');
  const file = join(folder, `internal-${entries}.mappings`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Milliseconds to make a MappingSet ready to answer (and answer one probe), median of `runs`. */
function readyMs(load, runs) {
  return median(
    Array.from({ length: runs }, () => {
      globalThis.gc?.();
      return timeOnce(() => compile(load()).mapSync('INTERNAL_IP', '10.0.1.5')).ms;
    }),
  );
}

/** One CLI run: wall seconds and peak RSS in MB (when GNU time is installed). */
function cli(args, input) {
  const report = join(folder, 'time.txt');
  const timed = existsSync(GNU_TIME);
  const [command, argv] = timed ? [GNU_TIME, ['-f', '%M', '-o', report, process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const start = process.hrtime.bigint();
  const run = spawnSync(command, argv, { input: input ?? '', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0 && run.status !== 1) throw new Error(`imsmap ${args.join(' ')}: ${run.stderr}`);
  const rss = timed ? `${fmt(Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) / 1024)} MB` : 'n/a (no GNU time)';
  return { seconds, rss, stdout: run.stdout };
}

const bare = median(Array.from({ length: 5 }, () => cli.call(null, ['--version']).seconds));
console.log(`bare start-up baseline: imsmap --version ${fmt(bare, 3)} s`);

for (const entries of [100_000, 1_000_000]) {
  const text = writeTable(entries);
  const compiled = `${text}.imc`;
  const build = timeOnce(() => buildCompiledFile(text, compiled));
  const runs = entries > 100_000 ? 1 : 5;
  // The compiled file first: the text's parse leaves a large heap behind that would slow what follows.
  const fromCompiled = readyMs(() => loadCompiledFile(compiled), runs * 3);
  const fromText = readyMs(() => loadMappings(text), runs);
  console.log(
    `${fmt(entries).padStart(9)} INTERNAL_IP entries: load compiled ${fmt(fromCompiled, 1)} ms; text parse+compile ${fmt(fromText, 1)} ms;` +
      ` ratio ${fmt(fromText / fromCompiled, 1)}x; compiled file ${fmt(statSync(compiled).size / entries, 0)} B/entry, build ${fmt(build.ms / 1000, 2)} s`,
  );

  const probes = Array.from({ length: 10 }, (_, i) => addressOf((i * 7919) % entries));
  const tenCompiled = cli(['test', compiled, '--table', 'INTERNAL_IP', ...probes]);
  const tenText = cli(['test', text, '--table', 'INTERNAL_IP', ...probes]);
  console.log(
    `  CLI, 10 probes: compiled ${fmt(tenCompiled.seconds, 3)} s (${tenCompiled.rss} peak); text ${fmt(tenText.seconds, 3)} s (${tenText.rss} peak); ratio ${fmt(tenText.seconds / tenCompiled.seconds, 1)}x`,
  );
  if (entries === 100_000) {
    const batch = Array.from({ length: entries }, (_, i) => addressOf((i * 7919) % (entries + 1000))).join('\n') + '\n';
    const batchCompiled = cli(['test', compiled, '--table', 'INTERNAL_IP', '--json'], batch);
    const batchText = cli(['test', text, '--table', 'INTERNAL_IP', '--json'], batch);
    if (!batchCompiled.stdout.equals(batchText.stdout)) throw new Error('the compiled file answered the batch differently from the text');
    console.log(
      `  CLI, 100k probes --json: compiled ${fmt(batchCompiled.seconds, 3)} s (${batchCompiled.rss} peak); text ${fmt(batchText.seconds, 3)} s (${batchText.rss} peak); ratio ${fmt(batchText.seconds / batchCompiled.seconds, 1)}x`,
    );
  }
}
rmSync(folder, { recursive: true, force: true });
