import { EmbeddedActionsParser, type IOrAlt, type IToken } from 'chevrotain';
import {
  allTokens,
  Comment,
  DanglingDollar,
  EmptyLine,
  HeaderName,
  Include,
  Indent,
  lineLexer,
  Space,
  Unindented,
  Word,
} from './tokens.js';

/** A token of a line as the builder reads it: its text and where it starts in the line. */
export type LineToken = Pick<IToken, 'image' | 'startOffset'>;

/** An entry line split by F8: the pattern, the template pieces and the white space between them. */
export interface EntrySyntax {
  kind: 'entry';
  /** Absent when the line's text is a lone dangling `$`. */
  pattern: LineToken | undefined;
  /** Template pieces in order; F8 concatenates them. */
  pieces: readonly LineToken[];
  /** White space after the separator, which F8 drops. */
  gaps: readonly LineToken[];
  /** A `$` ending the logical line (F8.1). */
  dangling: LineToken | undefined;
}

/** The shape of one logical line (F3): what the builder turns into tables, entries and diagnostics. */
export type LineSyntax =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'include' }
  | { kind: 'unindented' }
  /** `extra` is the first token after the name and its white space (F4), if any. */
  | { kind: 'header'; name: LineToken; extra: LineToken | undefined }
  | EntrySyntax;

const BLANK: LineSyntax = { kind: 'blank' };
const COMMENT: LineSyntax = { kind: 'comment' };
const INCLUDE: LineSyntax = { kind: 'include' };
const UNINDENTED: LineSyntax = { kind: 'unindented' };

/**
 * The grammar of a file's line structure (F3–F8). Every logical line starts with exactly one
 * line-start token (see tokens.ts), so one `line` stands for one logical line and a mistake on one
 * line never affects the next (F14). The grammar accepts every
 * token sequence the lexer can produce: line-level mistakes are alternatives of their own
 * (`Unindented`, `headerExtra`, `DanglingDollar`) that the builder reports, which is how all of
 * them are found in one pass. Embedded actions rather than a CST: on a 100,000-entry file the CST
 * alone cost three times the whole parse.
 */
export class LineParser extends EmbeddedActionsParser {
  /** `skipValidations`: Chevrotain's checks of the grammar, which cost more than building it; test/grammar/validations.test.ts runs them. */
  constructor(skipValidations = true) {
    super(allTokens, { maxLookahead: 1, skipValidations });
    this.performSelfAnalysis();
  }

  // Speed: the alternatives and repetition bodies each rule uses are built once (the fields after
  // the rule), not per line: literal `OR([...])` and `MANY(() => ...)` arguments allocated an array
  // and a closure per alternative for every line; they are built once (with withToken below).
  // Chevrotain records the same grammar from these calls, so the railroad diagrams do not change.

  mappingsFile = this.RULE('mappingsFile', (): LineSyntax[] => {
    const lines: LineSyntax[] = [];
    this.lines = lines;
    this.MANY(this.addLine);
    this.lines = [];
    return lines;
  });

  /** The lines `mappingsFile` has parsed so far. */
  private lines: LineSyntax[] = [];
  private readonly addLine = (): void => {
    this.lines.push(this.SUBRULE(this.line));
  };

  /** One logical line, recognised by its first token (F3); the lexer only emits these at line starts. */
  line = this.RULE('line', (): LineSyntax => this.OR<LineSyntax>(this.lineAlternatives));

  private readonly lineAlternatives: IOrAlt<LineSyntax>[] = [
    {
      ALT: () => {
        this.CONSUME(EmptyLine);
        return BLANK;
      },
    },
    {
      ALT: () => {
        this.CONSUME(Comment);
        return COMMENT;
      },
    },
    {
      ALT: () => {
        this.CONSUME(Include);
        return INCLUDE;
      },
    },
    {
      ALT: () => {
        this.CONSUME(Unindented);
        return UNINDENTED;
      },
    },
    { ALT: () => this.SUBRULE(this.header) },
    { ALT: () => this.SUBRULE(this.indented) },
  ];

