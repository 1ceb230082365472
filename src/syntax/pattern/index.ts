import type { IToken } from 'chevrotain';
import type { CharClass, CodeRange, IpItem, PatternItem, WildcardItem } from '../ast.js';
import type { Problem, Severity, SyntaxCode } from '../diagnostics.js';
import { asciiUpper } from '../case.js';
import { parseIpAddress, subnetMask } from '../ip.js';
import { patternParser, type RawPatternElement, type RawSet } from './parser.js';
import {
  Backmatch,
  Glob,
  GlobWithoutWidth,
  IpIgnoreForm,
  IpPrefixForm,
  IpV6Form,
  LazyModifier,
  LiteralRun,
  patternLexer,
  Percent,
  SavingOff,
  SavingOn,
  SetDash,
  SetEscape,
  Star,
  UndefinedEscape,
  spanOf,
  unquote,
  type OffsetRange,
} from './tokens.js';

export { patternParser, PatternParser } from './parser.js';

/** What parsing one pattern text yields: its items, the number of saved items (P4) and the problems. */
export interface ParsedPattern {
  items: PatternItem[];
  captureCount: number;
  problems: Problem[];
}

type GlobLetter = 'A' | 'B' | 'D' | 'H' | 'O' | 'S' | 'T' | 'X';

const DIGITS: CodeRange = [0x30, 0x39];
const UPPER: CodeRange = [0x41, 0x5a];
const LOWER: CodeRange = [0x61, 0x7a];
const HEX: readonly CodeRange[] = [DIGITS, [0x41, 0x46], [0x61, 0x66]];

/** P3: the characters each glob letter accepts. */
const GLOB_RANGES: Record<GlobLetter, readonly CodeRange[]> = {
  A: [UPPER, LOWER],
  B: [[0x30, 0x31]],
  D: [DIGITS],
  H: HEX,
  O: [[0x30, 0x37]],
  S: [[0x24, 0x24], DIGITS, UPPER, [0x5f, 0x5f], LOWER],
  T: [[0x09, 0x09], [0x0b, 0x0b], [0x20, 0x20]],
  X: HEX,
};

const ANY: CharClass = { kind: 'any' };
const STAR = 0x2a;
const PERCENT = 0x25;
const DOLLAR = 0x24;

/** P9.2: the characters an address run is made of. */
const ADDRESS_CHARACTER = /^[0-9A-Fa-f.:]/;
const BIT_COUNT = /^[0-9]{1,3}$/;

const MISSING_SEPARATOR_HINT = 'is the white space between pattern and template missing?';

/** Parses the pattern half of an entry (P3–P9) into items; never throws, whatever the text. */
export function parsePattern(text: string): ParsedPattern {
  return parseSimplePattern(text) ?? parsePatternWithGrammar(text);
}

/** Parses a pattern through the Chevrotain lexer and grammar; exported for the differential test. */
export function parsePatternWithGrammar(text: string): ParsedPattern {
  const parser = patternParser();
  parser.input = patternLexer().tokenize(text).tokens;
  return new PatternBuilder().build(parser.pattern());
}

/** `$(`, `$<` and `${` open the IP constructs (P9); each runs to its closer, or to the end without one. */
const IP_FORMS = new Map<number, { form: IpItem['form']; closer: string }>([
  [0x28, { form: 'prefix', closer: ')' }],
  [0x3c, { form: 'ignore', closer: '>' }],
  [0x7b, { form: 'v6', closer: '}' }],
]);

/** P3: the characters a `$` quotes into a literal run: `$ * %`, space and TAB. */
function isQuotedInRun(code: number): boolean {
  return code === DOLLAR || code === STAR || code === PERCENT || code === 0x20 || code === 0x09;
}

/**
 * Parses a pattern made of literal runs (with their `$` quotes), `*`, `%` and IP constructs without
 * the lexer and grammar, or gives null for one with any other `$` (a set, a glob, a modifier, a
 * back-match, a mistake), which the grammar reads. Exported for the differential test. Speed: these
 * are nearly all the patterns of real access tables, and Chevrotain's lexer and parser were most of
 * their parse. The items come from the same builder methods as the grammar path, and
 * test/syntax/fast-paths.test.ts checks on random text that both paths agree.
 */
