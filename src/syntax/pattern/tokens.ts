import { createToken, Lexer, type IToken } from 'chevrotain';

// Tokens of the pattern language (format.md P2–P9). Every input string tokenizes completely:
// the catch-all `$` tokens at the end of each mode make the lexer total, so problems are found by
// the AST step (with their exact offsets) instead of by lexer errors.

// Character classes are written as positive ranges, never `[^…]` or `[\s\S]`: Chevrotain's
// first-character optimization (one candidate list per first character instead of trying every
// token) cannot analyze complement sets, and without it every `$` would try all token patterns.

/** Regular-expression source of one code point: a surrogate pair or any single code unit (P2). */
export const CODE_POINT = '(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[\\u0000-\\uFFFF])';

/**
 * A regular expression for a run of literal text: characters other than `excluded`, and `$` pairs
 * quoting one of `quoted`. Lexing quotes into the run keeps `Relaying$ not$ allowed` one token
 * instead of five, which halves the lexing time of typical access-table entries.
 */
export function literalRun(excluded: string[], quoted: string): RegExp {
  const hex = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
  const codes = excluded.map((character) => character.charCodeAt(0)).sort((a, b) => a - b);
  let ranges = '';
  let from = 0;
  for (const code of codes) {
    if (code > from) ranges += `${hex(from)}-${hex(code - 1)}`;
    from = code + 1;
  }
  const quotedClass = [...quoted].map((character) => hex(character.charCodeAt(0))).join('');
  return new RegExp(`(?:[${ranges}${hex(from)}-\\uffff]|\\$[${quotedClass}])+`);
}

/** Where a problem points, in code units of the pattern or template text. */
export interface OffsetRange {
  offset: number;
  length: number;
}

/** The range a token covers, for problems that point at the whole token. */
export function spanOf(token: IToken): OffsetRange {
  return { offset: token.startOffset, length: token.image.length };
}

/** What a literal run stands for: its quoted characters without their `$`. */
export function unquote(image: string): string {
  // A loop over indexOf instead of a regular-expression replace: this runs for most entries, and
  // the replace showed up in profiles. Every `$` in a run starts a pair, so the character after it
  // is kept and the search resumes behind it (`$$` keeps one `$`). The parts are joined rather
  // than concatenated one by one: concatenation left a tree of string pieces in every parsed
  // literal, several times the memory of the flat text.
  let at = image.indexOf('$');
  if (at < 0) return image;
  const parts: string[] = [];
  let from = 0;
  for (; at >= 0; at = image.indexOf('$', from + 1)) {
    parts.push(image.slice(from, at));
    from = at + 1;
  }
  parts.push(image.slice(from));
  return parts.join('');
}

/** Characters that stand for themselves (P2), including the quotes `$$ $* $% $<space> $<TAB>` (P3). */
export const LiteralRun = createToken({ name: 'LiteralRun', pattern: literalRun(['$', '*', '%'], '$*% \t') });

/** `*`: any number of any character (P3). */
export const Star = createToken({ name: 'Star', pattern: '*' });

/** `%`: exactly one character (P3). */
export const Percent = createToken({ name: 'Percent', pattern: '%' });

/** `$_`: the next item matches minimally (P6). */
export const LazyModifier = createToken({ name: 'LazyModifier', pattern: '$_' });

/** `$@`: saving off until `$^` (P6). */
export const SavingOff = createToken({ name: 'SavingOff', pattern: '$@' });

/** `$^`: saving on again (P6). */
export const SavingOn = createToken({ name: 'SavingOn', pattern: '$^' });

/** `$A%` … `$X*`: a named glob with its width; letters are case-insensitive (P3). */
export const Glob = createToken({ name: 'Glob', pattern: /\$[abdhostx][%*]/i });

/** A glob letter not followed by `%` or `*` (P3 error). */
export const GlobWithoutWidth = createToken({ name: 'GlobWithoutWidth', pattern: /\$[abdhostx]/i });

/** `$n*`: back-match of saved item n (P8). */
export const Backmatch = createToken({ name: 'Backmatch', pattern: /\$[0-9]\*/ });

/** `$[`: opens a character set (P5); the set's members are lexed in mode `set`. */
export const SetOpen = createToken({ name: 'SetOpen', pattern: '$[', push_mode: 'set' });

// The IP constructs (P9) are one token each, closer optional so that a missing closer is still one
// token; the AST step validates the address with ipaddr.js.

/** `$(addr/n)`: IP prefix form (P9). */
export const IpPrefixForm = createToken({ name: 'IpPrefixForm', pattern: /\$\([^)]*\)?/ });

/** `$<addr/n>`: IP ignore-bits form (P9). */
export const IpIgnoreForm = createToken({ name: 'IpIgnoreForm', pattern: /\$<[^>]*>?/ });

/** `${addr/n}`: IP form written for IPv6 (P9). */
export const IpV6Form = createToken({ name: 'IpV6Form', pattern: /\$\{[^}]*\}?/ });

/** Any other `$` pair, e.g. `$N` (P7 error). */
export const UndefinedEscape = createToken({ name: 'UndefinedEscape', pattern: new RegExp(`\\$${CODE_POINT}`) });

/** A `$` with nothing after it (F8/T1 error). */
export const DanglingDollar = createToken({ name: 'DanglingDollar', pattern: '$' });

/** `\x` inside a set: the character x literally (P5); a lone `\` at the end stays a backslash. */
export const SetEscape = createToken({ name: 'SetEscape', pattern: new RegExp(`\\\\${CODE_POINT}?`) });

/** `-` inside a set: a range between two members, or a literal `-` (P5). */
export const SetDash = createToken({ name: 'SetDash', pattern: '-' });

/** `]`: closes a set (P5). */
export const SetClose = createToken({ name: 'SetClose', pattern: ']', pop_mode: true });

/** Any other character inside a set: a member (P5). */
export const SetChar = createToken({ name: 'SetChar', pattern: new RegExp(CODE_POINT) });

// The lexer tries the tokens that can start with a character in this order and takes the first
// that matches. The `$` pairs are told apart by their second character, so their order among
// themselves is free, except that Glob must come before GlobWithoutWidth and the catch-alls last.
// Speed: the IP constructs come first, being the `$` pairs of access tables (INTERNAL_IP,
// PORT_ACCESS), so trying `$(` early spares the lexer the failed attempts before it.
const mainMode = [
  LiteralRun,
  Star,
  Percent,
  IpPrefixForm,
  IpIgnoreForm,
  IpV6Form,
  LazyModifier,
  SavingOff,
  SavingOn,
  Glob,
  GlobWithoutWidth,
  Backmatch,
  SetOpen,
  UndefinedEscape,
  DanglingDollar,
];
const setMode = [SetEscape, SetDash, SetClose, SetChar];

/** Every pattern token type, in the order the parser's vocabulary lists them. */
export const patternTokens = [...mainMode, ...setMode];

let builtPatternLexer: Lexer | undefined;

/** The pattern lexer, built on first use: offsets only, because the file parser maps them to lines (F16). */
export function patternLexer(): Lexer {
  return (builtPatternLexer ??= buildPatternLexer(true));
}

/** A new pattern lexer; `skipValidations` skips Chevrotain's checks of the definition, which test/grammar/validations.test.ts runs. */
export function buildPatternLexer(skipValidations: boolean): Lexer {
  return new Lexer(
    { modes: { main: mainMode, set: setMode }, defaultMode: 'main' },
    { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations },
  );
}
