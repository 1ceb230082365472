// F17: a logical line longer than 1,048,576 characters is `line-too-long` and skipped (issue 11, item 5).
import { describe, expect, it } from 'vitest';
import { parseMappings } from '../../src/index.js';
import { runImsmap } from '../cli/harness.js';
import { hostileFolder, placed } from './helpers.js';

describe('F17 line-too-long', () => {
  it('skips a line of 8.4 million characters and parses the rest', () => {
    const parsed = parseMappings(`T1\n  a  ${'b'.repeat(8_400_000)}\n  c  $Y\n`);
    expect(placed(parsed.diagnostics)).toEqual(['line-too-long@2:1']);
    expect(parsed.tables[0]!.entries.map((entry) => entry.pattern)).toEqual(['c']);
  });

  it('counts the logical line: continued pieces add up', () => {
    const half = 'b'.repeat(600_000);
    const parsed = parseMappings(`T1\n  a  ${half}\\\n${half}\n`);
    expect(placed(parsed.diagnostics)).toEqual(['line-too-long@2:1']);
  });

  it('parses a line just under the limit, even one of many template pieces', () => {
    const parsed = parseMappings(`T1\n  a ${' b'.repeat(500_000)}\n`);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['long-template', 'dropped-whitespace']);
  });

  it('lint reports it without a stack trace', async () => {
    const folder = hostileFolder({ m: `T1\n  a  ${'b'.repeat(8_400_000)}\n` });
    const run = await runImsmap(['lint', `${folder}/m`]);
    expect(run.stdout).toContain('line-too-long');
    expect(run.status).toBe(1);
  });
});
