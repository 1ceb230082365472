import { describe, expect, test } from 'vitest';
import { AccessPolicy, internalIpProbe, type Decision } from '../../src/access/index.js';
import { compileText, decided, mappingsText, policyFor, replyText, SERVER } from './helpers.js';

// examples.md section 4 (E66–E93). Unless a case says otherwise: server 192.0.2.25 port 25, default
// channels with localDomains ["corp.example"], default access options.

const EXTERNAL = { ...SERVER, clientIp: '203.0.113.5', clientPort: 1025 };

const outcomes = (decision: Decision) => decision.results.map((result) => `${result.table} ${result.outcome}`);

const BUNDLED_INTERNAL_IP = mappingsText(
  'INTERNAL_IP',
  '',
  '  $(127.0.0.1/8)   $Y',
  '  $(::1/128)       $Y',
  '  *                $N',
);

const E68_INTERNAL_IP = mappingsText(
  'INTERNAL_IP',
  '',
  '  $(192.168.1.0/24)  $Y',
  '  127.0.0.1          $Y',
  '  *                  $N',
);

const ANTI_RELAY = mappingsText('ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*     $N$D30|Relaying$ not$ allowed');

describe('E66 INTERNAL_IP with the bundled fixture (A5, A9, A25)', () => {
  const policy = policyFor(BUNDLED_INTERNAL_IP);

  test('loopback addresses are internal, in every spelling', () => {
    expect(policy.classifyClient('127.5.5.5')).toBe(true);
    expect(policy.classifyClient('::1')).toBe(true);
    expect(internalIpProbe('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(policy.classifyClient('::ffff:127.0.0.1')).toBe(true);
  });

  test('another address gets $N and is not internal', () => {
    expect(internalIpProbe('2001:DB8:0:0::7')).toBe('2001:db8::7');
    expect(policy.mappings.mapSync('INTERNAL_IP', internalIpProbe('2001:DB8:0:0::7')).flags).toEqual(['N']);
    expect(policy.classifyClient('2001:DB8:0:0::7')).toBe(false);
  });

  test('a file without INTERNAL_IP makes no client internal', async () => {
    const without = policyFor(mappingsText('PORT_ACCESS', '', '  *  $Y'));
    expect(without.classifyClient('127.0.0.1')).toBe(false);
    expect(await without.classifyClientAsync('127.0.0.1')).toBe(false);
    expect(decided(without.connect({ ...SERVER, clientIp: '127.0.0.1', clientPort: 1 })).internal).toBe(false);
  });

  test('the connect decision carries the verdict', () => {
    expect(decided(policy.connect({ ...SERVER, clientIp: '127.0.0.1', clientPort: 1 })).internal).toBe(true);
  });
});

describe('E67 anti-relay with a delay (A7, A16, A18, A20, A24)', () => {
  test('relaying from an external unauthenticated client is refused, with a 0.30 s transaction delay', () => {
    const decision = decided(
      policyFor(ANTI_RELAY).rcptTo({
        ...SERVER,
        clientIp: '203.0.113.5',
        clientPort: 1025,
        helo: 'mx.ext.example',
        esmtp: true,
        from: 'a@ext.example',
        to: 'b@other.example',
      }),
    );
    const [origSend] = decision.results;
    expect(origSend!.probe).toBe('tcp_local|a@ext.example|tcp_local|b@other.example');
    expect(origSend!.inputFlags).toBe('E');
    expect(origSend!.mapping).toMatchObject({ matched: true, output: '30|Relaying not allowed', flags: ['D', 'N'] });
    expect(origSend!.mapping!.entry).toMatchObject({ file: 'test.mappings', line: 3 });
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(false);
    expect(decision.closeConnection).toBe(false);
    expect(replyText(decision)).toBe('550 5.7.1 Relaying not allowed: b@other.example');
    expect(decision.delay).toEqual({ centiseconds: 30, scope: 'transaction' });
    expect(decision.srcChannel).toBe('tcp_local');
    expect(decision.dstChannel).toBe('tcp_local');
    expect(outcomes(decision)).toEqual([
      'ORIG_SEND_ACCESS reject',
      'SEND_ACCESS absent',
      'ORIG_MAIL_ACCESS absent',
      'MAIL_ACCESS absent',
    ]);
  });
});

describe('E68 anti-relay does not hit internal, authenticated or inbound mail (A24, A25, A17)', () => {
  const policy = policyFor(E68_INTERNAL_IP + '\n' + ANTI_RELAY);

  const origSend = (decision: Decision) => decision.results[0]!;

  test('an internal client relays through tcp_intranet', () => {
    const decision = decided(
      policy.rcptTo({ ...SERVER, clientIp: '192.168.1.77', clientPort: 1025, from: 'a@corp.example', to: 'b@other.example' }),
    );
    expect(origSend(decision).probe).toBe('tcp_intranet|a@corp.example|tcp_local|b@other.example');
    expect(origSend(decision).outcome).toBe('nomatch');
    expect(decision.action).toBe('accept');
  });

  test('an authenticated client relays through tcp_auth', () => {
    const decision = decided(
      policy.rcptTo({ ...EXTERNAL, esmtp: true, authSender: 'a@corp.example', from: 'a@corp.example', to: 'b@other.example' }),
    );
    expect(origSend(decision).probe).toBe('tcp_auth|a@corp.example|tcp_local|b@other.example');
    expect(origSend(decision).inputFlags).toBe('AE');
    expect(decision.action).toBe('accept');
  });

  test('inbound mail to a local domain goes to ims-ms', () => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'x@ext.example', to: 'u@corp.example' }));
    expect(origSend(decision).probe).toBe('tcp_local|x@ext.example|ims-ms|u@corp.example');
    expect(decision.action).toBe('accept');
  });

  test('the submission port gives tcp_submit', () => {
    const decision = decided(
      policy.rcptTo({ ...EXTERNAL, serverPort: 587, authenticated: true, from: 'a@corp.example', to: 'b@other.example' }),
    );
    expect(origSend(decision).probe).toBe('tcp_submit|a@corp.example|tcp_local|b@other.example');
    expect(decision.action).toBe('accept');
  });
});

