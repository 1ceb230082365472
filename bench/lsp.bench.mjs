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

/** Median re-check time (of 20, after 5 to warm up) when the document alternates between its text and `edited`. */
function recheckAfter(edited) {
  const rechecks = [];
  const parses = [];
  for (let run = 0; run < 25; run++) {
    const version = run % 2 === 0 ? edited : text;
    rechecks.push(timed(() => {
      workspace.setText(file, version);
      workspace.check(file);
    }));
    parses.push(timed(() => parseMappings(version, { file })));
  }
  return { recheck: median(rechecks.slice(5)), parse: median(parses.slice(5)) };
}

// One character typed into the middle of an entry, as an editor sends it.
const typed = recheckAfter(text.replace('user1000@', 'user1000x@'));
// A line break typed in the first table: every entry after it moves down a line.
const lineBreak = recheckAfter(text.replace('  $(10.0.5.0/24)  $Y', '  $(10.0.5.0/24)  $Y\n'));
console.log(
  `lsp re-check 2,001 entries after a one-character edit: ${fmt(typed.recheck, 1)} ms (median of 20; target ≤ 50 ms: ${typed.recheck <= 50 ? 'met' : 'NOT met'});` +
    ` parse-only baseline ${fmt(typed.parse, 1)} ms; ratio ${fmt(typed.recheck / typed.parse, 1)}x`,
);
console.log(
  `lsp re-check 2,001 entries after a line break (every later entry moves): ${fmt(lineBreak.recheck, 1)} ms (median of 20);` +
    ` parse-only baseline ${fmt(lineBreak.parse, 1)} ms; ratio ${fmt(lineBreak.recheck / lineBreak.parse, 1)}x`,
);
