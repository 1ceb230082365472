// Issue 16: pairs of files under fixtures/diff/ with known effects, each asserted exactly: the
// structure of the edit, every difference (kind, table, safety, reason, deciding line before and
// after), the audit's relay verdict and the exit status of `imsmap diff`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TupleError } from '../../src/access/schemas.js';
import { diffMappings, type DiffReport } from '../../src/diff/index.js';
import { loadMappings } from '../../src/syntax/node.js';
import { runImsmap } from '../cli/harness.js';

const repoDir = path.resolve(import.meta.dirname, '../..');
const pair = (name: string) => [`fixtures/diff/${name}/old.mappings`, `fixtures/diff/${name}/new.mappings`] as const;

function diff(name: string): DiffReport {
  const [oldFile, newFile] = pair(name);
  const report = diffMappings(loadMappings(path.join(repoDir, oldFile)), loadMappings(path.join(repoDir, newFile)));
  if (report instanceof TupleError) throw report;
  return report;
}

/** Each difference as one line: kind, table, safety, reason, and the deciding line in each version. */
function effects(report: DiffReport): string[] {
  return report.differences.map(
    (difference) =>
      `${difference.kind} ${difference.table ?? '-'} ${difference.safety}: ${difference.reason} (${difference.old.entry?.line ?? '-'} → ${difference.new.entry?.line ?? '-'})`,
  );
}

/** Each entry edit as one line: table, kind, old line → new line. */
function edits(report: DiffReport): string[] {
  return report.tables.flatMap((table) => table.changes.map((change) => `${table.table} ${change.kind} ${change.old?.line ?? '-'} → ${change.new?.line ?? '-'}`));
}

async function exitStatus(name: string, ...options: string[]): Promise<number> {
  return (await runImsmap(['diff', ...pair(name), ...options], { cwd: repoDir })).status;
}

describe('fixture pairs with known effects', () => {
  it('a reordering that shadows a rule: the flood block moved below the catch-all lets the network in', async () => {
    const report = diff('reorder-shadow');
    expect(edits(report)).toEqual(['PORT_ACCESS moved 10 → 11']);
    expect(report.reorderings).toEqual([
      expect.objectContaining({ table: 'PORT_ACCESS', entry: expect.objectContaining({ line: 11 }), over: expect.objectContaining({ line: 10 }), old: expect.objectContaining({ line: 10 }), new: expect.objectContaining({ line: 10 }) }),
    ]);
    // M2 / A17: the catch-all (new line 10) now answers what the block (old line 10) refused.
    expect(effects(report)).toEqual([
      'mapping PORT_ACCESS weaker: PORT_ACCESS no longer refuses it (10 → 10)',
      'decision PORT_ACCESS weaker: accepted now, refused before (10 → 10)',
    ]);
    expect(report.differences[1]!.probe).toContain('"clientIp":"203.0.113.0"');
    expect(report.relay).toEqual({ old: 'no', new: 'no' });
    expect(report.safety).toBe('weaker');
    expect(await exitStatus('reorder-shadow')).toBe(1);
  });

  it('a widened subnet: INTERNAL_IP now calls clients of 192.168.0.0/16 internal, and they may relay', async () => {
    const report = diff('widened-subnet');
    expect(edits(report)).toEqual(['INTERNAL_IP changed 5 → 5']);
    expect(effects(report)).toEqual([
      'mapping INTERNAL_IP weaker: internal now, external before (6 → 5)',
      'decision INTERNAL_IP weaker: internal now for a client that was external (11 → 11)',
      'audit - weaker: relay now possible (21 → 19)',
    ]);
    // P9.3: the boundary probes of both subnets, one outside each end of the old one.
    const probes = report.differences[0]!;
    expect(probes.probe).toBe('192.168.9.255');
    expect(probes.alike).toBe(3);
    expect(report.differences[2]!.probe).toMatch(/^internal-relay: an internal client \(192\.168\.0\.1\)/);
    expect(report.safety).toBe('weaker');
    expect(await exitStatus('widened-subnet')).toBe(1);
  });

  it('a removed $N: the local-sender rule still matches but no longer refuses', async () => {
    const report = diff('removed-n');
    expect(edits(report)).toEqual(['FROM_ACCESS changed 15 → 15']);
    expect(effects(report)).toEqual([
      'mapping FROM_ACCESS weaker: FROM_ACCESS no longer refuses it (15 → 15)',
      'decision FROM_ACCESS weaker: accepted now, refused before (15 → 15)',
    ]);
    expect(report.differences[0]!.fields).toEqual([{ field: 'flags', old: ['N'], new: [] }]);
    expect(await exitStatus('removed-n')).toBe(1);
  });

  it('a dropped anti-relay rule: weaker, the audit finds an open relay, exit 1 unless --allow-weaker', async () => {
    const report = diff('dropped-anti-relay');
    expect(edits(report)).toEqual(['ORIG_SEND_ACCESS removed 21 → -']);
    expect(effects(report)).toEqual([
      'mapping ORIG_SEND_ACCESS weaker: ORIG_SEND_ACCESS no longer refuses it (21 → -)',
      'decision ORIG_SEND_ACCESS weaker: relay now possible (21 → -)',
      'audit - weaker: relay now possible (21 → -)',
    ]);
    expect(report.relay).toEqual({ old: 'no', new: 'yes' });
    expect(await exitStatus('dropped-anti-relay')).toBe(1);
    expect(await exitStatus('dropped-anti-relay', '--allow-weaker')).toBe(0);
  });

  it('a comment-only edit: no table changed, no probe answered differently, exit 0', async () => {
    const report = diff('comment-only');
    expect(report.tables).toEqual([]);
    expect(report.reorderings).toEqual([]);
    expect(report.differences).toEqual([]);
    expect(report.safety).toBe('none');
    expect(await exitStatus('comment-only')).toBe(0);
  });

  it('a table renamed by a typo: ORIG_SEND_ACESS is never consulted, so relaying is open', async () => {
    const report = diff('table-typo');
    expect(report.tables.map(({ table, status, typoOf }) => ({ table, status, typoOf }))).toEqual([
      { table: 'ORIG_SEND_ACESS', status: 'added', typoOf: 'ORIG_SEND_ACCESS' },
      { table: 'ORIG_SEND_ACCESS', status: 'removed', typoOf: 'ORIG_SEND_ACESS' },
    ]);
    expect(effects(report).filter((line) => line.includes('weaker'))).toEqual([
      'mapping ORIG_SEND_ACCESS weaker: ORIG_SEND_ACCESS no longer refuses it (21 → -)',
      'decision ORIG_SEND_ACCESS weaker: relay now possible (21 → -)',
      'audit - weaker: relay now possible (21 → -)',
    ]);
    // The misspelt table answers its own probes, which no stage sends; the permits it lost are "other".
    expect(effects(report).filter((line) => !line.includes('weaker'))).toEqual([
      'mapping ORIG_SEND_ACESS other: a different result (- → 19)',
      'mapping ORIG_SEND_ACESS other: a different result (- → 20)',
      'mapping ORIG_SEND_ACESS other: a different result (- → 21)',
      'mapping ORIG_SEND_ACCESS other: a different result (19 → -)',
      'mapping ORIG_SEND_ACCESS other: a different result (20 → -)',
      'decision ORIG_SEND_ACCESS other: a different reply (19 → -)',
      'decision ORIG_SEND_ACCESS other: a different reply (20 → -)',
      'audit - other: a different reply (20 → -)',
      'audit - other: a different reply (19 → -)',
      'audit - other: a different reply (19 → -)',
    ]);
    expect(report.relay).toEqual({ old: 'no', new: 'yes' });
    expect(await exitStatus('table-typo')).toBe(1);
  });
});

