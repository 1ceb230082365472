// LivePolicy takes a compiled file (imsmap build) in place of the text — how big sites
// reload without a parse pause — and the A32 reload guards still apply to it: a rebuilt file that
// makes an open relay, a stale file and a truncated one are refused and the tables in use stay.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LivePolicy, PolicyLoadError } from '../../src/adapters/live-policy.js';
import { buildCompiledFile } from '../../src/engine/snapshot/node.js';
import { decided, testDirectory } from './helpers.js';

const SAFE_TEXT = readFileSync(fileURLToPath(new URL('../../fixtures/hostile/anti-relay.mappings', import.meta.url)), 'utf8');
const ACCESS = { channels: { localDomains: ['corp.example'] } };
const RELAY = { stage: 'rcpt', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@ext.example', to: 'b@other.example' };
const CONNECT = { stage: 'connect', serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000 };

/** A live policy on a compiled file built from the safe text, and a function that rebuilds it from new text. */
function compiledPolicy(): { live: LivePolicy; source: string; compiled: string; rebuild: (text: string) => void } {
  const directory = testDirectory('imsmap-compiled-live-');
  const source = path.join(directory, 'mappings');
  const compiled = path.join(directory, 'mappings.imc');
  const rebuild = (text: string) => {
    writeFileSync(source, text);
    expect(buildCompiledFile(source, compiled).written).toBe(true);
  };
  rebuild(SAFE_TEXT);
  const live = LivePolicy.load(compiled, { access: ACCESS });
  if (live instanceof PolicyLoadError) throw live;
  return { live, source, compiled, rebuild };
}

describe('LivePolicy on a compiled file', () => {
  it('decides as on the text, watches the compiled file, and takes a rebuilt one', () => {
    const { live, compiled, rebuild } = compiledPolicy();
    expect(decided(live.decide(RELAY)).action).toBe('reject');
    expect(live.current.files).toEqual([compiled]);
    expect(live.current.openRelay).toBe('no');
    expect(JSON.stringify(decided(live.decide(CONNECT)))).toMatch(/generation one/);
    rebuild(SAFE_TEXT.replace('generation$ one', 'generation$ two'));
    expect(live.reload()).toMatchObject({ replaced: true, generation: 2 });
    expect(JSON.stringify(decided(live.decide(CONNECT)))).toMatch(/generation two/);
  });

  it('keeps the tables in use when the rebuilt file makes an open relay (A32 item 4)', () => {
    const { live, rebuild } = compiledPolicy();
    rebuild(SAFE_TEXT.replace('tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed', ''));
    expect(live.reload()).toMatchObject({ replaced: false, generation: 1, refused: { reason: 'relay-guard' } });
    expect(decided(live.decide(RELAY)).action).toBe('reject');
  });

  it('keeps the tables in use when the compiled file is stale or truncated', () => {
    const { live, source, compiled } = compiledPolicy();
    writeFileSync(source, SAFE_TEXT + '! edited, not rebuilt\n');
    const stale = live.reload();
    expect(stale).toMatchObject({ replaced: false, generation: 1, refused: { reason: 'load-failed' } });
    expect(stale.refused?.message).toMatch(/built from .*mappings, which has changed since/);
    writeFileSync(source, SAFE_TEXT);
    truncateSync(compiled, 200);
    expect(live.reload()).toMatchObject({ replaced: false, generation: 1, refused: { reason: 'load-failed' } });
    expect(decided(live.decide(RELAY)).action).toBe('reject');
  });
});
