// Parse speed (issue 2): a generated 100,000-entry file must parse well under a second.
// Baseline in the same run: splitting the same text into lines and columns by hand, the least
// work any parser must do, so the ratio says what the full grammar and diagnostics cost.
import { parseMappings } from '../dist/index.js';
import { timeOnce, fmt } from './measure.mjs';

function generate(entries) {
  const lines = ['! generated', 'INTERNAL_IP', ''];
  for (let i = 0; i < entries; i++) {
    const a = (i >> 16) & 255, b = (i >> 8) & 255, c = i & 255;
    lines.push(`  $(10.${a}.${b}.${c}/32)  $Y`);
  }
  lines.push('  *  $N', '', 'ORIG_SEND_ACCESS', '');
  for (let i = 0; i < entries; i++) {
    lines.push(`  tcp_local|user${i}@example.com|tcp_local|*  $NNo$ relaying$ for$ user${i}`);
  }
  lines.push('', 'PORT_ACCESS', '');
  for (let i = 0; i < entries; i++) {
    lines.push(`  TCP|*|${1024 + (i % 60000)}|$(192.0.${(i >> 8) & 255}.${i & 255}/32)|*  $C$|INTERNAL_IP;$3|$Y$E`);
  }
  return lines.join('\n') + '\n';
}

function splitOnly(text) {
  let fields = 0;
  for (const line of text.split('\n')) fields += line.trim().split(/\s+/).length;
  return fields;
}

for (const size of [1_000, 10_000, 100_000]) {
  const perTable = Math.round(size / 3);
  const text = generate(perTable);
  const total = perTable * 3;
  splitOnly(text);
  parseMappings(text, { file: 'bench.mappings' });
  const base = timeOnce(() => splitOnly(text));
  const run = timeOnce(() => parseMappings(text, { file: 'bench.mappings' }));
  const errors = run.value.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(
    `parse ${fmt(total).padStart(7)} entries: ${fmt(run.ms, 1).padStart(8)} ms` +
      ` (${fmt(total / (run.ms / 1000))} entries/s); line split baseline ${fmt(base.ms, 1)} ms;` +
      ` ratio ${fmt(run.ms / base.ms, 1)}x; errors ${errors}`,
  );
}