describe('E69 the relaying log example (A18)', () => {
  test('550 5.7.1 Relaying not permitted: alan@very.bogus.com', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*  $NRelaying$ not$ permitted'));
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'harold@varrius.com', to: 'alan@very.bogus.com' }));
    expect(decision.results[0]!.probe).toBe('tcp_local|harold@varrius.com|tcp_local|alan@very.bogus.com');
    expect(decision.results[0]!.mapping!.flags).toEqual(['N']);
    expect(decision.action).toBe('reject');
    expect(replyText(decision)).toBe('550 5.7.1 Relaying not permitted: alan@very.bogus.com');
  });
});

describe('E70 SEND_ACCESS seen through test -rewrite (A17, A18)', () => {
  const policy = policyFor(
    mappingsText(
      'SEND_ACCESS',
      '',
      '  tcp_local|friendly@siroe.com|l|User@sesta.com       $Y',
      '  tcp_local|unwelcome@varrius.com|l|User@sesta.com    $NGo$ away!',
    ),
  );
  const tuple = { ...EXTERNAL, dstChannel: 'l', to: 'User@sesta.com' };

  test('a friendly sender is permitted', () => {
    const decision = decided(policy.rcptTo({ ...tuple, from: 'friendly@siroe.com' }));
    expect(decision.results[1]).toMatchObject({
      table: 'SEND_ACCESS',
      probe: 'tcp_local|friendly@siroe.com|l|User@sesta.com',
      outcome: 'permit',
    });
    expect(decision.action).toBe('accept');
  });

  test('an unwelcome sender is refused with the table text', () => {
    const decision = decided(policy.rcptTo({ ...tuple, from: 'unwelcome@varrius.com' }));
    expect(decision.results[1]).toMatchObject({
      probe: 'tcp_local|unwelcome@varrius.com|l|User@sesta.com',
      outcome: 'reject',
      text: 'Go away!',
    });
    expect(replyText(decision)).toBe('550 5.7.1 Go away!: User@sesta.com');
  });
});

describe('E71 allow-list decisions (A17, A18; table of E39)', () => {
  const policy = policyFor(
    mappingsText(
      'SEND_ACCESS',
      '',
      ' *|Elvis1@sesta.com|*|*      $Y',
      ' *|Nelson7@sesta.com|*|*     $Y',
      ' *|AkiraK@sesta.com|*|*      $Y',
      ' *|*@sesta.com|*|*           $NMail$ Blocked',
    ),
  );

  test.each([
    ['Elvis1@sesta.com', 'u@corp.example', 'tcp_local|Elvis1@sesta.com|ims-ms|u@corp.example', 'permit', 'accept', undefined],
    ['joe@sesta.com', 'u@example.org', 'tcp_local|joe@sesta.com|tcp_local|u@example.org', 'reject', 'reject', '550 5.7.1 Mail Blocked: u@example.org'],
    ['joe@example.com', 'u@corp.example', 'tcp_local|joe@example.com|ims-ms|u@corp.example', 'nomatch', 'accept', undefined],
  ])('%s → %s', (from, to, probe, outcome, action, reply) => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from, to }));
    expect(decision.results[1]).toMatchObject({ probe, outcome });
    expect(decision.action).toBe(action);
    if (reply !== undefined) expect(replyText(decision)).toBe(reply);
  });
});

describe('E72 per-user Internet controls (A17, A18)', () => {
  const policy = policyFor(
    mappingsText(
      'ORIG_SEND_ACCESS',
      ' ',
      '! Users allowed to send to Internet',
      '!',
      '  *|adam@siroe.com|tcp_local|*    $Y',
      '  *|betty@siroe.com|tcp_local|*   $Y',
      '! ...etc...',
      '!',
      '! Users not allowed to send to Internet',
      '!',
      '  *|norman@siroe.com|tcp_local|*  $NInternet$ access$ not$ permitted',
      '  *|opal@siroe.com|tcp_local|*    $NInternet$ access$ not$ permitted',
      '! ...etc...',
      '!',
      '! Users allowed to receive from the Internet',
      '!',
      '  tcp_*|*|*|adam@siroe.com        $Y',
      '  tcp_*|*|*|betty@siroe.com       $Y',
      '! ...etc...',
      '!',
      '! Users not allowed to receive from the Internet',
      '!',
      '  tcp_*|*|*|norman@siroe.com      $NInternet$ e-mail$ not$ accepted',
      '  tcp_*|*|*|opal@siroe.com        $NInternet$ e-mail$ not$ accepted',
      '! ...etc...',
    ),
  );

  test.each([
    ['tcp_intranet', 'adam@siroe.com', 'tcp_local', 'x@example.org', 'permit', undefined],
    ['tcp_intranet', 'norman@siroe.com', 'tcp_local', 'x@example.org', 'reject', '550 5.7.1 Internet access not permitted: x@example.org'],
    ['tcp_local', 'x@example.org', 'ims-ms', 'opal@siroe.com', 'reject', '550 5.7.1 Internet e-mail not accepted: opal@siroe.com'],
    ['tcp_local', 'x@example.org', 'ims-ms', 'adam@siroe.com', 'permit', undefined],
    ['tcp_intranet', 'zed@siroe.com', 'ims-ms', 'y@siroe.com', 'nomatch', undefined],
  ])('%s|%s|%s|%s → %s', (srcChannel, from, dstChannel, to, outcome, reply) => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, srcChannel, from, dstChannel, to }));
    expect(decision.results[0]).toMatchObject({ probe: `${srcChannel}|${from}|${dstChannel}|${to}`, outcome });
    expect(decision.action).toBe(reply === undefined ? 'accept' : 'reject');
    if (reply !== undefined) expect(replyText(decision)).toBe(reply);
  });
});

