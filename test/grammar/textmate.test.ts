import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

// The TextMate grammar for editors (grammar/mappings.tmLanguage.json), run through the real engine
// VS Code uses. Each check names a token by the text it starts with and asserts the scopes an editor
// theme colours it by.

const ROOT = new URL('../../', import.meta.url);
const GRAMMAR_FILE = fileURLToPath(new URL('grammar/mappings.tmLanguage.json', ROOT));
const SCOPE = 'source.ims-mappings';

let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(fileURLToPath(new URL('node_modules/vscode-oniguruma/release/onig.wasm', ROOT)));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
      createOnigString: (text: string) => new OnigString(text),
    }),
    loadGrammar: async (scopeName) => (scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null),
  });
  const loaded = await registry.loadGrammar(SCOPE);
  if (!loaded) throw new Error('grammar did not load');
  grammar = loaded;
});

/** One token of a tokenised text: its 1-based line, its text and its scopes (outermost first). */
interface Token {
  line: number;
  text: string;
  scopes: string[];
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let state = INITIAL;
  text.split('\n').forEach((lineText, index) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ line: index + 1, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

function fixture(name: string): Token[] {
  return tokenise(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, ROOT)), 'utf8'));
}

/** The scopes of the `nth` token (1-based) that starts with `start` on the given line. */
function scopesOf(tokens: Token[], line: number, start: string, nth = 1): string[] {
  const token = tokens.filter((candidate) => candidate.line === line && candidate.text.startsWith(start))[nth - 1];
  if (!token) {
    const onLine = tokens.filter((candidate) => candidate.line === line).map((candidate) => candidate.text);
    throw new Error(`no token starting with ${JSON.stringify(start)} on line ${line}: ${JSON.stringify(onLine)}`);
  }
  return token.scopes;
}

/** The innermost scope, without the language suffix: what a theme mostly colours by. */
function kindOf(tokens: Token[], line: number, start: string, nth = 1): string {
  return scopesOf(tokens, line, start, nth).at(-1)!.replace(/\.ims-mappings$/, '');
}

describe('fixtures/example.mappings', () => {
  const tokens = () => fixture('example.mappings');

  test('comments, table names and entries', () => {
    const all = tokens();
    expect(kindOf(all, 1, '!')).toBe('punctuation.definition.comment');
    expect(scopesOf(all, 1, '!')).toContain('comment.line.exclamation-mark.ims-mappings');
    expect(kindOf(all, 5, 'INTERNAL_IP')).toBe('entity.name.section.table');
    expect(scopesOf(all, 7, '$(')).toEqual([SCOPE, 'meta.entry.ims-mappings', 'meta.pattern.ims-mappings', 'meta.ip.prefix.ims-mappings', 'punctuation.definition.ip.begin.ims-mappings']);
  });

  test('IP constructs, wildcards and flags', () => {
    const all = tokens();
    expect(kindOf(all, 7, '127.0.0.0')).toBe('constant.numeric.ip-address');
    expect(kindOf(all, 7, '8')).toBe('constant.numeric.prefix-length');
    expect(kindOf(all, 7, '$Y')).toBe('constant.language.flag');
    expect(scopesOf(all, 7, '$Y')).toContain('meta.template.ims-mappings');
    expect(kindOf(all, 8, '$(')).toBe('punctuation.definition.ip.begin');
    expect(kindOf(all, 8, '::1')).toBe('constant.numeric.ip-address');
    expect(kindOf(all, 9, '*')).toBe('keyword.operator.wildcard');
    expect(kindOf(all, 9, '$N')).toBe('constant.language.flag');
  });

  test('the INTERNAL_IP idiom: controls, a nested mapping and a substitution', () => {
    const all = tokens();
    expect(kindOf(all, 15, '$C')).toBe('keyword.control.flow');
    expect(kindOf(all, 15, '$|')).toBe('punctuation.section.lookup.begin');
    expect(kindOf(all, 15, 'INTERNAL_IP')).toBe('entity.name.function.table');
    expect(kindOf(all, 15, ';')).toBe('punctuation.separator.argument');
    expect(scopesOf(all, 15, '$3')).toEqual([
      SCOPE,
      'meta.entry.ims-mappings',
      'meta.template.ims-mappings',
      'meta.lookup.mapping.ims-mappings',
      'variable.other.capture.ims-mappings',
    ]);
    expect(kindOf(all, 15, '|', 5)).toBe('punctuation.section.lookup.end');
    expect(kindOf(all, 15, '$E')).toBe('keyword.control.flow');
  });

  test('quoted spaces and the log flag in a template', () => {
    const all = tokens();
    expect(kindOf(all, 17, '$<')).toBe('constant.language.flag');
    expect(kindOf(all, 17, '$ ')).toBe('constant.character.escape');
    expect(kindOf(all, 17, '$1')).toBe('variable.other.capture');
  });

  test('a template continued on a line that starts in column 1', () => {
    const all = tokens();
    const continued = all.find((token) => token.text === 'for')!.line;
    expect(kindOf(all, continued - 1, '\\')).toBe('punctuation.separator.continuation.line');
    expect(scopesOf(all, continued, 'for')).toEqual([SCOPE, 'meta.entry.ims-mappings', 'meta.template.ims-mappings']);
    expect(kindOf(all, continued, '$ ')).toBe('constant.character.escape');
  });
});