  /** F4: the name, optional trailing white space, and anything further as `headerExtra`. */
  header = this.RULE('header', (): LineSyntax => {
    const name = this.CONSUME(HeaderName);
    this.OPTION(this.headerSpace);
    const extra = this.OPTION1(this.headerRest);
    return { kind: 'header', name, extra };
  });

  private readonly headerSpace = (): IToken => this.CONSUME(Space);
  private readonly headerRest = (): IToken => this.SUBRULE(this.headerExtra);

  headerExtra = this.RULE('headerExtra', (): IToken => {
    const first = this.OR(this.extraStartAlternatives);
    this.MANY(this.extraElement);
    return first;
  });

  private readonly extraStartAlternatives: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(Word) },
    { ALT: () => this.CONSUME(DanglingDollar) },
  ];
  private readonly extraAlternatives: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME1(Word) },
    { ALT: () => this.CONSUME(Space) },
    { ALT: () => this.CONSUME1(DanglingDollar) },
  ];
  private readonly extraElement = (): IToken => this.OR1(this.extraAlternatives);

  /** An indented line: an entry, or a blank line when only white space follows (F3). */
  indented = this.RULE('indented', (): LineSyntax => {
    this.CONSUME(Indent);
    return this.OPTION(this.entryAfterIndent) ?? BLANK;
  });

  private readonly entryAfterIndent = (): EntrySyntax => this.SUBRULE(this.entry);

  /** F8: the pattern, then the separator, then template pieces with the white space between them. */
  entry = this.RULE('entry', (): EntrySyntax => {
    const syntax = newEntrySyntax();
    this.current = syntax;
    this.OR(this.patternAlternatives);
    this.OPTION1(this.templateColumn);
    return syntax;
  });

  /** The entry line `entry` is filling in, where the shared closures below can reach it. */
  private current: EntrySyntax = newEntrySyntax();
  private readonly patternAlternatives: IOrAlt<void>[] = [
    {
      ALT: () => {
        this.current.pattern = this.CONSUME(Word);
        this.OPTION(this.danglingAfterPattern);
      },
    },
    {
      ALT: () => {
        this.current.dangling = this.CONSUME1(DanglingDollar);
      },
    },
  ];
  private readonly danglingAfterPattern = (): void => {
    this.current.dangling = this.CONSUME(DanglingDollar);
  };
  private readonly templateColumn = (): void => {
    this.CONSUME(Space);
    this.MANY(this.templateElement);
    this.OPTION2(this.danglingAfterTemplate);
  };
  private readonly templateElement = (): void => this.OR1(this.templateAlternatives);
  private readonly templateAlternatives: IOrAlt<void>[] = [
    {
      ALT: () => {
        const { current } = this;
        current.pieces = withToken(current.pieces, this.CONSUME1(Word));
      },
    },
    {
      ALT: () => {
        const { current } = this;
        current.gaps = withToken(current.gaps, this.CONSUME1(Space));
      },
    },
  ];
  private readonly danglingAfterTemplate = (): void => {
    this.current.dangling = this.CONSUME2(DanglingDollar);
  };
}

/** Shared by entries without template pieces or gaps. */
const NO_TOKENS: readonly LineToken[] = Object.freeze([]);

function newEntrySyntax(): EntrySyntax {
  return { kind: 'entry', pattern: undefined, pieces: NO_TOKENS, gaps: NO_TOKENS, dangling: undefined };
}

/**
 * The tokens with one more. Speed: the first token gets a new array of exactly one: pushing onto an
 * empty array reserved room for 17 tokens, and an entry line usually has one template piece and no
 * gap, so this spares the unused room on every entry line. Later tokens are pushed onto that array (it belongs to the entry alone): copying it
 * for each one made a line of many pieces quadratic (F17).
 */
function withToken(tokens: readonly LineToken[], token: LineToken): readonly LineToken[] {
  if (tokens.length === 0) return [token];
  (tokens as LineToken[]).push(token);
  return tokens;
}

let builtLineParser: LineParser | undefined;