describe('E73 null sender and role addresses (A8, A9, A17)', () => {
  const policy = policyFor(
    mappingsText(
      'ORIG_MAIL_ACCESS',
      '',
      '! allow all DSNs and MDNs',
      '  TCP|*|*|*|*|*|*|tcp_local||*|*  $Y$E',
      '! allow all incoming mail to postmaster and abuse',
      '  TCP|*|*|*|*|*|*|tcp_local|*|*|postmaster@*  $Y$E',
      '  TCP|*|*|*|*|*|*|tcp_local|*|*|abuse@*  $Y$E',
    ),
  );
  const session = { ...EXTERNAL, helo: 'mx.example.net', esmtp: true };
  const origMail = (decision: Decision) => decision.results[2]!;

  test('a DSN (null reverse-path) is permitted', () => {
    const decision = decided(policy.rcptTo({ ...session, from: '', to: 'u@corp.example' }));
    expect(origMail(decision)).toMatchObject({
      table: 'ORIG_MAIL_ACCESS',
      probe: 'TCP|192.0.2.25|25|203.0.113.5|1025|SMTP/mx.example.net|MAIL|tcp_local||ims-ms|u@corp.example',
      outcome: 'permit',
    });
    expect(decision.action).toBe('accept');
  });

  test('mail to Postmaster is permitted whatever its case', () => {
    const decision = decided(policy.rcptTo({ ...session, from: 'bob@example.net', to: 'Postmaster@corp.example' }));
    expect(origMail(decision).probe).toMatch(/\|tcp_local\|bob@example\.net\|ims-ms\|Postmaster@corp\.example$/);
    expect(origMail(decision).outcome).toBe('permit');
  });

  test('other mail matches nothing and is accepted', () => {
    const decision = decided(policy.rcptTo({ ...session, from: 'bob@example.net', to: 'u@corp.example' }));
    expect(origMail(decision).outcome).toBe('nomatch');
    expect(decision.action).toBe('accept');
  });
});

describe('E74 default rejection texts (A18)', () => {
  const text = mappingsText('ORIG_SEND_ACCESS', '', '  *|*|*|*@blocked.example  $N');
  const tuple = { ...EXTERNAL, from: 'a@example.net', to: 'x@blocked.example' };

  test('access_errors 0: the unknown-host text', () => {
    expect(replyText(decided(policyFor(text).rcptTo(tuple)))).toBe('550 5.7.1 unknown host or domain: x@blocked.example');
  });

  test('access_errors 1: the access-failure text', () => {
    expect(replyText(decided(policyFor(text, { accessErrors: 1 }).rcptTo(tuple)))).toBe(
      '550 5.7.1 you are not allowed to use this address: x@blocked.example',
    );
  });
});

describe('E75 input flag A in a recipient table (A13, T6, M3)', () => {
  const policy = policyFor(
    mappingsText('ORIG_SEND_ACCESS', '', '  *|*|*|*  $C$:A$Y$E', '  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed'),
  );
  const tuple = { ...EXTERNAL, esmtp: true, srcChannel: 'tcp_local', from: 'a@corp.example', to: 'b@other.example' };

  test('authenticated: flags AE, the first entry permits', () => {
    const decision = decided(policy.rcptTo({ ...tuple, authenticated: true }));
    expect(decision.results[0]).toMatchObject({
      probe: 'tcp_local|a@corp.example|tcp_local|b@other.example',
      inputFlags: 'AE',
      outcome: 'permit',
    });
    expect(decision.results[0]!.mapping!.flags).toEqual(['Y']);
    expect(decision.action).toBe('accept');
  });

  test('unauthenticated: flags E, refused', () => {
    const decision = decided(policy.rcptTo(tuple));
    expect(decision.results[0]!.inputFlags).toBe('E');
    expect(replyText(decision)).toBe('550 5.7.1 Relaying not allowed: b@other.example');
  });
});

describe('E76 a negative delay (A16, A20)', () => {
  test('delays only this reply, by the absolute value', () => {
    const policy = policyFor(mappingsText('ORIG_SEND_ACCESS', '', '  tcp_local|*|tcp_local|*  $D$N-500|Relaying$ not$ allowed'));
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@ext.example', to: 'b@other.example' }));
    expect(decision.results[0]!.mapping).toMatchObject({ output: '-500|Relaying not allowed', flags: ['D', 'N'] });
    expect(replyText(decision)).toBe('550 5.7.1 Relaying not allowed: b@other.example');
    expect(decision.delay).toEqual({ centiseconds: 500, scope: 'reply' });
  });
});

describe('E77 temporary rejection through $X (A16, A18)', () => {
  const text = mappingsText('SEND_ACCESS', '', '  *|*|*|busy@corp.example  $X4.2.1|$NMailbox$ busy');
  const tuple = { ...EXTERNAL, from: 'a@example.net', to: 'busy@corp.example' };

  test('a class-4 $X gives 450 and a temporary decision', () => {
    const decision = decided(policyFor(text).rcptTo(tuple));
    expect(decision.results[1]!.mapping).toMatchObject({ output: '4.2.1|Mailbox busy', flags: ['N', 'X'] });
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(true);
    expect(replyText(decision)).toBe('450 4.2.1 Mailbox busy: busy@corp.example');
    expect(decision.enhancedFromX).toBe('4.2.1');
  });

  test('tempFailCode chooses the basic code', () => {
    expect(replyText(decided(policyFor(text, { tempFailCode: 451 }).rcptTo(tuple)))).toBe(
      '451 4.2.1 Mailbox busy: busy@corp.example',
    );
  });
});