export function parseSimplePattern(text: string): ParsedPattern | null {
  const builder = new PatternBuilder();
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === STAR || code === PERCENT) {
      builder.addWildcard(at, at + 1, code === STAR ? 'many' : 'one', ANY);
      at += 1;
      continue;
    }
    if (code === DOLLAR) {
      const next = text.charCodeAt(at + 1);
      const ip = IP_FORMS.get(next);
      if (ip !== undefined) {
        const closer = text.indexOf(ip.closer, at + 2);
        const end = closer < 0 ? text.length : closer + 1;
        builder.addIp(at, text.slice(at, end), ip.form, ip.closer);
        at = end;
        continue;
      }
      if (!isQuotedInRun(next)) return null;
    }
    // A literal run: up to a wildcard or a `$` that quotes nothing it may hold (the lexer's LiteralRun).
    let end = at;
    while (end < text.length) {
      const inRun = text.charCodeAt(end);
      if (inRun === STAR || inRun === PERCENT) break;
      if (inRun === DOLLAR) {
        if (!isQuotedInRun(text.charCodeAt(end + 1))) break;
        end += 2;
      } else {
        end += 1;
      }
    }
    builder.addLiteral(at, text.slice(at, end));
    at = end;
  }
  return builder.finish();
}

function isSet(element: RawPatternElement): element is RawSet {
  return 'open' in element;
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** Turns the parser's elements into items, numbering saved items (P4) and applying modifiers (P6). */
class PatternBuilder {
  private readonly items: PatternItem[] = [];
  private readonly problems: Problem[] = [];
  private captureCount = 0;
  /** P6: `$@` … `$^` is a mode. */
  private saving = true;
  /** Where the modifiers waiting for their item start: the item's spelling includes them. */
  private modifierStart: number | null = null;
  /** The `$_` waiting for its item (P6: one-shot). */
  private pendingLazy: IToken | null = null;

  build(elements: RawPatternElement[]): ParsedPattern {
    for (const element of elements) {
      if (isSet(element)) this.addSet(element);
      else this.addToken(element);
    }
    return this.finish();
  }

  /** The result, once every element has been added. */
  finish(): ParsedPattern {
    if (this.pendingLazy) this.warnLazyWithoutEffect(this.pendingLazy, 'has no item after it');
    // Speed: an exact-size copy. Pushing grew `items` to room for 17 items, and the parse keeps
    // every pattern's items, so the spare room would live as long as the result and be copied by
    // the collector.
    return { items: this.items.slice(), captureCount: this.captureCount, problems: this.problems };
  }

  private addToken(token: IToken): void {
    switch (token.tokenType) {
      case LiteralRun:
        return this.addLiteral(token.startOffset, token.image);
      case IpPrefixForm:
        return this.addIp(token.startOffset, token.image, 'prefix', ')');
      case IpIgnoreForm:
        return this.addIp(token.startOffset, token.image, 'ignore', '>');
      case IpV6Form:
        return this.addIp(token.startOffset, token.image, 'v6', '}');
      case Star:
        return this.addWildcard(token.startOffset, tokenEnd(token), 'many', ANY);
      case Percent:
        return this.addWildcard(token.startOffset, tokenEnd(token), 'one', ANY);
      case Glob: {
        const letter = asciiUpper(token.image[1]!) as GlobLetter;
        const width = token.image[2] === '*' ? 'many' : 'one';
        const charClass: CharClass = { kind: 'glob', letter, ranges: GLOB_RANGES[letter] };
        return this.addWildcard(token.startOffset, tokenEnd(token), width, charClass);
      }
      case Backmatch:
        return this.addBackmatch(token);
      case LazyModifier:
        this.modifierStart ??= token.startOffset;
        this.pendingLazy = token;
        return;
      case SavingOff:
      case SavingOn:
        this.modifierStart ??= token.startOffset;
        this.saving = token.tokenType === SavingOn;
        return;
      case GlobWithoutWidth:
        return this.report('error', 'bad-glob', `\`${token.image}\` must be followed by \`%\` or \`*\``, spanOf(token));
      case UndefinedEscape:
        return this.report(
          'error',
          'undefined-pattern-escape',
          `\`${token.image}\` is not valid in a pattern`,
          spanOf(token),
          MISSING_SEPARATOR_HINT,
        );
      default:
        // DanglingDollar is all that is left.
        return this.report('error', 'dangling-dollar', 'a `$` at the end of the pattern quotes nothing', spanOf(token));
    }
  }

  /** Start of the item now being placed at `offset`, with its modifiers; clears them and settles `$_` (P6). */
  private startItem(offset: number, lazyHasEffect: boolean): { start: number; lazy: boolean } {
    const start = this.modifierStart ?? offset;
    const lazy = this.pendingLazy !== null;
    if (this.pendingLazy && !lazyHasEffect) {
      this.warnLazyWithoutEffect(this.pendingLazy, 'has no effect on a fixed-width item');
    }
    this.modifierStart = null;
    this.pendingLazy = null;
    return { start, lazy: lazy && lazyHasEffect };
  }

  private nextCapture(start: number, end: number): number | null {
    if (!this.saving) return null;
    const capture = this.captureCount++;
    if (capture >= 10) {
      const message = `saved item ${capture} cannot be referenced: templates know only $0–$9`;
      this.report('info', 'unreferenceable-capture', message, { offset: start, length: end - start });
    }
    return capture;
  }

  /** A literal run written as `image` at `offset`. */
  addLiteral(offset: number, image: string): void {
    const previous = this.items[this.items.length - 1];
    const { start } = this.startItem(offset, false);
    const text = unquote(image);
    if (previous?.kind === 'ip' && ADDRESS_CHARACTER.test(text)) {
      const message = `the address run of the IP construct swallows \`${text[0]}\``;
      this.report('warning', 'ip-swallows-literal', message, { offset, length: 1 });
    }
    this.items.push({ kind: 'literal', text, offset: start, length: offset + image.length - start });
  }

  /** A wildcard whose own spelling starts at `offset` (a set's at its `$[`) and ends before `end`. */
  addWildcard(offset: number, end: number, width: WildcardItem['width'], charClass: CharClass): void {
    const { start, lazy } = this.startItem(offset, width === 'many');
    const capture = this.nextCapture(start, end);
    this.items.push({ kind: 'wildcard', width, charClass, lazy, capture, offset: start, length: end - start });
  }

  private addBackmatch(token: IToken): void {
    const { start } = this.startItem(token.startOffset, false);
    const ref = Number(token.image[1]);
    if (ref >= this.captureCount) {
      const saved = this.captureCount === 0 ? 'no item is saved' : `only $0–$${this.captureCount - 1} are saved`;
      const message = `\`${token.image}\` needs saved item ${ref} earlier in the pattern, but ${saved} before it`;
      this.report('error', 'bad-backmatch', message, spanOf(token));
      return;
    }
    this.items.push({ kind: 'backmatch', ref, offset: start, length: tokenEnd(token) - start });
  }

  /** P5: members, ranges and the set's own errors. */
  private addSet(set: RawSet): void {
    if (!set.close) {
      this.report('error', 'bad-glob', 'character set without closing `]`', spanOf(set.open));
      this.skipBrokenItem(set.open, tokenEnd(set.open));
      return;
    }
    const setStart = set.open.startOffset;
    const setLength = tokenEnd(set.close) - setStart;
    let valid = true;
    if (set.members.length === 0) {
      this.report('error', 'bad-glob', 'empty character set', { offset: setStart, length: setLength });
      valid = false;
    }
    const ranges: CodeRange[] = [];
    for (const { from, to } of set.members) {
      const low = memberCodePoint(from);
      const high = to ? memberCodePoint(to) : low;
      if (high < low) {
        const span = { offset: from.startOffset, length: tokenEnd(to!) - from.startOffset };
        this.report('error', 'bad-glob', `range \`${from.image}-${to!.image}\` ends before it starts`, span);
        valid = false;
      }
      ranges.push([low, high]);
    }
    const first = set.members[0]?.from;
    if (first?.image === '^') {
      this.report('warning', 'caret-in-set', '`^` is not negation here: it is a member of the set', spanOf(first));
    }
    if (!set.width) {
      this.report('error', 'bad-glob', 'a character set must be followed by `%` or `*`', { offset: setStart, length: setLength });
      valid = false;
    }
    if (valid) {
      this.addWildcard(setStart, tokenEnd(set.width!), set.width!.image === '*' ? 'many' : 'one', { kind: 'set', ranges });
    } else {
      this.skipBrokenItem(set.open, setStart + setLength);
    }
  }

  /** An item with an error still takes its modifiers and its number, so later items keep theirs. */
  private skipBrokenItem(first: IToken, end: number): void {
    const { start } = this.startItem(first.startOffset, true);
    this.nextCapture(start, end);
  }

  /**
   * P9.1: an IP construct written as `image` at `offset` (closer included when the text has it);
   * address and bit count checked by the IP module, host bits masked off.
   */
  addIp(offset: number, image: string, form: IpItem['form'], closer: string): void {
    const whole: OffsetRange = { offset, length: image.length };
    const { start } = this.startItem(offset, false);
    const end = offset + image.length;
    const capture = this.nextCapture(start, end);
    if (image.length < 3 || image[image.length - 1] !== closer) {
      const message = `IP construct \`${image.slice(0, 2)}\` without closing \`${closer}\``;
      this.report('error', 'bad-ip', message, { offset, length: 2 });
      return;
    }
    const body = image.slice(2, -1);
    const slash = body.indexOf('/');
    const address = slash < 0 ? body : body.slice(0, slash);
    const addressOffset = offset + 2;
    const parsed = parseIpAddress(address);
    if (!parsed) {
      const span = address ? { offset: addressOffset, length: address.length } : whole;
      this.report('error', 'bad-ip', `\`${address}\` is not an IPv4 or IPv6 address`, span);
      return;
    }
    const family = parsed.kind();
    const bits = family === 'ipv4' ? 32 : 128;
    let count = form === 'ignore' ? 0 : bits;
    if (slash >= 0) {
      const countText = body.slice(slash + 1);
      count = BIT_COUNT.test(countText) ? Number(countText) : NaN;
      if (!(count <= bits)) {
        const span = { offset: addressOffset + slash, length: countText.length + 1 };
        this.report('error', 'bad-ip', `\`/${countText}\`: the bit count must be a number from 0 to ${bits}`, span);
        return;
      }
    }
    const prefixLength = form === 'ignore' ? bits - count : count;
    const mask = subnetMask(family, prefixLength);
    // The address's own byte array (a fresh copy) becomes the network in place.
    const network = parsed.toByteArray();
    let hostBitsSet = false;
    for (let i = 0; i < network.length; i++) {
      const masked = network[i]! & mask[i]!;
      hostBitsSet ||= masked !== network[i];
      network[i] = masked;
    }
    if (hostBitsSet) {
      const message = `\`${address}\` has bits set beyond the first ${prefixLength}; they are ignored`;
      this.report('warning', 'host-bits-set', message, whole);
    }
    if (form === 'v6' && family === 'ipv4') {
      const message = `IPv4 address in \`\${…}\`; \`$(${body})\` says the same more plainly`;
      this.report('info', 'ipv4-in-ipv6-form', message, whole);
    }
    const length = end - start;
    this.items.push({ kind: 'ip', form, family, address, prefixLength, network, capture, offset: start, length });
  }

  private warnLazyWithoutEffect(token: IToken, why: string): void {
    this.report('warning', 'lazy-without-effect', `\`$_\` ${why}`, spanOf(token));
  }

  private report(severity: Severity, code: SyntaxCode, message: string, span: OffsetRange, hint?: string): void {
    const problem: Problem = { severity, code, message, offset: span.offset, length: span.length };
    if (hint !== undefined) problem.hint = hint;
    this.problems.push(problem);
  }
}

/** P5: the code point a set member stands for (`\x` is x; a dash written as a member is `-`). */
function memberCodePoint(token: IToken): number {
  if (token.tokenType === SetEscape) return token.image.length > 1 ? token.image.codePointAt(1)! : 0x5c;
  if (token.tokenType === SetDash) return 0x2d;
  return token.image.codePointAt(0)!;
}
