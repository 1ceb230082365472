import { describe, expect, test } from 'vitest';
import { AccessSession, TupleError, type AccessPolicy, type Decision } from '../../src/access/index.js';
import { decided, mappingsText, policyFor, replyText, SERVER } from './helpers.js';

const CLIENT = { ...SERVER, clientIp: '198.51.100.7', clientPort: 40312 };

function open(policy: AccessPolicy, state = {}): AccessSession {
  const session = AccessSession.open(policy, CLIENT, state);
  if (session instanceof TupleError) throw session;
  return session;
}

describe('A27 session helper: transactions, counts and $J (A11, A23)', () => {
  // access_counts bit 1: ORIG_SEND_ACCESS probes end with R/T/.
  const policy = policyFor(
    mappingsText(
      'FROM_ACCESS',
      '',
      '  TCP|*|*|*|*|*|MAIL|tcp_auth|*@corp.example|*  $Y$J$6',
      '',
      'ORIG_SEND_ACCESS',
      '',
      '  *|*|*|*@blocked.example|*  $NBlocked',
      '  *|*|*|*|*/3/                $N452$ 4.5.3$ Too$ many$ recipients',
    ),
    { accessCounts: 2 },
  );

  test('two transactions: $J carried into recipient probes, R counts every RCPT TO, T the accepted ones', () => {
    const session = open(policy);
    expect(decided(session.connect()).action).toBe('accept');
    session.ehlo('laptop.example');
    session.authenticate('ann@corp.example');

    const mail = decided(session.mailFrom({ from: 'boss@corp.example' }));
    expect(mail.envelopeFrom).toBe('ann@corp.example');
    expect(session.currentTransaction).toMatchObject({ from: 'ann@corp.example', originalFrom: 'boss@corp.example' });

    const replies: Array<[string, string]> = [];
    for (const to of ['a@example.org', 'b@blocked.example', 'c@example.org', 'd@example.org', 'e@example.org', 'f@blocked.example']) {
      const decision = decided(session.rcptTo({ to }));
      replies.push([decision.results[0]!.probe, decision.action === 'accept' ? 'accept' : replyText(decision)]);
    }
    expect(replies).toEqual([
      ['tcp_auth|ann@corp.example|tcp_local|a@example.org|1/0/', 'accept'],
      ['tcp_auth|ann@corp.example|tcp_local|b@blocked.example|2/1/', '550 5.7.1 Blocked: b@blocked.example'],
      ['tcp_auth|ann@corp.example|tcp_local|c@example.org|3/1/', 'accept'],
      ['tcp_auth|ann@corp.example|tcp_local|d@example.org|4/2/', 'accept'],
      ['tcp_auth|ann@corp.example|tcp_local|e@example.org|5/3/', '452 4.5.3 Too many recipients: e@example.org'],
      ['tcp_auth|ann@corp.example|tcp_local|f@blocked.example|6/3/', '550 5.7.1 Blocked: f@blocked.example'],
    ]);
    expect(session.currentTransaction).toMatchObject({ rcptCount: 6, acceptedCount: 3 });

    session.rset();
    expect(session.currentTransaction).toBeUndefined();
    // Second transaction: the null reverse-path matches no FROM_ACCESS entry, and the counts restart.
    const bounce = decided(session.mailFrom({ from: '' }));
    expect(bounce.envelopeFrom).toBeUndefined();
    const first = decided(session.rcptTo({ to: 'x@example.org' }));
    expect(first.results[0]!.probe).toBe('tcp_auth||tcp_local|x@example.org|1/0/');
    expect(first.results[0]!.inputFlags).toBe('AE');
  });

  test('a new MAIL FROM ends the transaction; a rejected one leaves none', () => {
    const strict = policyFor(mappingsText('FROM_ACCESS', '', '  *|spam@*|  $NNo'));
    const session = open(strict);
    decided(session.mailFrom({ from: 'a@example.net' }));
    decided(session.rcptTo({ to: 'u@corp.example' }));
    expect(session.currentTransaction).toMatchObject({ rcptCount: 1, acceptedCount: 1 });
    expect(decided(session.mailFrom({ from: 'spam@example.net' })).action).toBe('reject');
    expect(session.currentTransaction).toBeUndefined();
    expect(session.rcptTo({ to: 'u@corp.example' })).toBeInstanceOf(TupleError);
    decided(session.mailFrom({ from: 'b@example.net' }));
    expect(session.currentTransaction).toMatchObject({ from: 'b@example.net', rcptCount: 0, acceptedCount: 0 });
  });

  test('the caller cannot pass the counts the session keeps', () => {
    const session = open(policy);
    decided(session.mailFrom({ from: 'a@example.net' }));
    expect(session.rcptTo({ to: 'u@corp.example', acceptedSoFar: 0 } as never)).toBeInstanceOf(TupleError);
    expect(session.currentTransaction!.rcptCount).toBe(0);
  });
});