describe('E78 reply codes written in the text (A18)', () => {
  const policy = policyFor(
    mappingsText('SEND_ACCESS', '', '  *|*|*|a@corp.example  $N553$ 5.7.1$ Sender$ not$ allowed', '  *|*|*|b@corp.example  $N421$ Closing'),
  );

  test('a 5xx code and enhanced code in the text', () => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'x@example.net', to: 'a@corp.example' }));
    expect(decision.temporary).toBe(false);
    expect(replyText(decision)).toBe('553 5.7.1 Sender not allowed: a@corp.example');
  });

  test('a 4xx code makes it temporary, with a 4.7.1 enhanced code', () => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'x@example.net', to: 'b@corp.example' }));
    expect(decision.temporary).toBe(true);
    expect(replyText(decision)).toBe('421 4.7.1 Closing: b@corp.example');
  });
});

describe('E79 Y with N rejects; a result without either permits (A17)', () => {
  const policy = policyFor(mappingsText('SEND_ACCESS', '', '  *|*|*|a@corp.example  $Y$NNo', '  *|*|*|b@corp.example  informational'));

  test('Y + N rejects', () => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'x@example.net', to: 'a@corp.example' }));
    expect(replyText(decision)).toBe('550 5.7.1 No: a@corp.example');
  });

  test('no verdict flag: neutral, accepted, text as info', () => {
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'x@example.net', to: 'b@corp.example' }));
    expect(decision.results[1]!.outcome).toBe('neutral');
    expect(decision.action).toBe('accept');
    expect(decision.info).toBe('informational');
  });
});

describe('E80 every argument flag at once (A15, A16, A18, A20, A21)', () => {
  test('arguments in the fixed order, the N text as the remainder', () => {
    const policy = policyFor(
      mappingsText('ORIG_SEND_ACCESS', '', '  *|*|*|*  $U$I$<$D$X$N5|jdoe|staff|probe$ hit|-200|5.7.9|Blocked|for$ now'),
    );
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@example.net', to: 'u@corp.example' }));
    const [origSend] = decision.results;
    expect(origSend!.probe).toBe('tcp_local|a@example.net|ims-ms|u@corp.example');
    expect(origSend!.mapping).toMatchObject({
      output: '5|jdoe|staff|probe hit|-200|5.7.9|Blocked|for now',
      flags: ['<', 'D', 'I', 'N', 'U', 'X'],
    });
    expect(origSend!.args).toEqual({ U: ['5'], I: ['jdoe', 'staff'], '<': ['probe hit'], D: ['-200'], X: ['5.7.9'] });
    expect(origSend!.text).toBe('Blocked|for now');
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(false);
    expect(replyText(decision)).toBe('550 5.7.9 Blocked|for now: u@corp.example');
    expect(decision.debugLevel).toBe(5);
    expect(decision.groupCheck).toEqual({ user: 'jdoe', identifier: 'staff' });
    expect(decision.enhancedFromX).toBe('5.7.9');
    expect(decision.delay).toEqual({ centiseconds: 200, scope: 'reply' });
    expect(decision.log).toEqual([{ table: 'ORIG_SEND_ACCESS', when: 'match', text: 'probe hit' }]);
  });
});

describe('E81 hold without a verdict flag (A14, A17)', () => {
  test('neutral, accepted, held', () => {
    const policy = policyFor(mappingsText('SEND_ACCESS', '', '  *|*|*|*@quarantine.corp.example  $H'));
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@example.net', to: 'x@quarantine.corp.example' }));
    expect(decision.results[1]!.outcome).toBe('neutral');
    expect(decision.action).toBe('accept');
    expect(decision.actions).toEqual({ bitbucket: false, hold: true, discardAll: false, jettisonAll: false, noVacation: false });
  });
});

describe('E82 PORT_ACCESS rejection with a log text (A4, A16, A19, A21)', () => {
  const policy = policyFor(
    mappingsText(
      'PORT_ACCESS',
      '',
      '  TCP|*|25|$(203.0.113.0/24)|*  $<blocked$ $1|$N421$ Too$ many$ connections',
      '  *                               $Y',
    ),
  );

  test('a blocked network is refused with 421 and the connection closed', () => {
    const decision = decided(policy.connect({ ...SERVER, clientIp: '203.0.113.9', clientPort: 40000 }));
    const [port] = decision.results;
    expect(port).toMatchObject({ table: 'PORT_ACCESS', probe: 'TCP|192.0.2.25|25|203.0.113.9|40000', inputFlags: 'A' });
    expect(port!.mapping).toMatchObject({ output: 'blocked 203.0.113.9|421 Too many connections', flags: ['<', 'N'] });
    expect(decision.stage).toBe('connect');
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(true);
    expect(decision.closeConnection).toBe(true);
    expect(decision.raw).toBe('421 Too many connections\r\n');
    expect(decision.reply).toEqual({ code: 421, lines: ['Too many connections'] });
    expect(decision.log).toEqual([{ table: 'PORT_ACCESS', when: 'match', text: 'blocked 203.0.113.9' }]);
  });

  test('another client is accepted by entry 2 without an info text (A33 item 4)', () => {
    const decision = decided(policy.connect({ ...SERVER, clientIp: '198.51.100.7', clientPort: 40000 }));
    expect(decision.action).toBe('accept');
    expect(decision.closeConnection).toBe(false);
    expect(decision.info).toBeUndefined();
    expect(decision.results[0]!.mapping!.entry).toMatchObject({ index: 2, line: 4 });
  });
});

