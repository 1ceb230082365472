// F17: lookups nested deeper than 64 levels are `nesting-too-deep`, never a stack overflow (issue 11, item 2).
import { describe, expect, it } from 'vitest';
import { memoryReader, parseMappings } from '../../src/index.js';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder, placed } from './helpers.js';

const OPENERS = { database: '${', mapping: '$|T;', routine: '$[a,b,', url: '$]', domain: '$}' };

describe('F17 nesting-too-deep', () => {
  for (const [name, opener] of Object.entries(OPENERS)) {
    it(`reports ${name} lookups opened 500 deep at the 65th opener`, () => {
      const parsed = parseMappings(`T1\n  a  ${opener.repeat(500)}\n  b  $Y\n`, { readInclude: memoryReader({}) });
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      expect(placed(errors)).toEqual([`nesting-too-deep@2:${6 + 64 * opener.length}`]);
      expect(parsed.tables[0]!.entries.map((entry) => entry.pattern)).toEqual(['b']);
    });
  }

  it('accepts 64 levels', () => {
    const parsed = parseMappings(`T1\n  a  ${'${'.repeat(64)}x${'}'.repeat(64)}\n`);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('lint, test, audit and decide report it and print no stack trace', async () => {
    const folder = hostileFolder({ m: `T1\n  a  ${'${'.repeat(500)}\n` });
    const file = `${folder}/m`;
    for (const argv of [['lint', file], ['test', file, '--table', 'T1', 'a'], ['audit', file], ['decide', file, '{}']]) {
      const run = await runImsmap(argv);
      expect(run.stdout + run.stderr, argv[0]).toContain('nesting-too-deep');
      expect(run.stderr, argv[0]).not.toMatch(/\n\s+at /);
      expect(run.status, argv[0]).not.toBe(70);
    }
  });
});
