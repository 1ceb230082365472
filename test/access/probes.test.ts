import { describe, expect, test } from 'vitest';
import {
  decodeOrcpt,
  fromAccessInputFlags,
  fromAccessProbe,
  internalIpProbe,
  mailAccessProbe,
  portAccessInputFlags,
  portAccessProbe,
  recipientInputFlags,
  recipientProbe,
  renderIpAddress,
  sendAccessProbe,
  type RecipientProbeFields,
  type RecipientTable,
} from '../../src/access/index.js';

const connection = { serverIp: '192.0.2.25', serverPort: 25, clientIp: '198.51.100.7', clientPort: 40312 };

describe('A4 PORT_ACCESS and A5 INTERNAL_IP probes', () => {
  test('A4: TCP|server-address|server-port|client-address|client-port', () => {
    expect(portAccessProbe(connection)).toBe('TCP|192.0.2.25|25|198.51.100.7|40312');
  });

  test('E66: the INTERNAL_IP probe is the bare client address, rendered as in A9', () => {
    expect(internalIpProbe('127.5.5.5')).toBe('127.5.5.5');
    expect(internalIpProbe('::1')).toBe('::1');
    expect(internalIpProbe('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(internalIpProbe('2001:DB8:0:0::7')).toBe('2001:db8::7');
  });

  test('A9: IPv6 in RFC 5952 form, IPv4-mapped as IPv4', () => {
    expect(renderIpAddress('2001:0DB8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(renderIpAddress('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(renderIpAddress('::FFFF:c000:0219')).toBe('192.0.2.25');
    expect(renderIpAddress('0.0.0.0')).toBe('0.0.0.0');
    expect(portAccessProbe({ ...connection, serverIp: '2001:DB8::25', clientIp: '::ffff:198.51.100.7' })).toBe(
      'TCP|2001:db8::25|25|198.51.100.7|40312',
    );
  });

  test('A9: an address the schemas would refuse is shown as given, never reinterpreted', () => {
    // ipaddr.js alone would read 010.1.2.3 as octal 8.1.2.3 (P9 calls it no address at all).
    expect(renderIpAddress('010.1.2.3')).toBe('010.1.2.3');
    expect(renderIpAddress('mail.example')).toBe('mail.example');
  });
});

describe('A6–A10 address-table probes', () => {
  test('A6: the 10-field FROM_ACCESS probe', () => {
    expect(
      fromAccessProbe({ connection, helo: 'mx.example.net', srcChannel: 'tcp_local', from: 'bob@example.net' }),
    ).toBe('TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/mx.example.net|MAIL|tcp_local|bob@example.net|');
  });

  test('A9: app-info is SMTP/ before any HELO; submit-type follows the command; a caller may override app-info', () => {
    const base = { connection, srcChannel: 'tcp_local', from: 'joe@example.net' };
    expect(fromAccessProbe(base)).toBe('TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/|MAIL|tcp_local|joe@example.net|');
    expect(fromAccessProbe({ ...base, helo: 'h', submitType: 'SAML' })).toContain('|SMTP/h|SAML|');
    expect(fromAccessProbe({ ...base, helo: 'h', appInfo: 'ESMTPS/h/TLSv1.3' })).toContain('|ESMTPS/h/TLSv1.3|MAIL|');
  });

  test('A7: the ORIG_SEND_ACCESS / SEND_ACCESS probe', () => {
    const fields = { srcChannel: 'tcp_local', from: 'bob@example.net', dstChannel: 'ims-ms', to: 'alice@corp.example' };
    expect(sendAccessProbe('ORIG_SEND_ACCESS', fields)).toBe('tcp_local|bob@example.net|ims-ms|alice@corp.example');
    expect(sendAccessProbe('SEND_ACCESS', { ...fields, recipient: 'a.smith@corp.example' })).toBe(
      'tcp_local|bob@example.net|ims-ms|a.smith@corp.example',
    );
    // The ORIG_* tables always see the recipient as given.
    expect(sendAccessProbe('ORIG_SEND_ACCESS', { ...fields, recipient: 'a.smith@corp.example' })).toBe(
      'tcp_local|bob@example.net|ims-ms|alice@corp.example',
    );
  });

  test('A8: the 11-field ORIG_MAIL_ACCESS / MAIL_ACCESS probe', () => {
    const fields = {
      connection,
      helo: 'mx.example.net',
      srcChannel: 'tcp_local',
      from: 'bob@example.net',
      dstChannel: 'ims-ms',
      to: 'alice@corp.example',
    };
    const probe = 'TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/mx.example.net|MAIL|tcp_local|bob@example.net|ims-ms|alice@corp.example';
    expect(mailAccessProbe('ORIG_MAIL_ACCESS', fields)).toBe(probe);
    expect(mailAccessProbe('MAIL_ACCESS', fields)).toBe(probe);
    expect(probe.split('|')).toHaveLength(11);
  });

  test('E73: the null reverse-path gives an empty envelope From field', () => {
    const fields = {
      connection: { serverIp: '192.0.2.25', serverPort: 25, clientIp: '203.0.113.5', clientPort: 1025 },
      helo: 'mx.example.net',
      srcChannel: 'tcp_local',
      from: '',
      dstChannel: 'ims-ms',
      to: 'u@corp.example',
    };
    expect(mailAccessProbe('ORIG_MAIL_ACCESS', fields)).toBe(
      'TCP|192.0.2.25|25|203.0.113.5|1025|SMTP/mx.example.net|MAIL|tcp_local||ims-ms|u@corp.example',
    );
  });

  test('E88 / A10: non-SMTP submissions blank the connection part and keep 10 / 11 fields', () => {
    const fields = { srcChannel: 'l', from: 'bob@corp.example', dstChannel: 'tcp_local', to: 'x@example.org' };
    expect(fromAccessProbe(fields)).toBe('||||||MAIL|l|bob@corp.example|');
    expect(sendAccessProbe('ORIG_SEND_ACCESS', fields)).toBe('l|bob@corp.example|tcp_local|x@example.org');
    expect(mailAccessProbe('ORIG_MAIL_ACCESS', fields)).toBe('||||||MAIL|l|bob@corp.example|tcp_local|x@example.org');
    // A10: submit-type is MAIL whatever command name a caller passes, and no HELO text leaks in.
    expect(fromAccessProbe({ ...fields, submitType: 'SEND', helo: 'x' })).toBe('||||||MAIL|l|bob@corp.example|');
  });
});

describe('A12 mapping_paranoia', () => {
  const fields = { srcChannel: 'tcp_local', from: '"a|b"@example.net', dstChannel: 'ims-ms', to: 'u@corp.example' };

  test('E89: "|" in a local part is replaced by default, by the configured character, or kept when off', () => {
    expect(sendAccessProbe('SEND_ACCESS', fields)).toBe('tcp_local|"a_b"@example.net|ims-ms|u@corp.example');
    expect(sendAccessProbe('SEND_ACCESS', fields, { mappingParanoia: '#' })).toBe(
      'tcp_local|"a#b"@example.net|ims-ms|u@corp.example',
    );
    const exact = sendAccessProbe('SEND_ACCESS', fields, { mappingParanoia: false });
    expect(exact).toBe('tcp_local|"a|b"@example.net|ims-ms|u@corp.example');
    expect(exact.split('|')).toHaveLength(5);
  });

  test('every free-text field is protected; addresses, ports and channels keep their place', () => {
    const probe = mailAccessProbe(
      'MAIL_ACCESS',
      {
        connection,
        helo: 'evil|tcp_auth',
        srcChannel: 'tcp_local',
        from: 'x|y@example.net',
        dstChannel: 'tcp_local',
        to: '"p|q"@example.org',
        recipient: '"r|s"@example.org',
        orcpt: 'rfc822;"p|q"@example.org',
        conversionTags: ['a|b'],
      },
      { accessOrcpt: 1, includeConversionTag: 64 },
    );
    expect(probe).toBe(
      'TCP|192.0.2.25|25|198.51.100.7|40312|SMTP/evil_tcp_auth|MAIL|tcp_local|x_y@example.net|tcp_local|"r_s"@example.org|rfc822;"p_q"@example.org|a_b',
    );
    expect(probe.split('|')).toHaveLength(13);
    expect(fromAccessProbe({ connection, srcChannel: 'tcp_auth', from: 'a@b', authSender: 'u|v@corp.example' })).toMatch(
      /\|tcp_auth\|a@b\|u_v@corp\.example$/,
    );
  });
});

describe('A11 optional recipient-probe fields', () => {
  // E90: source tcp_local, From bob@example.net, recipient u@corp.example (ims-ms), third RCPT TO, two accepted.
  const fields: RecipientProbeFields = {
    srcChannel: 'tcp_local',
    from: 'bob@example.net',
    dstChannel: 'ims-ms',
    to: 'u@corp.example',
    rcptIndex: 3,
    acceptedSoFar: 2,
  };
  const base = 'tcp_local|bob@example.net|ims-ms|u@corp.example';

  test('E90: access_orcpt bit 2 adds ORCPT to SEND_ACCESS only', () => {
    const withOrcpt = { ...fields, orcpt: 'rfc822;U@Corp.Example' };
    expect(sendAccessProbe('SEND_ACCESS', withOrcpt, { accessOrcpt: 4 })).toBe(`${base}|rfc822;U@Corp.Example`);
    expect(sendAccessProbe('ORIG_SEND_ACCESS', withOrcpt, { accessOrcpt: 4 })).toBe(base);
  });

  test('E90: without ORCPT the field is the original RCPT TO address, bare', () => {
    expect(sendAccessProbe('SEND_ACCESS', fields, { accessOrcpt: 4 })).toBe(`${base}|u@corp.example`);
    expect(sendAccessProbe('SEND_ACCESS', { ...fields, recipient: 'u2@corp.example' }, { accessOrcpt: 4 })).toBe(
      'tcp_local|bob@example.net|ims-ms|u2@corp.example|u@corp.example',
    );
  });

  test('E90: access_counts 1 ends every recipient probe with R/T/, and E/ with accessCountsExpansion', () => {
    const tables: RecipientTable[] = ['ORIG_SEND_ACCESS', 'SEND_ACCESS', 'ORIG_MAIL_ACCESS', 'MAIL_ACCESS'];
    for (const table of tables) {
      expect(recipientProbe(table, fields, { accessCounts: 1 })).toMatch(/\|u@corp\.example\|3\/2\/$/);
      expect(recipientProbe(table, fields, { accessCounts: 1, accessCountsExpansion: true })).toMatch(/\|3\/2\/1\/$/);
    }
    expect(
      recipientProbe('SEND_ACCESS', { ...fields, expansionCount: 4 }, { accessCounts: 1, accessCountsExpansion: true }),
    ).toBe(`${base}|3/2/4/`);
  });

  test('E90: orcpt, counts and conversion tag together, in that order', () => {
    const all = { ...fields, orcpt: 'rfc822;U@Corp.Example', conversionTags: ['virus', 'archive'] };
    const options = { accessOrcpt: 1, accessCounts: 1, includeConversionTag: 8 };
    expect(sendAccessProbe('ORIG_SEND_ACCESS', all, options)).toBe(`${base}|rfc822;U@Corp.Example|3/2/|virus,archive`);
    expect(sendAccessProbe('SEND_ACCESS', all, options)).toBe(`${base}|rfc822;U@Corp.Example|3/2/`);
  });

  test('A11: each table has its own bit in every option', () => {
    const tables: RecipientTable[] = ['ORIG_SEND_ACCESS', 'SEND_ACCESS', 'ORIG_MAIL_ACCESS', 'MAIL_ACCESS'];
    tables.forEach((table, position) => {
      const mine = 1 << (position + 1);
      for (const other of tables.filter((name) => name !== table)) {
        expect(recipientProbe(other, fields, { accessCounts: mine })).not.toMatch(/3\/2\/$/);
      }
      expect(recipientProbe(table, fields, { accessCounts: mine })).toMatch(/\|3\/2\/$/);
      expect(recipientProbe(table, fields, { accessOrcpt: mine })).toMatch(/\|u@corp\.example\|u@corp\.example$/);
      expect(recipientProbe(table, fields, { includeConversionTag: 1 << (position + 3) })).toMatch(/\|u@corp\.example\|$/);
    });
    // Bits 0–2 of include_conversiontag belong to other tables.
    expect(sendAccessProbe('SEND_ACCESS', { ...fields, conversionTags: ['x'] }, { includeConversionTag: 7 })).toBe(base);
  });

  test('A11: ORCPT is xtext-decoded', () => {
    expect(decodeOrcpt('rfc822;a+2Bb+3Dc@example.org')).toBe('rfc822;a+b=c@example.org');
    expect(sendAccessProbe('SEND_ACCESS', { ...fields, orcpt: 'rfc822;a+2Bb@x' }, { accessOrcpt: 1 })).toBe(
      `${base}|rfc822;a+b@x`,
    );
  });
});

describe('A13 input flags', () => {
  test('PORT_ACCESS: A for the Dispatcher probe unless dispatcher is false', () => {
    expect(portAccessInputFlags({})).toBe('A');
    expect(portAccessInputFlags({ dispatcher: true, authenticated: true, tls: true })).toBe('A');
    expect(portAccessInputFlags({ dispatcher: false })).toBe('');
  });

  test('FROM_ACCESS: A and T only, never D, F, S, E, L', () => {
    const everything = { authenticated: true, tls: true, esmtp: true, lmtp: true, notify: ['SUCCESS', 'DELAY'] as const };
    expect(fromAccessInputFlags({ ...everything, notify: [...everything.notify] })).toBe('AT');
    expect(fromAccessInputFlags({ esmtp: true })).toBe('');
  });

  test('recipient tables: A D E F L S T in ascending order', () => {
    expect(
      recipientInputFlags({ authenticated: true, tls: true, esmtp: true, lmtp: true, notify: ['SUCCESS', 'FAILURE', 'DELAY'] }),
    ).toBe('ADEFLST');
    expect(recipientInputFlags({ esmtp: true, notify: ['SUCCESS'] })).toBe('ES');
  });

  test('NOTIFY flags only for keywords the client sent; notifyDefaultFlags stands in for the implicit default', () => {
    expect(recipientInputFlags({ notify: ['NEVER'] })).toBe('');
    expect(recipientInputFlags({})).toBe('');
    expect(recipientInputFlags({}, true)).toBe('DF');
    expect(recipientInputFlags({ notify: ['NEVER'] }, true)).toBe('');
    expect(recipientInputFlags({ notify: ['SUCCESS'] }, true)).toBe('S');
  });
});
