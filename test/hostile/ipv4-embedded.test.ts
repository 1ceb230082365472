// access.md A9: only an IPv4-mapped address (::ffff:0:0/96) is the IPv4 host. IPv4-compatible `::a.b.c.d`,
// NAT64 and 6to4 addresses are IPv6: written in hex (RFC 5952) and never matched by an IPv4 pattern.
// Issue 11 item 8: `::198.51.100.1` was written and matched as 198.51.100.1, so with the firewall at
// 198.51.100.1 in INTERNAL_IP that IPv6 client counted as internal.
import { describe, expect, it } from 'vitest';
import { renderIpAddress } from '../../src/access/index.js';
import { isValidIpAddress } from '../../src/syntax/ip.js';
import { decided, mappingsText, policyFor, SERVER } from '../access/helpers.js';
import { mappings } from '../engine/helpers.js';

describe('A9 — rendering', () => {
  it.each([
    ['::ffff:198.51.100.1', '198.51.100.1'],
    ['::FFFF:c633:6401', '198.51.100.1'],
    ['::198.51.100.1', '::c633:6401'],
    ['0:0:0:0:0:0:198.51.100.1', '::c633:6401'],
    ['64:ff9b::198.51.100.1', '64:ff9b::c633:6401'],
    ['2002:c633:6401::1', '2002:c633:6401::1'],
    ['::ffff:0:198.51.100.1', '::ffff:0:c633:6401'],
  ])('%s → %s', (address, rendered) => {
    expect(renderIpAddress(address)).toBe(rendered);
  });

  it('IPv4 leading zeros are refused in the embedded quad too (A33 item 6)', () => {
    expect(isValidIpAddress('::ffff:010.1.2.3')).toBe(false);
    expect(isValidIpAddress('::198.051.100.1')).toBe(false);
    expect(isValidIpAddress('fe80::1%eth0')).toBe(false);
  });
});

describe('A9 — an IPv4-compatible client is not the IPv4 host', () => {
  const FIREWALL = mappingsText(
    'INTERNAL_IP',
    '',
    '  198.51.100.1  $Y',
    '  $(192.0.2.0/24)  $Y',
    '  *  $N',
    '',
    'PORT_ACCESS',
    '',
    '  *|*|*|*|*  $C$|INTERNAL_IP;$3|$Y$E',
    '  TCP|*|25|*|*  $N$ External$ clients$ may$ not$ use$ port$ 25',
    '  *  $Y',
  );
  const policy = policyFor(FIREWALL);

  it.each(['::198.51.100.1', '::192.0.2.9', '64:ff9b::198.51.100.1', '64:ff9b::192.0.2.9'])('%s is external', (clientIp) => {
    expect(policy.classifyClient(clientIp)).toBe(false);
    const decision = decided(policy.connect({ ...SERVER, clientIp, clientPort: 40000 }));
    expect(decision.action).toBe('reject');
    expect(decision.results[0]!.probe).toBe(`TCP|192.0.2.25|25|${renderIpAddress(clientIp)}|40000`);
  });

  it.each(['198.51.100.1', '::ffff:198.51.100.1', '::ffff:192.0.2.9'])('%s is internal', (clientIp) => {
    expect(policy.classifyClient(clientIp)).toBe(true);
    expect(decided(policy.connect({ ...SERVER, clientIp, clientPort: 40000 })).action).toBe('accept');
  });

  it('an IPv4 subnet pattern does not match the embedded address however the probe spells it', () => {
    const set = mappings(['T', '', '  $(198.51.100.0/24)  $Y', '  $(::/96)  $Ycompatible']);
    expect(set.mapSync('T', '::198.51.100.1').output).toBe('compatible');
    expect(set.mapSync('T', '::c633:6401').output).toBe('compatible');
    expect(set.mapSync('T', '::ffff:198.51.100.1')).toMatchObject({ output: '', flags: ['Y'] });
  });
});