describe('imsmap diff usage', () => {
  it('exits 2 for a missing file, a file with errors, one file only, or an unknown format', async () => {
    const [oldFile] = pair('comment-only');
    expect((await runImsmap(['diff', oldFile, 'fixtures/diff/nowhere.mappings'], { cwd: repoDir })).status).toBe(2);
    expect((await runImsmap(['diff', oldFile, 'fixtures/invalid/f08-entry-syntax.mappings'], { cwd: repoDir })).status).toBe(2);
    expect((await runImsmap(['diff', oldFile], { cwd: repoDir })).status).toBe(2);
    expect((await runImsmap(['diff', ...pair('comment-only'), '--format', 'yaml'], { cwd: repoDir })).status).toBe(2);
  });

  it('--json prints one object per line, the summary last', async () => {
    const run = await runImsmap(['diff', ...pair('dropped-anti-relay'), '--json'], { cwd: repoDir });
    const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(objects.map((object) => object.type)).toEqual(['table', 'difference', 'difference', 'difference', 'summary']);
    expect(objects.at(-1)).toMatchObject({ safety: 'weaker', relay: { old: 'no', new: 'yes' }, differences: 3 });
  });

  it('--format github annotates the edited line of the new file and errors on a weaker difference', async () => {
    const run = await runImsmap(['diff', ...pair('reorder-shadow'), '--format', 'github'], { cwd: repoDir });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::notice file=fixtures\/diff\/reorder-shadow\/new\.mappings,line=11,title=imsmap diff%3A entry moved::moved from entry 1 to 2/);
    expect(lines.slice(1).every((line) => line.startsWith('::error file=fixtures/diff/reorder-shadow/new.mappings,line=10,'))).toBe(true);
  });

  it('--cases: every case of a case file is answered by both versions', async () => {
    const run = await runImsmap(['diff', ...pair('comment-only'), '--cases', 'fixtures/diff/cases.json', '--json'], { cwd: repoDir });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ probes: { mapping: 1, decision: 1 } });
    const changed = await runImsmap(['diff', ...pair('removed-n'), '--cases', 'fixtures/diff/cases.json', '--json'], { cwd: repoDir });
    const caseDifferences = changed.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)).filter((object) => object.source === 'case');
    expect(caseDifferences.map((object) => `${object.kind} ${object.safety}: ${object.reason}`)).toEqual([
      'mapping weaker: FROM_ACCESS no longer refuses it',
      'decision weaker: accepted now, refused before',
    ]);
  });
});
