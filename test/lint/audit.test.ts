// `imsmap audit`: the battery of tuples through AccessPolicy, the open-relay verdict with its proof, and
// the two-tier NAT case of issue 4 (fixtures/two-tier).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TupleError } from '../../src/access/schemas.js';
import { auditMappings, type AuditReport } from '../../src/lint/audit.js';
import { loadMappings, parseMappings } from '../../src/syntax/node.js';
import { runImsmap } from '../cli/harness.js';
import { corpusDir, repoDir } from './helpers.js';

const FIXED = 'fixtures/two-tier/mappings';
const OPEN_RELAY = 'fixtures/two-tier/mappings-open-relay';
const GATEWAY = '192.168.10.1';

function audit(file: string, gateway?: string): AuditReport {
  const report = auditMappings(loadMappings(path.join(repoDir, file)), gateway === undefined ? {} : { gateway });
  if (report instanceof TupleError) throw report;
  return report;
}

const outcomes = (report: AuditReport) => Object.fromEntries(report.checks.map((check) => [check.id, check.delivered]));

describe('the two-tier site behind a NAT firewall', () => {
  it('the file without the firewall line is an open relay through the gateway, which counts as internal', () => {
    const report = audit(OPEN_RELAY, GATEWAY);
    expect(report.openRelay).toBe('yes');
    expect(report.relayProof).toMatchObject({ id: 'gateway-relay', client: GATEWAY, port: 25, internal: true, srcChannel: 'tcp_intranet', dstChannel: 'tcp_local' });
    expect(report.gateway).toEqual({ address: GATEWAY, internal: true, entry: expect.objectContaining({ table: 'INTERNAL_IP', index: 1, line: 13 }) });
    expect(report.summary[0]).toMatch(/^OPEN RELAY: a client coming through the gateway 192\.168\.10\.1 .* is accepted \(tcp_intranet → tcp_local\)/);
    expect(report.summary[1]).toMatch(/^GATEWAY INTERNAL: 192\.168\.10\.1 counts as internal: INTERNAL_IP entry at \S+\/fixtures\/two-tier\/mappings-open-relay:13 decides\./);
  });

  it('the fixed file is not: the gateway is external and relaying through it meets the anti-relay entry', () => {
    const report = audit(FIXED, GATEWAY);
    expect(report.openRelay).toBe('no');
    expect(report.gateway).toMatchObject({ address: GATEWAY, internal: false, entry: { index: 1, line: 13 } });
    const gateway = report.checks.find((check) => check.id === 'gateway-relay')!;
    expect(gateway.stages.map((stage) => stage.summary)).toEqual([
      `accepted (PORT_ACCESS entry at ${path.join(repoDir, FIXED)}:21 permits it)`,
      'accepted (no table of this stage is defined)',
      `refused by ORIG_SEND_ACCESS entry at ${path.join(repoDir, FIXED)}:27: 550 5.7.1 Relaying not allowed: relay-test@example.org`,
    ]);
  });

  it('runs the whole battery: external, authenticated, submission, internal, loopback, gateway', () => {
    expect(outcomes(audit(FIXED, GATEWAY))).toEqual({
      'external-relay': false,
      'external-local': false,
      'authenticated-relay': false,
      'submit-587': true,
      'submit-587-auth': true,
      'internal-relay': true,
      'loopback-relay': true,
      'gateway-relay': false,
    });
    const internal = audit(FIXED).checks.find((check) => check.id === 'internal-relay')!;
    // The subnet's first host is the firewall, which is not internal; its last host is.
    expect(internal).toMatchObject({ client: '192.168.10.254', internal: true, srcChannel: 'tcp_intranet' });
  });

  it('says in plain words who is internal and who may send without AUTH on which port', () => {
    const summary = audit(FIXED).summary;
    expect(summary).toContain('Internal clients (INTERNAL_IP gives $Y): $(192.168.10.0/24) (line 14), 127.0.0.1 (line 15); every other client is external.');
    expect(summary).toContain(`Port 25 without AUTH: external clients are refused at connect (connect: refused by PORT_ACCESS entry at ${path.join(repoDir, FIXED)}:22: 500 Please use port 587 to send mail).`);
    expect(summary).toContain(
      'Port 587 without AUTH: the mappings accept relaying (tcp_submit → tcp_local); the tcp_submit channel is mustsaslserver (access.md A24), so the MTA itself demands AUTH there.',
    );
  });
});

