import { EmbeddedActionsParser, type IToken } from 'chevrotain';
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

/** An entry line split by F8: the pattern, the template pieces and the white space between them. */
export interface EntrySyntax {
  kind: 'entry';
  /** Absent when the line's text is a lone dangling `$`. */
  pattern: IToken | undefined;
  /** Template pieces in order; F8 concatenates them. */
  pieces: IToken[];
  /** White space after the separator, which F8 drops. */
  gaps: IToken[];
  /** A `$` ending the logical line (F8.1). */
  dangling: IToken | undefined;
}

/** The shape of one logical line (F3): what the builder turns into tables, entries and diagnostics. */
export type LineSyntax =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'include' }
  | { kind: 'unindented' }
  /** `extra` is the first token after the name and its white space (F4), if any. */
  | { kind: 'header'; name: IToken; extra: IToken | undefined }
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
class LineParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  mappingsFile = this.RULE('mappingsFile', (): LineSyntax[] => {
    const lines: LineSyntax[] = [];
    this.MANY(() => {
      lines.push(this.SUBRULE(this.line));
    });
    return lines;
  });

  /** One logical line, recognised by its first token (F3); the lexer only emits these at line starts. */
  line = this.RULE('line', (): LineSyntax =>
    this.OR<LineSyntax>([
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
    ]),
  );

  /** F4: the name, optional trailing white space, and anything further as `headerExtra`. */
  header = this.RULE('header', (): LineSyntax => {
    const name = this.CONSUME(HeaderName);
    this.OPTION(() => this.CONSUME(Space));
    const extra = this.OPTION1(() => this.SUBRULE(this.headerExtra));
    return { kind: 'header', name, extra };
  });

  headerExtra = this.RULE('headerExtra', (): IToken => {
    const first = this.OR([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(DanglingDollar) }]);
    this.MANY(() =>
      this.OR1([
        { ALT: () => this.CONSUME1(Word) },
        { ALT: () => this.CONSUME(Space) },
        { ALT: () => this.CONSUME1(DanglingDollar) },
      ]),
    );
    return first;
  });

  /** An indented line: an entry, or a blank line when only white space follows (F3). */
  indented = this.RULE('indented', (): LineSyntax => {
    this.CONSUME(Indent);
    return this.OPTION(() => this.SUBRULE(this.entry)) ?? BLANK;
  });

  /** F8: the pattern, then the separator, then template pieces with the white space between them. */
  entry = this.RULE('entry', (): EntrySyntax => {
    const syntax: EntrySyntax = { kind: 'entry', pattern: undefined, pieces: [], gaps: [], dangling: undefined };
    this.OR([
      {
        ALT: () => {
          syntax.pattern = this.CONSUME(Word);
          this.OPTION(() => {
            syntax.dangling = this.CONSUME(DanglingDollar);
          });
        },
      },
      {
        ALT: () => {
          syntax.dangling = this.CONSUME1(DanglingDollar);
        },
      },
    ]);
    this.OPTION1(() => {
      this.CONSUME(Space);
      this.MANY(() =>
        this.OR1([
          {
            ALT: () => {
              syntax.pieces.push(this.CONSUME1(Word));
            },
          },
          {
            ALT: () => {
              syntax.gaps.push(this.CONSUME1(Space));
            },
          },
        ]),
      );
      this.OPTION2(() => {
        syntax.dangling = this.CONSUME2(DanglingDollar);
      });
    });
    return syntax;
  });
}

const lineParser = new LineParser();

/** Lexes and parses logical lines joined by LF (each one terminated) into one LineSyntax per line. */
export function parseLineStructure(text: string): LineSyntax[] {
  const lexed = lineLexer.tokenize(text);
  lineParser.input = lexed.tokens;
  const lines = lineParser.mappingsFile();
  const failure = lexed.errors[0]?.message ?? lineParser.errors[0]?.message;
  // The singleton parser would otherwise keep the whole token vector alive until the next file.
  lineParser.input = [];
  // The lexer and grammar are total (see above); a failure here is a bug in them, not bad input.
  if (failure !== undefined) throw new Error(`line grammar rejected its input: ${failure}`);
  return lines;
}
