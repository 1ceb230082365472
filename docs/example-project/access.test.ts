// Rule tests for example.org's mappings file, as a project that uses imsmap writes them.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { AccessPolicy, CaseFileError, compile, hasErrors, loadCaseFile, loadMappings, runCase, TupleError } from 'imsmap';
import 'imsmap/vitest';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const parsed = loadMappings(here('./mappings'));
const set = compile(parsed);
const policy = AccessPolicy.create(set, { channels: { localDomains: ['example.org'] } });
if (policy instanceof TupleError) throw policy;

// A connection to mx.example.org's port 25 from `clientIp`, as `imsmap decide` reads it.
const mx = (clientIp: string) => ({ serverIp: '192.0.2.25', serverPort: 25, clientIp, clientPort: 40000 });

test('the mappings file has no errors', () => {
  expect(hasErrors(parsed.diagnostics)).toBe(false);
});

describe('tables', () => {
  test('the office LAN is internal, the Internet is not', () => {
    expect(set).toMap('INTERNAL_IP', '192.0.2.50', { flags: ['Y'] });
    expect(set).toMap('INTERNAL_IP', '203.0.113.9', { flags: ['N'] });
    expect(set).not.toMap('INTERNAL_IP', '198.51.100.7', { flags: ['Y'] });
  });

  test("the Dispatcher's probe from the office is accepted by the first entry", () => {
    expect(set).toMap('PORT_ACCESS', 'TCP|192.0.2.25|25|192.0.2.50|40000', { inputFlags: 'A', flags: ['Y'], entry: 1 });
  });
});

describe('decisions', () => {
  test('the flooding network is turned away with a temporary 421 and the connection closed', () => {
    expect(policy).toReject({ stage: 'connect', ...mx('198.51.100.7') }, { code: 421, enhanced: '4.7.0', closeConnection: true });
  });

  test('relaying from the Internet is refused after a delay', () => {
    expect(policy).toReject(
      { stage: 'rcpt', ...mx('203.0.113.9'), from: 'someone@sender.example', to: 'victim@elsewhere.example' },
      { reply: '550 5.7.1 Relaying not allowed: victim@elsewhere.example', delay: { centiseconds: 30, scope: 'transaction' } },
    );
  });

  test('authenticated users may relay', () => {
    expect(policy).toAccept(
      { stage: 'rcpt', ...mx('203.0.113.9'), authenticated: true, from: 'alice@example.org', to: 'friend@elsewhere.example' },
      { srcChannel: 'tcp_auth' },
    );
  });
});

describe('cases.json', () => {
  // The same cases `npx imsmap check mappings cases.json` runs.
  const cases = loadCaseFile(here('./cases.json'));
  if (cases instanceof CaseFileError) throw cases;
  const casePolicy = AccessPolicy.create(set, cases.options ?? {});
  if (casePolicy instanceof TupleError) throw casePolicy;

  test.each(cases.cases.map((testCase, index) => [index + 1, testCase] as const))('case %i', (_index, testCase) => {
    const result = runCase(testCase, { mappings: set, policy: casePolicy });
    expect(result.differences, result.details.join('\n')).toEqual([]);
  });
});
