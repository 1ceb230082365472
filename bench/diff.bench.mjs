// `imsmap diff` (issue 16) on a 2,000-entry file with ten edits of every kind: the whole library call
// (structure, probes from the patterns, both versions' answers, both audits). Printed beside the
// parse of the two files measured in the same run. Figures only: nothing here asserts a time.
// Run after a build: `node bench/diff.bench.mjs` (imports ../dist).
import { diffMappings } from '../dist/index.js';
import { parseMappings } from '../dist/syntax/index.js';
import { fmt, timeOnce } from './measure.mjs';

const ROUNDS = 5;

/** INTERNAL_IP subnets, a PORT_ACCESS blocklist, per-user ORIG_SEND_ACCESS rules, a SEND_ACCESS domain blocklist: 2,000 entries. */
function siteLines() {
  const lines = ['INTERNAL_IP', ''];
  for (let subnet = 0; subnet < 97; subnet++) lines.push(`  $(10.${subnet}.0.0/16)  $Y`);
  lines.push('  $(127.0.0.0/8)  $Y', '  *  $N', '', 'PORT_ACCESS', '', '  *|*|*|*|*  $C$|INTERNAL_IP;$3|$Y$E');
  for (let network = 0; network < 1000; network++) {
    lines.push(`  TCP|*|25|$(198.${18 + (network >> 8)}.${network & 255}.0/24)|*  $N421$ 4.7.1$ Go$ away`);
  }
  lines.push('  *  $Y', '', 'ORIG_SEND_ACCESS', '', '  tcp_intranet|*|tcp_local|*  $Y', '  tcp_auth|*|tcp_local|*  $Y');
  for (let user = 0; user < 498; user++) {
    lines.push(user % 2 === 0 ? `  *|user${user}@corp.example|tcp_local|*  $Y` : `  *|user${user}@corp.example|tcp_local|*  $NInternet$ access$ not$ permitted`);
  }
  lines.push('  tcp_local|*|tcp_local|*  $N$D30|Relaying$ not$ allowed', '', 'SEND_ACCESS', '');
  for (let domain = 0; domain < 400; domain++) lines.push(`  *|*@spam${domain}.example|*|*  $NBlocked`);
  return lines;
}

/** Ten edits spread over the file: templates, subnets, deletions, insertions and a move. */
function edited(lines) {
  const result = [...lines];
  const at = (needle) => result.findIndex((line) => line.includes(needle));
  result[at('$(10.40.0.0/16)')] = '  $(10.40.0.0/12)  $Y';
  result[at('$(198.18.200.0/24)')] = '  TCP|*|25|$(198.18.200.0/23)|*  $N421$ 4.7.1$ Go$ away';
  result[at('$(198.19.100.0/24)')] = '  TCP|*|25|$(198.19.100.0/24)|*  $Y';
  result.splice(at('$(198.20.7.0/24)'), 1);
  result[at('user101@')] = '  *|user101@corp.example|tcp_local|*  $Y';
  result[at('user250@')] = '  *|user250@corp.example|tcp_local|*  $NNo$ Internet$ mail';
  result.splice(at('user300@'), 0, '  *|boss@corp.example|*|*  $Y');
  const moved = result.splice(at('spam17.example'), 1)[0];
  result.splice(at('spam300.example'), 0, moved);
  result[at('spam250.example')] = '  *|*@spam250.example|*|*  $NBlocked$ domain';
  result.splice(at('spam399.example') + 1, 0, '  *|*@*.spam.example|*|*  $NBlocked');
  return result;
}

const oldText = siteLines().join('\n') + '\n';
const newText = edited(siteLines()).join('\n') + '\n';
const parse = () => [parseMappings(oldText, { file: 'old.mappings' }), parseMappings(newText, { file: 'new.mappings' })];
const [oldParsed] = parse();
const entries = oldParsed.tables.reduce((sum, table) => sum + table.entries.length, 0);

let best = { diff: Infinity, parse: Infinity };
let report;
for (let round = 0; round < ROUNDS; round++) {
  const parsed = timeOnce(parse);
  const diffed = timeOnce(() => diffMappings(...parse()));
  best = { diff: Math.min(best.diff, diffed.ms), parse: Math.min(best.parse, parsed.ms) };
  report = diffed.value;
}
const changes = report.tables.reduce((sum, table) => sum + table.changes.length, 0);
console.log(`file: ${fmt(entries)} entries, ${changes} entry changes found, ${report.differences.length} differences, verdict ${report.safety}`);
console.log(`probes answered by both versions: ${report.probes.mapping} mappings, ${report.probes.decision} decisions, ${report.probes.audit} audit checks`);
console.log(`${'parse both files (baseline)'.padEnd(44)} ${fmt(best.parse, 1).padStart(9)} ms`);
console.log(`${'diffMappings, parse included'.padEnd(44)} ${fmt(best.diff, 1).padStart(9)} ms  (${fmt(best.diff / best.parse, 1)} × baseline; target < 2,000 ms)`);
