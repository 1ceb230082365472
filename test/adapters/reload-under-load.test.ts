import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { TupleError, type Decision } from '../../src/access/index.js';
import { livePolicy, temporaryDirectory } from './helpers.js';

// Thousands of asynchronous decisions in flight while the file is reloaded a hundred times, alternating
// a broken file with two good versions. Every table of each version answers through a routine that
// returns only after a macrotask, so decisions really are suspended while reloads happen, and each
// table's answer names its version: a decision that mixed two versions would show it.

/** A good version: every table answers `tag` after a pause; INTERNAL_IP calls the client internal or not. */
function version(tag: string, internal: boolean): string {
  const answer = `$[site,pause,${tag}]`;
  return [
    `! version ${tag}`,
    'INTERNAL_IP',
    `  *  ${answer}${internal ? '$Y' : '$N'}`,
    'PORT_ACCESS',
    `  *  ${answer}$Y`,
    ...['ORIG_SEND_ACCESS', 'SEND_ACCESS', 'ORIG_MAIL_ACCESS', 'MAIL_ACCESS'].flatMap((table) => [table, `  *  ${answer}$Y`]),
    '',
  ].join('\n');
}

const VERSIONS = {
  v1: { text: version('v1', true), srcChannel: 'tcp_intranet', internal: true },
  v2: { text: version('v2', false), srcChannel: 'tcp_local', internal: false },
} as const;
type VersionName = keyof typeof VERSIONS;

/** An unterminated IP construct: an error diagnostic, so the reload must keep the tables in use (F14). */
const BROKEN = 'INTERNAL_IP\n  $(192.168.10.0/24  $Y\n';

const DECISIONS = 8000;
const RELOADS = 100;
const IN_FLIGHT = 1000;

test('reloads under load: no decision fails, none mixes two versions of the tables', async () => {
  const scratch = temporaryDirectory('imsmap-reload-');
  try {
    const file = path.join(scratch.directory, 'mappings');
    writeFileSync(file, VERSIONS.v1.text);
    const pause = (argument: string) => new Promise<string>((resolve) => setImmediate(() => resolve(argument)));
    const live = livePolicy(file, { compile: { routines: { pause } } });
    const versionOf = new Map<number, VersionName>([[1, 'v1']]);

    const counts = { decisions: 0, connect: 0, rcpt: 0, failed: 0, mixed: 0, spanned: 0, replaced: 0, kept: 0 };
    const generationsSeen = new Set<number>();

    const decideOnce = async (index: number): Promise<void> => {
      const stage = index % 4 === 0 ? 'connect' : 'rcpt';
      const tuple = {
        stage,
        serverIp: '192.0.2.25',
        serverPort: 25,
        clientIp: '198.51.100.7',
        clientPort: 40000 + (index % 20000),
        ...(stage === 'rcpt' ? { from: `s${index}@sender.example`, to: `r${index}@other.example` } : {}),
      };
      const started = live.current.generation;
      let decision: Decision | TupleError;
      try {
        decision = await live.decideAsync(tuple);
      } catch {
        counts.failed += 1;
        return;
      }
      counts.decisions += 1;
      counts[stage] += 1;
      generationsSeen.add(started);
      if (live.current.generation !== started) counts.spanned += 1;
      if (decision instanceof TupleError || decision.action !== 'accept' || decision.results.some((result) => result.outcome === 'error')) {
        counts.failed += 1;
        return;
      }
      const expected = VERSIONS[versionOf.get(started)!];
      const answers = decision.results.map((result) => result.text);
      const consistent =
        answers.every((text) => text === versionOf.get(started)) &&
        (stage === 'connect' ? decision.internal === expected.internal : decision.srcChannel === expected.srcChannel);
      if (!consistent) counts.mixed += 1;
    };

    const load = (async () => {
      let next = 0;
      const worker = async () => {
        while (next < DECISIONS) await decideOnce(next++);
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    })();

    const reloads = (async () => {
      let good: VersionName = 'v1';
      for (let reload = 1; reload <= RELOADS; reload += 1) {
        // Spread the reloads over the whole run, while about IN_FLIGHT decisions are suspended.
        while (counts.decisions + counts.failed < (reload * DECISIONS) / (RELOADS + 1)) await nextMacrotask();
        const broken = reload % 2 === 1;
        if (!broken) good = good === 'v1' ? 'v2' : 'v1';
        writeFileSync(file, broken ? BROKEN : VERSIONS[good].text);
        const before = live.current.generation;
        const result = live.reload();
        if (broken) {
          expect(result).toMatchObject({ replaced: false, generation: before });
          expect(result.diagnostics.some((diagnostic) => diagnostic.severity === 'error')).toBe(true);
          counts.kept += 1;
        } else {
          expect(result).toMatchObject({ replaced: true, generation: before + 1 });
          versionOf.set(result.generation, good);
          counts.replaced += 1;
        }
      }
    })();

    await Promise.all([load, reloads]);
    console.log(
      `reload under load: ${counts.decisions} decisions checked (${counts.connect} connect, ${counts.rcpt} rcpt), ` +
        `${RELOADS} reloads (${counts.replaced} replaced, ${counts.kept} kept: broken file), ` +
        `${counts.spanned} decisions in flight across a reload, ${generationsSeen.size} generations used, ` +
        `${counts.failed} failed, ${counts.mixed} mixed`,
    );
    expect(counts).toMatchObject({ decisions: DECISIONS, failed: 0, mixed: 0, replaced: RELOADS / 2, kept: RELOADS / 2 });
    expect(counts.spanned).toBeGreaterThan(0);
    expect(generationsSeen.size).toBeGreaterThan(2);
  } finally {
    scratch.remove();
  }
});
