import type { ILexingResult, Lexer } from 'chevrotain';
import { continuationBackslash, physicalLines } from './lines.js';
import { patternLexer } from './pattern/tokens.js';
import { templateLexer } from './template/tokens.js';
import { lineLexer } from './tokens.js';

/** What a highlighted run of text is, in the terms of the grammar (grammar/README.md's scopes). */
export type HighlightKind =
  | 'comment'
  | 'include'
  | 'table'
  | 'literal'
  | 'wildcard'
  | 'set'
  | 'ip'
  | 'capture'
  | 'control'
  | 'flag'
  | 'lookup'
  | 'modifier'
  | 'invalid';

/** One highlighted run: 1-based line, 0-based offset in that line, length in UTF-16 code units; runs come in text order. */
export interface HighlightToken {
  line: number;
  start: number;
  length: number;
  kind: HighlightKind;
}

/** Token names of the line, pattern and template lexers → what they show; names not listed are literal text. */
const KIND_OF_TOKEN: Record<string, HighlightKind> = {
  Comment: 'comment',
  Include: 'include',
  HeaderName: 'table',
  Unindented: 'invalid',
  Star: 'wildcard',
  Percent: 'wildcard',
  Glob: 'wildcard',
  GlobWithoutWidth: 'invalid',
  Backmatch: 'wildcard',
  LazyModifier: 'modifier',
  SavingOff: 'modifier',
  SavingOn: 'modifier',
  SetOpen: 'set',
  SetClose: 'set',
  SetDash: 'set',
  SetChar: 'set',
  SetEscape: 'set',
  IpPrefixForm: 'ip',
  IpIgnoreForm: 'ip',
  IpV6Form: 'ip',
  UndefinedEscape: 'invalid',
  DanglingDollar: 'invalid',
  Capture: 'capture',
  CaseModifier: 'modifier',
  LdapQuote: 'modifier',
  Control: 'control',
  FlagTest: 'flag',
  FlagTestWithoutFlag: 'invalid',
  Flag: 'flag',
  RandomTest: 'lookup',
  SequenceLookup: 'lookup',
  MappingOpen: 'lookup',
  MappingOpenWithoutTable: 'invalid',
  RoutineOpen: 'lookup',
  RoutineOpenWithoutHeader: 'invalid',
  DatabaseOpen: 'lookup',
  UrlOpen: 'lookup',
  DomainOpen: 'lookup',
  PipeClose: 'lookup',
  BracketClose: 'lookup',
  BraceClose: 'lookup',
  UrlClose: 'lookup',
  DomainClose: 'lookup',
};

/** Where a word of an entry line goes: its first word is the pattern, the rest the template (F8). */
type WordRole = 'pattern' | 'template' | 'after-header';

/**
 * The runs of mappings-file text to colour, by the project's own lexers (the line lexer of F3–F8, the
 * pattern and template lexers): for an editor, so it works line by line and never fails. A line
 * continued from the one before (F2) is coloured as template text.
 */
export function highlightMappings(text: string): HighlightToken[] {
  const tokens: HighlightToken[] = [];
  let continued = false;
  physicalLines(text).forEach((line, index) => {
    const number = index + 1;
    if (continued) pushSubTokens(tokens, templateLexer(), line, number, 0);
    else highlightLine(tokens, line, number);
    continued = !line.startsWith('!') && continuationBackslash(line) >= 0;
  });
  return tokens;
}

function highlightLine(tokens: HighlightToken[], line: string, number: number): void {
  let role: WordRole = 'pattern';
  for (const token of lineLexer().tokenize(`${line}\n`).tokens) {
    const start = token.startOffset;
    const length = Math.min(token.image.length, line.length - start);
    if (length <= 0) continue;
    const name = token.tokenType.name;
    if (name === 'HeaderName') role = 'after-header';
    if (name === 'Word') {
      if (role === 'after-header') tokens.push({ line: number, start, length, kind: 'invalid' });
      else pushSubTokens(tokens, role === 'pattern' ? patternLexer() : templateLexer(), token.image, number, start);
      if (role === 'pattern') role = 'template';
      continue;
    }
    const kind = KIND_OF_TOKEN[name];
    if (kind !== undefined) tokens.push({ line: number, start, length, kind });
  }
}

/** The tokens of a pattern or template word, placed at `offset` in its line; literal text is left plain. */
function pushSubTokens(tokens: HighlightToken[], lexer: Lexer, word: string, number: number, offset: number): void {
  const lexed: ILexingResult = lexer.tokenize(word);
  const runs: HighlightToken[] = [];
  for (const token of lexed.tokens) {
    const kind = KIND_OF_TOKEN[token.tokenType.name];
    if (kind !== undefined) runs.push({ line: number, start: offset + token.startOffset, length: token.image.length, kind });
  }
  for (const error of lexed.errors) runs.push({ line: number, start: offset + error.offset, length: error.length, kind: 'invalid' });
  tokens.push(...runs.sort((a, b) => a.start - b.start));
}
