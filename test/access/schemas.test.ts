import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type * as z from 'zod';
import {
  AccessPolicy,
  AccessSession,
  connectInputSchema,
  connectionTupleSchema,
  envelopeTupleSchema,
  mailInputSchema,
  rcptInputSchema,
  sessionRecipientSchema,
  sessionStateSchema,
  TupleError,
  validateTuple,
  type ConnectInput,
  type MailInput,
  type RcptInput,
} from '../../src/access/index.js';
import { describeIssue } from '../../src/access/schemas.js';
import { compileText, mappingsText, SERVER } from './helpers.js';

const policy = AccessPolicy.create(compileText(mappingsText('PORT_ACCESS', '', '  *  $Y'))) as AccessPolicy;
const client = { clientIp: '203.0.113.5', clientPort: 40000 };
const mail = { ...SERVER, ...client, from: 'a@example.net' };

/** The error a tuple gives, as `field: message`. */
function errorOf(result: unknown): string {
  expect(result).toBeInstanceOf(TupleError);
  return (result as TupleError).message;
}

describe('A27 tuples: errors name the field', () => {
  test('ports are integers from 0 to 65535', () => {
    expect(errorOf(policy.connect({ ...SERVER, ...client, serverPort: 70000 }))).toBe(
      'serverPort: must be an integer from 0 to 65535',
    );
    expect(errorOf(policy.connect({ ...SERVER, ...client, clientPort: 1.5 }))).toBe(
      'clientPort: must be an integer from 0 to 65535',
    );
    expect(errorOf(policy.connect({ ...SERVER, ...client, clientPort: -1 }))).toBe(
      'clientPort: must be an integer from 0 to 65535',
    );
    expect(errorOf(policy.decide({ stage: 'connect', ...SERVER, ...client, serverPort: '25' }))).toBe(
      'serverPort: must be an integer from 0 to 65535',
    );
  });

  test('IP addresses are parsed strictly (ipaddr.js): no leading zeros, short forms, names or zone indexes', () => {
    const message = 'must be an IPv4 dotted quad without leading zeros or an IPv6 address without zone index';
    for (const clientIp of ['010.1.2.3', '10.1.2', 'mail.example', 'fe80::1%eth0', '1.2.3.256', '']) {
      expect(errorOf(policy.connect({ ...SERVER, clientPort: 1, clientIp }))).toBe(`clientIp: ${message}`);
    }
    expect(policy.connect({ ...SERVER, clientPort: 1, clientIp: '2001:DB8::7' })).not.toBeInstanceOf(TupleError);
    expect(errorOf(policy.classifyClient('300.1.1.1'))).toBe(`clientIp: ${message}`);
  });

  test('missing and unknown fields', () => {
    expect(errorOf(policy.connect({ ...SERVER, clientPort: 1 } as ConnectInput))).toBe('clientIp: is required');
    const misspelt = { ...SERVER, clientPort: 1, clientIp: '192.0.2.1', clientIP: '192.0.2.1' };
    const error = policy.connect(misspelt) as TupleError;
    expect(error.field).toBe('clientIP');
    expect(error.message).toBe('clientIP: is not a known field');
  });

  test('every problem is listed, the first one named', () => {
    const error = policy.connect({ serverIp: 'x', serverPort: 99999 } as ConnectInput) as TupleError;
    expect(error.issues.map((issue) => issue.field)).toEqual(['serverIp', 'serverPort', 'clientIp', 'clientPort']);
    expect(error.path).toEqual(['serverIp']);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      field: 'serverIp',
      message: expect.stringMatching(/^serverIp: must be an IPv4/),
      issues: expect.arrayContaining([{ field: 'clientPort', message: 'is required' }]),
    });
  });

  test('A10: connection fields come all or none; without them the source channel is required', () => {
    expect(errorOf(policy.mailFrom({ from: 'a@b' }))).toBe(
      'srcChannel: is required for a non-SMTP submission (no connection fields given)',
    );
    expect(errorOf(policy.mailFrom({ serverIp: '192.0.2.25', from: 'a@b' } as MailInput))).toBe(
      'serverPort: is required when any connection field is given',
    );
    expect(policy.mailFrom({ from: 'a@b', srcChannel: 'l' })).not.toBeInstanceOf(TupleError);
  });

  test('envelope fields', () => {
    expect(errorOf(policy.mailFrom({ ...mail, from: '<a@example.net>' }))).toBe('from: must be given without angle brackets');
    expect(errorOf(policy.mailFrom({ ...mail, submitType: 'mail' as 'MAIL' }))).toBe(
      'submitType: must be one of "MAIL", "SEND", "SAML", "SOML"',
    );
    expect(errorOf(policy.mailFrom({ ...mail, srcChannel: 'tcp local' }))).toBe(
      'srcChannel: must be a channel name: not empty, without white space or "|"',
    );
    expect(errorOf(policy.mailFrom({ ...mail, srcChannel: 'tcp|auth' }))).toMatch(/^srcChannel: /);
    expect(errorOf(policy.mailFrom({ ...mail, authenticated: false, authSender: 'a@b' }))).toBe(
      'authSender: is given but authenticated is false',
    );
    // The null reverse-path is the empty string.
    expect(policy.mailFrom({ ...mail, from: '' })).not.toBeInstanceOf(TupleError);
  });

  test('recipient fields', () => {
    const rcpt = { ...mail, to: 'u@corp.example' };
    expect(errorOf(policy.rcptTo({ ...rcpt, to: '' }))).toBe('to: must not be empty');
    expect(errorOf(policy.rcptTo({ ...mail } as RcptInput))).toBe('to: is required');
    expect(errorOf(policy.rcptTo({ ...rcpt, expanded: [] }))).toBe('expanded: must list at least one address');
    expect(errorOf(policy.rcptTo({ ...rcpt, expanded: ['a@b', ''] }))).toBe('expanded[1]: must not be empty');
    expect(errorOf(policy.rcptTo({ ...rcpt, notify: ['NEVER', 'SUCCESS'] }))).toBe(
      'notify: NEVER must be the only NOTIFY keyword (RFC 3461)',
    );
    expect(errorOf(policy.rcptTo({ ...rcpt, notify: ['SOMETIMES' as 'NEVER'] }))).toBe(
      'notify[0]: must be one of "SUCCESS", "FAILURE", "DELAY", "NEVER"',
    );
    expect(errorOf(policy.rcptTo({ ...rcpt, orcpt: 'u@corp.example' }))).toMatch(/^orcpt: must be "type;address"/);
    expect(errorOf(policy.rcptTo({ ...rcpt, orcpt: 'rfc822;a+2' }))).toMatch(/^orcpt: /);
    expect(errorOf(policy.rcptTo({ ...rcpt, rcptIndex: 2, acceptedSoFar: 2 }))).toBe('acceptedSoFar: must be less than rcptIndex');
    expect(errorOf(policy.rcptTo({ ...rcpt, rcptIndex: 0 }))).toBe('rcptIndex: must be at least 1');
    expect(errorOf(policy.rcptTo({ ...rcpt, conversionTags: ['a,b'] }))).toBe(
      'conversionTags[0]: must be a tag without "," or white space',
    );
  });

  test('decide: the stage field chooses the tuple', () => {
    expect(errorOf(policy.decide('connect'))).toBe('must be an object with a "stage" field');
    expect(errorOf(policy.decide({ ...SERVER, ...client }))).toBe('stage: is required');
    expect(errorOf(policy.decide({ stage: 'data' }))).toBe('stage: must be one of "connect", "mail", "rcpt"');
    expect(errorOf(policy.decide({ stage: 'rcpt', ...mail }))).toBe('to: is required');
  });

  test('the session helper validates its tuples too', () => {
    expect(errorOf(AccessSession.open(policy, { ...SERVER, clientIp: '1.2.3', clientPort: 1 }))).toMatch(/^clientIp: /);
    expect(errorOf(AccessSession.open(policy, { ...SERVER, ...client }, { tls: 'yes' as unknown as boolean }))).toBe(
      'tls: must be a boolean',
    );
    const session = AccessSession.open(policy, { ...SERVER, ...client }) as AccessSession;
    expect(errorOf(session.rcptTo({ to: 'u@corp.example' }))).toBe('RCPT TO needs an accepted MAIL FROM first');
    expect(errorOf(session.rcptTo({ to: 'u@corp.example', rcptIndex: 3 } as never))).toBe('rcptIndex: is not a known field');
  });
});

