// access.md A31 and A33: what a tuple may hold. CR, LF and NUL in any field are a TupleError naming the
// field; a reply line never holds CR or LF, and other controls in it are escaped. Issue 11 items 7 and 9:
// a recipient `b@y\r\n250 2.1.5 OK` was echoed into reply.lines, and a conversion tag with `|` was refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TupleError, type Decision } from '../../src/access/index.js';
import { decided, mappingsText, policyFor, replyText, SERVER } from '../access/helpers.js';

const EXTERNAL = { ...SERVER, clientIp: '203.0.113.5', clientPort: 40000 };

// Every address table echoes its fields into the rejection text, so a forged line would reach the reply.
const ECHO = mappingsText(
  'PORT_ACCESS',
  '',
  '  TCP|*|*|$(198.51.100.0/24)|*  $N421$ $0~$0',
  '',
  'FROM_ACCESS',
  '',
  '  *|*|*|*|*|*|*|*|x*|*  $N$0',
  '',
  'ORIG_SEND_ACCESS',
  '',
  '  *|*|*|*  $N$0|$1|$3',
);

function tupleError(result: Decision | TupleError): TupleError {
  expect(result).toBeInstanceOf(TupleError);
  return result as TupleError;
}

describe('A31 — CR, LF and NUL are refused in every text field, naming it', () => {
  const policy = policyFor(ECHO, { includeConversionTag: 127, accessOrcpt: 1 });
  const rcpt = { ...EXTERNAL, from: 'a@ext.example', to: 'b@other.example' };

  it.each([
    ['to', 'b@y\r\n250 2.1.5 OK'],
    ['from', 'a@x\n'],
    ['helo', 'mx\0.example'],
    ['authSender', 'a@x\r'],
    ['appInfo', 'SMTP/\n'],
    ['srcChannel', 'tcp\0local'],
    ['dstChannel', 'tcp\0local'],
  ])('%s', (field, value) => {
    const error = tupleError(policy.rcptTo({ ...rcpt, [field]: value }));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/CR, LF or NUL|channel name/);
  });

  it('an element of expanded and of conversionTags is named with its index', () => {
    expect(tupleError(policy.rcptTo({ ...rcpt, expanded: ['ok@x', 'b\0@x'] })).field).toBe('expanded[1]');
    expect(tupleError(policy.rcptTo({ ...rcpt, conversionTags: ['ok', 'a\0'] })).field).toBe('conversionTags[1]');
  });

  it('an ORCPT whose xtext decodes to CR, LF or NUL is refused: the probe holds the decoded address', () => {
    for (const orcpt of ['rfc822;a+0D+0Ab@x', 'rfc822;a+0ab@x', 'rfc822;a+00@x', 'rfc822;a\r@x']) {
      expect(tupleError(policy.rcptTo({ ...rcpt, orcpt })).field).toBe('orcpt');
    }
    expect(decided(policy.rcptTo({ ...rcpt, orcpt: 'rfc822;a+2Bb@x' })).action).toBe('reject');
  });

  it('mailFrom and connect refuse them too', () => {
    expect(tupleError(policy.mailFrom({ ...EXTERNAL, from: 'a@x\r\n' })).field).toBe('from');
    expect(tupleError(policy.connect({ ...EXTERNAL, helo: 'a\nb' })).field).toBe('helo');
  });
});

describe('A31 — reply lines never carry CR or LF; other controls are escaped', () => {
  it('controls a tuple may hold reach the reply escaped', () => {
    const policy = policyFor(ECHO);
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a\x1b[31m@ext.example', to: 'b\x07@other.example' }));
    expect(decision.reply!.lines).toEqual(['tcp_local|a\\x1b[31m@ext.example|b\\x07@other.example: b\\x07@other.example']);
  });

  it('a PORT_ACCESS text and its raw form', () => {
    const policy = policyFor(ECHO, { portAccessDefaultText: 'go\r\naway' });
    const decision = decided(policy.connect({ ...SERVER, clientIp: '198.51.100.9', clientPort: 40000 }));
    expect(decision.raw).toBe('421 192.0.2.25\r\n192.0.2.25\r\n');
    const defaultText = policyFor(mappingsText('PORT_ACCESS', '', '  *  $N'), { portAccessDefaultText: 'go\r\naway' });
    expect(decided(defaultText.connect({ ...EXTERNAL })).reply!.lines).toEqual(['go\\r\\naway']);
  });

  it('a lookup value with CR LF cannot forge a reply line', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $N$]ldap:///x['), {}, {
      providers: { url: () => 'Nope\r\n250 2.1.5 OK' },
    });
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@x', to: 'b@y' }));
    expect(replyText(decision)).toBe('550 5.7.1 Nope\\r\\n250 2.1.5 OK: b@y');
  });
});

