import { describe, expect, test } from 'vitest';
import '../../src/adapters/vitest.js';
import { AccessPolicy, TupleError } from '../../src/access/index.js';
import { LivePolicy } from '../../src/adapters/live-policy.js';
import { compile } from '../../src/engine/compile.js';
import { loadMappings } from '../../src/syntax/node.js';
import { ACCESS_OPTIONS, TWO_TIER } from '../adapters/helpers.js';

const set = compile(loadMappings(TWO_TIER));
const policy = AccessPolicy.create(set, ACCESS_OPTIONS) as AccessPolicy;
const CONNECTION = { serverIp: '192.168.10.25', serverPort: 25, clientIp: '192.168.10.1', clientPort: 51000 };
const RELAY = { stage: 'rcpt', ...CONNECTION, from: 'a@sender.example', to: 'b@other.example' };

/** The message a failing matcher gives. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('imsmap/vitest: toMap', () => {
  test('passes when the given fields match; flags are a set, case-blind', () => {
    expect(set).toMap('PORT_ACCESS', 'TCP|192.168.10.25|25|192.168.10.1|51000', { inputFlags: 'A', flags: ['y'], entry: 2 });
    expect(set).toMap('internal_ip', '192.168.10.1', { output: '', flags: ['N'], matched: true });
    expect(policy).toMap('ORIG_SEND_ACCESS', 'tcp_local|a|tcp_local|b', { flags: ['D', 'N'] });
  });

  test('a failure names each field with expected and actual values, and shows the result', () => {
    const message = failure(() => expect(set).toMap('PORT_ACCESS', 'TCP|192.168.10.25|25|203.0.113.5|4000', { flags: ['Y'] }));
    expect(message.split('\n')).toEqual([
      'expected PORT_ACCESS to map "TCP|192.168.10.25|25|203.0.113.5|4000" to {"flags":["Y"]}',
      '  - expected',
      '  + actual',
      '  - flags: ["Y"]',
      '  + flags: ["N"]',
      '  Input string: TCP|192.168.10.25|25|203.0.113.5|4000',
      '  Output string: 500 Please use port 587 to send mail',
      "  Output flags: [0, 'N' (78)]",
      `  Produced by entry #3 at ${TWO_TIER}:22`,
    ]);
  });

  test('.not fails when the mapping does match', () => {
    expect(set).not.toMap('INTERNAL_IP', '192.168.10.1', { flags: ['Y'] });
    expect(failure(() => expect(set).not.toMap('INTERNAL_IP', '192.168.10.50', { flags: ['Y'] }))).toMatch(
      /^expected INTERNAL_IP to map "192\.168\.10\.50" to \{"flags":\["Y"\]\} not to hold, but it did/,
    );
  });

  test('a value that is not a set is reported as such', () => {
    expect(failure(() => expect('mappings').toMap('PORT_ACCESS', 'x'))).toBe(
      'expected a MappingSet, AccessPolicy or LivePolicy, received string',
    );
  });
});

describe('imsmap/vitest: toReject and toAccept', () => {
  test('toReject checks the action and the reply fields given', () => {
    expect(policy).toReject(RELAY, { code: 550, enhanced: '5.7.1', text: 'Relaying not allowed: b@other.example' });
    expect(policy).toReject({ stage: 'connect', ...CONNECTION, clientIp: '203.0.113.5' }, { code: 500, closeConnection: true });
  });

  test('toReject fails on an acceptance, showing the decision', () => {
    const message = failure(() => expect(policy).toReject({ ...RELAY, to: 'c@corp.example' }, { code: 550 }));
    expect(message).toContain('  - action: "reject"\n  + action: "accept"\n  - code: 550\n  + code: (none)\n');
    expect(message).toContain('  rcpt to <c@corp.example>: accept');
  });

  test('toAccept, on a LivePolicy too', () => {
    const live = LivePolicy.load(TWO_TIER, { access: ACCESS_OPTIONS }) as LivePolicy;
    expect(live).toAccept({ ...RELAY, to: 'c@corp.example' }, { srcChannel: 'tcp_local', dstChannel: 'ims-ms' });
    expect(live).not.toAccept(RELAY);
  });

  test('an invalid tuple fails with the field named', () => {
    expect(failure(() => expect(policy).toAccept({ ...RELAY, clientIp: 'localhost' }))).toContain(
      '  + tuple: "clientIp: must be an IPv4 dotted quad',
    );
    expect(AccessPolicy.create(set, { tempFailCode: 1 })).toBeInstanceOf(TupleError);
  });
});