describe('other verdicts', () => {
  it('a recipient table without anti-relay entry: open relay straight from the Internet', () => {
    const report = audit('fixtures/lint/no-anti-relay/triggers.mappings');
    expect(report.openRelay).toBe('yes');
    expect(report.relayProof).toMatchObject({ id: 'external-relay', client: '198.51.100.7', srcChannel: 'tcp_local', dstChannel: 'tcp_local' });
  });

  it('INTERNAL_IP giving $Y to everyone makes every client internal and the site an open relay', () => {
    const report = auditMappings(parseMappings('INTERNAL_IP\n  *  $Y\nORIG_SEND_ACCESS\n  tcp_local|*|tcp_local|*  $N\n'));
    expect(report).toMatchObject({ openRelay: 'yes', relayProof: { id: 'external-relay', internal: true, srcChannel: 'tcp_intranet' } });
  });

  it('cannot tell when the decision rests on a routine it cannot run (gross-2)', () => {
    const report = auditMappings(loadMappings(path.join(corpusDir, 'gross-2.mappings')));
    expect(report).toMatchObject({ openRelay: 'unknown' });
    expect((report as AuditReport).summary[0]).toBe(
      'Open relay: cannot tell — the relay checks depend on routine grosscheck, which the audit cannot evaluate (it assumes they fail).',
    );
  });

  it('refuses a gateway that is not an IP address with a typed error', () => {
    expect(auditMappings(parseMappings('T\n'), { gateway: 'firewall' })).toBeInstanceOf(TupleError);
  });
});

describe('imsmap audit', () => {
  it('exits 1 for the open relay through the gateway, and prints the proof first', async () => {
    const run = await runImsmap(['audit', OPEN_RELAY, '--gateway', GATEWAY]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`Audit of ${OPEN_RELAY} (gateway ${GATEWAY})`);
    expect(lines[2]).toMatch(/^OPEN RELAY: /);
    expect(run.stdout).toContain('\nChecks:\n  external-relay       refused: an external client on port 25 without AUTH, to an outside address\n');
  });

  it('exits 0 for the fixed file, with or without the gateway', async () => {
    expect((await runImsmap(['audit', FIXED, '--gateway', GATEWAY])).status).toBe(0);
    expect((await runImsmap(['audit', FIXED])).status).toBe(0);
  });

  it('without --gateway the open-relay file is not flagged: direct clients are refused at connect', async () => {
    expect((await runImsmap(['audit', OPEN_RELAY])).status).toBe(0);
  });

  it('prints one JSON object with --json, decisions reduced to their summaries and replies', async () => {
    const run = await runImsmap(['audit', OPEN_RELAY, '--gateway', GATEWAY, '--json']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report).toMatchObject({ file: OPEN_RELAY, openRelay: 'yes', gateway: { internal: true }, relayProof: { id: 'gateway-relay' } });
    expect(report.checks[0].stages[0]).toEqual({
      stage: 'connect',
      accepted: false,
      summary: `refused by PORT_ACCESS entry at ${OPEN_RELAY}:21: 500 Please use port 587 to send mail`,
      reply: ['500 Please use port 587 to send mail'],
    });
  });

  it('exits 2 for usage mistakes and unreadable files', async () => {
    expect((await runImsmap(['audit'])).status).toBe(2);
    expect((await runImsmap(['audit', FIXED, '--gateway', 'firewall'])).stderr).toContain("--gateway takes an IP address, not 'firewall'");
    expect((await runImsmap(['audit', 'fixtures/no-such'])).status).toBe(2);
  });
});
