// Issue 11, item 11: the audit refuses to judge a file it cannot read instead of calling it an open relay.
import { describe, expect, it } from 'vitest';
import { auditMappings, loadMappings } from '../../src/index.js';
import { runImsmap } from '../cli/harness.js';

describe('audit of an unreadable file', () => {
  it('says it cannot judge, never "yes"', () => {
    const report = auditMappings(loadMappings('/nonexistent/mappings'));
    expect(report).toMatchObject({ openRelay: 'unknown', checks: [] });
    expect((report as { summary: string[] }).summary[0]).toMatch(/^CANNOT JUDGE/);
  });

  it('imsmap audit exits 2', async () => {
    const run = await runImsmap(['audit', '/nonexistent/mappings']);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toContain('OPEN RELAY');
  });
});
