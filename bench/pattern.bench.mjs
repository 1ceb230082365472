// Adversarial benchmark of the pattern matcher (format.md P12). For each worst case it prints the
// time per probe of compilePattern and, where the exponential baseline can finish, the time of the
// plain backtracking reference (test/compile/reference-matcher.ts) on the same input, and their ratio.
// Run after a build: `node bench/pattern.bench.mjs` (imports ../dist).
import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import { compilePattern, MatchBudgetExceededError } from '../dist/public/syntax.js';
import { parsePattern } from '../dist/syntax/pattern/index.js';
import { opsPerSecond } from './measure.mjs';

/** The reference matcher is test-only TypeScript: transpile it here rather than keep a JS copy. */
async function loadReference() {
  const source = await readFile(new URL('../test/compile/reference-matcher.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const module = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
  return module.referenceMatch;
}

/** Nanoseconds per call in steady state: a short first round lets the JIT settle uncounted. */
function timePerCall(call) {
  opsPerSecond(call, 100);
  return 1e9 / opsPerSecond(call, 300);
}

/** Runs a matcher call, turning a budget overrun into a result instead of an exception. */
function outcome(call) {
  try {
    const captures = call();
    return captures === null ? 'no match' : `match (${captures.length} captures)`;
  } catch (error) {
    if (error instanceof MatchBudgetExceededError) return 'MatchBudgetExceeded';
    throw error;
  }
}

function format(nanoseconds) {
  if (nanoseconds >= 1e6) return `${(nanoseconds / 1e6).toFixed(2)} ms`;
  if (nanoseconds >= 1e3) return `${(nanoseconds / 1e3).toFixed(2)} µs`;
  return `${nanoseconds.toFixed(0)} ns`;
}

const A4K = 'a'.repeat(4096);
// `reference: false` marks inputs the exponential baseline cannot finish in reasonable time.
const cases = [
  { pattern: '*a*a*a*a*a*b', input: 'a'.repeat(30), reference: true, note: 'E33, small enough for the baseline' },
  { pattern: '*a*a*a*a*a*b', input: 'a'.repeat(200), reference: false, note: 'E33 as specified' },
  { pattern: '*a*a*a*a*a*a*a*a*b', input: A4K, reference: false, note: 'literal-and-star shape' },
  { pattern: '*a*a*a*a*a*a*a*a*c*b', input: `${A4K}b`, reference: false, note: 'literal-and-star, inner search' },
  { pattern: '*a*a*a*a*a*$D%', input: 'a'.repeat(30), reference: true, note: 'general matcher, small' },
  { pattern: '*a*a*a*a*a*a*a*a*$D%', input: A4K, reference: false, note: 'general matcher (memo), miss' },
  { pattern: '*a*a*a*a*a*a*a*a*$D%', input: `${A4K}7`, reference: false, note: 'general matcher (memo), hit' },
  { pattern: '$_*a$_*a$_*a$_*a$_*a$_*a$_*a$_*a$_*$D%', input: A4K, reference: false, note: 'lazy stars (memo), miss' },
  { pattern: '$A*a$A*a$A*a$A*a$A*a$A*%b', input: A4K, reference: false, note: 'glob stars, trailing literal' },
  { pattern: '*$(10.0.0.0/8)*$(10.0.0.0/8)', input: '1.'.repeat(2048), reference: false, note: 'IP runs everywhere' },
  { pattern: '*$(10.0.0.0/8)|*', input: `${'10.1.2.3x'.repeat(455)}`, reference: false, note: 'IP parse at many positions' },
  { pattern: '*$(::/0)|*', input: `${'1:1:1x'.repeat(682)}`, reference: false, note: 'IPv6-looking runs at many positions' },
  { pattern: '*|$0*', input: `${'a'.repeat(2048)}|${'A'.repeat(2048)}`, reference: true, note: 'back-match, hit' },
  { pattern: '*a*a*a*a*a*|$0*', input: 'a'.repeat(20), reference: true, note: 'back-match, small' },
  { pattern: '*a*a*a*a*a*|$0*', input: A4K, reference: false, note: 'back-match over budget (1e6 steps)' },
  { pattern: '*|*@sesta.com|*|*', input: 'tcp_local|bob@sesta.com|l|x@y', reference: true, note: 'typical access entry, hit' },
  { pattern: '*|*@sesta.com|*|*', input: 'tcp_local|bob@other.com|l|x@y', reference: true, note: 'typical access entry, miss' },
  { pattern: 'TCP|*|25|$(192.168.1.0/24)|*', input: 'TCP|10.0.0.1|25|192.168.1.77|40000', reference: true, note: 'E36 port access' },
  { pattern: '$(192.168.1.0/24)', input: '192.168.1.77', reference: true, note: 'single IP construct' },
];

const referenceMatch = await loadReference();
console.log('pattern matcher benchmark (format.md P12); time per probe, baseline = plain backtracking reference');
console.log(`node ${process.version}\n`);
const rows = [];
for (const { pattern, input, reference, note } of cases) {
  const { items, problems } = parsePattern(pattern);
  if (problems.some((problem) => problem.severity === 'error')) throw new Error(`bad benchmark pattern ${pattern}`);
  const compiled = compilePattern(items);
  const result = outcome(() => compiled.match(input));
  const ours = timePerCall(() => outcome(() => compiled.match(input)));
  let baseline = null;
  if (reference) {
    const expected = outcome(() => referenceMatch(items, input));
    if (expected !== result && result !== 'MatchBudgetExceeded') throw new Error(`disagreement on ${pattern}: ${result} vs ${expected}`);
    baseline = timePerCall(() => referenceMatch(items, input));
  }
  rows.push({
    pattern,
    'input length': input.length,
    result,
    'compilePattern / probe': format(ours),
    'reference / probe': baseline === null ? 'not feasible' : format(baseline),
    'speed-up': baseline === null ? '' : `${(baseline / ours).toFixed(1)}×`,
    case: note,
  });
}
console.table(rows);