describe('E83 PORT_ACCESS text without a code, $T and a log comment (A16, A19, A21)', () => {
  test('554, raw text, connection-log record T and comment', () => {
    const policy = policyFor(mappingsText('PORT_ACCESS', '', '  TCP|*|*|192.0.2.99|*  $T$NGo$ away||abuse$ host'));
    const decision = decided(policy.connect({ ...SERVER, clientIp: '192.0.2.99', clientPort: 1234 }));
    expect(decision.results[0]!.mapping).toMatchObject({ output: 'Go away||abuse host', flags: ['N', 'T'] });
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(false);
    expect(decision.closeConnection).toBe(true);
    expect(decision.raw).toBe('Go away\r\n');
    expect(decision.reply).toEqual({ code: 554, lines: ['Go away'] });
    expect(decision.connectionLog).toEqual({ recordT: true, comment: 'abuse host' });
  });
});

describe('E84 PORT_ACCESS multi-line text (A19)', () => {
  const text = mappingsText('PORT_ACCESS', '', '  *|*|*|192.0.2.98|*  $N421-Busy~421$ Try$ later');
  const tuple = { ...SERVER, clientIp: '192.0.2.98', clientPort: 1234 };

  test('~ separates lines', () => {
    const decision = decided(policyFor(text).connect(tuple));
    expect(decision.results[0]!.mapping!.output).toBe('421-Busy~421 Try later');
    expect(decision.temporary).toBe(true);
    expect(decision.raw).toBe('421-Busy\r\n421 Try later\r\n');
    expect(decision.reply).toEqual({ code: 421, lines: ['Busy', 'Try later'] });
  });

  test('portAccessTildeLines false keeps ~ literally', () => {
    const decision = decided(policyFor(text, { portAccessTildeLines: false }).connect(tuple));
    expect(decision.raw).toBe('421-Busy~421 Try later\r\n');
    expect(decision.reply).toEqual({ code: 421, lines: ['Busy~421 Try later'] });
  });
});

describe('E85 PORT_ACCESS and the Dispatcher flag (A13, A26, T6, M3)', () => {
  const policy = policyFor(mappingsText('PORT_ACCESS', '', '  TCP|*|2525|*|*  $C$:A$N421$ Port$ closed$E', '  *               $Y'));
  const tuple = { serverIp: '192.0.2.25', serverPort: 2525, clientIp: '198.51.100.7', clientPort: 40000 };

  test("the Dispatcher's probe (flag A) is refused", () => {
    const decision = decided(policy.connect(tuple));
    expect(decision.results[0]!.inputFlags).toBe('A');
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(true);
    expect(decision.raw).toBe('421 Port closed\r\n');
  });

  test("the SMTP server's second probe (dispatcher: false) goes on to entry 2", () => {
    const decision = decided(policy.connect({ ...tuple, dispatcher: false }));
    expect(decision.results[0]!.inputFlags).toBe('');
    expect(decision.action).toBe('accept');
  });
});

describe('E86 FROM_ACCESS (A6, A9, A13, A15, A18, A24)', () => {
  const policy = policyFor(
    mappingsText(
      'FROM_ACCESS',
      '',
      '  TCP|*|*|*|*|SMTP*|MAIL|tcp_auth|*|*  $Y$!$J$6',
      '  TCP|*|*|*|*|SMTP*|MAIL|tcp_local|*@corp.example|  $NLocal$ sender$ requires$ AUTH',
    ),
  );

  test('an authenticated user over TLS: the envelope From becomes the authenticated address', () => {
    const decision = decided(
      policy.mailFrom({
        ...SERVER,
        clientIp: '198.51.100.7',
        clientPort: 40312,
        helo: 'laptop.example',
        esmtp: true,
        tls: true,
        authenticated: true,
        authSender: 'ann@corp.example',
        from: 'boss@corp.example',
      }),
    );
    expect(decision.results[0]).toMatchObject({
      table: 'FROM_ACCESS',
      probe: 'TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/laptop.example|MAIL|tcp_auth|boss@corp.example|ann@corp.example',
      inputFlags: 'AT',
    });
    expect(decision.results[0]!.mapping).toMatchObject({ output: 'ann@corp.example', flags: ['!', 'J', 'Y'] });
    expect(decision.stage).toBe('mail');
    expect(decision.action).toBe('accept');
    expect(decision.envelopeFrom).toBe('ann@corp.example');
    expect(decision.actions.noVacation).toBe(true);
    expect(decision.srcChannel).toBe('tcp_auth');
  });

  test('a local sender without AUTH is refused', () => {
    const decision = decided(
      policy.mailFrom({ ...SERVER, clientIp: '203.0.113.5', clientPort: 5000, helo: 'spammer.example', from: 'joe@corp.example' }),
    );
    expect(decision.results[0]!.probe).toBe(
      'TCP|192.0.2.25|25|203.0.113.5|5000|SMTP/spammer.example|MAIL|tcp_local|joe@corp.example|',
    );
    expect(decision.action).toBe('reject');
    expect(replyText(decision)).toBe('550 5.7.1 Local sender requires AUTH: joe@corp.example');
  });

  test('no HELO yet: app-info SMTP/; nothing matches', () => {
    const decision = decided(policy.mailFrom({ ...SERVER, clientIp: '203.0.113.5', clientPort: 5000, from: 'joe@example.net' }));
    expect(decision.results[0]!.probe).toMatch(/\|SMTP\/\|MAIL\|tcp_local\|joe@example\.net\|$/);
    expect(decision.results[0]!.outcome).toBe('nomatch');
    expect(decision.action).toBe('accept');
  });
});

