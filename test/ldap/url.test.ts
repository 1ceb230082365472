import { describe, expect, it } from 'vitest';
import { LdapUrlError, parseLdapUrl } from '../../src/ldap/index.js';

describe('RFC 4516 LDAP URLs (T11)', () => {
  it('ldap:/// asks the configured server; scope base and (objectClass=*) by default', () => {
    expect(parseLdapUrl('ldap:///o=siroe.com')).toEqual({
      server: null,
      baseDn: 'o=siroe.com',
      attributes: [],
      scope: 'base',
      filter: '(objectClass=*)',
    });
  });

  it('host and port, attribute list, scope and filter', () => {
    expect(parseLdapUrl('LDAP://Dir.Example:1389/o=isp?mail,cn?SUB?(uid=adam)')).toEqual({
      server: 'ldap://dir.example:1389',
      baseDn: 'o=isp',
      attributes: ['mail', 'cn'],
      scope: 'sub',
      filter: '(uid=adam)',
    });
  });

  it('a filter without parentheses gets them; the DN is %-decoded', () => {
    expect(parseLdapUrl('ldap:///o=a%20b?mail?one?uid=x')).toMatchObject({ baseDn: 'o=a b', scope: 'one', filter: '(uid=x)' });
  });

  it('%-escapes in the filter stay literal value characters: %2a is never a wildcard', () => {
    expect(parseLdapUrl('ldap:///o=isp?mail?sub?(mail=x%2a%29%3f)').filter).toBe('(mail=x\\2a\\29\\3f)');
  });

  it('a non-critical extension is ignored; a critical one, a bad scope or a bad escape is an error', () => {
    expect(parseLdapUrl('ldap:///o=isp?mail?sub?(uid=x)?e-bindname=cn=x').filter).toBe('(uid=x)');
    for (const url of [
      'ldap:///o=isp?mail?sub?(uid=x)?!e-bindname=cn=x',
      'ldap:///o=isp?mail?tree?(uid=x)',
      'ldap:///o=isp?mail?sub?(uid=%zz)',
      'ldap:///o=isp?ma(il?sub?(uid=x)',
      'ldap:///o=isp?mail?sub?(uid=x)?x?y',
      'http://example.org/',
    ]) {
      expect(() => parseLdapUrl(url), url).toThrow(LdapUrlError);
    }
  });
});
