import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { TemplateNode } from '../ast.js';
import { asciiUpper } from '../case.js';
import type { Problem, Severity, SyntaxCode } from '../diagnostics.js';
import { spanOf, unquote, type OffsetRange } from '../pattern/tokens.js';
import { templateParser, type RawLookup, type RawTemplateElement } from './parser.js';
import {
  Capture,
  CaseModifier,
  Control,
  DanglingDollar,
  DatabaseOpen,
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
  PipeArgumentLiteral,
  templateLexer,
  TemplateLiteral,
  UrlOpen,
} from './tokens.js';

export { templateParser, TemplateParser } from './parser.js';

/** What parsing one template text yields: its nodes, left to right (T1), and the problems. */
export interface ParsedTemplate {
  nodes: TemplateNode[];
  problems: Problem[];
}

/** Options of {@link parseTemplate}. */
export interface ParseTemplateOptions {
  /** Saved items of the entry's pattern (P4); when given, `$n` beyond them is reported (T3). */
  captureCount?: number;
}

type CaseMode = Extract<TemplateNode, { kind: 'case' }>['mode'];
type ControlLetter = Extract<TemplateNode, { kind: 'control' }>['control'];

const CASE_MODES: Record<string, CaseMode> = { '\\': 'lower', '^': 'upper', _: 'original' };

/** T7: non-letter flags that the access tables define. */
const MEANINGFUL_NON_LETTER_FLAGS = new Set(['<', '>', '!']);

/** T6: `12` or `12.5`. */
const PERCENT = /^[0-9]+(\.[0-9]+)?$/;

/** T11: the number fields of `$#file|radix|width|m#`, in order. */
const SEQUENCE_FIELDS: ReadonlyArray<{ pattern: RegExp; accepts: (value: number) => boolean; what: string }> = [
  {
    pattern: /^-?[0-9]+$/,
    accepts: (radix) => Math.abs(radix) >= 2 && Math.abs(radix) <= 36,
    what: 'radix (2 to 36, or −2 to −36)',
  },
  { pattern: /^[0-9]+$/, accepts: () => true, what: 'width' },
  { pattern: /^[0-9]+$/, accepts: (modulus) => modulus > 0, what: 'modulus (a positive number)' },
];
const ASCII_LETTER = /^[A-Za-z]$/;

/** T8: the character that closes each bracketed lookup. */
const LOOKUP_CLOSERS = new Map<TokenType, string>([
  [MappingOpen, '|'],
  [MappingOpenWithoutTable, '|'],
  [RoutineOpen, ']'],
  [RoutineOpenWithoutHeader, ']'],
  [DatabaseOpen, '}'],
  [UrlOpen, '['],
  [DomainOpen, '{'],
]);

/** Parses a template (after F8 removed its unquoted white space) into nodes; never throws. */
export function parseTemplate(text: string, options?: ParseTemplateOptions): ParsedTemplate {
  const elements = simpleTemplateElements(text);
  if (elements !== null) {
    const builder = new TemplateBuilder(text.length, options?.captureCount);
    return { nodes: builder.build(elements, false), problems: builder.problems };
  }
  return parseTemplateWithGrammar(text, options);
}

/** Parses a template through the Chevrotain lexer and grammar; exported for the differential test. */
export function parseTemplateWithGrammar(text: string, options?: ParseTemplateOptions): ParsedTemplate {
  const { tokens } = templateLexer().tokenize(text);
  const tooDeep = openerBeyondNesting(tokens);
  if (tooDeep !== undefined) {
    const problem: Problem = {
      severity: 'error',
      code: 'nesting-too-deep',
      message: `lookups nested deeper than ${MAX_NESTING} levels`,
      ...spanOf(tooDeep),
    };
    return { nodes: [], problems: [problem] };
  }
  const parser = templateParser();
  parser.input = tokens;
  const builder = new TemplateBuilder(text.length, options?.captureCount);
  const nodes = builder.build(parser.template(), false);
  return { nodes, problems: builder.problems };
}

const DOLLAR = 0x24;

/** The characters after `$` that start something other than a flag, a control or a capture (T2–T11). */
const CONSTRUCT_STARTS = new Set([...'$ \t\\^_=:;?#|[{]}'].map((character) => character.charCodeAt(0)));

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/**
 * The elements of a template made of literal text (with `$$`, `$ ` and `$<TAB>`), captures,
 * controls, flags and nested mappings `$|TABLE;…|` whose argument is made of the same, closed, as
 * the template lexer and grammar would give them; null for one with anything else (another lookup, a
 * test, a case modifier, a dangling `$`, a nested mapping without its table or closer), which the
 * lexer and grammar read. Exported for the differential test. Speed: such are the templates of
 * nearly every access-table entry (`$Y`, `$NRelaying$ denied`, `$C$|INTERNAL_IP;$3|$Y$E`), and
 * Chevrotain's lexer and parser were most of their parse, and building them most of what a page
 * did before its first answer. The nodes come from the same builder as the grammar path's, and
 * test/syntax/fast-paths.test.ts checks on random text that both paths agree.
 */
