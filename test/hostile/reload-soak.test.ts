// The A32 reload soak of scripts/reload-soak.mjs, run on the sources for 20 seconds: a writer thread
// rewrites the watched file every careless way while decisions run in a tight loop.
import { expect, test } from 'vitest';
import * as library from '../../src/index.js';
import { runSoak } from '../../scripts/reload-soak.mjs';

test('reload soak: no decision from a forbidden generation, the relay never accepted, every refusal has its reason', async () => {
  const { counts, problems } = await runSoak({ library, seconds: 20 });
  console.log(`reload soak: ${JSON.stringify(counts)}`);
  expect(problems).toEqual([]);
  expect(counts).toMatchObject({ forbiddenDecisions: 0, relayAccepted: 0, crashes: 0, refusedWithoutReason: 0 });
  expect(counts.relayDecisions).toBeGreaterThan(0);
}, 60_000);
