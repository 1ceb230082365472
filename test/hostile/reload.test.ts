// access.md A32: a live policy replaces its tables only with a complete, stable and no less safe
// generation, reports every refusal with its reason, and never throws. Issue 11 item 1: `truncateSync(f,
// 0); live.reload()` gave `replaced: true` and the relay tuple was then accepted.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { TupleError, type Decision } from '../../src/access/index.js';
import { LivePolicy, PolicyLoadError, type ReloadResult } from '../../src/adapters/live-policy.js';
import { temporaryDirectory } from '../adapters/helpers.js';
import { bounded } from '../adapters/smtp-client.js';

const SAFE = fileURLToPath(new URL('../../fixtures/hostile/anti-relay.mappings', import.meta.url));
const SAFE_TEXT = readFileSync(SAFE, 'utf8');
const ACCESS = { channels: { localDomains: ['corp.example'] } };
const RELAY = { stage: 'rcpt', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@ext.example', to: 'b@other.example' };

function action(result: Decision | TupleError): string {
  if (result instanceof TupleError) throw result;
  return result.action;
}

const scratches: Array<() => void> = [];
afterEach(() => {
  for (const remove of scratches.splice(0)) remove();
});

function livePolicyOnCopy(options: Parameters<typeof LivePolicy.load>[1] = { access: ACCESS }): { file: string; live: LivePolicy } {
  const scratch = temporaryDirectory('imsmap-a32-');
  scratches.push(scratch.remove);
  const file = path.join(scratch.directory, 'mappings');
  copyFileSync(SAFE, file);
  const live = LivePolicy.load(file, options);
  if (live instanceof PolicyLoadError) throw live;
  expect(live.current.openRelay).toBe('no');
  expect(action(live.decide(RELAY))).toBe('reject');
  return { file, live };
}

/** Every proper cut of the safe file at a line boundary. */
function lineCuts(text: string): string[] {
  const cuts: string[] = [];
  for (let end = text.indexOf('\n'); end >= 0 && end < text.length - 1; end = text.indexOf('\n', end + 1)) cuts.push(text.slice(0, end + 1));
  return cuts;
}

describe('A32 — refused reloads keep the tables in use and say why', () => {
  test('an emptied file (item 3)', () => {
    const { file, live } = livePolicyOnCopy();
    truncateSync(file, 0);
    expect(live.reload()).toMatchObject({ replaced: false, generation: 1, refused: { reason: 'empty' } });
    expect(action(live.decide(RELAY))).toBe('reject');
  });

  test('every cut at a line boundary, headers included (items 3 and 4)', () => {
    const { file, live } = livePolicyOnCopy();
    const reasons = new Set<string>();
    for (const cut of lineCuts(SAFE_TEXT)) {
      writeFileSync(file, cut);
      const result = live.reload();
      expect(result.replaced, JSON.stringify(cut)).toBe(false);
      reasons.add(result.refused!.reason);
      expect(result.refused!.message).not.toBe('');
      expect(action(live.decide(RELAY))).toBe('reject');
    }
    expect([...reasons].sort()).toEqual(['empty', 'lost-table', 'relay-guard']);
  });

  test('a file without the anti-relay rule: the relay guard (item 4)', () => {
    const { file, live } = livePolicyOnCopy();
    writeFileSync(file, SAFE_TEXT.replace(/^ {2}tcp_local.*$/m, '  *  $Y'));
    const result = live.reload();
    expect(result).toMatchObject({ replaced: false, refused: { reason: 'relay-guard' } });
    expect(result.refused!.message).toMatch(/are \(imsmap audit\)/);
  });

  test('a broken file (item 1)', () => {
    const { file, live } = livePolicyOnCopy();
    writeFileSync(file, `${SAFE_TEXT}  $(10.0.0.0/8  $N\n`);
    expect(live.reload()).toMatchObject({ replaced: false, refused: { reason: 'errors' } });
  });

  test('a file unlinked before it is recreated', () => {
    const { file, live } = livePolicyOnCopy();
    rmSync(file);
    expect(live.reload()).toMatchObject({ replaced: false, refused: { reason: 'unreadable' } });
    writeFileSync(file, SAFE_TEXT.replace('one', 'two'));
    expect(live.reload()).toMatchObject({ replaced: true, generation: 2 });
  });

  test('deep nesting: whatever the parser does, a reload never throws', () => {
    const { file, live } = livePolicyOnCopy();
    writeFileSync(file, `${SAFE_TEXT}\nT1\n  a  ${'${'.repeat(5000)}\n`);
    const result = live.reload();
    expect(result.replaced).toBe(false);
    expect(result.refused?.message).toBeTruthy();
    expect(action(live.decide(RELAY))).toBe('reject');
  });

  test('a load that throws (malformed engine options) is a PolicyLoadError, not an exception', () => {
    const scratch = temporaryDirectory('imsmap-a32-');
    scratches.push(scratch.remove);
    const file = path.join(scratch.directory, 'mappings');
    copyFileSync(SAFE, file);
    const result = LivePolicy.load(file, { compile: { stepLimit: -1 } });
    expect(result).toBeInstanceOf(PolicyLoadError);
    expect((result as PolicyLoadError).reason).toBe('load-failed');
  });
});

describe('A32 — force is explicit and says what it was forced past (item 5)', () => {
  test('an emptied file taken with force', () => {
    const { file, live } = livePolicyOnCopy();
    truncateSync(file, 0);
    const result = live.reload({ force: true });
    expect(result).toMatchObject({ replaced: true, generation: 2, forced: { reason: 'empty' } });
    expect(live.current.forced).toBe(true);
    expect(action(live.decide(RELAY))).toBe('accept');
  });

  test('a good reload is not forced', () => {
    const { file, live } = livePolicyOnCopy();
    writeFileSync(file, SAFE_TEXT.replace('one', 'two'));
    const result = live.reload({ force: true });
    expect(result).toMatchObject({ replaced: true, generation: 2 });
    expect(result.forced).toBeUndefined();
    expect(live.current.forced).toBe(false);
  });
});

describe('A32 item 2 — the watcher takes only a file that held still', () => {
  test('an in-place rewrite with pauses shorter than the debounce interval gives one reload, of the whole file', async () => {
    const { file, live } = livePolicyOnCopy();
    const results: ReloadResult[] = [];
    let settled: () => void = () => undefined;
    const watch = live.watch({ debounceMs: 60, onReload: (result) => (results.push(result), result.replaced && settled()) });
    try {
      const replaced = bounded(new Promise<void>((resolve) => (settled = resolve)), 'the reload');
      const next = SAFE_TEXT.replace('one', 'two');
      truncateSync(file, 0);
      for (const line of next.split(/(?<=\n)/)) {
        writeFileSync(file, line, { flag: 'a' });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await replaced;
      expect(results.filter((result) => result.replaced)).toHaveLength(1);
      expect(live.current.sha256).toBe(sha256Of(next));
      expect(action(live.decide(RELAY))).toBe('reject');
    } finally {
      watch.close();
      live.close();
    }
  });
});

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
