import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HitCounter } from '../../src/engine/hit-counter.js';
import { LivePolicy, PolicyLoadError, type ReloadResult } from '../../src/adapters/live-policy.js';
import { compile } from '../../src/engine/compile.js';
import { loadMappings } from '../../src/syntax/node.js';
import { bounded } from './smtp-client.js';
import { ACCESS_OPTIONS, decided, REPLIES, testDirectory, TWO_TIER } from './helpers.js';

const RELAY = { stage: 'rcpt', serverIp: '192.168.10.25', serverPort: 25, clientIp: '192.168.10.1', clientPort: 51000, from: 'a@sender.example', to: 'b@other.example' };
const BROKEN = 'ORIG_SEND_ACCESS\n  $(10.0.0.0/8  $N\n';

/** A copy of a fixture in a fresh directory, so that tests can rewrite it. */
function scratchCopy(fixture: string): string {
  const directory = testDirectory('imsmap-live-');
  const file = path.join(directory, 'mappings');
  copyFileSync(fixture, file);
  return file;
}

describe('LivePolicy: load and reload (F14)', () => {
  test('a file with errors does not load: the diagnostics come back, nothing is thrown', () => {
    const file = scratchCopy(TWO_TIER);
    writeFileSync(file, BROKEN);
    const result = LivePolicy.load(file);
    expect(result).toBeInstanceOf(PolicyLoadError);
    const error = result as PolicyLoadError;
    expect(error.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([
      expect.objectContaining({ file, line: 2, column: 3, code: 'bad-ip' }),
    ]);
  });

  test('a missing file and invalid access options are load errors too', () => {
    expect(LivePolicy.load('/nonexistent/mappings')).toMatchObject({ diagnostics: [expect.objectContaining({ code: 'unreadable-file' })] });
    const badOptions = LivePolicy.load(TWO_TIER, { access: { tempFailCode: 550 } });
    expect(badOptions).toBeInstanceOf(PolicyLoadError);
    expect((badOptions as PolicyLoadError).optionsError?.field).toBe('tempFailCode');
  });

  test('a reload with errors keeps the tables in use and reports why; a good one replaces them', () => {
    const file = scratchCopy(TWO_TIER);
    const live = LivePolicy.load(file, { access: ACCESS_OPTIONS }) as LivePolicy;
    expect(decided(live.decide(RELAY)).action).toBe('reject');

    writeFileSync(file, BROKEN);
    const kept = live.reload();
    expect(kept).toMatchObject({ replaced: false, generation: 1 });
    expect(kept.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 2 })]);
    expect(decided(live.decide(RELAY)).action).toBe('reject');

    copyFileSync(path.join(path.dirname(TWO_TIER), 'mappings-open-relay'), file);
    expect(live.reload()).toMatchObject({ replaced: true, generation: 2, diagnostics: [] });
    expect(decided(live.decide(RELAY)).action).toBe('accept');
  });

  test('force takes a file with errors anyway, without its broken entries (F14 "unless the caller asks")', () => {
    const file = scratchCopy(TWO_TIER);
    const live = LivePolicy.load(file, { access: ACCESS_OPTIONS }) as LivePolicy;
    writeFileSync(file, BROKEN);
    expect(live.reload({ force: true })).toMatchObject({ replaced: true, generation: 2 });
    expect(live.current.diagnostics.some((diagnostic) => diagnostic.severity === 'error')).toBe(true);
    expect(decided(live.decide(RELAY)).action).toBe('accept');
  });

  test('a decision that started before a reload finishes on the tables it started with', async () => {
    const file = scratchCopy(TWO_TIER);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const routines = { hold: async () => (await gate, '') };
    writeFileSync(file, 'ORIG_SEND_ACCESS\n  *|*|*|*  $[x,hold,]$NOld$ tables\n');
    const live = LivePolicy.load(file, { compile: { routines } }) as LivePolicy;
    const pending = live.decideAsync(RELAY);
    writeFileSync(file, 'ORIG_SEND_ACCESS\n  *|*|*|*  $NNew$ tables\n');
    expect(live.reload().replaced).toBe(true);
    release();
    expect(decided(await pending).reply?.lines).toEqual(['Old tables: b@other.example']);
    expect(decided(await live.decideAsync(RELAY)).reply?.lines).toEqual(['New tables: b@other.example']);
  });
});

