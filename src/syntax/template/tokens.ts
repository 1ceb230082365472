import { createToken, Lexer, type TokenType } from 'chevrotain';
import { CODE_POINT, literalRun } from '../pattern/tokens.js';

// Tokens of the template language (format.md T2). The lexer is total: every string tokenizes,
// and the AST step reports what is wrong. Each bracketed lookup (T8) pushes a mode in which only
// its own closer closes; nested openers push their own mode, so closers of nested constructs and
// closers written as the second character of a `$` pair never end the outer argument.

/** Characters that stand for themselves (T1) and the quotes `$$ $<space> $<TAB>` (T2), in any mode. */
export const LiteralText = createToken({ name: 'LiteralText', pattern: Lexer.NA });

/** `$0`–`$9`: one-digit substitution (T3). */
export const Capture = createToken({ name: 'Capture', pattern: /\$[0-9]/ });

/** `$\` `$^` `$_`: case modifiers (T4). */
export const CaseModifier = createToken({ name: 'CaseModifier', pattern: /\$[\\^_]/ });

/** `$=`: LDAP-filter quoting (T4). */
export const LdapQuote = createToken({ name: 'LdapQuote', pattern: '$=' });

/** `$C $E $L $R`, any case (T5). */
export const Control = createToken({ name: 'Control', pattern: /\$[celr]/i });

/** `$:x` / `$;x`: input-flag test (T6). */
export const FlagTest = createToken({ name: 'FlagTest', pattern: new RegExp(`\\$[:;]${CODE_POINT}`) });

/** `$:` / `$;` at the end of the text, without a flag character. */
export const FlagTestWithoutFlag = createToken({ name: 'FlagTestWithoutFlag', pattern: /\$[:;]/ });

/** `$?x?`: random condition (T6); the closing `?` is optional so a missing one is still one token. */
export const RandomTest = createToken({ name: 'RandomTest', pattern: /\$\?[^?]*\??/ });

/** `$#file|radix|width|m#`: sequence number (T11); read literally, closing `#` optional. */
export const SequenceLookup = createToken({ name: 'SequenceLookup', pattern: /\$#[^#]*#?/ });

/** `$|table;`: opens a nested mapping with its table name (T9). */
export const MappingOpen = createToken({
  name: 'MappingOpen',
  pattern: /\$\|[^;|]*;/,
  push_mode: 'pipeArgument',
});

/** `$|` without a `;` before the closer (T8.1 error). */
export const MappingOpenWithoutTable = createToken({
  name: 'MappingOpenWithoutTable',
  pattern: '$|',
  push_mode: 'pipeArgument',
});

/** `$[image,routine,`: opens a site-routine call with its header (T10). */
export const RoutineOpen = createToken({
  name: 'RoutineOpen',
  pattern: /\$\[[^,\]]*,[^,\]]*,/,
  push_mode: 'bracketArgument',
});

/** `$[` without two commas before the closer (T8.1 error). */
export const RoutineOpenWithoutHeader = createToken({
  name: 'RoutineOpenWithoutHeader',
  pattern: '$[',
  push_mode: 'bracketArgument',
});

/** `${`: general-database lookup (T11). */
export const DatabaseOpen = createToken({ name: 'DatabaseOpen', pattern: '${', push_mode: 'braceArgument' });

/** `$]`: URL lookup (T11). */
export const UrlOpen = createToken({ name: 'UrlOpen', pattern: '$]', push_mode: 'urlArgument' });

/** `$}`: domain-attribute lookup (T11). */
export const DomainOpen = createToken({ name: 'DomainOpen', pattern: '$}', push_mode: 'domainArgument' });

/** Any other `$` pair: an output flag (T7). */
export const Flag = createToken({ name: 'Flag', pattern: new RegExp(`\\$${CODE_POINT}`) });

/** A `$` with nothing after it (T1 error). */
export const DanglingDollar = createToken({ name: 'DanglingDollar', pattern: '$' });

/** `|`: closes `$|…|`. */
export const PipeClose = createToken({ name: 'PipeClose', pattern: '|', pop_mode: true });

/** `]`: closes `$[…]`. */
export const BracketClose = createToken({ name: 'BracketClose', pattern: ']', pop_mode: true });

/** `}`: closes `${…}`. */
export const BraceClose = createToken({ name: 'BraceClose', pattern: '}', pop_mode: true });

/** `[`: closes `$]…[`. */
export const UrlClose = createToken({ name: 'UrlClose', pattern: '[', pop_mode: true });

/** `{`: closes `$}…{`. */
export const DomainClose = createToken({ name: 'DomainClose', pattern: '{', pop_mode: true });

const dollarTokens = [
  Capture,
  CaseModifier,
  LdapQuote,
  Control,
  FlagTest,
  FlagTestWithoutFlag,
  RandomTest,
  SequenceLookup,
  MappingOpen,
  MappingOpenWithoutTable,
  RoutineOpen,
  RoutineOpenWithoutHeader,
  DatabaseOpen,
  UrlOpen,
  DomainOpen,
  Flag,
  DanglingDollar,
];

/** The tokens of one mode: literal text up to `$` or the mode's closer, the closer, every `$` pair. */
function modeTokens(name: string, closer?: TokenType): TokenType[] {
  const excluded = closer ? ['$', closer.PATTERN as string] : ['$'];
  const literal = createToken({
    name: `${name}Literal`,
    pattern: literalRun(excluded, '$ \t'),
    categories: LiteralText,
  });
  return closer ? [closer, literal, ...dollarTokens] : [literal, ...dollarTokens];
}

const templateMode = modeTokens('Template');

/** Literal text at the top level of a template (outside every lookup). */
export const TemplateLiteral = templateMode[0]!;

const modes = {
  template: templateMode,
  pipeArgument: modeTokens('PipeArgument', PipeClose),
  bracketArgument: modeTokens('BracketArgument', BracketClose),
  braceArgument: modeTokens('BraceArgument', BraceClose),
  urlArgument: modeTokens('UrlArgument', UrlClose),
  domainArgument: modeTokens('DomainArgument', DomainClose),
};

/** Literal text inside `$|…|` (a nested mapping's argument). */
export const PipeArgumentLiteral = modes.pipeArgument[1]!;

/** Every template token type, for the parser's vocabulary. */
export const templateTokens = [...new Set([LiteralText, ...Object.values(modes).flat()])];

let builtTemplateLexer: Lexer | undefined;

/** The template lexer, built on first use: offsets only, because the file parser maps them to lines (F16). */
export function templateLexer(): Lexer {
  return (builtTemplateLexer ??= buildTemplateLexer(true));
}

/** A new template lexer; `skipValidations` skips Chevrotain's checks of the definition, which test/grammar/validations.test.ts runs. */
export function buildTemplateLexer(skipValidations: boolean): Lexer {
  return new Lexer({ modes, defaultMode: 'template' }, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations });
}
