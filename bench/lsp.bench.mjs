// Issue 17: re-checking a 2,000-entry file after a one-character edit, as the language server does
// it (parse + every lint rule + suppressions), target ≤ 50 ms. Baseline in the same run: the parse
// alone, the least any re-check must do.
import { MappingsWorkspace } from '../dist/lsp/index.js';
import { parseMappings } from '../dist/index.js';
import { fmt } from './measure.mjs';

function generate(perTable) {
  const lines = ['INTERNAL_IP'];
  for (let i = 0; i < perTable; i++) lines.push(`  $(10.${(i >> 8) & 255}.${i & 255}.0/24)  $Y`);
  lines.push('  *  $N', 'ORIG_SEND_ACCESS');
  for (let i = 0; i < perTable; i++) lines.push(`  tcp_local|user${i}@example.com|tcp_local|*  $NNo$ relaying$ for$ user${i}`);
  lines.push('PORT_ACCESS');
  for (let i = 0; i < perTable; i++) lines.push(`  TCP|*|${1024 + i}|*|*  $C$|INTERNAL_IP;$3|$Y$E`);
  return lines.join('\n') + '\n';
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const text = generate(667);
const file = '/bench/mappings';
const workspace = new MappingsWorkspace('/bench');
workspace.setText(file, text);
const rechecks = [];
const parses = [];
for (let run = 0; run < 25; run++) {
  // One character typed into the middle of an entry, as an editor sends it.
  const edited = text.replace('user1000@', run % 2 === 0 ? 'user1000x@' : 'user1000@');
  rechecks.push(timed(() => {
    workspace.setText(file, edited);
    workspace.check(file);
  }));
  parses.push(timed(() => parseMappings(edited, { file })));
}
const recheck = median(rechecks.slice(5));
const parse = median(parses.slice(5));
console.log(
  `lsp re-check 2,001 entries after a one-character edit: ${fmt(recheck, 1)} ms (median of 20; target ≤ 50 ms: ${recheck <= 50 ? 'met' : 'NOT met'});` +
    ` parse-only baseline ${fmt(parse, 1)} ms; ratio ${fmt(recheck / parse, 1)}x`,
);