describe('fixtures/f02-continuation.mappings', () => {
  test('continuations in the template and in the pattern, and `$\\` at the end of a line', () => {
    const all = fixture('f02-continuation.mappings');
    expect(kindOf(all, 4, '\\')).toBe('punctuation.separator.continuation.line');
    expect(kindOf(all, 5, '$N')).toBe('constant.language.flag');
    expect(kindOf(all, 6, 'not')).toBe('meta.template');
    // A pattern broken after `|*|` goes on in the pattern on the next line.
    expect(kindOf(all, 7, '\\')).toBe('punctuation.separator.continuation.line');
    expect(scopesOf(all, 8, '*')).toContain('meta.pattern.ims-mappings');
    expect(kindOf(all, 8, '$Y')).toBe('constant.language.flag');
    expect(kindOf(all, 10, '$:A')).toBe('keyword.control.conditional.flag-test');
    expect(kindOf(all, 11, '$E')).toBe('keyword.control.flow');
    // `$\` is the lower-case modifier; the next line is an entry of its own.
    expect(kindOf(all, 13, '$\\')).toBe('storage.modifier.case');
    expect(kindOf(all, 14, '$0')).toBe('variable.other.capture');
    expect(scopesOf(all, 14, '*')).toContain('meta.pattern.ims-mappings');
  });
});

describe('other fixtures', () => {
  test('include lines', () => {
    const all = fixture('f07-includes.mappings');
    expect(kindOf(all, 4, '<')).toBe('keyword.control.directive.include');
    expect(kindOf(all, 4, 'includes/send-blocked.inc')).toBe('string.unquoted.include-path');
    expect(kindOf(all, 6, 'includes/tables/more.inc')).toBe('string.unquoted.include-path');
  });

  test('comments between entries, and an indented `!` that is an entry', () => {
    const all = fixture('f06-comments.mappings');
    expect(scopesOf(all, 5, '!')).toContain('comment.line.exclamation-mark.ims-mappings');
    expect(scopesOf(all, 6, '!important')).toContain('meta.pattern.ims-mappings');
    expect(kindOf(all, 6, '$Y')).toBe('constant.language.flag');
  });

  test('lines that should have been indented', () => {
    const all = fixture('invalid/f03-unindented.mappings');
    expect(kindOf(all, 5, '30|Relaying')).toBe('invalid.illegal.unindented');
    expect(kindOf(all, 6, '$N30')).toBe('invalid.illegal.unindented');
    expect(kindOf(all, 7, '*')).toBe('invalid.illegal.unindented');
  });

  test('bad table names and text after a table name', () => {
    const all = fixture('invalid/f04-table-names.mappings');
    expect(kindOf(all, 4, 'Internal_IP.v2-test')).toBe('entity.name.section.table');
    expect(kindOf(all, 6, 'ORIG')).toBe('entity.name.section.table');
    expect(kindOf(all, 6, '#SEND')).toBe('invalid.illegal.table-name');
    expect(kindOf(all, 8, '$(129')).toBe('invalid.illegal.header-extra-text');
  });
});

