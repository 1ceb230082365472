import { createToken, Lexer, type IMultiModeLexerDefinition, type TokenType } from 'chevrotain';

/**
 * Tokens of the file's line structure (F3–F8), lexed over the logical lines (F2 already joined),
 * each terminated by LF. Two lexer modes mirror F3: at the start of a line the first character
 * decides the line's class; inside a header or entry line the text splits into white space and
 * `$`-paired words (F8). Every character matches some token in either mode, so the lexer never
 * fails and every line-level mistake reaches the parser as a token it can name.
 */

/**
 * The slot a code unit has in Chevrotain's first-character table (charCodeToOptimizedIndex in its
 * scan/lexer): one slot per code unit below 256, one per run of 255 above. A token listed in a slot
 * is tried on every code unit of that slot, so a hint needs only one code unit per slot.
 */
function firstCharacterSlot(code: number): number {
  return code < 256 ? code : 255 + Math.floor(code / 255);
}

/**
 * The start characters of a complement-set pattern (every UTF-16 code unit except those listed),
 * which Chevrotain cannot work out itself and needs for its first-character optimisation: one code
 * unit per slot of its table, since Chevrotain walks the hint one entry at a time and every code
 * unit would be 65,536 of them. Given to the tokens when the lexer is built (see lineLexer), not
 * when this module loads.
 */
function startCharsExcept(excluded: string): number[] {
  const skip = new Set([...excluded].map((character) => character.charCodeAt(0)));
  const codes: number[] = [];
  let hintedSlot = -1;
  for (let code = 0; code <= 0xffff; code++) {
    const slot = firstCharacterSlot(code);
    if (slot !== hintedSlot && !skip.has(code)) {
      codes.push(code);
      hintedSlot = slot;
    }
  }
  return codes;
}

/** An empty line (F3): its LF alone. */
export const EmptyLine = createToken({ name: 'EmptyLine', pattern: /\n/, line_breaks: true });

/**
 * The LF that ends a header or entry line: it only returns the lexer to the line-start mode. Every
 * line starts with exactly one line-start token, so the grammar needs no token for line ends, which
 * spares a fifth of the tokens of a typical file.
 */
const LineEnd = createToken({ name: 'LineEnd', pattern: /\n/, line_breaks: true, group: Lexer.SKIPPED, pop_mode: true });

/** `!` in column 1: a comment, through the end of the line (F6). */
export const Comment = createToken({ name: 'Comment', pattern: /![^\n]*\n/, line_breaks: true });

/** `<` in column 1: an include line, through its end (F7). */
export const Include = createToken({ name: 'Include', pattern: /<[^\n]*\n/, line_breaks: true });

/** A letter in column 1 starts a table header; its name runs to the first white space (F4). */
export const HeaderName = createToken({ name: 'HeaderName', pattern: /[A-Za-z][^ \t\n]*/, push_mode: 'inLine' });

/** White space in column 1: an entry line (F8), or a blank line when nothing follows (F3). */
export const Indent = createToken({ name: 'Indent', pattern: /[ \t]+/, push_mode: 'inLine' });

/** Any other first character: a line that should have been indented (F3), through its end. */
export const Unindented = createToken({ name: 'Unindented', pattern: /[^ \t\n!<A-Za-z][^\n]*\n/, line_breaks: true });

/** Unquoted white space inside a line: F8's separator, or white space F8 drops from a template. */
export const Space = createToken({ name: 'Space', pattern: /[ \t]+/ });

/** A run without unquoted white space; a `$` always takes the next character with it (F8.1). */
export const Word = createToken({ name: 'Word', pattern: /(?:\$[^\n]|[^ \t\n$])+/ });

/** A `$` with nothing after it on the logical line (F8.1, T1): Word could not pair it. */
export const DanglingDollar = createToken({ name: 'DanglingDollar', pattern: /\$/ });

const lexerDefinition: IMultiModeLexerDefinition = {
  modes: {
    lineStart: [EmptyLine, Comment, Include, HeaderName, Indent, Unindented],
    inLine: [LineEnd, Word, Space, DanglingDollar],
  },
  defaultMode: 'lineStart',
};

/** Every token type the parser consumes. */
export const allTokens: TokenType[] = [
  EmptyLine,
  LineEnd,
  Comment,
  Include,
  HeaderName,
  Indent,
  Unindented,
  Space,
  Word,
  DanglingDollar,
];

let builtLineLexer: Lexer | undefined;

/**
 * The line lexer, built on first use (building it is most of the cost of loading this module, and a
 * command that parses nothing should not pay it). Positions come from our own line map, so only
 * offsets are tracked.
 */
export function lineLexer(): Lexer {
  return (builtLineLexer ??= buildLineLexer(true));
}

/** A new line lexer; `skipValidations` skips Chevrotain's checks of the definition, which test/grammar/validations.test.ts runs. */
export function buildLineLexer(skipValidations: boolean): Lexer {
  Unindented.START_CHARS_HINT ??= startCharsExcept(' \t\n!<ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  Word.START_CHARS_HINT ??= startCharsExcept(' \t\n');
  return new Lexer(lexerDefinition, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations });
}
