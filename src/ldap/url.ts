/** The search an RFC 4516 LDAP URL asks for. */
export interface LdapSearch {
  /** `ldap://host:port` or `ldaps://host:port` as written, or null for `ldap:///…`: the configured server. */
  server: string | null;
  baseDn: string;
  /** Attribute names in the order the URL lists them; empty means all attributes. */
  attributes: string[];
  scope: 'base' | 'one' | 'sub';
  filter: string;
}

/** Why a text is not an LDAP URL imsmap can search with. */
export class LdapUrlError extends Error {
  override name = 'LdapUrlError';
}

const SCOPES = new Set(['base', 'one', 'sub']);

/** RFC 4516 percent-decoding of a URL part other than the filter. */
function percentDecoded(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new LdapUrlError(`the ${what} has a malformed %-escape`);
  }
}

/**
 * The filter with its %-escapes made literal value characters: `%2a` becomes the escaped `\2a`, not a
 * wildcard. `$=` (T4) quotes `* ( ) \` in substituted text but not `%`, so decoding an escape into filter
 * syntax would let a probe such as `x%2a` widen the search to every entry. Authors write the filter's
 * syntax characters literally (RFC 4516 only requires `?` to be escaped, and `%3f` stays a literal `?`).
 */
function filterWithLiteralEscapes(filter: string): string {
  return filter.replace(/%(?:([0-9a-fA-F]{2})|.{0,2})/g, (escape, hex: string | undefined) => {
    if (hex === undefined) throw new LdapUrlError(`the filter has a malformed %-escape "${escape}"`);
    return `\\${hex.toLowerCase()}`;
  });
}

/**
 * Reads `ldap://host:port/dn?attributes?scope?filter?extensions` (RFC 4516; `ldaps://` too). The scope
 * defaults to `base` and the filter to `(objectClass=*)`, as the MTA documents (bgaji); a critical
 * extension (`!name`) cannot be honoured, so it is an error rather than ignored.
 */
export function parseLdapUrl(url: string): LdapSearch {
  const match = /^(ldaps?):\/\/([^/?]*)(?:\/([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?([^?]*))?)?)?)?)?$/i.exec(url);
  if (!match) throw new LdapUrlError('is not an LDAP URL (ldap://host:port/dn?attributes?scope?filter)');
  const [, scheme, hostPort = '', dn = '', attributeList = '', scopeText = '', filterText = '', extensions = ''] = match;
  const scope = (scopeText === '' ? 'base' : percentDecoded(scopeText, 'scope').toLowerCase()) as LdapSearch['scope'];
  if (!SCOPES.has(scope)) throw new LdapUrlError(`the scope "${scopeText}" is not base, one or sub`);
  for (const extension of extensions.split(',')) {
    if (extension.startsWith('!')) throw new LdapUrlError(`the critical extension "${extension}" is not supported`);
  }
  const attributes = attributeList === '' ? [] : attributeList.split(',').map((name) => percentDecoded(name, 'attribute list'));
  if (attributes.some((name) => !/^[A-Za-z0-9][A-Za-z0-9;.-]*$/.test(name))) {
    throw new LdapUrlError(`the attribute list "${attributeList}" is not a list of attribute names`);
  }
  const filter = filterText === '' ? '(objectClass=*)' : filterWithLiteralEscapes(filterText);
  return {
    server: hostPort === '' ? null : `${scheme!.toLowerCase()}://${hostPort.toLowerCase()}`,
    baseDn: percentDecoded(dn, 'DN'),
    attributes,
    scope,
    filter: filter.startsWith('(') ? filter : `(${filter})`,
  };
}