describe('E87 channel selection (A9, A24, A25)', () => {
  const policy = policyFor(E68_INTERNAL_IP);
  const source = (fields: Record<string, unknown>) =>
    decided(policy.mailFrom({ ...SERVER, clientPort: 1025, from: 'a@corp.example', ...fields } as never)).srcChannel;

  test('source channels', () => {
    expect(source({ clientIp: '192.168.1.77' })).toBe('tcp_intranet');
    expect(source({ clientIp: '192.168.1.77', authenticated: true })).toBe('tcp_auth');
    expect(source({ clientIp: '203.0.113.5' })).toBe('tcp_local');
    expect(source({ clientIp: '203.0.113.5', serverPort: 587 })).toBe('tcp_submit');
    expect(source({ clientIp: '203.0.113.5', serverPort: 587, authenticated: true })).toBe('tcp_submit');
    expect(source({ clientIp: '203.0.113.5', srcChannel: 'tcp_special' })).toBe('tcp_special');
    expect(source({ clientIp: '192.168.1.77', srcChannel: 'tcp_special' })).toBe('tcp_special');
  });

  test('an IPv4-mapped client is rendered as IPv4 and found internal', () => {
    const decision = decided(policy.mailFrom({ ...SERVER, clientIp: '::ffff:192.168.1.77', clientPort: 1025, from: 'a@corp.example' }));
    expect(decision.srcChannel).toBe('tcp_intranet');
    expect(decision.results[0]!.probe).toBe('TCP|192.0.2.25|25|192.168.1.77|1025|SMTP/|MAIL|tcp_intranet|a@corp.example|');
  });

  test('destination channels', () => {
    const destination = (to: string) => decided(policy.rcptTo({ ...EXTERNAL, from: 'a@example.net', to })).dstChannel;
    expect(destination('alice@Corp.Example')).toBe('ims-ms');
    expect(destination('postmaster')).toBe('ims-ms');
    expect(destination('bob@sub.corp.example')).toBe('tcp_local');
    expect(destination('x@example.org')).toBe('tcp_local');
  });
});

describe('E88 probes for a non-SMTP submission (A10)', () => {
  const policy = policyFor(mappingsText('ORIG_MAIL_ACCESS', '', '  ||||||MAIL|l|*|tcp_local|*  $NNo$ outbound$ mail$ from$ local$ programs'));
  const tuple = { srcChannel: 'l', from: 'bob@corp.example' };

  test('FROM_ACCESS probe', () => {
    expect(decided(policy.mailFrom(tuple)).results[0]!.probe).toBe('||||||MAIL|l|bob@corp.example|');
  });

  test('recipient probes and the decision', () => {
    const decision = decided(policy.rcptTo({ ...tuple, to: 'x@example.org' }));
    expect(decision.results[0]!.probe).toBe('l|bob@corp.example|tcp_local|x@example.org');
    expect(decision.results[2]).toMatchObject({
      table: 'ORIG_MAIL_ACCESS',
      probe: '||||||MAIL|l|bob@corp.example|tcp_local|x@example.org',
      outcome: 'reject',
    });
    expect(replyText(decision)).toBe('550 5.7.1 No outbound mail from local programs: x@example.org');
  });
});

describe('E89 mapping_paranoia (A12)', () => {
  const tuple = { srcChannel: 'tcp_local', from: '"a|b"@example.net', to: 'u@corp.example' };
  const sendProbe = (options: Parameters<typeof policyFor>[1]) =>
    decided(policyFor(mappingsText('SEND_ACCESS', ''), options).rcptTo(tuple)).results[1]!.probe;

  test('the probe by default, with "#", and with paranoia off', () => {
    expect(sendProbe({})).toBe('tcp_local|"a_b"@example.net|ims-ms|u@corp.example');
    expect(sendProbe({ mappingParanoia: '#' })).toBe('tcp_local|"a#b"@example.net|ims-ms|u@corp.example');
    expect(sendProbe({ mappingParanoia: false })).toBe('tcp_local|"a|b"@example.net|ims-ms|u@corp.example');
  });

  test('a "|" in a local part cannot shift the fields an allow-list sees', () => {
    const text = mappingsText('ORIG_SEND_ACCESS', '', '  *|*|ims-ms|*             $Y', '  tcp_local|*|tcp_local|*  $NRelaying$ not$ allowed');
    // The attacker's reverse-path plants "|ims-ms|" to look like mail for local delivery.
    const attack = { ...EXTERNAL, from: '"x|ims-ms|y"@evil.example', to: 'victim@example.org' };
    const guarded = decided(policyFor(text).rcptTo(attack));
    expect(guarded.results[0]!.probe).toBe('tcp_local|"x_ims-ms_y"@evil.example|tcp_local|victim@example.org');
    expect(guarded.action).toBe('reject');
    const exact = decided(policyFor(text, { mappingParanoia: false }).rcptTo(attack));
    expect(exact.results[0]!.probe).toBe('tcp_local|"x|ims-ms|y"@evil.example|tcp_local|victim@example.org');
    expect(exact.action).toBe('accept');
  });
});