describe('A27 options', () => {
  const set = compileText(mappingsText('PORT_ACCESS', '', '  *  $Y'));

  test('defaults', () => {
    const created = AccessPolicy.create(set) as AccessPolicy;
    expect(created.options).toEqual({
      channels: {
        local: 'tcp_local',
        intranet: 'tcp_intranet',
        auth: 'tcp_auth',
        submit: 'tcp_submit',
        localDelivery: 'ims-ms',
        submitPorts: [587],
        localDomains: [],
      },
      accessOrcpt: 0,
      accessCounts: 0,
      includeConversionTag: 0,
      accessCountsExpansion: false,
      mappingParanoia: '_',
      accessErrors: 0,
      tempFailCode: 450,
      notifyDefaultFlags: false,
      portAccessTildeLines: true,
      portAccessDefaultText: 'Connection refused',
      onEvaluationError: 'tempfail',
      explain: false,
    });
  });

  test('bad options give a TupleError naming the option', () => {
    expect(errorOf(AccessPolicy.create(set, { tempFailCode: 550 }))).toBe('tempFailCode: must be a 4xx reply code');
    expect(errorOf(AccessPolicy.create(set, { mappingParanoia: '|' }))).toBe(
      'mappingParanoia: must be one character other than "|", or false',
    );
    expect(errorOf(AccessPolicy.create(set, { channels: { submitPorts: [70000] } }))).toBe(
      'channels.submitPorts[0]: must be an integer from 0 to 65535',
    );
    expect(errorOf(AccessPolicy.create(set, { accessOrcpt: 32 }))).toBe('accessOrcpt: must be a bit mask from 0 to 31');
    expect(errorOf(AccessPolicy.create(set, { accessErrors: 2 as 1 }))).toBe('accessErrors: must be one of 0, 1');
    expect(errorOf(AccessPolicy.create(set, { mappingParanoia: true as unknown as false }))).toBe(
      'mappingParanoia: must be one character other than "|", or false',
    );
    expect(errorOf(AccessPolicy.create(set, { acessErrors: 1 } as never))).toBe('acessErrors: is not a known field');
    expect(errorOf(AccessPolicy.create(set, { onEvaluationError: 'ignore' as 'accept' }))).toBe(
      'onEvaluationError: must be one of "tempfail", "accept"',
    );
  });

  test('local domains are compared case-blind', () => {
    const created = AccessPolicy.create(set, { channels: { localDomains: ['Corp.Example'] } }) as AccessPolicy;
    expect(created.options.channels.localDomains).toEqual(['corp.example']);
  });
});