describe('A33 — clarifications', () => {
  const rcpt = { ...EXTERNAL, from: 'a@ext.example', to: 'b@other.example' };

  it('item 1: an explicit code wins over the class of $X', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $X4.7.1|$N550$ Nope'));
    expect(decided(policy.rcptTo(rcpt))).toMatchObject({ temporary: false, reply: { code: 550, enhanced: '4.7.1', lines: ['Nope: b@other.example'] } });
  });

  it('item 2: a rejection takes the first rejecting result’s $D, none if it has none; an acceptance the first $D', () => {
    const tables = (orig: string, send: string) =>
      policyFor(mappingsText('ORIG_SEND_ACCESS', '', `  *  ${orig}`, '', 'SEND_ACCESS', '', `  *  ${send}`));
    expect(decided(tables('$D30|$Y', '$NNo').rcptTo(rcpt)).delay).toBeUndefined();
    expect(decided(tables('$D30|$NNo', '$D70|$NNo').rcptTo(rcpt)).delay?.centiseconds).toBe(30);
    expect(decided(tables('$Y', '$D70|$Y').rcptTo(rcpt)).delay?.centiseconds).toBe(70);
  });

  it('item 3: $D0 gives no delay field', () => {
    expect(decided(policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $D0|$Y')).rcptTo(rcpt)).delay).toBeUndefined();
  });

  it('item 4: info is the first non-empty accepting text; a table that only failed after $C has none', () => {
    const both = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $Y', '', 'SEND_ACCESS', '', '  *  $Yhello'));
    expect(decided(both.rcptTo(rcpt)).info).toBe('hello');
    const failedAfterC = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $C$:Z'));
    const decision = decided(failedAfterC.rcptTo(rcpt));
    expect(decision.info).toBeUndefined();
    expect(decision.results[0]).toMatchObject({ outcome: 'neutral', text: '' });
    expect(decided(policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $Y')).rcptTo(rcpt)).info).toBeUndefined();
  });

  it('item 5: log entries in table order, `$<` before `$>` within a result', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $<one|$Y', '', 'SEND_ACCESS', '', '  *  $<two|$>three|$NNo'));
    expect(decided(policy.rcptTo(rcpt)).log.map((entry) => entry.text)).toEqual(['one', 'two', 'three']);
  });

  it('item 6: `<>` is refused with a message that says the null reverse-path is ""', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $Y'));
    expect(tupleError(policy.rcptTo({ ...rcpt, from: '<>' })).message).toBe('from: must be "" for the null reverse-path, not "<>"');
    expect(tupleError(policy.rcptTo({ ...rcpt, from: '<a@x>' })).message).toMatch(/angle brackets/);
    expect(tupleError(policy.rcptTo({ ...rcpt, clientIp: '010.1.2.3' })).field).toBe('clientIp');
    expect(tupleError(policy.rcptTo({ ...rcpt, clientIp: '::ffff:010.1.2.3' })).field).toBe('clientIp');
    const implied = decided(policy.rcptTo({ ...rcpt, authSender: 'a@x' }));
    expect(implied.results[0]!.inputFlags).toContain('A');
  });

  it('item 7: a non-SMTP submission has all four connection fields absent, never some', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  *  $Y'));
    expect(tupleError(policy.rcptTo({ serverIp: '192.0.2.25', srcChannel: 'l', from: '', to: 'b@y' })).message).toMatch(/required when any connection field/);
    expect(decided(policy.rcptTo({ srcChannel: 'l', from: '', to: 'b@y' })).action).toBe('accept');
  });

  it('item 8: a `|` in a conversion tag is free text, replaced by the paranoia character; `,` and white space are refused', () => {
    const policy = policyFor(mappingsText('SEND_ACCESS', '', '  *  $Y'), { includeConversionTag: 127 });
    const decision = decided(policy.rcptTo({ ...rcpt, conversionTags: ['a|b', 'c'] }));
    expect(decision.results.find((result) => result.table === 'SEND_ACCESS')!.probe).toMatch(/\|a_b,c$/);
    expect(tupleError(policy.rcptTo({ ...rcpt, conversionTags: ['a,b'] })).field).toBe('conversionTags[0]');
    expect(tupleError(policy.rcptTo({ ...rcpt, conversionTags: ['a b'] })).field).toBe('conversionTags[0]');
  });
});

describe('fuzz: hostile tuple values never throw; bad ones are TupleErrors naming the field', () => {
  const policy = policyFor(ECHO, { includeConversionTag: 127, accessOrcpt: 1 });
  const FIELDS = ['from', 'to', 'helo', 'authSender', 'appInfo', 'srcChannel', 'dstChannel'] as const;
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom('\r', '\n', '\0', '|', 'a', '@', ' ', '\x1b', 'é', '😀', '<', '>'), maxLength: 20 }),
    fc.tuple(fc.constantFrom('a', '|', 'é', '\r'), fc.integer({ min: 10_000, max: 80_000 })).map(([unit, times]) => unit.repeat(times)),
  );

  it('rcptTo over single hostile fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), hostile, (field, value) => {
        const result = policy.rcptTo({ ...EXTERNAL, from: 'a@x', to: 'b@y', [field]: value });
        if (/[\r\n\0]/.test(value)) {
          expect(result).toBeInstanceOf(TupleError);
          expect((result as TupleError).issues.map((issue) => issue.field)).toContain(field);
          return;
        }
        if (result instanceof TupleError) {
          expect(result.field).toBe(field);
          return;
        }
        for (const line of result.reply?.lines ?? []) expect(line).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300 },
    );
  });

  it('conversion tags and ORCPT values', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 3 }), hostile, (conversionTags, address) => {
        const result = policy.rcptTo({ ...EXTERNAL, from: 'a@x', to: 'b@y', conversionTags, orcpt: `rfc822;${address}` });
        if (!(result instanceof TupleError)) {
          for (const line of result.reply?.lines ?? []) expect(line).not.toMatch(/[\r\n]/);
          expect(conversionTags.join('')).not.toMatch(/[\r\n\0,\s]/);
        }
      }),
      { numRuns: 200 },
    );
  });
});