describe('E90 optional recipient-probe fields (A11)', () => {
  test('orcpt, counts and conversion tags through the RCPT TO stage', () => {
    const policy = policyFor(mappingsText('SEND_ACCESS', ''), { accessOrcpt: 1, accessCounts: 1, includeConversionTag: 8 });
    const decision = decided(
      policy.rcptTo({
        srcChannel: 'tcp_local',
        from: 'bob@example.net',
        to: 'u@corp.example',
        orcpt: 'rfc822;U@Corp.Example',
        rcptIndex: 3,
        acceptedSoFar: 2,
        conversionTags: ['virus', 'archive'],
      }),
    );
    const probes = Object.fromEntries(decision.results.map((result) => [result.table, result.probe]));
    expect(probes.ORIG_SEND_ACCESS).toBe('tcp_local|bob@example.net|ims-ms|u@corp.example|rfc822;U@Corp.Example|3/2/|virus,archive');
    expect(probes.SEND_ACCESS).toBe('tcp_local|bob@example.net|ims-ms|u@corp.example|rfc822;U@Corp.Example|3/2/');
  });

  test('with accessCountsExpansion the count of expanded addresses follows', () => {
    const policy = policyFor(mappingsText('SEND_ACCESS', ''), { accessCounts: 4, accessCountsExpansion: true });
    const decision = decided(
      policy.rcptTo({ srcChannel: 'tcp_local', from: 'b@x', to: 'team@corp.example', expanded: ['a@corp.example', 'c@corp.example'] }),
    );
    expect(decision.results.map((result) => result.probe)).toEqual([
      'tcp_local|b@x|ims-ms|team@corp.example',
      'tcp_local|b@x|ims-ms|a@corp.example|1/0/2/',
      'tcp_local|b@x|ims-ms|c@corp.example|1/0/2/',
      '||||||MAIL|tcp_local|b@x|ims-ms|team@corp.example',
      '||||||MAIL|tcp_local|b@x|ims-ms|a@corp.example',
      '||||||MAIL|tcp_local|b@x|ims-ms|c@corp.example',
    ]);
  });
});

describe('E91 check order across the recipient tables (A21, A22)', () => {
  test('every table is evaluated; the first rejection answers; logs are concatenated', () => {
    const policy = policyFor(
      mappingsText(
        'ORIG_SEND_ACCESS',
        '',
        '  *|*|*|ceo@corp.example  $NCEO$ accepts$ no$ external$ mail',
        '',
        'ORIG_MAIL_ACCESS',
        '',
        '  TCP|*|*|*|*|*|*|tcp_local|*|*|ceo@corp.example  $X5.7.2|$NBlocked$ by$ policy',
        '',
        'MAIL_ACCESS',
        '',
        '  TCP|*|*|*|*|*|*|*|*|*|*  $<rcpt$ seen|$Y',
      ),
    );
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'bob@example.net', to: 'ceo@corp.example' }));
    expect(outcomes(decision)).toEqual([
      'ORIG_SEND_ACCESS reject',
      'SEND_ACCESS absent',
      'ORIG_MAIL_ACCESS reject',
      'MAIL_ACCESS permit',
    ]);
    expect(decision.action).toBe('reject');
    expect(replyText(decision)).toBe('550 5.7.1 CEO accepts no external mail: ceo@corp.example');
    // $X belongs to the later ORIG_MAIL_ACCESS rejection, which does not answer.
    expect(decision.enhancedFromX).toBeUndefined();
    expect(decision.log).toEqual([{ table: 'MAIL_ACCESS', when: 'match', text: 'rcpt seen' }]);
  });

  test('$> is logged only by the table that rejected; actions are the union; first-found arguments', () => {
    const policy = policyFor(
      mappingsText(
        'ORIG_SEND_ACCESS',
        '',
        '  *  $H$>$U3|orig$ refused|',
        '',
        'SEND_ACCESS',
        '',
        '  *  $B$>$U$D7|send$ refused|40|',
        '',
        'MAIL_ACCESS',
        '',
        '  *  $Z$>mail$ refused|$NNo',
      ),
    );
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'bob@example.net', to: 'u@corp.example' }));
    expect(outcomes(decision)).toEqual([
      'ORIG_SEND_ACCESS neutral',
      'SEND_ACCESS neutral',
      'ORIG_MAIL_ACCESS absent',
      'MAIL_ACCESS reject',
    ]);
    expect(decision.log).toEqual([{ table: 'MAIL_ACCESS', when: 'reject', text: 'mail refused' }]);
    expect(decision.actions).toMatchObject({ hold: true, bitbucket: true, jettisonAll: true, discardAll: false });
    expect(decision.debugLevel).toBe(3);
    // A22: a rejection takes its delay from the answering result only (here: none).
    expect(decision.delay).toBeUndefined();
    expect(replyText(decision)).toBe('550 5.7.1 No: u@corp.example');
  });

  test('an accepting decision takes each argument from the first result that has it', () => {
    const policy = policyFor(
      mappingsText('ORIG_SEND_ACCESS', '', '  *  $Y$D$Tfirst|second|', '', 'SEND_ACCESS', '', '  *  $Y$D$T$U9|-50|late|'),
    );
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'bob@example.net', to: 'u@corp.example' }));
    expect(decision.action).toBe('accept');
    expect(decision.tag).toBe('second');
    // The malformed $D of the first result is ignored, so the second one's is the first found.
    expect(decision.delay).toEqual({ centiseconds: 50, scope: 'reply' });
    expect(decision.results[0]!.warnings).toEqual(['$D argument "first" is not an integer; ignored']);
    expect(decision.debugLevel).toBe(9);
  });
});