describe('constructs the fixtures do not use', () => {
  const text = [
    'T',
    '  $[ax1\\-]*@$_$D*.$A%  $2',
    '  *|$0*|$@*|$^%  $=$0$_',
    '  $<123.45.67.4/2>|${2001:db8::/32}  $?25?$;T',
    '  *  $C$[/opt/site/lib/check.so,check_sender,$0]${SEND|$0}$]ldap:///o=corp?mail[$}corp.example,_base_dn_{$#/var/seq|16|4#',
    '  *$Y  x$',
  ].join('\n');

  test('sets, globs, modifiers and back-matches in patterns', () => {
    const all = tokenise(text);
    expect(kindOf(all, 2, '$[')).toBe('punctuation.definition.set.begin');
    expect(kindOf(all, 2, 'a')).toBe('constant.character.set');
    expect(kindOf(all, 2, '\\-')).toBe('constant.character.escape');
    expect(kindOf(all, 2, ']')).toBe('punctuation.definition.set.end');
    expect(scopesOf(all, 2, '*')).toContain('meta.set.ims-mappings');
    expect(kindOf(all, 2, '$_')).toBe('storage.modifier');
    expect(kindOf(all, 2, '$D*')).toBe('keyword.operator.wildcard.glob');
    expect(kindOf(all, 2, '$A%')).toBe('keyword.operator.wildcard.glob');
    expect(kindOf(all, 3, '$0*')).toBe('variable.other.back-reference');
    expect(kindOf(all, 3, '$@')).toBe('storage.modifier');
    expect(kindOf(all, 3, '$^')).toBe('storage.modifier');
    expect(kindOf(all, 3, '$=')).toBe('storage.modifier.quote');
    expect(kindOf(all, 3, '$_')).toBe('storage.modifier.case');
  });

  test('the other IP forms and the conditions', () => {
    const all = tokenise(text);
    expect(scopesOf(all, 4, '$<')).toContain('meta.ip.ignore-bits.ims-mappings');
    expect(kindOf(all, 4, '2')).toBe('constant.numeric.prefix-length');
    expect(scopesOf(all, 4, '${')).toContain('meta.ip.v6.ims-mappings');
    expect(kindOf(all, 4, '2001:db8::')).toBe('constant.numeric.ip-address');
    expect(kindOf(all, 4, '25')).toBe('constant.numeric.percent');
    expect(kindOf(all, 4, '$;T')).toBe('keyword.control.conditional.flag-test');
  });

  test('routine, database, URL, domain and sequence lookups', () => {
    const all = tokenise(text);
    expect(kindOf(all, 5, '/opt/site/lib/check.so')).toBe('string.unquoted.image-path');
    expect(kindOf(all, 5, 'check_sender')).toBe('entity.name.function.routine');
    expect(scopesOf(all, 5, '$0')).toContain('meta.lookup.routine.ims-mappings');
    expect(scopesOf(all, 5, 'SEND|')).toContain('meta.lookup.database.ims-mappings');
    expect(scopesOf(all, 5, 'ldap:///o=corp?mail')).toContain('meta.lookup.url.ims-mappings');
    expect(scopesOf(all, 5, 'corp.example,_base_dn_')).toContain('meta.lookup.domain.ims-mappings');
    expect(kindOf(all, 5, '/var/seq|16|4')).toBe('string.unquoted.sequence-file');
  });

  test('mistakes inside an entry', () => {
    const all = tokenise(text);
    expect(kindOf(all, 6, '$Y')).toBe('invalid.illegal.undefined-escape');
    expect(kindOf(all, 6, '$')).toBe('invalid.illegal.undefined-escape');
    const dangling = all.filter((token) => token.line === 6).at(-1)!;
    expect(dangling.text).toBe('$');
    expect(dangling.scopes.at(-1)).toBe('invalid.illegal.dangling-dollar.ims-mappings');
  });
});