/** The one line parser instance, built on first use (its self-analysis is costly); exported for railroad diagrams. */
export function lineParser(): LineParser {
  return (builtLineParser ??= new LineParser());
}

/** The line structure of one logical line (F3–F8): read by hand when it can be, else by the grammar. */
export function lineSyntax(text: string): LineSyntax {
  return scanLine(text) ?? parseLineStructure(`${text}\n`)[0]!;
}

/** Lexes and parses logical lines joined by LF (each one terminated) into one LineSyntax per line; exported for the differential test. */
export function parseLineStructure(text: string): LineSyntax[] {
  const lexed = lineLexer().tokenize(text);
  const parser = lineParser();
  parser.input = lexed.tokens;
  const lines = parser.mappingsFile();
  const failure = lexed.errors[0]?.message ?? parser.errors[0]?.message;
  // The singleton parser would otherwise keep the whole token vector alive until the next file.
  parser.input = [];
  // The lexer and grammar are total (see above); a failure here is a bug in them, not bad input.
  if (failure !== undefined) throw new Error(`line grammar rejected its input: ${failure}`);
  return lines;
}

const SPACE = 0x20;
const TAB = 0x09;
const DOLLAR = 0x24;
const EXCLAMATION = 0x21;
const LESS_THAN = 0x3c;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * The line structure of one logical line read by hand, as the line lexer and grammar read it (F3–F8);
 * null for the rare lines it leaves to them: a header with text after its name, a dangling `$`.
 * Exported for the differential test (test/syntax/fast-paths.test.ts), which checks on the fixtures,
 * the corpus and random lines that both agree. Speed: the lexer's tokens and the grammar's
 * bookkeeping for every line of a file were most of its parse, and building the lexer and parser
 * the first time a good part of a command's start-up.
 */
export function scanLine(text: string): LineSyntax | null {
  if (text.length === 0) return BLANK;
  const first = text.charCodeAt(0);
  if (first === EXCLAMATION) return COMMENT;
  if (first === LESS_THAN) return INCLUDE;
  if (isBlank(first)) return scanIndented(text);
  if (isAsciiLetter(first)) return scanHeader(text);
  return UNINDENTED;
}

/** F4: a header whose name is all the line holds, trailing white space aside; null for one with more. */
function scanHeader(text: string): LineSyntax | null {
  let end = 1;
  while (end < text.length && !isBlank(text.charCodeAt(end))) end++;
  for (let at = end; at < text.length; at++) if (!isBlank(text.charCodeAt(at))) return null;
  return { kind: 'header', name: { image: text.slice(0, end), startOffset: 0 }, extra: undefined };
}

/** Where the word starting at `start` ends: at unquoted white space or the end (F8); -1 at a dangling `$`. */
function wordEnd(text: string, start: number): number {
  let at = start;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === DOLLAR) {
      if (at + 1 === text.length) return -1;
      at += 2;
    } else if (isBlank(code)) {
      break;
    } else {
      at++;
    }
  }
  return at;
}

function blankEnd(text: string, start: number): number {
  let at = start;
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** F3, F8: an indented line: blank, or an entry split into pattern, separator, pieces and gaps; null with a dangling `$`. */
function scanIndented(text: string): LineSyntax | null {
  const patternStart = blankEnd(text, 1);
  if (patternStart === text.length) return BLANK;
  const patternEnd = wordEnd(text, patternStart);
  if (patternEnd < 0) return null;
  const entry = newEntrySyntax();
  entry.pattern = { image: text.slice(patternStart, patternEnd), startOffset: patternStart };
  // The separator is the first run of white space; F8 drops the runs after it, which are the gaps.
  let at = blankEnd(text, patternEnd);
  while (at < text.length) {
    if (isBlank(text.charCodeAt(at))) {
      const end = blankEnd(text, at);
      entry.gaps = withToken(entry.gaps, { image: text.slice(at, end), startOffset: at });
      at = end;
    } else {
      const end = wordEnd(text, at);
      if (end < 0) return null;
      entry.pieces = withToken(entry.pieces, { image: text.slice(at, end), startOffset: at });
      at = end;
    }
  }
  return entry;
}