describe('the fast acceptance of plainly valid tuples answers as zod does', () => {
  // validateTuple accepts common, plainly valid tuples without zod; every answer must be zod's.
  const values = fc.constantFrom<unknown>(
    '192.0.2.25', '::1', '2001:db8::5', '::ffff:10.1.2.3', '010.1.2.3', '1.2.3', 'fe80::1%eth0', '',
    25, 0, 65535, 65536, -1, 2.5, NaN, Number.MAX_SAFE_INTEGER + 2, 1,
    true, false, null, undefined,
    'a@example.net', '<a@example.net>', '<>', 'x\r\nRSET', 'a\0b', 'tcp_local', 'tcp local', 'a|b', 'MAIL', 'SOML', 'mail',
    ['a@example.net'], { nested: 1 },
  );
  const fieldNames = [
    'serverIp', 'serverPort', 'clientIp', 'clientPort', 'helo', 'esmtp', 'lmtp', 'tls', 'authenticated', 'authSender',
    'dispatcher', 'appInfo', 'internal', 'from', 'submitType', 'srcChannel', 'to', 'dstChannel', 'rcptIndex',
    'acceptedSoFar', 'expansionCount', 'expanded', 'orcpt', 'clientIP', 'constructor', 'toString',
  ];
  const base = { serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@example.net', to: 'b@example.org' };
  const tuple = fc
    .tuple(fc.subarray(Object.keys(base)), fc.dictionary(fc.constantFrom(...fieldNames), values, { maxKeys: 2 }))
    .map(([kept, changed]) => ({ ...Object.fromEntries(kept.map((key) => [key, base[key as keyof typeof base]])), ...changed }));
  const schemas = {
    connectionTupleSchema,
    sessionStateSchema,
    envelopeTupleSchema,
    sessionRecipientSchema,
    connectInputSchema,
    mailInputSchema,
    rcptInputSchema,
  };

  test.each(Object.entries(schemas))('%s', (_, schema) => {
    fc.assert(
      fc.property(tuple, (value) => {
        const parsed = schema.safeParse(value, { error: describeIssue });
        const validated = validateTuple(schema as z.ZodType, value);
        if (parsed.success) expect(validated).toEqual(parsed.data);
        else expect(validated).toBeInstanceOf(TupleError);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a tuple is read once: what was checked is what is used (A31)', () => {
  test('a getter that turns to CR LF after the check cannot smuggle it into the validated tuple', () => {
    let reads = 0;
    const tuple = { serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 40000, from: 'a@example.net' };
    Object.defineProperty(tuple, 'to', {
      enumerable: true,
      get: () => (reads++ === 0 ? 'b@example.org' : 'b@example.org\r\nRSET'),
    });
    const validated = validateTuple(rcptInputSchema, tuple);
    expect(validated).not.toBeInstanceOf(TupleError);
    expect((validated as RcptInput).to).toBe('b@example.org');
    expect(reads).toBe(1);
  });
});
