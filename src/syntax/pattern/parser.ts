import { EmbeddedActionsParser, type IOrAlt, type IToken } from 'chevrotain';
import {
  Backmatch,
  DanglingDollar,
  Glob,
  GlobWithoutWidth,
  IpIgnoreForm,
  IpPrefixForm,
  IpV6Form,
  LazyModifier,
  LiteralRun,
  Percent,
  patternTokens,
  SavingOff,
  SavingOn,
  SetChar,
  SetClose,
  SetDash,
  SetEscape,
  SetOpen,
  Star,
  UndefinedEscape,
} from './tokens.js';

/** One member of a set as written: a single character, or a range `from-to` (P5). */
export interface RawSetMember {
  from: IToken;
  to: IToken | undefined;
}

/** `$[…]` as written; `close` and `width` are missing when the text lacks them (P5 errors). */
export interface RawSet {
  open: IToken;
  members: RawSetMember[];
  close: IToken | undefined;
  width: IToken | undefined;
}

/** One element of a pattern before the AST step: a token, or a set with its parts. */
export type RawPatternElement = IToken | RawSet;

const SET_CHARACTERS = [SetChar, SetEscape];

/**
 * The pattern grammar (P3). It accepts every token sequence the lexer can produce, so it never
 * reports a syntax error of its own: what is wrong is told by the AST step, which knows the rules.
 */
export class PatternParser extends EmbeddedActionsParser {
  /** `skipValidations`: Chevrotain's checks of the grammar, which cost more than building it; test/grammar/validations.test.ts runs them. */
  constructor(skipValidations = true) {
    super(patternTokens, { skipValidations });
    this.performSelfAnalysis();
  }

  // Alternatives are built once, not per call: an OR literal in the rule would allocate a closure
  // per alternative for every element parsed, which was most of the parse time in profiles.
  private readonly elementAlternatives: IOrAlt<RawPatternElement>[] = [
    { ALT: () => this.CONSUME(LiteralRun) },
    { ALT: () => this.CONSUME(Star) },
    { ALT: () => this.CONSUME(Percent) },
    { ALT: () => this.CONSUME(Glob) },
    { ALT: () => this.CONSUME(Backmatch) },
    { ALT: () => this.SUBRULE(this.set) },
    { ALT: () => this.CONSUME(IpPrefixForm) },
    { ALT: () => this.CONSUME(IpIgnoreForm) },
    { ALT: () => this.CONSUME(IpV6Form) },
    { ALT: () => this.CONSUME(LazyModifier) },
    { ALT: () => this.CONSUME(SavingOff) },
    { ALT: () => this.CONSUME(SavingOn) },
    { ALT: () => this.CONSUME(GlobWithoutWidth) },
    { ALT: () => this.CONSUME(UndefinedEscape) },
    { ALT: () => this.CONSUME(DanglingDollar) },
  ];

  private readonly widthAlternatives: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(Star) },
    { ALT: () => this.CONSUME(Percent) },
  ];

  private readonly memberAlternatives: IOrAlt<RawSetMember>[] = [
    { ALT: () => ({ from: this.CONSUME(SetDash), to: undefined }) },
    { ALT: () => this.SUBRULE(this.setMember) },
  ];

  private readonly setCharacterAlternatives: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(SetChar) },
    { ALT: () => this.CONSUME(SetEscape) },
  ];

  /** A whole pattern: a sequence of elements. */
  public pattern = this.RULE('pattern', (): RawPatternElement[] => {
    const elements: RawPatternElement[] = [];
    this.MANY(() => {
      elements.push(this.OR(this.elementAlternatives));
    });
    return elements;
  });

  // P5: a dash that cannot form a range (first, last, or next to another dash) is a member.
  private set = this.RULE('set', (): RawSet => {
    const open = this.CONSUME(SetOpen);
    const members: RawSetMember[] = [];
    let close: IToken | undefined;
    let width: IToken | undefined;
    this.MANY(() => {
      members.push(this.OR(this.memberAlternatives));
    });
    this.OPTION(() => {
      close = this.CONSUME(SetClose);
      this.OPTION2(() => {
        width = this.OR2(this.widthAlternatives);
      });
    });
    return { open, members, close, width };
  });

  private setMember = this.RULE('setMember', (): RawSetMember => {
    const from = this.SUBRULE(this.setCharacter);
    let to: IToken | undefined;
    // The gate looks two tokens ahead: a dash followed by `]` or another dash is not a range.
    this.OPTION({
      GATE: () => SET_CHARACTERS.includes(this.LA(2).tokenType),
      DEF: () => {
        this.CONSUME(SetDash);
        to = this.SUBRULE2(this.setCharacter);
      },
    });
    return { from, to };
  });

  private setCharacter = this.RULE('setCharacter', (): IToken => this.OR(this.setCharacterAlternatives));
}

let builtPatternParser: PatternParser | undefined;

/** The one pattern parser instance, built on first use (its self-analysis is costly); exported for railroad diagrams. */
export function patternParser(): PatternParser {
  return (builtPatternParser ??= new PatternParser());
}