describe('A20 active positive delay of the transaction', () => {
  const policy = policyFor(
    mappingsText(
      'FROM_ACCESS',
      '',
      '  *|slow@*|  $D150|',
      '',
      'ORIG_SEND_ACCESS',
      '',
      '  *|*|*|quick@*  $D-20|',
      '  *|*|*|later@*  $D400|',
    ),
  );

  test('a positive delay holds for every later reply of the transaction, until it ends', () => {
    const session = open(policy);
    expect(decided(session.mailFrom({ from: 'slow@example.net' })).delay).toEqual({ centiseconds: 150, scope: 'transaction' });
    expect(decided(session.rcptTo({ to: 'u@corp.example' })).delay).toEqual({ centiseconds: 150, scope: 'transaction' });
    // A negative delay is this reply's own.
    expect(decided(session.rcptTo({ to: 'quick@corp.example' })).delay).toEqual({ centiseconds: 20, scope: 'reply' });
    // A later positive delay replaces the one in force.
    expect(decided(session.rcptTo({ to: 'later@corp.example' })).delay).toEqual({ centiseconds: 400, scope: 'transaction' });
    expect(decided(session.rcptTo({ to: 'v@corp.example' })).delay).toEqual({ centiseconds: 400, scope: 'transaction' });
    session.endOfData();
    decided(session.mailFrom({ from: 'fast@example.net' }));
    expect(decided(session.rcptTo({ to: 'u@corp.example' })).delay).toBeUndefined();
  });
});

describe('greetings, TLS and AUTH feed input flags, app-info and channels (A9, A13, A24)', () => {
  const policy = policyFor(
    mappingsText('INTERNAL_IP', '', '  $(198.51.100.0/24)  $Y', '  *  $N', '', 'FROM_ACCESS', '', '', 'SEND_ACCESS', ''),
  );

  const fromProbe = (decision: Decision) => decision.results[0]!.probe;

  test('EHLO, STARTTLS (the client greets again), AUTH, LHLO', () => {
    const session = open(policy);
    expect(decided(session.connect()).internal).toBe(true);
    expect(session.session.internal).toBe(true);
    session.ehlo('pc.corp.example');
    let mail = decided(session.mailFrom({ from: 'a@corp.example' }));
    expect(fromProbe(mail)).toBe('TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/pc.corp.example|MAIL|tcp_intranet|a@corp.example|');
    expect(decided(session.rcptTo({ to: 'u@corp.example' })).results[1]!.inputFlags).toBe('E');

    session.startTls();
    expect(session.currentTransaction).toBeUndefined();
    mail = decided(session.mailFrom({ from: 'a@corp.example' }));
    expect(fromProbe(mail)).toContain('|SMTP/|MAIL|tcp_intranet|');
    expect(mail.results[0]!.inputFlags).toBe('T');
    session.ehlo('pc.corp.example');
    session.authenticate('a@corp.example');
    mail = decided(session.mailFrom({ from: 'a@corp.example' }));
    expect(fromProbe(mail)).toBe(
      'TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/pc.corp.example|MAIL|tcp_auth|a@corp.example|a@corp.example',
    );
    expect(mail.results[0]!.inputFlags).toBe('AT');
    expect(decided(session.rcptTo({ to: 'u@corp.example', notify: ['SUCCESS'] })).results[1]!.inputFlags).toBe('AEST');

    session.lhlo('pc.corp.example');
    decided(session.mailFrom({ from: 'a@corp.example' }));
    expect(decided(session.rcptTo({ to: 'u@corp.example' })).results[1]!.inputFlags).toBe('ALT');
  });

  test('the session state given at open is used (and the caller may know the INTERNAL_IP verdict)', () => {
    const session = open(policy, { helo: 'h', tls: true, internal: false });
    const mail = decided(session.mailFrom({ from: 'a@corp.example', submitType: 'SOML' }));
    expect(fromProbe(mail)).toBe('TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/h|SOML|tcp_local|a@corp.example|');
    expect(decided(session.rcptTo({ to: 'u@corp.example' })).results[3]!.probe).toContain('|SMTP/h|SOML|tcp_local|');
  });
});

describe('the asynchronous session', () => {
  test('gives the decisions of the synchronous one', async () => {
    const text = mappingsText(
      'FROM_ACCESS',
      '',
      '  TCP|*|*|*|*|*|MAIL|tcp_auth|*|*  $Y$J$6',
      '',
      'ORIG_SEND_ACCESS',
      '',
      '  *|*|*|*|*/1/  $D$N30|One$ only',
    );
    const policy = policyFor(text, { accessCounts: 1 });
    const script = async (session: AccessSession, asynchronous: boolean) => {
      const decisions = [asynchronous ? await session.connectAsync() : session.connect()];
      session.ehlo('x');
      session.authenticate('me@corp.example');
      decisions.push(asynchronous ? await session.mailFromAsync({ from: 'a@corp.example' }) : session.mailFrom({ from: 'a@corp.example' }));
      for (const to of ['u@example.org', 'v@example.org']) {
        decisions.push(asynchronous ? await session.rcptToAsync({ to }) : session.rcptTo({ to }));
      }
      return { decisions, transaction: session.currentTransaction };
    };
    const synchronous = await script(open(policy), false);
    const asynchronous = await script(open(policy), true);
    expect(asynchronous).toEqual(synchronous);
    expect(synchronous.transaction).toMatchObject({ from: 'me@corp.example', rcptCount: 2, acceptedCount: 1 });
    expect(replyText(decided(synchronous.decisions[3]!))).toBe('550 5.7.1 One only: v@example.org');
  });
});