export function simpleTemplateElements(text: string): RawTemplateElement[] | null {
  const elements: RawTemplateElement[] = [];
  let at = 0;
  while (at < text.length) {
    at = text.charCodeAt(at) === DOLLAR && text.charCodeAt(at + 1) === PIPE ? simpleMapping(text, at, elements) : simpleToken(text, at, TemplateLiteral, -1, elements);
    if (at < 0) return null;
  }
  return elements;
}

const PIPE = 0x7c;
const SEMICOLON = 0x3b;

/**
 * T9: a nested mapping `$|TABLE;…|` at `at` with a simple argument, pushed as the grammar's lookup;
 * the offset after its closer, or -1. The table name runs to the first `;` (MappingOpen), and the
 * argument's literal runs stop at `|` too (the lexer's pipeArgument mode).
 */
function simpleMapping(text: string, at: number, into: RawTemplateElement[]): number {
  let semicolon = at + 2;
  while (semicolon < text.length && text.charCodeAt(semicolon) !== SEMICOLON && text.charCodeAt(semicolon) !== PIPE) semicolon++;
  if (text.charCodeAt(semicolon) !== SEMICOLON) return -1;
  const argument: RawTemplateElement[] = [];
  let position = semicolon + 1;
  while (position < text.length && text.charCodeAt(position) !== PIPE) {
    position = simpleToken(text, position, PipeArgumentLiteral, PIPE, argument);
    if (position < 0) return -1;
  }
  if (position >= text.length) return -1;
  into.push({
    opener: lexedToken(MappingOpen, text.slice(at, semicolon + 1), at),
    argument,
    closer: lexedToken(PipeClose, '|', position),
  });
  return position + 1;
}

/**
 * One simple token at `at`: a `$` pair that is a capture, a control or a flag, or a literal run of
 * `literal`'s type up to a `$` that does not quote `$`, space or TAB, or up to `closer` (a code
 * unit, -1 for none). The offset after it, or -1 when what stands at `at` is not simple.
 */
function simpleToken(text: string, at: number, literal: TokenType, closer: number, into: RawTemplateElement[]): number {
  if (text.charCodeAt(at) === DOLLAR) {
    const next = text.charCodeAt(at + 1);
    if (Number.isNaN(next) || isSurrogate(next)) return -1;
    if (!CONSTRUCT_STARTS.has(next)) {
      into.push(lexedToken(dollarPairType(next), text.slice(at, at + 2), at));
      return at + 2;
    }
    if (next !== DOLLAR && next !== 0x20 && next !== 0x09) return -1;
  }
  let end = at;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === closer) break;
    if (code !== DOLLAR) {
      end += 1;
      continue;
    }
    const quoted = text.charCodeAt(end + 1);
    if (quoted !== DOLLAR && quoted !== 0x20 && quoted !== 0x09) break;
    end += 2;
  }
  // Nothing read (the closer stands at `at`): never a token of no text, which would loop the callers.
  if (end === at) return -1;
  into.push(lexedToken(literal, text.slice(at, end), at));
  return end;
}

/** T3, T5, T7: what `$` followed by this character is, when it is not a construct. */
function dollarPairType(code: number): TokenType {
  if (code >= 0x30 && code <= 0x39) return Capture;
  if ('celrCELR'.includes(String.fromCharCode(code))) return Control;
  return Flag;
}

/** A token as the lexer makes one, with what the builder reads of it. */
function lexedToken(tokenType: TokenType, image: string, startOffset: number): IToken {
  return { image, startOffset, tokenType, tokenTypeIdx: tokenType.tokenTypeIdx! } as IToken;
}

/** F17: the deepest nesting of bracketed lookups a template may have. */
export const MAX_NESTING = 64;

/**
 * F17: the first opener that nests deeper than MAX_NESTING, found on the flat token list before
 * the recursive parser runs, so that no input can exhaust the stack. The lexer's modes already
 * pair every closer with the innermost open lookup.
 */
function openerBeyondNesting(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.tokenType.PUSH_MODE !== undefined) {
      depth += 1;
      if (depth > MAX_NESTING) return token;
    } else if (token.tokenType.POP_MODE === true) {
      depth -= 1;
    }
  }
  return undefined;
}