describe('LivePolicy: the file watcher', () => {
  test('reloads when the file is rewritten or replaced by rename, and reports a broken version', async () => {
    const file = scratchCopy(TWO_TIER);
    const live = LivePolicy.load(file, { access: ACCESS_OPTIONS }) as LivePolicy;
    const reloads: ReloadResult[] = [];
    let notify: () => void = () => undefined;
    const watch = live.watch({ debounceMs: 20, onReload: (result) => (reloads.push(result), notify()) });
    const nextReload = () => bounded(new Promise<void>((resolve) => (notify = resolve)), 'a reload');
    try {
      let reloaded = nextReload();
      writeFileSync(file, BROKEN);
      await reloaded;
      expect(reloads.at(-1)).toMatchObject({ replaced: false, generation: 1 });

      // Deployment tools write a new file and rename it over the old one.
      reloaded = nextReload();
      const staged = `${file}.new`;
      writeFileSync(staged, `${readFileSync(TWO_TIER, 'utf8')}\nFROM_ACCESS\n  *  $Y\n`);
      renameSync(staged, file);
      await reloaded;
      expect(reloads.at(-1)).toMatchObject({ replaced: true, generation: 2 });
      expect(live.policy.mappings.has('FROM_ACCESS')).toBe(true);

      // A file that lost INTERNAL_IP is refused, with the reason (A32 item 3).
      reloaded = nextReload();
      copyFileSync(REPLIES, staged);
      renameSync(staged, file);
      await reloaded;
      expect(reloads.at(-1)).toMatchObject({ replaced: false, generation: 2, refused: { reason: 'lost-table' } });
    } finally {
      watch.close();
      live.close();
    }
  });
});

describe('HitCounter: per-entry hits from the traces (dead rules)', () => {
  test('counts top-level and nested matches, applied and failed, and lists the entries never reached', () => {
    const counter = new HitCounter(compile(loadMappings(TWO_TIER)));
    const set = counter.mappings;
    // The firewall: PORT_ACCESS #1 calls INTERNAL_IP (#1 answers $N, so #1 fails), then #2 accepts.
    set.mapSync('PORT_ACCESS', 'TCP|192.168.10.25|25|192.168.10.1|51000', { flags: 'A' });
    // A LAN host: INTERNAL_IP #2 ($Y) inside PORT_ACCESS #1, which applies.
    set.mapSync('PORT_ACCESS', 'TCP|192.168.10.25|25|192.168.10.50|51000', { flags: 'A' });
    const byEntry = Object.fromEntries(counter.entries().map((hits) => [`${hits.table}#${hits.index}`, hits]));
    expect(byEntry['PORT_ACCESS#1']).toMatchObject({ matched: 2, applied: 1, failed: 1 });
    expect(byEntry['PORT_ACCESS#2']).toMatchObject({ matched: 1, applied: 1, failed: 0 });
    expect(byEntry['INTERNAL_IP#1']).toMatchObject({ matched: 1, applied: 1 });
    expect(byEntry['INTERNAL_IP#2']).toMatchObject({ matched: 1, applied: 1 });
    expect(counter.unreached().map((hits) => `${hits.table}#${hits.index}`)).toEqual([
      'INTERNAL_IP#3',
      'INTERNAL_IP#4',
      'PORT_ACCESS#3',
      'PORT_ACCESS#4',
      'ORIG_SEND_ACCESS#1',
    ]);
    const report = JSON.parse(JSON.stringify(counter));
    expect(report.lookups).toEqual({ PORT_ACCESS: 2 });
    expect(report.unreached[0]).toEqual({ table: 'INTERNAL_IP', index: 3, file: TWO_TIER, line: 15, pattern: '127.0.0.1' });
    counter.reset();
    expect(counter.unreached()).toHaveLength(9);
  });
});
