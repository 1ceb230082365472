import { EmbeddedActionsParser, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import {
  BraceClose,
  BracketClose,
  Capture,
  CaseModifier,
  Control,
  DanglingDollar,
  DatabaseOpen,
  DomainClose,
  DomainOpen,
  Flag,
  FlagTest,
  FlagTestWithoutFlag,
  LdapQuote,
  LiteralText,
  MappingOpen,
  MappingOpenWithoutTable,
  PipeClose,
  RandomTest,
  RoutineOpen,
  RoutineOpenWithoutHeader,
  SequenceLookup,
  templateTokens,
  UrlClose,
  UrlOpen,
} from './tokens.js';

/** A bracketed lookup as written (T8): its opening token, argument and closer (missing if unterminated). */
export interface RawLookup {
  opener: IToken;
  argument: RawTemplateElement[];
  closer: IToken | undefined;
}

/** One element of a template before the AST step: a token, or a bracketed lookup. */
export type RawTemplateElement = IToken | RawLookup;

/**
 * The template grammar (T2, T8). Like the lexer it accepts every input, so it reports no syntax
 * errors: the AST step checks headers, numbers, closers and flags and reports them with offsets.
 */
export class TemplateParser extends EmbeddedActionsParser {
  /** `skipValidations`: Chevrotain's checks of the grammar, which cost more than building it; test/grammar/validations.test.ts runs them. */
  constructor(skipValidations = true) {
    super(templateTokens, { skipValidations });
    this.performSelfAnalysis();
  }

  // Alternatives are built once, not per call: an OR literal in the rule would allocate a closure
  // per alternative for every element parsed, which was most of the parse time in profiles.
  private readonly elementAlternatives: IOrAlt<RawTemplateElement>[] = [
    { ALT: () => this.CONSUME(LiteralText) },
    { ALT: () => this.CONSUME(Capture) },
    { ALT: () => this.CONSUME(CaseModifier) },
    { ALT: () => this.CONSUME(LdapQuote) },
    { ALT: () => this.CONSUME(Control) },
    { ALT: () => this.CONSUME(FlagTest) },
    { ALT: () => this.CONSUME(RandomTest) },
    { ALT: () => this.SUBRULE(this.mapping) },
    { ALT: () => this.SUBRULE(this.routine) },
    { ALT: () => this.SUBRULE(this.database) },
    { ALT: () => this.SUBRULE(this.url) },
    { ALT: () => this.SUBRULE(this.domain) },
    { ALT: () => this.CONSUME(SequenceLookup) },
    { ALT: () => this.CONSUME(Flag) },
    { ALT: () => this.CONSUME(FlagTestWithoutFlag) },
    { ALT: () => this.CONSUME(DanglingDollar) },
  ];

  private readonly mappingOpeners: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(MappingOpen) },
    { ALT: () => this.CONSUME(MappingOpenWithoutTable) },
  ];

  private readonly routineOpeners: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(RoutineOpen) },
    { ALT: () => this.CONSUME(RoutineOpenWithoutHeader) },
  ];

  /** A whole template, or the argument of a bracketed lookup: a sequence of elements. */
  public template = this.RULE('template', (): RawTemplateElement[] => {
    const elements: RawTemplateElement[] = [];
    this.MANY(() => {
      elements.push(this.OR(this.elementAlternatives));
    });
    return elements;
  });

  private mapping = this.RULE('mapping', (): RawLookup => this.lookup(this.OR(this.mappingOpeners), PipeClose));

  private routine = this.RULE('routine', (): RawLookup => this.lookup(this.OR(this.routineOpeners), BracketClose));

  private database = this.RULE('database', (): RawLookup => this.lookup(this.CONSUME(DatabaseOpen), BraceClose));

  private url = this.RULE('url', (): RawLookup => this.lookup(this.CONSUME(UrlOpen), UrlClose));

  private domain = this.RULE('domain', (): RawLookup => this.lookup(this.CONSUME(DomainOpen), DomainClose));

  /** T8.2: the argument is a template of its own, then the closer if the text has one. */
  private lookup(opener: IToken, closerType: TokenType): RawLookup {
    const argument = this.SUBRULE(this.template);
    let closer: IToken | undefined;
    this.OPTION(() => {
      closer = this.CONSUME(closerType);
    });
    return { opener, argument, closer };
  }
}

let builtTemplateParser: TemplateParser | undefined;

/** The one template parser instance, built on first use (its self-analysis is costly); exported for railroad diagrams. */
export function templateParser(): TemplateParser {
  return (builtTemplateParser ??= new TemplateParser());
}