describe('E92 alias expansion (A22, A24)', () => {
  test('one rejected expanded address rejects the RCPT TO, named by the original address', () => {
    const policy = policyFor(mappingsText('SEND_ACCESS', '', '  *|*|*|*@partner.example  $NPartner$ forwarding$ disabled'));
    const decision = decided(
      policy.rcptTo({
        ...EXTERNAL,
        from: 'bob@example.net',
        to: 'team@corp.example',
        expanded: ['ann@corp.example', 'zed@partner.example'],
      }),
    );
    const send = decision.results.filter((result) => result.table === 'SEND_ACCESS');
    expect(send.map((result) => [result.probe, result.outcome])).toEqual([
      ['tcp_local|bob@example.net|ims-ms|ann@corp.example', 'nomatch'],
      ['tcp_local|bob@example.net|tcp_local|zed@partner.example', 'reject'],
    ]);
    expect(decision.results.map((result) => result.table)).toEqual([
      'ORIG_SEND_ACCESS',
      'SEND_ACCESS',
      'SEND_ACCESS',
      'ORIG_MAIL_ACCESS',
      'MAIL_ACCESS',
      'MAIL_ACCESS',
    ]);
    expect(decision.action).toBe('reject');
    expect(replyText(decision)).toBe('550 5.7.1 Partner forwarding disabled: team@corp.example');
    expect(decision.dstChannel).toBe('ims-ms');
  });
});

describe('E93 evaluation errors and missing providers (A29, M7, M10, T11)', () => {
  const text = mappingsText('ORIG_SEND_ACCESS', '', '  *|*|*|*  $C$]ldap:///o=corp?mail?sub?(mail=$=$3$_)[$E');
  const tuple = { ...EXTERNAL, from: 'bob@example.net', to: 'u@corp.example' };
  const asyncUrl = { providers: { url: async () => 'found' } };

  test('an asynchronous provider in a synchronous decision: 451 4.3.0', () => {
    const decision = decided(policyFor(text, {}, asyncUrl).rcptTo(tuple));
    expect(decision.results[0]!.outcome).toBe('error');
    expect(decision.results[0]!.mapping!.error!.code).toBe('AsyncProviderInSyncCall');
    expect(decision.action).toBe('reject');
    expect(decision.temporary).toBe(true);
    expect(replyText(decision)).toBe('451 4.3.0 Access check failed');
  });

  test('onEvaluationError "accept" treats the error as no restriction', () => {
    const decision = decided(policyFor(text, { onEvaluationError: 'accept' }, asyncUrl).rcptTo(tuple));
    expect(decision.results[0]!.outcome).toBe('error');
    expect(decision.action).toBe('accept');
    expect(decision.reply).toBeUndefined();
  });

  test('the asynchronous decision awaits the provider', async () => {
    const decision = decided(await policyFor(text, {}, asyncUrl).rcptToAsync(tuple));
    expect(decision.results[0]).toMatchObject({ outcome: 'neutral', text: 'found' });
    expect(decision.action).toBe('accept');
  });

  test('without a URL provider the lookup fails after $C: neutral, accepted', () => {
    const decision = decided(policyFor(text).rcptTo(tuple));
    expect(decision.results[0]!.outcome).toBe('neutral');
    expect(decision.action).toBe('accept');
  });
});

describe('A29 evaluation errors beyond E93', () => {
  // Two expansions per call exceed a step limit of 1 (M7).
  const looping = (table: string) => mappingsText(table, '', '  *  $C', '  *  $Y');

  test('an earlier rejection still answers', () => {
    const policy = policyFor(
      mappingsText('ORIG_SEND_ACCESS', '', '  *|*|*|*  $NFirst') + '\n' + looping('SEND_ACCESS'),
      {},
      { stepLimit: 1 },
    );
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@b', to: 'u@corp.example' }));
    expect(decision.results[1]!.outcome).toBe('error');
    expect(replyText(decision)).toBe('550 5.7.1 First: u@corp.example');
  });

  test('an error at connect closes the connection with 451', () => {
    const policy = policyFor(looping('PORT_ACCESS'), {}, { stepLimit: 1 });
    const decision = decided(policy.connect({ ...SERVER, clientIp: '198.51.100.7', clientPort: 1 }));
    expect(decision.results[0]!.mapping!.error!.code).toBe('StepLimitExceeded');
    expect(decision).toMatchObject({ action: 'reject', temporary: true, closeConnection: true, raw: '451 4.3.0 Access check failed\r\n' });
  });

  test('an error in INTERNAL_IP counts as "not internal"', () => {
    const policy = policyFor(looping('INTERNAL_IP'), {}, { stepLimit: 1 });
    expect(policy.classifyClient('127.0.0.1')).toBe(false);
    expect(decided(policy.mailFrom({ ...SERVER, clientIp: '127.0.0.1', clientPort: 1, from: 'a@b' })).srcChannel).toBe('tcp_local');
  });
});

describe('sync and async agree', () => {
  test('the same decisions from mapSync and map', async () => {
    const policy = policyFor(E68_INTERNAL_IP + '\n' + ANTI_RELAY);
    const tuple = { ...EXTERNAL, from: 'a@ext.example', to: 'b@other.example' };
    expect(await policy.rcptToAsync(tuple)).toEqual(policy.rcptTo(tuple));
    expect(await policy.mailFromAsync(tuple)).toEqual(policy.mailFrom(tuple));
    expect(await policy.connectAsync(EXTERNAL)).toEqual(policy.connect(EXTERNAL));
    expect(await policy.decideAsync({ stage: 'rcpt', ...tuple })).toEqual(policy.rcptTo(tuple));
  });

  test('an absent table is never mapped', () => {
    const set = compileText(mappingsText('PORT_ACCESS', '', '  *  $Y'));
    const policy = AccessPolicy.create(set) as AccessPolicy;
    const decision = decided(policy.rcptTo({ ...EXTERNAL, from: 'a@b', to: 'c@d' }));
    expect(decision.results.every((result) => result.outcome === 'absent' && result.mapping === undefined)).toBe(true);
    expect(decision.action).toBe('accept');
    expect(decision.info).toBeUndefined();
  });
});