function isLookup(element: RawTemplateElement): element is RawLookup {
  return 'opener' in element;
}

/** Turns the parser's elements into nodes and reports what T2–T13 forbid or warn about. */
class TemplateBuilder {
  readonly problems: Problem[] = [];

  constructor(
    private readonly textLength: number,
    private readonly captureCount: number | undefined,
  ) {}

  /** The nodes of a template or of a bracketed argument (`inArgument`, T8). */
  build(elements: RawTemplateElement[], inArgument: boolean): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i]!;
      if (isLookup(element)) {
        nodes.push(this.lookup(element));
        continue;
      }
      const node = this.simple(element, elements[i + 1], inArgument);
      if (node) nodes.push(node);
    }
    // An exact-size copy: pushing reserved room for 17 nodes, which the parse result would keep
    // (see PatternBuilder.finish).
    return nodes.slice();
  }

  /** A node made of one token; `next` is the element after it (for `$nA`, T13). */
  private simple(token: IToken, next: RawTemplateElement | undefined, inArgument: boolean): TemplateNode | null {
    const { image, startOffset: offset } = token;
    const length = image.length;
    switch (token.tokenType) {
      case Capture:
        return this.capture(token, next);
      case CaseModifier:
        return { kind: 'case', mode: CASE_MODES[image[1]!]!, offset, length };
      case LdapQuote:
        return { kind: 'quote', offset, length };
      case Control:
        if (inArgument) this.warnFlagInArgument(token);
        return { kind: 'control', control: asciiUpper(image[1]!) as ControlLetter, offset, length };
      case FlagTest:
        return { kind: 'flagTest', flag: asciiUpper(image.slice(2)), whenSet: image[1] === ':', offset, length };
      case FlagTestWithoutFlag:
        this.report('error', 'dangling-dollar', `\`${image}\` needs a flag character after it`, spanOf(token));
        return null;
      case RandomTest:
        return this.random(token);
      case SequenceLookup:
        return this.sequence(token);
      case Flag:
        return this.flag(token, inArgument);
      case DanglingDollar:
        this.report('error', 'dangling-dollar', 'a `$` at the end quotes nothing', spanOf(token));
        return null;
      default:
        // The per-mode literal runs (LiteralText category) are all that is left.
        return { kind: 'literal', text: unquote(image), offset, length };
    }
  }

  /** T3 and T13: `$n`, the pattern's saved items, and the unsupported `$nA` / `$nX`. */
  private capture(token: IToken, next: RawTemplateElement | undefined): TemplateNode {
    const index = Number(token.image[1]);
    if (this.captureCount !== undefined && index >= this.captureCount) {
      const saved = this.captureCount === 0 ? 'saves no item' : `saves only $0–$${this.captureCount - 1}`;
      this.report('warning', 'missing-capture', `\`${token.image}\` is empty: the pattern ${saved}`, spanOf(token));
    }
    const letter = next && !isLookup(next) && tokenMatcher(next, LiteralText) ? next.image[0] : undefined;
    if (letter === 'A' || letter === 'X') {
      const written = `${token.image}${letter}`;
      const message = `\`${written}\` (address component) is not supported: it is \`${token.image}\` followed by a literal \`${letter}\``;
      this.report('warning', 'unsupported-metachar', message, { offset: token.startOffset, length: 3 });
    }
    return { kind: 'capture', index, offset: token.startOffset, length: 2 };
  }

  /** T7: letters upper-cased, other characters kept; warnings for likely quoting mistakes. */
  private flag(token: IToken, inArgument: boolean): TemplateNode {
    const written = token.image.slice(1);
    if (written === '+') {
      const message = '`$+` (exit without interpreting the rest) is not supported: it is flag `+`';
      this.report('warning', 'unsupported-metachar', message, spanOf(token));
    } else if (inArgument) {
      this.warnFlagInArgument(token);
    } else if (!ASCII_LETTER.test(written) && !MEANINGFUL_NON_LETTER_FLAGS.has(written)) {
      const message = `\`${token.image}\` sets flag \`${written}\`, which no table gives a meaning; was \`$$\` meant?`;
      this.report('warning', 'suspicious-flag', message, spanOf(token));
    }
    return { kind: 'flag', flag: asciiUpper(written), offset: token.startOffset, length: token.image.length };
  }

  private warnFlagInArgument(token: IToken): void {
    const message = `\`${token.image}\` inside a lookup argument acts as a flag or control, not as text; was \`$${token.image}\` meant?`;
    this.report('warning', 'flag-in-argument', message, spanOf(token));
  }

  /** T6: `$?x?` with x from 0 to 100. */
  private random(token: IToken): TemplateNode | null {
    const body = this.closedBody(token, '?');
    if (body === null) return null;
    const percent = PERCENT.test(body) ? Number(body) : NaN;
    if (!(percent <= 100)) {
      const span = body ? { offset: token.startOffset + 2, length: body.length } : spanOf(token);
      this.report('error', 'bad-number', `\`${body}\` is not a percentage from 0 to 100`, span);
      return null;
    }
    return { kind: 'random', percent, offset: token.startOffset, length: token.image.length };
  }

  /** T11: `$#file|radix|width|m#`; the file is literal, the numbers are checked here. */
  private sequence(token: IToken): TemplateNode | null {
    const body = this.closedBody(token, '#');
    if (body === null) return null;
    const [file = '', ...fields] = body.split('|');
    // m is everything after the third `|`, so a further `|` makes it non-numeric.
    if (fields.length > 3) fields.splice(2, Infinity, fields.slice(2).join('|'));
    const values: number[] = [];
    let fieldOffset = token.startOffset + 2 + file.length + 1;
    fields.forEach((text, i) => {
      const { pattern, accepts, what } = SEQUENCE_FIELDS[i]!;
      const value = pattern.test(text) ? Number(text) : NaN;
      if (Number.isSafeInteger(value) && accepts(value)) {
        values.push(value);
      } else {
        // An empty field is pointed at by the `|` before it.
        const span = text ? { offset: fieldOffset, length: text.length } : { offset: fieldOffset - 1, length: 1 };
        this.report('error', 'bad-number', `\`${text}\` is not a valid ${what} in \`$#…#\``, span);
      }
      fieldOffset += text.length + 1;
    });
    if (values.length < fields.length) return null;
    const [radix = 10, width = 0, modulus = null] = values;
    return { kind: 'sequence', file, radix, width, modulus, offset: token.startOffset, length: token.image.length };
  }

  /** The text between a one-token construct's opening pair and its closer; null (reported) without closer. */
  private closedBody(token: IToken, closer: string): string | null {
    const image = token.image;
    if (image.length < 3 || image[image.length - 1] !== closer) {
      this.reportUnterminated(token, closer);
      return null;
    }
    return image.slice(2, -1);
  }

  /** T8–T11: a bracketed lookup with its header and argument. */
  private lookup({ opener, argument, closer }: RawLookup): TemplateNode {
    const offset = opener.startOffset;
    const length = (closer ? closer.startOffset + 1 : this.textLength) - offset;
    if (!closer) this.reportUnterminated(opener, LOOKUP_CLOSERS.get(opener.tokenType)!);
    const nodes = this.build(argument, true);
    const header = opener.image.slice(2, -1);
    switch (opener.tokenType) {
      case MappingOpen:
      case MappingOpenWithoutTable: {
        const table = opener.tokenType === MappingOpen ? header : '';
        if (!table) {
          const why = opener.tokenType === MappingOpen ? 'an empty table name' : 'no `;` after the table name';
          this.report('error', 'bad-construct-header', `\`$|table;argument|\` with ${why}`, { offset, length: 2 });
        }
        return { kind: 'mapping', table: asciiUpper(table), argument: nodes, offset, length };
      }
      case RoutineOpen:
      case RoutineOpenWithoutHeader: {
        const fields = opener.tokenType === RoutineOpen ? header.split(',') : [];
        const [image = '', routine = ''] = fields.map((field) => field.trim());
        if (!routine) {
          const why = opener.tokenType === RoutineOpen ? 'an empty routine name' : 'fewer than two commas';
          this.report('error', 'bad-construct-header', `\`$[image,routine,argument]\` with ${why}`, { offset, length: 2 });
        }
        return { kind: 'routine', image, routine, argument: nodes, offset, length };
      }
      case DatabaseOpen:
        return { kind: 'database', argument: nodes, offset, length };
      case UrlOpen:
        return { kind: 'url', argument: nodes, offset, length };
      default:
        return { kind: 'domain', argument: nodes, offset, length };
    }
  }

  private reportUnterminated(opener: IToken, closer: string): void {
    const opening = opener.image.slice(0, 2);
    const message = `\`${opening}\` is never closed: \`${closer}\` is missing`;
    this.report('error', 'unterminated-construct', message, { offset: opener.startOffset, length: 2 });
  }

  private report(severity: Severity, code: SyntaxCode, message: string, span: OffsetRange): void {
    this.problems.push({ severity, code, message, offset: span.offset, length: span.length });
  }
}
