// format.md M13: evaluation has no side effects unless asked. The default `$#…#` provider fails every
// lookup (T12); counter files are written only through an explicit `fileSequence`; lint and audit never
// call a provider with side effects. Issue 11 item 4: `imsmap audit` used to add 23 to a counter file.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessPolicy, TupleError } from '../../src/access/index.js';
import { compile } from '../../src/engine/compile.js';
import { fileSequence } from '../../src/engine/node.js';
import { auditMappings, lintMappings } from '../../src/lint/index.js';
import { loadMappings } from '../../src/syntax/node.js';
import { runImsmap } from '../cli/harness.js';

let directory: string;
let counter: string;
let file: string;

/** Every access table draws a sequence number before it decides, so every probe touches the counter. */
function sequenceMappings(counterPath: string): string {
  const draw = `$#${counterPath}|16|4#`;
  return [
    'PORT_ACCESS',
    '',
    `  *|*|*|*|*  $C${draw}$E$Y`,
    '',
    'INTERNAL_IP',
    '',
    `  *  $C${draw}$E$N`,
    '',
    'ORIG_SEND_ACCESS',
    '',
    `  *|*|*|*  $C${draw}$E$Y`,
    `  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed`,
    '',
    'SEND_ACCESS',
    '',
    `  *  $C${draw}$E$Y`,
    '',
  ].join('\n');
}

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'imsmap-m13-'));
  counter = path.join(directory, 'counter');
  writeFileSync(counter, '41\n');
  file = path.join(directory, 'mappings');
  writeFileSync(file, sequenceMappings(counter));
});

function snapshot(): { content: string; mtimeMs: number } {
  return { content: readFileSync(counter, 'utf8'), mtimeMs: statSync(counter).mtimeMs };
}

describe('M13 — the default sequence provider is inert', () => {
  it('compile without providers: the lookup fails (T12) and the counter file is untouched', () => {
    const before = snapshot();
    const set = compile(loadMappings(file));
    const result = set.mapSync('SEND_ACCESS', 'x');
    expect(result).toMatchObject({ matched: true, output: 'x', flags: [] });
    expect(result.trace[0]?.reason).toMatch(/sequence file is missing/);
    expect(snapshot()).toEqual(before);
  });

  it('access decisions leave the counter file byte-identical', () => {
    const before = snapshot();
    const policy = AccessPolicy.create(compile(loadMappings(file)));
    if (policy instanceof TupleError) throw policy;
    policy.rcptTo({ serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 4000, from: 'a@x.example', to: 'b@y.example' });
    expect(snapshot()).toEqual(before);
  });

  it('fileSequence is the explicit opt-in', () => {
    const set = compile(loadMappings(file), { providers: { sequence: fileSequence() } });
    expect(set.mapSync('SEND_ACCESS', 'x').output).toBe('002A');
    expect(readFileSync(counter, 'utf8')).toBe('42\n');
  });
});

describe('M13 — lint and audit never write', () => {
  it('lintMappings and auditMappings', () => {
    const before = snapshot();
    lintMappings(loadMappings(file));
    const report = auditMappings(loadMappings(file));
    expect(report).not.toBeInstanceOf(TupleError);
    expect(snapshot()).toEqual(before);
  });

  it('imsmap lint, audit, audit --gateway and audit --json, run from the counter’s folder', async () => {
    const before = snapshot();
    const relative = path.join(directory, 'relative.mappings');
    writeFileSync(relative, sequenceMappings('counter'));
    for (const argv of [
      ['lint', file, relative],
      ['audit', file],
      ['audit', relative, '--gateway', '198.51.100.1'],
      ['audit', file, '--json'],
    ]) {
      const run = await runImsmap(argv, { cwd: directory });
      expect(run.stderr, argv.join(' ')).toBe('');
    }
    expect(snapshot()).toEqual(before);
  });
});
